import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketLow, bucketOf, LatencyHistogram } from '../../shards/latency-histogram.js';

const RUNS = { numRuns: 200 };
const MAX = 10 ** 7;

/** Values spread over every power of two up to 10^7, not just the top few. */
const value = fc.oneof(
  fc.integer({ min: 0, max: MAX }),
  fc.integer({ min: 0, max: 23 }).chain((e) => fc.integer({ min: 0, max: Math.min(MAX, 2 ** (e + 1)) })),
);
const samples = fc.array(value, { minLength: 1, maxLength: 2000 });

const width = (b: number): number => bucketLow(b + 1) - bucketLow(b);

function histogramOf(values: readonly number[]): LatencyHistogram {
  const h = new LatencyHistogram();
  for (const v of values) h.record(v);
  return h;
}

/** The exact q-quantile under the same rank convention (smallest value with at least ceil(q n) samples at or below it). */
function exactQuantile(sorted: readonly number[], q: number): number {
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1]!;
}

describe('log-linear buckets', () => {
  it('every value lies in its bucket: bucketLow(bucketOf(v)) <= v < bucketLow(bucketOf(v) + 1)', () => {
    fc.assert(
      fc.property(value, (v) => {
        const b = bucketOf(v);
        expect(bucketLow(b)).toBeLessThanOrEqual(v);
        expect(v).toBeLessThan(bucketLow(b + 1));
      }),
      RUNS,
    );
  });

  it('values below 64 get a bucket of their own', () => {
    for (let v = 0; v < 64; v++) {
      expect(bucketOf(v)).toBe(v);
      expect(bucketLow(v)).toBe(v);
      expect(width(v)).toBe(1);
    }
  });

  it('above 64 a bucket is at most 1/64 of its values wide', () => {
    fc.assert(
      fc.property(fc.integer({ min: 64, max: MAX }), (v) => {
        const b = bucketOf(v);
        expect(width(b) * 64).toBeLessThanOrEqual(bucketLow(b));
        expect(width(b) / v).toBeLessThanOrEqual(1 / 64);
        if (v > bucketLow(b)) expect(width(b) / v).toBeLessThan(1 / 64);
      }),
      RUNS,
    );
  });

  it('buckets tile the integers: contiguous, increasing, each starting where the last ended', () => {
    let prev = -1;
    for (let v = 0; v <= 1 << 17; v++) {
      const b = bucketOf(v);
      if (b !== prev) {
        expect(b).toBe(prev + 1);
        expect(bucketLow(b)).toBe(v);
        prev = b;
      }
    }
    fc.assert(
      fc.property(fc.integer({ min: 0, max: bucketOf(MAX) }), (b) => {
        expect(bucketOf(bucketLow(b))).toBe(b);
        expect(bucketOf(bucketLow(b + 1) - 1)).toBe(b);
      }),
      RUNS,
    );
  });

  it('fractions are floored and negatives count as zero', () => {
    expect(bucketOf(10.9)).toBe(10);
    expect(bucketOf(-5)).toBe(0);
    expect(bucketOf(1000.5)).toBe(bucketOf(1000));
  });
});

describe('LatencyHistogram', () => {
  it('an empty histogram has NaN quantiles and mean', () => {
    const h = new LatencyHistogram();
    expect(h.total).toBe(0);
    expect(h.quantile(0.5)).toBeNaN();
    expect(h.mean()).toBeNaN();
    expect(h.toPairs()).toEqual([]);
  });

  it('quantiles are within 1.6% of the exact quantiles of the samples', () => {
    fc.assert(
      fc.property(samples, fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 5 }), (vs, qs) => {
        const h = histogramOf(vs);
        const sorted = vs.slice().sort((a, b) => a - b);
        for (const q of [0, 0.5, 0.9, 0.99, 0.999, 1, ...qs]) {
          const exact = exactQuantile(sorted, q);
          expect(Math.abs(h.quantile(q) - exact)).toBeLessThanOrEqual(0.016 * exact);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('values below 64 have exact quantiles', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 63 }), { minLength: 1, maxLength: 300 }), fc.double({ min: 0, max: 1, noNaN: true }), (vs, q) => {
        const sorted = vs.slice().sort((a, b) => a - b);
        expect(histogramOf(vs).quantile(q)).toBe(exactQuantile(sorted, q));
      }),
      RUNS,
    );
  });

  it('quantiles never decrease with q', () => {
    fc.assert(
      fc.property(samples, (vs) => {
        const h = histogramOf(vs);
        let last = -Infinity;
        for (let q = 0; q <= 1.0001; q += 0.05) {
          const x = h.quantile(Math.min(1, q));
          expect(x).toBeGreaterThanOrEqual(last);
          last = x;
        }
      }),
      { numRuns: 100 },
    );
  });

  it('the mean is within 1.6% of the exact mean', () => {
    fc.assert(
      fc.property(samples, (vs) => {
        const exact = vs.reduce((a, b) => a + b, 0) / vs.length;
        expect(Math.abs(histogramOf(vs).mean() - exact)).toBeLessThanOrEqual(0.016 * exact + 1e-9);
      }),
      RUNS,
    );
  });

  it('counts every sample, in ascending sparse [bucket, count] pairs', () => {
    fc.assert(
      fc.property(samples, (vs) => {
        const h = histogramOf(vs);
        const pairs = h.toPairs();
        expect(h.total).toBe(vs.length);
        expect(pairs.reduce((s, [, c]) => s + c, 0)).toBe(vs.length);
        for (let i = 1; i < pairs.length; i++) expect(pairs[i]![0]).toBeGreaterThan(pairs[i - 1]![0]);
        for (const [, c] of pairs) expect(c).toBeGreaterThan(0);
      }),
      RUNS,
    );
  });

  it('merging two histograms’ pairs gives the histogram of the union', () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 500 }), fc.array(value, { maxLength: 500 }), (a, b) => {
        const union = histogramOf([...a, ...b]);
        const merged = new LatencyHistogram();
        merged.merge(histogramOf(a).toPairs());
        merged.merge(histogramOf(b).toPairs());
        expect(merged.total).toBe(union.total);
        expect(merged.toPairs()).toEqual(union.toPairs());
        // Merging into an existing histogram works the same way.
        const into = histogramOf(a);
        into.merge(histogramOf(b).toPairs());
        expect(into.toPairs()).toEqual(union.toPairs());
        if (union.total > 0) {
          for (const q of [0.5, 0.99]) expect(merged.quantile(q)).toBe(union.quantile(q));
          expect(Math.abs(merged.mean() - union.mean())).toBeLessThanOrEqual(1e-9 * union.mean());
        }
      }),
      RUNS,
    );
  });
});
