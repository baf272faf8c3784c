/**
 * noble's SHA-256 class driven as a bare compression function: the
 * reference the hand-written one (crosslink/hash/sha256-compress.ts) is
 * timed against (bench/sha256.ts) and checked against (test/helpers/compress.ts).
 */
import { _SHA256 } from '@noble/hashes/sha2.js';

/** The members of noble's SHA-256 class that drive its compression (its types call them protected). */
export interface NobleCore {
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

export function nobleCore(): NobleCore {
  return new _SHA256() as unknown as NobleCore;
}
