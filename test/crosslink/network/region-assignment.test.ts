import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GLOBAL_2019 } from '../../../crosslink/network/presets.js';
import { apportion, assignRegions } from '../../../crosslink/network/region-assignment.js';

/** Shares summing to 1: random weights, normalised. */
const sharesArb = fc
  .array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 12 })
  .filter((w) => w.some((x) => x > 0))
  .map((w) => {
    const total = w.reduce((a, b) => a + b, 0);
    return w.map((x) => x / total);
  });

const countsOf = (region: Int32Array, regions: number): number[] => {
  const c = new Array<number>(regions).fill(0);
  for (const r of region) c[r]! += 1;
  return c;
};

describe('apportion (largest remainder)', () => {
  it('places all n, each region within one of n × share, none in a region of share 0', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), sharesArb, (n, shares) => {
        const c = apportion(n, shares);
        expect(c.reduce((a, b) => a + b, 0)).toBe(n);
        c.forEach((k, r) => {
          expect(Number.isInteger(k)).toBe(true);
          expect(Math.abs(k - n * shares[r]!)).toBeLessThan(1);
          if (shares[r] === 0) expect(k).toBe(0);
        });
      }),
      { numRuns: 500 },
    );
  });

  it('gives the remaining seats to the largest remainders, ties to the lower region', () => {
    expect(apportion(7, [1 / 3, 1 / 3, 1 / 3])).toEqual([3, 2, 2]);
    expect(apportion(10, [0.25, 0.25, 0.5])).toEqual([3, 2, 5]);
    expect(apportion(10, [0.14, 0.46, 0.4])).toEqual([1, 5, 4]);
    // SimBlock's 2019 shares over 1000 validators: 331.6, 499.8, 9, 117.7, 22.4, 19.5.
    expect(apportion(1000, GLOBAL_2019.shares)).toEqual([332, 500, 9, 118, 22, 19]);
  });
});

describe('assignRegions', () => {
  it('fills each region with exactly its apportioned count', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3000 }), sharesArb, fc.integer({ min: 0, max: 0xffff_ffff }), (n, shares, seed) => {
        expect(countsOf(assignRegions(n, shares, seed), shares.length)).toEqual(apportion(n, shares));
      }),
      { numRuns: 200 },
    );
  });

  it('is a function of (n, shares, seed): same seed, same regions; another seed, other regions', () => {
    const a = assignRegions(4096, GLOBAL_2019.shares, 7);
    expect(assignRegions(4096, GLOBAL_2019.shares, 7)).toEqual(a);
    const b = assignRegions(4096, GLOBAL_2019.shares, 8);
    expect(b).not.toEqual(a);
    let moved = 0;
    for (let v = 0; v < a.length; v++) if (a[v] !== b[v]) moved++;
    // Two independent uniform placements differ at about 1 − Σ share² ≈ 60% of validators.
    expect(moved / a.length).toBeGreaterThan(0.5);
  });

  it('mixes regions into every contiguous committee: 32 committees of 128 each hold a hypergeometric share of every region', () => {
    const n = 4096;
    const shards = 32;
    const size = n / shards;
    const region = assignRegions(n, GLOBAL_2019.shares, 2019);
    const total = countsOf(region, 6);
    for (let r = 0; r < 6; r++) {
      const p = total[r]! / n;
      // Hypergeometric standard deviation of a committee's count of region r.
      const sd = Math.sqrt(size * p * (1 - p) * ((n - size) / (n - 1)));
      let sum = 0;
      for (let i = 0; i < shards; i++) {
        const k = countsOf(region.subarray(i * size, (i + 1) * size), 6)[r]!;
        sum += k;
        expect(Math.abs(k - size * p)).toBeLessThan(5 * sd + 1);
      }
      expect(sum).toBe(total[r]);
    }
    // North America (a third of the validators) is in every committee, not bunched in a few.
    for (let i = 0; i < shards; i++) expect(countsOf(region.subarray(i * size, (i + 1) * size), 6)[0]).toBeGreaterThan(20);
  });

  it('a region of share 1 takes everyone', () => {
    expect(Array.from(assignRegions(50, [0, 1, 0], 3))).toEqual(new Array(50).fill(1));
  });
});
