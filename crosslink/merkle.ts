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
import { HASH_BYTES, type Hash, hashPairAcross, hashPairInto, ZERO_HASH } from './hash.js';

/** An inclusion proof: the sibling hashes from the leaf up, 32 bytes each, concatenated. */
export type MerkleProof = Uint8Array;

let scratch = new Uint8Array(64 * HASH_BYTES);

/** 32-bit words in a hash. */
const HASH_WORDS = HASH_BYTES / 4;

/**
 * A flat buffer with room for `count` leaves, for callers that hash leaves
 * straight into it (`merkleRootOfFlat`). Shared: valid until the next call here.
 */
export function leafBuffer(count: number): Uint8Array {
  if (scratch.length < count * HASH_BYTES) scratch = new Uint8Array(Math.max(count, (2 * scratch.length) / HASH_BYTES) * HASH_BYTES);
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
  /** The same buffer as 32-bit words (proofs are copied a word at a time; the bytes' order does not matter for a copy). */
  private readonly words: Int32Array;
  private readonly starts: number[] = [];
  private readonly widths: number[] = [];

  /** Over a list of leaf hashes, or over leaves laid out flat (32 bytes each) in one buffer. */
  constructor(leaves: readonly Hash[] | Uint8Array) {
    const flat = leaves instanceof Uint8Array;
    const count = flat ? leaves.length / HASH_BYTES : leaves.length;
    let total = 0;
    for (let w = count; ; w = (w + 1) >> 1) {
      this.starts.push(total);
      this.widths.push(w);
      total += w;
      if (w <= 1) break;
    }
    const n = (this.nodes = new Uint8Array(total * HASH_BYTES));
    this.words = new Int32Array(n.buffer);
    if (flat) n.set(leaves, 0);
    else for (let i = 0; i < leaves.length; i++) n.set(leaves[i]!, i * HASH_BYTES);
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
   * Sibling hashes from the leaf up, 32 bytes each, in one buffer; levels
   * where the node is promoted contribute nothing. One small buffer a proof
   * (not an array of views): a block cuts a proof for each of up to a
   * thousand destinations, and they live until finality, so at 1,024 shards
   * the per-hash views were most of the heap.
   */
  proof(index: number): MerkleProof {
    if (index < 0 || index >= this.size) throw new RangeError(`leaf ${index} outside tree of ${this.size}`);
    const out = new Uint8Array(this.siblings(index) * HASH_BYTES);
    this.proofInto(index, new Int32Array(out.buffer), 0);
    return out;
  }

  /**
   * Every leaf's proof, cut from one buffer (a view each): a block's batches
   * are sealed, delivered and finalized together, so they can share it.
   */
  allProofs(): MerkleProof[] {
    const n = this.size;
    const at = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) at[i + 1] = at[i]! + this.siblings(i) * HASH_BYTES;
    const buf = new Uint8Array(at[n]!);
    const words = new Int32Array(buf.buffer);
    const out: MerkleProof[] = new Array(n);
    for (let i = 0; i < n; i++) {
      this.proofInto(i, words, at[i]! / 4);
      out[i] = buf.subarray(at[i]!, at[i + 1]!);
    }
    return out;
  }

  private siblings(index: number): number {
    let count = 0;
    for (let l = 0, i = index; l < this.starts.length - 1; l++, i >>= 1) if ((i ^ 1) < this.widths[l]!) count++;
    return count;
  }

  /**
   * Writes leaf `index`'s siblings into `out` (a fresh buffer's words) from
   * word `at`, eight 32-bit words a hash: no view per hash, and an eighth of
   * a byte-by-byte copy's work (a block cuts up to a thousand proofs).
   */
  private proofInto(index: number, out: Int32Array, at: number): void {
    const words = this.words;
    let k = at;
    for (let l = 0, i = index; l < this.starts.length - 1; l++, i >>= 1) {
      const sibling = i ^ 1;
      if (sibling >= this.widths[l]!) continue;
      const from = (this.starts[l]! + sibling) * HASH_WORDS;
      for (let b = 0; b < HASH_WORDS; b++) out[k + b] = words[from + b]!;
      k += HASH_WORDS;
    }
  }
}

/** Scratch for verification: the running node. */
const node = new Uint8Array(HASH_BYTES);

/**
 * Checks that `leaf` is leaf number `index` of a tree of `count` leaves with
 * root `root`. The count fixes which levels promote instead of hashing, and
 * so how many siblings the proof must hold, exactly.
 */
export function verifyMerkleProof(leaf: Hash, index: number, count: number, proof: MerkleProof, root: Hash): boolean {
  if (!Number.isInteger(index) || index < 0 || index >= count || proof.length % HASH_BYTES !== 0) return false;
  node.set(leaf, 0);
  let i = index;
  let width = count;
  let used = 0;
  while (width > 1) {
    const sibling = i ^ 1;
    if (sibling < width) {
      if (used + HASH_BYTES > proof.length) return false;
      // The sibling is hashed where it lies in the proof.
      if ((i & 1) === 0) hashPairAcross(node, 0, proof, used, node, 0);
      else hashPairAcross(proof, used, node, 0, node, 0);
      used += HASH_BYTES;
    }
    i >>= 1;
    width = (width + 1) >> 1;
  }
  if (used !== proof.length) return false;
  for (let b = 0; b < HASH_BYTES; b++) if (node[b] !== root[b]) return false;
  return root.length === HASH_BYTES;
}
