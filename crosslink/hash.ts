/**
 * The one place shardsim hashes. SHA-256 from @noble/hashes, over compact
 * little-endian binary encodings (never hex strings), so a swap of hash
 * function or a faster backend is a one-file change.
 */
import { _SHA256, sha256 } from '@noble/hashes/sha2.js';

export const HASH_BYTES = 32;
export type Hash = Uint8Array;

export const ZERO_HASH: Hash = new Uint8Array(HASH_BYTES);

// The hot paths hash short messages (a 65-byte Merkle node, a 13- to 98-byte
// leaf) millions of times a run, so they drive noble's SHA-256 compression
// function directly: the message is written once into a buffer with room for
// its padding, padded in place, and each 64-byte block is compressed straight
// from that buffer; the digest is written where the caller wants it. This
// skips noble's streaming wrapper (buffering, cloning, a zeroed schedule after
// every block), which cost more than the compression itself at these sizes.
// Measured: an inner node 1.29 -> 0.86 us, a 42-byte leaf 0.65 -> 0.43 us.
// The compression is noble's own (`process`, `set` and the state words A..H of
// its SHA-256 class); a self-test at load compares this path with noble's
// public `sha256` and falls back to the latter if they ever disagree.
interface Compressor {
  A: number;
  B: number;
  C: number;
  D: number;
  E: number;
  F: number;
  G: number;
  H: number;
  set(A: number, B: number, C: number, D: number, E: number, F: number, G: number, H: number): void;
  process(view: DataView, offset: number): void;
}
const core = new _SHA256() as unknown as Compressor;
const IV = [core.A, core.B, core.C, core.D, core.E, core.F, core.G, core.H] as const;

/** Room a message of `len` bytes needs for its padding: whole 64-byte blocks. */
const paddedLength = (len: number): number => (len + 9 + 63) & ~63;

/**
 * SHA-256 of buf[start, start + len), padding in place (bytes after the
 * message up to `paddedLength(len)` are overwritten); digest to out[at, at + 32).
 */
function digestInPlace(buf: Uint8Array, view: DataView, start: number, len: number, out: Uint8Array, at: number): void {
  if (!direct) {
    out.set(sha256(buf.subarray(start, start + len)), at);
    return;
  }
  const end = start + paddedLength(len);
  buf[start + len] = 0x80;
  for (let i = start + len + 1; i < end - 8; i++) buf[i] = 0;
  view.setUint32(end - 8, Math.floor(len / 0x2000_0000), false);
  view.setUint32(end - 4, (len * 8) >>> 0, false);
  const c = core;
  c.set(IV[0], IV[1], IV[2], IV[3], IV[4], IV[5], IV[6], IV[7]);
  for (let o = start; o < end; o += 64) c.process(view, o);
  writeWord(out, at, c.A);
  writeWord(out, at + 4, c.B);
  writeWord(out, at + 8, c.C);
  writeWord(out, at + 12, c.D);
  writeWord(out, at + 16, c.E);
  writeWord(out, at + 20, c.F);
  writeWord(out, at + 24, c.G);
  writeWord(out, at + 28, c.H);
}

function writeWord(out: Uint8Array, at: number, w: number): void {
  out[at] = w >>> 24;
  out[at + 1] = w >>> 16;
  out[at + 2] = w >>> 8;
  out[at + 3] = w;
}

let direct = true;
direct = (() => {
  const probe = new Uint8Array(300);
  const view = new DataView(probe.buffer);
  const got = new Uint8Array(HASH_BYTES);
  for (const len of [0, 1, 13, 55, 56, 63, 64, 65, 98, 119, 120, 200]) {
    for (const start of [0, 1]) {
      const msg = Uint8Array.from({ length: len }, (_, i) => (i * 31 + len) & 255);
      probe.set(msg, start);
      digestInPlace(probe, view, start, len, got, 0);
      if (!hashEquals(got, sha256(msg))) return false;
    }
  }
  return true;
})();

/** SHA-256 of arbitrary bytes (headers, digests of results: not hot). */
export function hashBytes(data: Uint8Array): Hash {
  return sha256(data);
}

// Domain separation as in RFC 6962: leaves and inner nodes hash under different
// prefixes, so an inner node can never be passed off as a leaf.
const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;
const PAIR_BYTES = 1 + 2 * HASH_BYTES;
const pairMsg = new Uint8Array(paddedLength(PAIR_BYTES));
const pairView = new DataView(pairMsg.buffer);

/** Hash of two 32-byte children: the Merkle inner node. */
export function hashPair(left: Uint8Array, right: Uint8Array): Hash {
  const m = pairMsg;
  m[0] = NODE_PREFIX;
  m.set(left, 1);
  m.set(right, 1 + HASH_BYTES);
  const out = new Uint8Array(HASH_BYTES);
  digestInPlace(m, pairView, 0, PAIR_BYTES, out, 0);
  return out;
}

/** Inner node over two children stored inside one flat node buffer (32 bytes a node). */
export function hashPairInto(nodes: Uint8Array, out: number, left: number, right: number): void {
  const m = pairMsg;
  m[0] = NODE_PREFIX;
  const l = left * HASH_BYTES;
  const r = right * HASH_BYTES;
  for (let i = 0; i < HASH_BYTES; i++) {
    m[1 + i] = nodes[l + i]!;
    m[1 + HASH_BYTES + i] = nodes[r + i]!;
  }
  digestInPlace(m, pairView, 0, PAIR_BYTES, nodes, out * HASH_BYTES);
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

  /**
   * Reserves `n` bytes for a fixed-size record the caller writes itself
   * through `view` (one bounds check instead of one per field); returns
   * where they start in `view`.
   */
  reserve(n: number): number {
    this.ensure(n);
    const at = 1 + this.length;
    this.length += n;
    return at;
  }

  /** The view `reserve` offsets are into; replaced when the buffer grows, so read it after `reserve`. */
  get dataView(): DataView {
    return this.view;
  }

  /** A view of what was written; valid until the next write or reset. */
  written(): Uint8Array {
    return this.buf.subarray(1, 1 + this.length);
  }

  hash(): Hash {
    const out = new Uint8Array(HASH_BYTES);
    digestInPlace(this.buf, this.view, 1, this.length, out, 0);
    return out;
  }

  /** Leaf hash of what was written (leaf domain prefix, see LEAF_PREFIX). */
  leafHash(): Hash {
    const out = new Uint8Array(HASH_BYTES);
    this.leafHashInto(out, 0);
    return out;
  }

  /** As `leafHash`, into out[at, at + 32): no allocation. */
  leafHashInto(out: Uint8Array, at: number): void {
    this.buf[0] = LEAF_PREFIX;
    digestInPlace(this.buf, this.view, 0, 1 + this.length, out, at);
  }
}
