/**
 * Seeded pseudo-random numbers for everything simulated: xoshiro128** on
 * 32-bit integers (fast in JS, no bigint), seeded through splitmix32 from a
 * (seed, stream, index) triple so each slot or account gets its own stream
 * and no stream depends on how many others were drawn before it.
 */

import { mix32 } from '../crosslink/common/mix32.js';

export { mix32 };

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, stream = 0, index = 0) {
    // splitmix32 over the triple fills the four state words; never all zero.
    let s = mix32((seed >>> 0) ^ mix32(stream ^ 0x9e37_79b9) ^ mix32((index >>> 0) + 0x632b_e5ab));
    const next = (): number => {
      s = (s + 0x9e37_79b9) | 0;
      return mix32(s);
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next() | 1;
  }

  /** Uniform 32-bit unsigned integer. */
  u32(): number {
    const r = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return r;
  }

  /** Uniform in [0, 1) with 53 bits. */
  next(): number {
    return ((this.u32() >>> 5) * 67_108_864 + (this.u32() >>> 6)) / 9_007_199_254_740_992;
  }

  /** Uniform integer in [0, n), n < 2^32. */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Named streams, so two uses of the seed never share random numbers. */
export const Stream = {
  Workload: 1,
  Frozen: 2,
  Permutation: 3,
  Payroll: 4,
  Mix: 5,
} as const;
