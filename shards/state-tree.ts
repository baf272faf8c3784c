/**
 * Incremental Merkle commitment over a shard's accounts. A complete binary
 * tree in one flat buffer (node i has children 2i and 2i+1, leaves from
 * `capacity`), so a block rehashes only the paths above the accounts it
 * touched: about d * log2(n / d) hashes for d dirty leaves of n, shared
 * upper levels hashed once, instead of all n accounts per block.
 */
import { HASH_BYTES, hashPairInto, type Hash } from '../crosslink/hash.js';

export class StateTree {
  readonly capacity: number;
  private readonly nodes: Uint8Array;
  private dirty: number[] = [];
  private readonly marked: Uint8Array;

  constructor(leafCount: number) {
    let cap = 1;
    while (cap < Math.max(1, leafCount)) cap *= 2;
    this.capacity = cap;
    this.nodes = new Uint8Array(2 * cap * HASH_BYTES);
    this.marked = new Uint8Array(2 * cap);
    // Inner nodes over padding hold real hashes from the start, so a root is
    // the same whether leaves arrive through build() or through commit().
    this.build();
  }

  /** Sets a leaf's hash; its ancestors are recomputed by the next `commit()`. */
  setLeaf(index: number, leaf: Hash): void {
    const node = this.capacity + index;
    this.nodes.set(leaf, node * HASH_BYTES);
    if (this.marked[node] === 0) {
      this.marked[node] = 1;
      this.dirty.push(node);
    }
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
    for (const d of this.dirty) this.marked[d] = 0;
    this.dirty = [];
  }

  /** Recomputes the ancestors of every leaf set since the last commit; returns the root. */
  commit(): Hash {
    let level = this.dirty;
    for (const d of level) this.marked[d] = 0;
    while (level.length > 0 && level[0] !== 1) {
      const parents: number[] = [];
      for (const node of level) {
        const p = node >> 1;
        if (this.marked[p] === 0) {
          this.marked[p] = 1;
          parents.push(p);
        }
      }
      for (const p of parents) {
        hashPairInto(this.nodes, p, 2 * p, 2 * p + 1);
        this.marked[p] = 0;
      }
      level = parents;
    }
    this.dirty = [];
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
}

function sameBytes(buf: Uint8Array, a: number, b: number, len: number): boolean {
  for (let i = 0; i < len; i++) if (buf[a + i] !== buf[b + i]) return false;
  return true;
}
