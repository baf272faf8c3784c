/**
 * The one place shardsim hashes. SHA-256 from @noble/hashes, over compact
 * little-endian binary encodings (never hex strings), so a swap of hash
 * function or a faster backend is a one-file change.
 */
import { sha256 } from '@noble/hashes/sha2.js';

export const HASH_BYTES = 32;
export type Hash = Uint8Array;

export const ZERO_HASH: Hash = new Uint8Array(HASH_BYTES);

export function hashBytes(data: Uint8Array): Hash {
  return sha256(data);
}

// Domain separation as in RFC 6962: leaves and inner nodes hash under different
// prefixes, so an inner node can never be passed off as a leaf. The prefix byte
// is free: 64 bytes of payload need two SHA-256 blocks either way.
const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;
const pair = new Uint8Array(1 + 2 * HASH_BYTES);
pair[0] = NODE_PREFIX;

/** Hash of two 32-byte children: the Merkle inner node. */
export function hashPair(left: Uint8Array, right: Uint8Array): Hash {
  pair.set(left, 1);
  pair.set(right, 1 + HASH_BYTES);
  return sha256(pair);
}

/** Inner node over two children stored inside one flat node buffer (32 bytes a node). */
export function hashPairInto(nodes: Uint8Array, out: number, left: number, right: number): void {
  pair.set(nodes.subarray(left * HASH_BYTES, left * HASH_BYTES + HASH_BYTES), 1);
  pair.set(nodes.subarray(right * HASH_BYTES, right * HASH_BYTES + HASH_BYTES), 1 + HASH_BYTES);
  nodes.set(sha256(pair), out * HASH_BYTES);
}

export function hashEquals(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function toHex(h: Uint8Array): string {
  return Buffer.from(h.buffer, h.byteOffset, h.byteLength).toString('hex');
}

/**
 * A little-endian byte writer for canonical encodings. Reused between calls
 * on hot paths (call `reset()`), grown on demand.
 */
export class ByteWriter {
  private buf: Uint8Array;
  private view: DataView;
  length = 0;

  constructor(initial = 256) {
    this.buf = new Uint8Array(initial);
    this.view = new DataView(this.buf.buffer);
  }

  reset(): this {
    this.length = 0;
    return this;
  }

  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(v: number): this {
    this.ensure(1);
    this.buf[this.length++] = v;
    return this;
  }

  u32(v: number): this {
    this.ensure(4);
    this.view.setUint32(this.length, v, true);
    this.length += 4;
    return this;
  }

  /** Non-negative safe integer (amounts, ids), as two little-endian 32-bit words. */
  u64(v: number): this {
    this.ensure(8);
    this.view.setUint32(this.length, v % 0x1_0000_0000, true);
    this.view.setUint32(this.length + 4, Math.floor(v / 0x1_0000_0000), true);
    this.length += 8;
    return this;
  }

  bytes(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
    return this;
  }

  /** A view of what was written; valid until the next write or reset. */
  written(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }

  hash(): Hash {
    return sha256(this.buf.subarray(0, this.length));
  }

  /** Leaf hash of what was written (leaf domain prefix, see LEAF_PREFIX). */
  leafHash(): Hash {
    this.ensure(1);
    this.buf.copyWithin(1, 0, this.length);
    this.buf[0] = LEAF_PREFIX;
    return sha256(this.buf.subarray(0, this.length + 1));
  }
}
