/**
 * ByteWriter: the little-endian writer of the canonical encodings shardsim
 * hashes, laid out so that a record is hashed where it was written.
 */
import { LEAF_PREFIX } from './domains.js';
import { digestInPlace, HASH_BYTES, type Hash, paddedLength } from './sha256-compress.js';

/**
 * A little-endian byte writer for canonical encodings. Reused between calls
 * on hot paths (call `reset()`), grown on demand. Byte 0 of its buffer is
 * kept for the leaf prefix and the tail for SHA-256 padding, so a record is
 * hashed where it was written, with no copy.
 */
export class ByteWriter {
  private buf: Uint8Array;
  private view: DataView;
  length = 0;

  constructor(initial = 256) {
    this.buf = new Uint8Array(paddedLength(1 + initial) + 1);
    this.view = new DataView(this.buf.buffer);
  }

  reset(): this {
    this.length = 0;
    return this;
  }

  private ensure(n: number): void {
    if (paddedLength(1 + this.length + n) + 1 <= this.buf.length) return;
    const next = new Uint8Array(paddedLength(1 + Math.max(this.buf.length * 2, this.length + n)) + 1);
    next.set(this.buf.subarray(0, 1 + this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(v: number): this {
    this.ensure(1);
    this.buf[1 + this.length++] = v;
    return this;
  }

  u32(v: number): this {
    this.ensure(4);
    this.view.setUint32(1 + this.length, v, true);
    this.length += 4;
    return this;
  }

  /** Non-negative safe integer (amounts, ids), as two little-endian 32-bit words. */
  u64(v: number): this {
    this.ensure(8);
    this.view.setUint32(1 + this.length, v % 0x1_0000_0000, true);
    this.view.setUint32(5 + this.length, Math.floor(v / 0x1_0000_0000), true);
    this.length += 8;
    return this;
  }

  bytes(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, 1 + this.length);
    this.length += b.length;
    return this;
  }

  /** A view of what was written; valid until the next write or reset. */
  written(): Uint8Array {
    return this.buf.subarray(1, 1 + this.length);
  }

  hash(): Hash {
    const out = new Uint8Array(HASH_BYTES);
    digestInPlace(this.buf, 1, this.length, out, 0);
    return out;
  }

  /** Leaf hash of what was written (leaf domain prefix, see LEAF_PREFIX in domains.ts). */
  leafHash(): Hash {
    const out = new Uint8Array(HASH_BYTES);
    this.leafHashInto(out, 0);
    return out;
  }

  /** As `leafHash`, into out[at, at + 32): no allocation. */
  leafHashInto(out: Uint8Array, at: number): void {
    this.buf[0] = LEAF_PREFIX;
    digestInPlace(this.buf, 0, 1 + this.length, out, at);
  }
}
