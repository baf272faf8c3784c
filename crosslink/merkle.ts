/**
 * Binary Merkle trees over a list of leaf hashes, with inclusion proofs.
 * An odd node at the end of a level is promoted unchanged (no duplication of
 * the last leaf, which would make two different lists share a root: the
 * Bitcoin CVE-2012-2459 pitfall).
 *
 * Trees live in flat buffers (32 bytes a node), levels reduced in place, so
 * building one allocates nothing per node: a block's transaction and receipt
 * roots are the bulk of the protocol's hashing.
 */
import { HASH_BYTES, type Hash, hashEquals, hashPair, hashPairInto, ZERO_HASH } from './hash.js';

let scratch = new Uint8Array(64 * HASH_BYTES);

/**
 * A flat buffer with room for `count` leaves, for callers that hash leaves
 * straight into it (`merkleRootOfFlat`). Shared: valid until the next call here.
 */
export function leafBuffer(count: number): Uint8Array {
  if (scratch.length < count * HASH_BYTES) scratch = new Uint8Array(Math.max(count, 2 * scratch.length / HASH_BYTES) * HASH_BYTES);
  return scratch;
}

/** Reduces leaves 0..count-1 of `nodes` to the root, in place (node i of a level lands at i / 2). */
function reduceInPlace(nodes: Uint8Array, count: number): void {
  let width = count;
  while (width > 1) {
    const half = width >> 1;
    for (let i = 0; i < half; i++) hashPairInto(nodes, i, 2 * i, 2 * i + 1);
    if ((width & 1) === 1) nodes.copyWithin(half * HASH_BYTES, (width - 1) * HASH_BYTES, width * HASH_BYTES);
    width = (width + 1) >> 1;
  }
}

/** Root of `count` leaf hashes laid out flat in `nodes` (which it overwrites); the empty list has the zero hash as root. */
export function merkleRootOfFlat(nodes: Uint8Array, count: number): Hash {
  if (count === 0) return ZERO_HASH;
  reduceInPlace(nodes, count);
  return nodes.slice(0, HASH_BYTES);
}

/** Root of a list of leaf hashes; the empty list has the zero hash as root. */
export function merkleRoot(leaves: readonly Hash[]): Hash {
  if (leaves.length === 0) return ZERO_HASH;
  if (leaves.length === 1) return leaves[0]!;
  const nodes = leafBuffer(leaves.length);
  for (let i = 0; i < leaves.length; i++) nodes.set(leaves[i]!, i * HASH_BYTES);
  return merkleRootOfFlat(nodes, leaves.length);
}

/** A tree kept in memory so that proofs can be cut from it without rehashing. */
export class MerkleTree {
  /** Every level, leaves first, one after another in one buffer; `starts[l]` is level l's first node. */
  private readonly nodes: Uint8Array;
  private readonly starts: number[] = [];
  private readonly widths: number[] = [];

  constructor(leaves: readonly Hash[]) {
    let total = 0;
    for (let w = leaves.length; ; w = (w + 1) >> 1) {
      this.starts.push(total);
      this.widths.push(w);
      total += w;
      if (w <= 1) break;
    }
    const n = (this.nodes = new Uint8Array(total * HASH_BYTES));
    for (let i = 0; i < leaves.length; i++) n.set(leaves[i]!, i * HASH_BYTES);
    for (let l = 0; l + 1 < this.starts.length; l++) {
      const from = this.starts[l]!;
      const to = this.starts[l + 1]!;
      const width = this.widths[l]!;
      for (let i = 0; i + 1 < width; i += 2) hashPairInto(n, to + (i >> 1), from + i, from + i + 1);
      if ((width & 1) === 1) n.copyWithin((to + (width >> 1)) * HASH_BYTES, (from + width - 1) * HASH_BYTES, (from + width) * HASH_BYTES);
    }
  }

  get size(): number {
    return this.widths[0]!;
  }

  get root(): Hash {
    if (this.size === 0) return ZERO_HASH;
    const at = this.starts[this.starts.length - 1]! * HASH_BYTES;
    return this.nodes.slice(at, at + HASH_BYTES);
  }

  /**
   * Sibling hashes from the leaf up; levels where the node is promoted
   * contribute nothing. They are views of one buffer per proof: a block can
   * cut a proof for each of a thousand destinations, and one allocation per
   * proof (not per hash) is what keeps that affordable.
   */
  proof(index: number): Hash[] {
    if (index < 0 || index >= this.size) throw new RangeError(`leaf ${index} outside tree of ${this.size}`);
    const at: number[] = [];
    let i = index;
    for (let l = 0; l < this.starts.length - 1; l++) {
      const sibling = i ^ 1;
      if (sibling < this.widths[l]!) at.push((this.starts[l]! + sibling) * HASH_BYTES);
      i >>= 1;
    }
    const buf = new Uint8Array(at.length * HASH_BYTES);
    return at.map((from, k) => {
      buf.set(this.nodes.subarray(from, from + HASH_BYTES), k * HASH_BYTES);
      return buf.subarray(k * HASH_BYTES, (k + 1) * HASH_BYTES);
    });
  }
}

/**
 * Checks that `leaf` is leaf number `index` of a tree of `count` leaves with
 * root `root`. The count fixes which levels promote instead of hashing.
 */
export function verifyMerkleProof(
  leaf: Hash,
  index: number,
  count: number,
  proof: readonly Hash[],
  root: Hash,
): boolean {
  if (!Number.isInteger(index) || index < 0 || index >= count) return false;
  let node = leaf;
  let i = index;
  let width = count;
  let used = 0;
  while (width > 1) {
    const sibling = i ^ 1;
    if (sibling < width) {
      const s = proof[used++];
      if (s === undefined) return false;
      node = (i & 1) === 0 ? hashPair(node, s) : hashPair(s, node);
    }
    i >>= 1;
    width = (width + 1) >> 1;
  }
  return used === proof.length && hashEquals(node, root);
}
