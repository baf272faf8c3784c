import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArrivalHeap } from '../../../crosslink/network/arrival-heap.js';

describe('ArrivalHeap', () => {
  it('pops events earliest first, the lower member first at equal times, growing past its capacity', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.nat(50)), { maxLength: 200 }), fc.integer({ min: 1, max: 8 }), (events, capacity) => {
        const heap = new ArrivalHeap(capacity);
        for (const [t, m] of events) heap.push(t, m);
        const out: Array<[number, number]> = [];
        while (heap.size > 0) {
          out.push([heap.topTime(), heap.topMember()]);
          heap.pop();
        }
        expect(out).toEqual([...events].sort((a, b) => a[0] - b[0] || a[1] - b[1]));
      }),
      { numRuns: 300 },
    );
  });
});
