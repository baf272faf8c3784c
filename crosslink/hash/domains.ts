/**
 * What shardsim hashes with SHA-256, kept apart by domain: a leaf is SHA-256
 * over a 0x00 prefix and its record (RFC 6962's leaf hash); an inner node is
 * one application of SHA-256's compression function to its two children,
 * chained from NODE_IV instead of SHA-256's IV; a fixed-size record type or
 * a chain of them starts from the IV its tag names (tagIv).
 *
 * A node's input has a fixed size of one block, so it needs no padding or
 * length block (Zcash's Sprout note commitment tree hashes its nodes with
 * SHA256Compress the same way): one compression a node instead of RFC 6962's
 * two for 0x01 || left || right. Passing a node off as a leaf, or the
 * reverse, would take equal outputs from two different chaining values, a
 * free-start collision of the compression function (what SHA-256's own
 * collision resistance rests on).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { compress, HASH_BYTES, type Hash, writeState } from './sha256-compress.js';

/** The first byte of every leaf's hashed message (ByteWriter.leafHash). */
export const LEAF_PREFIX = 0x00;

/**
 * The chaining value a tag names: the eight words of SHA-256(tag). Distinct
 * tags give one-block hashes that nothing else starts from (not SHA-256's IV,
 * not each other's), which is what separates their domains.
 */
export function tagIv(tag: string): Int32Array {
  const d = sha256(new TextEncoder().encode(tag));
  return Int32Array.from({ length: 8 }, (_, i) => (d[4 * i]! << 24) | (d[4 * i + 1]! << 16) | (d[4 * i + 2]! << 8) | d[4 * i + 3]!);
}

/** Chaining state of the one-call hashes below: each sets it, compresses and writes it out before returning, so nothing is left in it between calls. */
const scratch = new Int32Array(8);

/**
 * One SHA-256 compression of the 64-byte block buf[from, from + 64), chained
 * from `iv` (see tagIv), digest to out[at, at + 32): the hash of a record
 * type whose encoding has a fixed length of at most one block, zero-padded
 * (fixed length makes the padding unambiguous, so SHA-256's length block
 * would add nothing but a second compression).
 */
export function hashBlockInto(iv: Int32Array, buf: Uint8Array, from: number, out: Uint8Array, at: number): void {
  const h = scratch;
  h.set(iv);
  compress(h, buf, from, buf, from + 32);
  writeState(h, out, at);
}

/**
 * A chain of compressions from `iv` over fixed 64-byte blocks: `begin`,
 * `absorb` each block, then `digestInto`. It hashes a list of one-block
 * records whose count is committed beside the digest (fixed-size blocks plus
 * a committed count leave nothing for SHA-256's padding and length block to
 * disambiguate). Each chain holds its own state, so chains may interleave
 * with each other and with any other hashing.
 */
export class HashChain {
  private readonly h = new Int32Array(8);
  constructor(private readonly iv: Int32Array) {}

  begin(): this {
    this.h.set(this.iv);
    return this;
  }

  absorb(buf: Uint8Array, from: number): void {
    compress(this.h, buf, from, buf, from + 32);
  }

  digestInto(out: Uint8Array, at: number): void {
    writeState(this.h, out, at);
  }
}

const NODE_IV = tagIv('shardsim/merkle-node');
const pairMsg = new Uint8Array(2 * HASH_BYTES);

/** Hash of two 32-byte children: the Merkle inner node. */
export function hashPair(left: Uint8Array, right: Uint8Array): Hash {
  const m = pairMsg;
  m.set(left, 0);
  m.set(right, HASH_BYTES);
  const h = scratch;
  h.set(NODE_IV);
  compress(h, m, 0, m, HASH_BYTES);
  const out = new Uint8Array(HASH_BYTES);
  writeState(h, out, 0);
  return out;
}

/** Inner node over two children stored inside one flat node buffer (32 bytes a node), compressed where they lie. */
export function hashPairInto(nodes: Uint8Array, out: number, left: number, right: number): void {
  const h = scratch;
  h.set(NODE_IV);
  compress(h, nodes, left * HASH_BYTES, nodes, right * HASH_BYTES);
  writeState(h, nodes, out * HASH_BYTES);
}

/**
 * Inner node over children in two buffers (byte offsets), written to
 * out[at, at + 32): a proof is checked without copying its siblings. `out`
 * may overlap either child (every input word is read before anything is
 * written); the caller checks that both children lie inside their buffers
 * (a read past the end would hash zeros).
 */
export function hashPairAcross(left: Uint8Array, lo: number, right: Uint8Array, ro: number, out: Uint8Array, at: number): void {
  const h = scratch;
  h.set(NODE_IV);
  compress(h, left, lo, right, ro);
  writeState(h, out, at);
}
