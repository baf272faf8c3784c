/**
 * A reference for shardsim's one-block hashes: one SHA-256 compression of a
 * 64-byte block chained from SHA-256(tag), computed by noble's own
 * compression function (not shardsim's unrolled one in crosslink/hash.ts).
 */
import { _SHA256, sha256 } from '@noble/hashes/sha2.js';

/** The parts of noble's SHA-256 class that expose its compression function. */
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

export function compressFromTag(tag: string, block: Uint8Array): Uint8Array {
  const t = sha256(new TextEncoder().encode(tag));
  const words = new DataView(t.buffer, t.byteOffset, 32);
  const iv = Array.from({ length: 8 }, (_, i) => words.getUint32(4 * i, false));
  const core = new _SHA256() as unknown as Compressor;
  core.set(iv[0]!, iv[1]!, iv[2]!, iv[3]!, iv[4]!, iv[5]!, iv[6]!, iv[7]!);
  core.process(new DataView(block.buffer, block.byteOffset, 64), 0);
  const out = new Uint8Array(32);
  const view = new DataView(out.buffer);
  [core.A, core.B, core.C, core.D, core.E, core.F, core.G, core.H].forEach((w, k) => view.setUint32(4 * k, w >>> 0, false));
  return out;
}
