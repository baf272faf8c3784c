import { describe, expect, it } from 'vitest';
import { delayMean, delayQuantile, delaysOf } from '../../simulator/slot-delays.js';

describe('slot delays', () => {
  it('sums histograms and takes exact nearest-rank quantiles', () => {
    const d = delaysOf([[0, 0, 3, 1], [], [0, 0, 1, 0, 0, 5]], 4);
    expect(d).toEqual({
      histogram: [
        [2, 4],
        [3, 1],
        [5, 5],
      ],
      finalized: 10,
      unfinalized: 4,
    });
    expect(delayQuantile(d, 0)).toBe(2);
    expect(delayQuantile(d, 0.4)).toBe(2);
    expect(delayQuantile(d, 0.5)).toBe(3);
    expect(delayQuantile(d, 0.51)).toBe(5);
    expect(delayQuantile(d, 1)).toBe(5);
    expect(delayMean(d)).toBeCloseTo((8 + 3 + 25) / 10, 12);
  });

  it('has no quantile or mean without a finalized item', () => {
    const d = delaysOf([], 3);
    expect(d).toEqual({ histogram: [], finalized: 0, unfinalized: 3 });
    expect(delayQuantile(d, 0.5)).toBeNaN();
    expect(delayMean(d)).toBeNaN();
  });
});
