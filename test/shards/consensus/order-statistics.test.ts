import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kthSmallest } from '../../../shards/consensus/order-statistics.js';

describe('kthSmallest', () => {
  it('is the k-th entry of the sorted range, for any range of a row, with ties and Infinity, and leaves the rest of the row alone', () => {
    const value = fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double({ noNaN: true }), fc.constant(Number.POSITIVE_INFINITY));
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 200 }), fc.nat(), fc.nat(), fc.nat(), (values, a, b, kSeed) => {
        const start = a % values.length;
        const end = start + 1 + (b % (values.length - start));
        const k = 1 + (kSeed % (end - start));
        const row = Float64Array.from(values);
        const expected = [...values.slice(start, end)].sort((x, y) => x - y)[k - 1];
        // -0 and +0 are the same value but not the same for toBe/toEqual (Object.is): either is a right answer
        // where both occur, so figures are compared with the sign of zero dropped (x + 0).
        const plain = (xs: Iterable<number>): number[] => [...xs].map((x) => x + 0);
        expect(kthSmallest(row, start, end, k) + 0).toBe(expected! + 0);
        expect([...row.slice(0, start), ...row.slice(end)]).toEqual([...values.slice(0, start), ...values.slice(end)]);
        expect(plain([...row.slice(start, end)].sort((x, y) => x - y))).toEqual(plain([...values.slice(start, end)].sort((x, y) => x - y)));
      }),
      { numRuns: 500 },
    );
  });

  it('handles sorted, reversed and constant rows of 128 (a committee row) without degrading', () => {
    const n = 128;
    for (const row of [Float64Array.from({ length: n }, (_, i) => i), Float64Array.from({ length: n }, (_, i) => n - i), new Float64Array(n).fill(7)]) {
      const sorted = [...row].sort((x, y) => x - y);
      for (const k of [1, 43, 86, n]) expect(kthSmallest(Float64Array.from(row), 0, n, k)).toBe(sorted[k - 1]);
    }
  });
});
