/**
 * Binary Merkle trees over a list of leaf hashes, with inclusion proofs.
 * An odd node at the end of a level is promoted unchanged (no duplication of
 * the last leaf, which would make two different lists share a root: the
 * Bitcoin CVE-2012-2459 pitfall).
 */
import { type Hash, hashEquals, hashPair, ZERO_HASH } from './hash.js';

/** Root of a list of leaf hashes; the empty list has the zero hash as root. */
export function merkleRoot(leaves: readonly Hash[]): Hash {
  if (leaves.length === 0) return ZERO_HASH;
  let level = leaves.slice();
  while (level.length > 1) {
    const next: Hash[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(hashPair(level[i]!, level[i + 1]!));
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    level = next;
  }
  return level[0]!;
}

/** A tree kept in memory so that proofs can be cut from it without rehashing. */
export class MerkleTree {
  private readonly levels: Hash[][];

  constructor(leaves: readonly Hash[]) {
    this.levels = [leaves.slice()];
    let level = this.levels[0]!;
    while (level.length > 1) {
      const next: Hash[] = [];
      for (let i = 0; i + 1 < level.length; i += 2) next.push(hashPair(level[i]!, level[i + 1]!));
      if (level.length % 2 === 1) next.push(level[level.length - 1]!);
      this.levels.push(next);
      level = next;
    }
  }

  get size(): number {
    return this.levels[0]!.length;
  }

  get root(): Hash {
    const top = this.levels[this.levels.length - 1]!;
    return top.length === 0 ? ZERO_HASH : top[0]!;
  }

  /** Sibling hashes from the leaf up; levels where the node is promoted contribute nothing. */
  proof(index: number): Hash[] {
    if (index < 0 || index >= this.size) throw new RangeError(`leaf ${index} outside tree of ${this.size}`);
    const path: Hash[] = [];
    let i = index;
    for (let l = 0; l < this.levels.length - 1; l++) {
      const level = this.levels[l]!;
      const sibling = i ^ 1;
      if (sibling < level.length) path.push(level[sibling]!);
      i >>= 1;
    }
    return path;
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
