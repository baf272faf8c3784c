/**
 * A reference for shardsim's tagged hashes: SHA-256's compression function
 * applied to each 64-byte block of `data` in turn, chained from
 * SHA-256(tag), computed by noble's own compression function (not
 * shardsim's unrolled one in crosslink/hash/sha256-compress.ts).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { nobleCore } from '../../bench/noble-core.js';

/** SHA-256's compression, by noble, of each 64-byte block of `data` in turn, chained from the eight words `iv`; the chaining value as a digest. */
export function nobleCompress(iv: ArrayLike<number>, data: Uint8Array): Uint8Array {
  if (data.length % 64 !== 0) throw new Error(`nobleCompress takes whole 64-byte blocks, not ${data.length} bytes`);
  const core = nobleCore();
  core.set(iv[0]!, iv[1]!, iv[2]!, iv[3]!, iv[4]!, iv[5]!, iv[6]!, iv[7]!);
  const view = new DataView(data.buffer, data.byteOffset, data.length);
  for (let at = 0; at < data.length; at += 64) core.process(view, at);
  const out = new Uint8Array(32);
  const words = new DataView(out.buffer);
  [core.A, core.B, core.C, core.D, core.E, core.F, core.G, core.H].forEach((w, k) => words.setUint32(4 * k, w >>> 0, false));
  return out;
}

export function compressFromTag(tag: string, data: Uint8Array): Uint8Array {
  if (data.length % 64 !== 0) throw new Error(`compressFromTag takes whole 64-byte blocks, not ${data.length} bytes`);
  const t = sha256(new TextEncoder().encode(tag));
  const tagWords = new DataView(t.buffer, t.byteOffset, 32);
  return nobleCompress(
    Array.from({ length: 8 }, (_, i) => tagWords.getUint32(4 * i, false)),
    data,
  );
}
