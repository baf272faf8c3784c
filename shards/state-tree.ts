/**
 * Incremental Merkle commitment over a shard's accounts. A complete binary
 * tree in one flat buffer (node i has children 2i and 2i+1, leaves from
 * `capacity`), so a block rehashes only the paths above the accounts it
 * touched: about d * log2(n / d) hashes for d dirty leaves of n, shared
 * upper levels hashed once, instead of all n accounts per block.
 */
import { type ByteWriter, HASH_BYTES, type Hash, hashPairInto } from '../crosslink/hash.js';

export class StateTree {
  readonly capacity: number;
  private readonly nodes: Uint8Array;
  /** Nodes set since the last commit or build, `dirtyCount` of them, each once (`marked`). */
  private dirty: Int32Array = new Int32Array(64);
  private dirtyCount = 0;
  private readonly marked: Uint8Array;

  /** With `genesis`, every leaf starts as that hash (one build, no dirty list). */
  constructor(leafCount: number, genesis?: Hash) {
    let cap = 1;
    while (cap < Math.max(1, leafCount)) cap *= 2;
    this.capacity = cap;
    this.nodes = new Uint8Array(2 * cap * HASH_BYTES);
    this.marked = new Uint8Array(2 * cap);
    // Inner nodes over padding hold real hashes from the start, so a root is
    // the same whether leaves arrive through build() or through commit().
    if (genesis === undefined) this.build();
    else this.buildUniform(Math.max(0, leafCount), genesis);
  }

  /**
   * Genesis: leaves 0..count-1 all `genesis`, the rest zero. Every level is
   * then a run of equal nodes over genesis leaves only, at most one node over
   * both, and a run of equal nodes over padding only: three hashes a level,
   * each run filled by doubling copies (a shard's tree in ~0.1 ms, where
   * build()'s pairwise comparisons took ~1 ms).
   */
  private buildUniform(count: number, genesis: Hash): void {
    const n = this.nodes;
    const cap = this.capacity;
    if (count > 0) {
      n.set(genesis, cap * HASH_BYTES);
      fillRun(n, cap, count);
    }
    let full = count;
    let mixed = false;
    for (let start = cap >> 1; start >= 1; start >>= 1) {
      const pairs = full >> 1;
      let p = start;
      if (pairs > 0) {
        hashPairInto(n, p, 2 * p, 2 * p + 1);
        fillRun(n, p, pairs);
        p += pairs;
      }
      const nextMixed: boolean = p < 2 * start && ((full & 1) === 1 || mixed);
      if (nextMixed) {
        hashPairInto(n, p, 2 * p, 2 * p + 1);
        p++;
      }
      if (p < 2 * start) {
        hashPairInto(n, p, 2 * p, 2 * p + 1);
        fillRun(n, p, 2 * start - p);
      }
      full = pairs;
      mixed = nextMixed;
    }
    this.clearDirty();
  }

  /** Sets a leaf's hash; its ancestors are recomputed by the next `commit()`. */
  setLeaf(index: number, leaf: Hash): void {
    this.nodes.set(leaf, this.touch(index));
  }

  /** Sets a leaf to the leaf hash of what `w` holds, hashed in place (no copy, no allocation). */
  setLeafHashOf(index: number, w: ByteWriter): void {
    w.leafHashInto(this.nodes, this.touch(index));
  }

  /** Marks leaf `index` dirty; returns its byte offset. */
  private touch(index: number): number {
    const node = this.capacity + index;
    if (this.marked[node] === 0) {
      this.marked[node] = 1;
      if (this.dirtyCount === this.dirty.length) {
        const grown = new Int32Array(this.dirty.length * 2);
        grown.set(this.dirty);
        this.dirty = grown;
      }
      this.dirty[this.dirtyCount++] = node;
    }
    return node * HASH_BYTES;
  }

  /**
   * Builds every inner node from the leaves (genesis). Consecutive sibling
   * pairs with identical bytes reuse the previous parent, so a genesis of
   * uniform accounts costs O(log n) hashes rather than O(n).
   */
  build(): void {
    const n = this.nodes;
    const B = HASH_BYTES;
    for (let levelStart = this.capacity >> 1; levelStart >= 1; levelStart >>= 1) {
      let prev = -1;
      for (let p = levelStart; p < 2 * levelStart; p++) {
        const l = 2 * p;
        if (prev >= 0 && sameBytes(n, l * B, 2 * prev * B, 2 * B)) {
          n.copyWithin(p * B, prev * B, prev * B + B);
        } else {
          hashPairInto(n, p, l, l + 1);
        }
        prev = p;
      }
    }
    this.clearDirty();
  }

  /**
   * Recomputes the ancestors of every leaf set since the last commit; returns
   * the root. Dirty leaves are sorted first, so each level's parents come out
   * sorted and de-duplicated by comparing with the previous one, and the
   * hashing walks the buffer in address order.
   */
  commit(): Hash {
    const count = this.dirtyCount;
    const level = this.dirty.subarray(0, count).sort();
    this.clearDirty();
    let width = count;
    while (width > 0 && level[0] !== 1) {
      let parents = 0;
      for (let i = 0; i < width; i++) {
        const p = level[i]! >> 1;
        if (parents === 0 || level[parents - 1] !== p) level[parents++] = p;
      }
      for (let i = 0; i < parents; i++) {
        const p = level[i]!;
        hashPairInto(this.nodes, p, 2 * p, 2 * p + 1);
      }
      width = parents;
    }
    return this.root();
  }

  /** Leaf `index` as last set (a view into the tree; copy it to keep it). */
  leaf(index: number): Uint8Array {
    const at = (this.capacity + index) * HASH_BYTES;
    return this.nodes.subarray(at, at + HASH_BYTES);
  }

  root(): Hash {
    return this.nodes.slice(HASH_BYTES, 2 * HASH_BYTES);
  }

  private clearDirty(): void {
    for (let i = 0; i < this.dirtyCount; i++) this.marked[this.dirty[i]!] = 0;
    this.dirtyCount = 0;
  }
}

/** Copies node `first` over the `count - 1` nodes after it, doubling the copied run each time. */
function fillRun(nodes: Uint8Array, first: number, count: number): void {
  const B = HASH_BYTES;
  for (let filled = 1; filled < count; ) {
    const m = Math.min(filled, count - filled);
    nodes.copyWithin((first + filled) * B, first * B, (first + m) * B);
    filled += m;
  }
}

function sameBytes(buf: Uint8Array, a: number, b: number, len: number): boolean {
  for (let i = 0; i < len; i++) if (buf[a + i] !== buf[b + i]) return false;
  return true;
}
