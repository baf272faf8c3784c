import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { smallIntOr } from '../../../crosslink/common/small-int.js';

describe('smallIntOr', () => {
  it('returns the very same value for every float64 (-0, NaN, infinities, fractions and integers past 2^31 included)', () => {
    fc.assert(
      fc.property(fc.double(), (x) => Object.is(smallIntOr(x), x)),
      { numRuns: 2_000 },
    );
    for (const x of [-0, 0, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, 2 ** 53, Number.NaN, Number.POSITIVE_INFINITY, 0.5]) {
      expect(Object.is(smallIntOr(x), x)).toBe(true);
    }
  });
});
