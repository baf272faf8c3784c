/**
 * The one place shardsim hashes: SHA-256 (FIPS 180-4) over compact
 * little-endian binary encodings (never hex strings), so a swap of hash
 * function or a faster backend touches only this module and crosslink/hash/:
 *
 *   hash/sha256-compress.ts  SHA-256's compression, written out for speed, and in-place padding
 *   hash/domains.ts          what is hashed how: leaves, Merkle nodes, tagged records and chains
 *   hash/byte-writer.ts      the encoding writer whose records are hashed where they lie
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { HASH_BYTES, type Hash } from './hash/sha256-compress.js';

export { ByteWriter } from './hash/byte-writer.js';
export { HashChain, hashBlockInto, hashPair, hashPairAcross, hashPairInto, tagIv } from './hash/domains.js';
export { HASH_BYTES, type Hash } from './hash/sha256-compress.js';

export const ZERO_HASH: Hash = new Uint8Array(HASH_BYTES);

/** SHA-256 of arbitrary bytes (headers, digests of results: not hot). */
export function hashBytes(data: Uint8Array): Hash {
  return sha256(data);
}

export function hashEquals(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function toHex(h: Uint8Array): string {
  return Buffer.from(h.buffer, h.byteOffset, h.byteLength).toString('hex');
}
