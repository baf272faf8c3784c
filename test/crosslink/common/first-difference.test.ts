import { describe, expect, it } from 'vitest';
import { describeDifference, firstDifference } from '../../../crosslink/common/first-difference.js';

describe('firstDifference', () => {
  it('names the first differing key path, in sorted key order, with both values', () => {
    expect(firstDifference({ a: 1, b: { c: 2, d: [1, 2] } }, { b: { d: [1, 3], c: 2 }, a: 1 })).toEqual({ path: 'b.d.1', was: '2', now: '3' });
    expect(firstDifference({ w: { rate: 1000 } }, { w: { rate: 'saturate' } })).toEqual({ path: 'w.rate', was: '1000', now: '"saturate"' });
    expect(describeDifference(firstDifference({ x: 1 }, { x: 1, y: 0.5 })!)).toBe('at y (was absent, now 0.5)');
    expect(firstDifference({ x: [1] }, { x: { 0: 1 } })).toEqual({ path: 'x', was: '[1]', now: '{"0":1}' });
    expect(firstDifference({ a: [1, { b: 'c' }] }, { a: [1, { b: 'c' }] })).toBeUndefined();
  });
});
