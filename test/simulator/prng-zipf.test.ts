import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mix32, Rng, Stream } from '../../simulator/prng.js';
import { ZipfSampler } from '../../simulator/zipf.js';

const RUNS = { numRuns: 200 };
const u32 = fc.nat({ max: 2 ** 32 - 1 });

function draws(rng: Rng, k: number): number[] {
  return Array.from({ length: k }, () => rng.u32());
}

/** Pearson's chi-square statistic of observed counts against expected counts. */
function chiSquare(observed: readonly number[], expected: readonly number[]): number {
  let x = 0;
  for (let i = 0; i < observed.length; i++) x += (observed[i]! - expected[i]!) ** 2 / expected[i]!;
  return x;
}

/** Exact Zipf pmf over ranks 1..n. */
function zipfPmf(n: number, s: number): number[] {
  const w = Array.from({ length: n }, (_, i) => (i + 1) ** -s);
  const h = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / h);
}

describe('Rng', () => {
  it('the same (seed, stream, index) gives the same sequence', () => {
    fc.assert(
      fc.property(u32, fc.nat(1000), u32, (seed, stream, index) => {
        const a = new Rng(seed, stream, index);
        const b = new Rng(seed, stream, index);
        expect(draws(a, 16)).toEqual(draws(b, 16));
        expect(a.next()).toBe(b.next());
        expect(a.int(1000)).toBe(b.int(1000));
      }),
      RUNS,
    );
  });

  it('a different index gives a different sequence', () => {
    fc.assert(
      fc.property(u32, fc.nat(1000), u32, u32, (seed, stream, i, j) => {
        fc.pre(i !== j);
        expect(draws(new Rng(seed, stream, i), 8)).not.toEqual(draws(new Rng(seed, stream, j), 8));
      }),
      RUNS,
    );
  });

  it('a different stream or seed gives a different sequence', () => {
    fc.assert(
      fc.property(u32, fc.nat(1000), fc.nat(1000), u32, (seed, s1, s2, index) => {
        fc.pre(s1 !== s2);
        expect(draws(new Rng(seed, s1, index), 8)).not.toEqual(draws(new Rng(seed, s2, index), 8));
        expect(draws(new Rng(seed, s1, index), 8)).not.toEqual(draws(new Rng((seed + 1) >>> 0, s1, index), 8));
      }),
      RUNS,
    );
  });

  it('the named streams give distinct sequences from one seed', () => {
    const seqs = Object.values(Stream).map((s) => draws(new Rng(42, s), 8).join(','));
    expect(new Set(seqs).size).toBe(seqs.length);
  });

  it('neighbouring indices (as slots and accounts use) do not produce the same first draw', () => {
    const firsts = new Set<number>();
    for (let i = 0; i < 10_000; i++) firsts.add(new Rng(7, Stream.Workload, i).u32());
    // 10k draws from 2^32 values collide with probability ~1%; allow one collision.
    expect(firsts.size).toBeGreaterThanOrEqual(9_999);
  });

  it('u32 is an unsigned 32-bit integer and next() lies in [0, 1)', () => {
    fc.assert(
      fc.property(u32, u32, (seed, index) => {
        const r = new Rng(seed, 0, index);
        for (let k = 0; k < 50; k++) {
          const x = r.u32();
          expect(Number.isInteger(x) && x >= 0 && x < 2 ** 32).toBe(true);
          const y = r.next();
          expect(y >= 0 && y < 1).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('int(n) stays in [0, n) for every n up to 2^32 - 1', () => {
    fc.assert(
      fc.property(u32, fc.integer({ min: 1, max: 2 ** 32 - 1 }), (seed, n) => {
        const r = new Rng(seed);
        for (let k = 0; k < 50; k++) {
          const x = r.int(n);
          expect(Number.isInteger(x)).toBe(true);
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThan(n);
        }
      }),
      RUNS,
    );
    const one = new Rng(3);
    for (let k = 0; k < 100; k++) expect(one.int(1)).toBe(0);
  });

  it.each([2, 10, 37, 256])('int(%i) is roughly uniform (chi-square)', (n) => {
    const draws = 50_000;
    for (const seed of [1, 2, 3]) {
      const r = new Rng(seed, Stream.Workload, 5);
      const counts = new Array<number>(n).fill(0);
      for (let k = 0; k < draws; k++) counts[r.int(n)]!++;
      const chi = chiSquare(counts, new Array<number>(n).fill(draws / n));
      // Loose bound: mean n-1, sd sqrt(2(n-1)); allow ~6 sd.
      expect(chi).toBeLessThan(n - 1 + 6 * Math.sqrt(2 * (n - 1)) + 10);
    }
  });

  it('successive u32 bits are balanced', () => {
    const r = new Rng(99);
    const ones = new Array<number>(32).fill(0);
    const N = 20_000;
    for (let k = 0; k < N; k++) {
      const x = r.u32();
      for (let b = 0; b < 32; b++) ones[b]! += (x >>> b) & 1;
    }
    // sd of each count is ~71; 6 sd.
    for (const c of ones) expect(Math.abs(c - N / 2)).toBeLessThan(430);
  });

  it('mix32 is a deterministic 32-bit hash that moves neighbouring inputs apart', () => {
    expect(mix32(12345)).toBe(mix32(12345));
    fc.assert(
      fc.property(u32, (x) => {
        const a = mix32(x);
        const b = mix32((x + 1) >>> 0);
        expect(a).toBeGreaterThanOrEqual(0);
        expect(a).toBeLessThan(2 ** 32);
        expect(a).not.toBe(b);
      }),
      RUNS,
    );
  });
});

describe('ZipfSampler', () => {
  it('with n = 1000 and s = 1, rank frequencies follow 1/k for the top ranks over 200k draws', () => {
    const n = 1000;
    const N = 200_000;
    const z = new ZipfSampler(n, 1);
    const r = new Rng(2024, Stream.Workload);
    const counts = new Array<number>(n + 1).fill(0);
    let outside = 0;
    for (let k = 0; k < N; k++) {
      const x = z.sample(r);
      if (x >= 1 && x <= n && Number.isInteger(x)) counts[x]!++;
      else outside++;
    }
    expect(outside).toBe(0);
    const pmf = zipfPmf(n, 1);
    // Rank 1 is drawn about twice as often as rank 2, and three times as often as rank 3.
    expect(counts[1]! / counts[2]!).toBeGreaterThan(2 * 0.9);
    expect(counts[1]! / counts[2]!).toBeLessThan(2 * 1.1);
    expect(counts[1]! / counts[3]!).toBeGreaterThan(3 * 0.9);
    expect(counts[1]! / counts[3]!).toBeLessThan(3 * 1.1);
    // The top ten ranks are each within 10% of N / (k H_n).
    for (let k = 1; k <= 10; k++) {
      const expected = N * pmf[k - 1]!;
      expect(Math.abs(counts[k]! - expected)).toBeLessThan(0.1 * expected);
    }
    // The tail gets its share too: ranks above 100 carry ~ (H_1000 - H_100) / H_1000 ≈ 31%.
    const tail = counts.slice(101).reduce((a, b) => a + b, 0);
    const tailExpected = N * pmf.slice(100).reduce((a, b) => a + b, 0);
    expect(Math.abs(tail - tailExpected)).toBeLessThan(0.03 * tailExpected);
  });

  it.each([0.5, 1, 1.5, 2])('with exponent %s and n = 10 the rank distribution matches the exact Zipf pmf (chi-square)', (s) => {
    const n = 10;
    const N = 50_000;
    const z = new ZipfSampler(n, s);
    const r = new Rng(77, Stream.Workload, Math.round(s * 10));
    const counts = new Array<number>(n).fill(0);
    for (let k = 0; k < N; k++) counts[z.sample(r) - 1]!++;
    const expected = zipfPmf(n, s).map((p) => p * N);
    // 9 degrees of freedom: mean 9, sd ~4.2; a loose bound.
    expect(chiSquare(counts, expected)).toBeLessThan(45);
  });

  it.each([0.5, 1, 1.5, 2])('with exponent %s, n = 1 always gives rank 1', (s) => {
    const z = new ZipfSampler(1, s);
    const r = new Rng(5);
    const seen = new Set<number>();
    for (let k = 0; k < 1000; k++) seen.add(z.sample(r));
    expect([...seen]).toEqual([1]);
  });

  it.each([0.5, 1, 1.5, 2])('with exponent %s, n = 2 gives rank 1 2^s times as often as rank 2', (s) => {
    const z = new ZipfSampler(2, s);
    const r = new Rng(6, 0, Math.round(s * 10));
    const N = 40_000;
    let ones = 0;
    let twos = 0;
    for (let k = 0; k < N; k++) {
      const x = z.sample(r);
      if (x === 1) ones++;
      else if (x === 2) twos++;
    }
    expect(ones + twos).toBe(N);
    const p1 = 1 / (1 + 2 ** -s);
    // sd of the count is at most 100; allow 5 sd.
    expect(Math.abs(ones - N * p1)).toBeLessThan(500);
  });

  it.each([0.5, 1, 1.5, 2])('with exponent %s and n = 10^7, samples are integers in [1, n] with P(1) = 1/H(n,s)', (s) => {
    const n = 10 ** 7;
    const N = 20_000;
    const z = new ZipfSampler(n, s);
    const r = new Rng(8, 0, Math.round(s * 10));
    let ones = 0;
    let max = 0;
    let outside = 0;
    for (let k = 0; k < N; k++) {
      const x = z.sample(r);
      if (!(Number.isInteger(x) && x >= 1 && x <= n)) outside++;
      if (x === 1) ones++;
      if (x > max) max = x;
    }
    expect(outside).toBe(0);
    // Generalized harmonic number H(n, s): the first 10^5 terms summed, the rest by the midpoint integral.
    const m = 100_000;
    let h = 0;
    for (let k = m; k >= 1; k--) h += k ** -s;
    h += s === 1 ? Math.log((n + 0.5) / (m + 0.5)) : ((n + 0.5) ** (1 - s) - (m + 0.5) ** (1 - s)) / (1 - s);
    const expected = N / h;
    expect(Math.abs(ones - expected)).toBeLessThan(5 * Math.sqrt(expected) + 5);
    // With a light head the samples reach deep into the ranks.
    if (s <= 1) expect(max).toBeGreaterThan(n / 10);
  });

  it('samples stay in [1, n] for random n and exponents', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 ** 7 }), fc.double({ min: 0.05, max: 3, noNaN: true }), u32, (n, s, seed) => {
        const z = new ZipfSampler(n, s);
        const r = new Rng(seed);
        for (let k = 0; k < 50; k++) {
          const x = z.sample(r);
          expect(Number.isInteger(x)).toBe(true);
          expect(x).toBeGreaterThanOrEqual(1);
          expect(x).toBeLessThanOrEqual(n);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('the same seed gives the same ranks', () => {
    const z = new ZipfSampler(1000, 1.2);
    const a = new Rng(11, Stream.Workload, 3);
    const b = new Rng(11, Stream.Workload, 3);
    for (let k = 0; k < 100; k++) expect(z.sample(a)).toBe(z.sample(b));
  });
});
