/**
 * SHA-256's compression function (FIPS 180-4), written out by hand, and the
 * padding of a message in place. Nothing here knows what is hashed: the
 * domains (leaves, Merkle nodes, receipt chains) are in domains.ts.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { InternalError } from '../common/errors.js';

export const HASH_BYTES = 32;
export type Hash = Uint8Array;

// The hot paths hash short messages (a Merkle node, a 13- to 82-byte leaf)
// millions of times a run, so they run SHA-256's compression function here,
// on bytes where they already lie: a leaf is padded in place in its writer's
// buffer, a Merkle node is compressed straight from the two children in a
// tree's flat buffer, and the digest is written where the caller wants it.
// The function keeps the 16-word message schedule in locals, updated in
// place every 16 rounds: about 1.5 times as fast as driving noble's own
// compression (`process` of its SHA-256 class) on the same blocks, and
// node:crypto's one-shot `hash()` costs ~1.1 us a call whatever the size.
// `npm run bench:sha256` (bench/sha256.ts) measures both on the inputs the
// hot paths hash. A self-test at load checks it against noble's `sha256`.

/** Round constants, FIPS 180-4 section 4.2.2. */
// biome-ignore format: eight constants a row, as FIPS 180-4 prints them
const K = Int32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

/** SHA-256's initial hash value, FIPS 180-4 section 5.3.3. */
export const SHA256_IV = Int32Array.from([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);

/**
 * SHA-256's compression function (FIPS 180-4 section 6.2.2, step 2 to 4) of
 * the 64-byte block m[lo, lo + 32) || n[hi, hi + 32) into `h`. Two halves,
 * from one buffer or two, so that a Merkle node is compressed from its
 * children wherever they lie (a proof's sibling in the proof, the running
 * node in scratch). Rounds are unrolled 16 at a time with the working
 * variables renamed instead of shifted, so every value stays in a local (V8
 * keeps them in registers).
 */
// biome-ignore format: the working variables on one line, as FIPS 180-4 names them
export function compress(h: Int32Array, m: Uint8Array, lo: number, n: Uint8Array, hi: number): void {
  let a = h[0]!, b = h[1]!, c = h[2]!, d = h[3]!, e = h[4]!, f = h[5]!, g = h[6]!, hh = h[7]!;
  let w0 = (m[lo]! << 24) | (m[lo + 1]! << 16) | (m[lo + 2]! << 8) | m[lo + 3]!;
  let w1 = (m[lo + 4]! << 24) | (m[lo + 5]! << 16) | (m[lo + 6]! << 8) | m[lo + 7]!;
  let w2 = (m[lo + 8]! << 24) | (m[lo + 9]! << 16) | (m[lo + 10]! << 8) | m[lo + 11]!;
  let w3 = (m[lo + 12]! << 24) | (m[lo + 13]! << 16) | (m[lo + 14]! << 8) | m[lo + 15]!;
  let w4 = (m[lo + 16]! << 24) | (m[lo + 17]! << 16) | (m[lo + 18]! << 8) | m[lo + 19]!;
  let w5 = (m[lo + 20]! << 24) | (m[lo + 21]! << 16) | (m[lo + 22]! << 8) | m[lo + 23]!;
  let w6 = (m[lo + 24]! << 24) | (m[lo + 25]! << 16) | (m[lo + 26]! << 8) | m[lo + 27]!;
  let w7 = (m[lo + 28]! << 24) | (m[lo + 29]! << 16) | (m[lo + 30]! << 8) | m[lo + 31]!;
  let w8 = (n[hi]! << 24) | (n[hi + 1]! << 16) | (n[hi + 2]! << 8) | n[hi + 3]!;
  let w9 = (n[hi + 4]! << 24) | (n[hi + 5]! << 16) | (n[hi + 6]! << 8) | n[hi + 7]!;
  let w10 = (n[hi + 8]! << 24) | (n[hi + 9]! << 16) | (n[hi + 10]! << 8) | n[hi + 11]!;
  let w11 = (n[hi + 12]! << 24) | (n[hi + 13]! << 16) | (n[hi + 14]! << 8) | n[hi + 15]!;
  let w12 = (n[hi + 16]! << 24) | (n[hi + 17]! << 16) | (n[hi + 18]! << 8) | n[hi + 19]!;
  let w13 = (n[hi + 20]! << 24) | (n[hi + 21]! << 16) | (n[hi + 22]! << 8) | n[hi + 23]!;
  let w14 = (n[hi + 24]! << 24) | (n[hi + 25]! << 16) | (n[hi + 26]! << 8) | n[hi + 27]!;
  let w15 = (n[hi + 28]! << 24) | (n[hi + 29]! << 16) | (n[hi + 30]! << 8) | n[hi + 31]!;
  let t = 0, x = 0, y = 0;
  for (let i = 0; ; i += 16) {
    t = (hh + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + (g ^ (e & (f ^ g))) + K[i]! + w0) | 0;
    d = (d + t) | 0;
    hh = (t + ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) | (c & (a | b))))) | 0;
    t = (g + (((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7))) + (f ^ (d & (e ^ f))) + K[i + 1]! + w1) | 0;
    c = (c + t) | 0;
    g = (t + ((((hh >>> 2) | (hh << 30)) ^ ((hh >>> 13) | (hh << 19)) ^ ((hh >>> 22) | (hh << 10))) + ((hh & a) | (b & (hh | a))))) | 0;
    t = (f + (((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7))) + (e ^ (c & (d ^ e))) + K[i + 2]! + w2) | 0;
    b = (b + t) | 0;
    f = (t + ((((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10))) + ((g & hh) | (a & (g | hh))))) | 0;
    t = (e + (((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7))) + (d ^ (b & (c ^ d))) + K[i + 3]! + w3) | 0;
    a = (a + t) | 0;
    e = (t + ((((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10))) + ((f & g) | (hh & (f | g))))) | 0;
    t = (d + (((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7))) + (c ^ (a & (b ^ c))) + K[i + 4]! + w4) | 0;
    hh = (hh + t) | 0;
    d = (t + ((((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10))) + ((e & f) | (g & (e | f))))) | 0;
    t = (c + (((hh >>> 6) | (hh << 26)) ^ ((hh >>> 11) | (hh << 21)) ^ ((hh >>> 25) | (hh << 7))) + (b ^ (hh & (a ^ b))) + K[i + 5]! + w5) | 0;
    g = (g + t) | 0;
    c = (t + ((((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10))) + ((d & e) | (f & (d | e))))) | 0;
    t = (b + (((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7))) + (a ^ (g & (hh ^ a))) + K[i + 6]! + w6) | 0;
    f = (f + t) | 0;
    b = (t + ((((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10))) + ((c & d) | (e & (c | d))))) | 0;
    t = (a + (((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7))) + (hh ^ (f & (g ^ hh))) + K[i + 7]! + w7) | 0;
    e = (e + t) | 0;
    a = (t + ((((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10))) + ((b & c) | (d & (b | c))))) | 0;
    t = (hh + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + (g ^ (e & (f ^ g))) + K[i + 8]! + w8) | 0;
    d = (d + t) | 0;
    hh = (t + ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) | (c & (a | b))))) | 0;
    t = (g + (((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7))) + (f ^ (d & (e ^ f))) + K[i + 9]! + w9) | 0;
    c = (c + t) | 0;
    g = (t + ((((hh >>> 2) | (hh << 30)) ^ ((hh >>> 13) | (hh << 19)) ^ ((hh >>> 22) | (hh << 10))) + ((hh & a) | (b & (hh | a))))) | 0;
    t = (f + (((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7))) + (e ^ (c & (d ^ e))) + K[i + 10]! + w10) | 0;
    b = (b + t) | 0;
    f = (t + ((((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10))) + ((g & hh) | (a & (g | hh))))) | 0;
    t = (e + (((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7))) + (d ^ (b & (c ^ d))) + K[i + 11]! + w11) | 0;
    a = (a + t) | 0;
    e = (t + ((((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10))) + ((f & g) | (hh & (f | g))))) | 0;
    t = (d + (((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7))) + (c ^ (a & (b ^ c))) + K[i + 12]! + w12) | 0;
    hh = (hh + t) | 0;
    d = (t + ((((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10))) + ((e & f) | (g & (e | f))))) | 0;
    t = (c + (((hh >>> 6) | (hh << 26)) ^ ((hh >>> 11) | (hh << 21)) ^ ((hh >>> 25) | (hh << 7))) + (b ^ (hh & (a ^ b))) + K[i + 13]! + w13) | 0;
    g = (g + t) | 0;
    c = (t + ((((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10))) + ((d & e) | (f & (d | e))))) | 0;
    t = (b + (((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7))) + (a ^ (g & (hh ^ a))) + K[i + 14]! + w14) | 0;
    f = (f + t) | 0;
    b = (t + ((((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10))) + ((c & d) | (e & (c | d))))) | 0;
    t = (a + (((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7))) + (hh ^ (f & (g ^ hh))) + K[i + 15]! + w15) | 0;
    e = (e + t) | 0;
    a = (t + ((((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10))) + ((b & c) | (d & (b | c))))) | 0;
    if (i === 48) break;
    // The next 16 schedule words, in place: w[j] += s1(w[j-2]) + w[j-7] + s0(w[j-15]) (indices mod 16).
    x = w1;
    y = w14;
    w0 = (w0 + (((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10)) + w9 + (((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3))) | 0;
    x = w2;
    y = w15;
    w1 = (w1 + (((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10)) + w10 + (((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3))) | 0;
    x = w3;
    y = w0;
    w2 = (w2 + (((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10)) + w11 + (((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3))) | 0;
    x = w4;
    y = w1;
    w3 = (w3 + (((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10)) + w12 + (((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3))) | 0;
    x = w5;
    y = w2;
    w4 = (w4 + (((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10)) + w13 + (((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3))) | 0;
    x = w6;
    y = w3;
    w5 = (w5 + (((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10)) + w14 + (((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3))) | 0;
    x = w7;
    y = w4;
    w6 = (w6 + (((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10)) + w15 + (((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3))) | 0;
    x = w8;
    y = w5;
    w7 = (w7 + (((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10)) + w0 + (((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3))) | 0;
    x = w9;
    y = w6;
    w8 = (w8 + (((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10)) + w1 + (((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3))) | 0;
    x = w10;
    y = w7;
    w9 = (w9 + (((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10)) + w2 + (((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3))) | 0;
    x = w11;
    y = w8;
    w10 = (w10 + (((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10)) + w3 + (((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3))) | 0;
    x = w12;
    y = w9;
    w11 = (w11 + (((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10)) + w4 + (((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3))) | 0;
    x = w13;
    y = w10;
    w12 = (w12 + (((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10)) + w5 + (((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3))) | 0;
    x = w14;
    y = w11;
    w13 = (w13 + (((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10)) + w6 + (((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3))) | 0;
    x = w15;
    y = w12;
    w14 = (w14 + (((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10)) + w7 + (((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3))) | 0;
    x = w0;
    y = w13;
    w15 = (w15 + (((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10)) + w8 + (((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3))) | 0;
  }
  h[0] = (h[0]! + a) | 0;
  h[1] = (h[1]! + b) | 0;
  h[2] = (h[2]! + c) | 0;
  h[3] = (h[3]! + d) | 0;
  h[4] = (h[4]! + e) | 0;
  h[5] = (h[5]! + f) | 0;
  h[6] = (h[6]! + g) | 0;
  h[7] = (h[7]! + hh) | 0;
}

/** Writes `h` as a big-endian digest to out[at, at + 32). */
export function writeState(h: Int32Array, out: Uint8Array, at: number): void {
  for (let i = 0; i < 8; i++, at += 4) {
    const w = h[i]!;
    out[at] = w >>> 24;
    out[at + 1] = w >>> 16;
    out[at + 2] = w >>> 8;
    out[at + 3] = w;
  }
}

/** Room a message of `len` bytes needs for its padding: whole 64-byte blocks. */
export const paddedLength = (len: number): number => (len + 9 + 63) & ~63;

/** Chaining state of digestInPlace: scratch for one call, nothing is left in it between calls. */
const scratch = new Int32Array(8);

/**
 * SHA-256 of buf[start, start + len), padding in place (bytes after the
 * message up to `paddedLength(len)` are overwritten); digest to out[at, at + 32).
 */
export function digestInPlace(buf: Uint8Array, start: number, len: number, out: Uint8Array, at: number): void {
  const end = start + paddedLength(len);
  buf[start + len] = 0x80;
  buf.fill(0, start + len + 1, end - 5);
  // Bit length as a 64-bit big-endian integer; messages here stay far below 2^32 bytes.
  const bits = len * 8;
  buf[end - 5] = Math.floor(bits / 0x1_0000_0000);
  buf[end - 4] = bits >>> 24;
  buf[end - 3] = bits >>> 16;
  buf[end - 2] = bits >>> 8;
  buf[end - 1] = bits;
  const h = scratch;
  h.set(SHA256_IV);
  for (let o = start; o < end; o += 64) compress(h, buf, o, buf, o + 32);
  writeState(h, out, at);
}

// Checked once at load against noble's sha256, over lengths around every
// padding boundary and at odd offsets: a wrong digest must fail loudly.
{
  const probe = new Uint8Array(300);
  const got = new Uint8Array(HASH_BYTES);
  for (const len of [0, 1, 13, 55, 56, 63, 64, 65, 98, 119, 120, 200]) {
    for (const start of [0, 1]) {
      const msg = Uint8Array.from({ length: len }, (_, i) => (i * 31 + len) & 255);
      probe.set(msg, start);
      digestInPlace(probe, start, len, got, 0);
      const want = sha256(msg);
      for (let i = 0; i < HASH_BYTES; i++) if (got[i] !== want[i]) throw new InternalError(`SHA-256 self-test failed at length ${len}`);
    }
  }
}
