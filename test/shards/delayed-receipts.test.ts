/**
 * The delayed-receipt queue: a block applying receipts carries each one's bytes and, once a batch, its batch's
 * numbers and proof; a batch split over two blocks is proven in both; a snapshot restores the bytes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appliedBatchBytes, appliedBytes, DelayedReceipts } from '../../shards/delayed-receipts.js';
import { creditReceipt } from '../helpers/credit-receipt.js';

const OWN = 120;

/** The bytes a block applying the queue's first `n` receipts carries for them. */
const prefixBytes = (q: DelayedReceipts, n: number): number => {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += q.blockBytesAt(i);
  return sum;
};

/** Three batches: two receipts from shard 1's slot 4 (batch bytes 300), one from shard 2's slot 4 (200), two from shard 1's slot 5 (250). */
function queue(): DelayedReceipts {
  const q = new DelayedReceipts();
  q.push(creditReceipt(1, 4, 0, 0), 6, OWN, 300);
  q.push(creditReceipt(1, 4, 0, 1), 6, OWN, 300);
  q.push(creditReceipt(2, 4, 0, 0), 6, OWN, 200);
  q.push(creditReceipt(1, 5, 0, 0), 7, OWN, 250);
  q.push(creditReceipt(1, 5, 0, 1), 7, OWN, 250);
  return q;
}

describe('delayed receipts', () => {
  it('a block carries each batch it applies receipts of once, beside every receipt', () => {
    const q = queue();
    expect([0, 1, 2, 3, 4].map((i) => q.blockBytesAt(i))).toEqual([OWN + 300, OWN, OWN + 200, OWN + 250, OWN]);
    expect(prefixBytes(q, 5)).toBe(5 * OWN + 300 + 200 + 250);
    expect(prefixBytes(q, 0)).toBe(0);
  });

  it('a batch split over two blocks is proven in each', () => {
    const q = queue();
    const first = q.peek(4);
    const taken = q.take(4);
    expect(appliedBytes(first, taken, 4)).toBe(4 * OWN + 300 + 200 + 250);
    expect(appliedBatchBytes(first, taken, 4)).toBe(750);
    expect(taken.admitted).toEqual([6, 6, 6, 7]);
    // The rest of slot 5's batch opens the next block: its proof again.
    expect(q.length).toBe(1);
    expect(q.blockBytesAt(0)).toBe(OWN + 250);
    expect(q.admittedAt(0)).toBe(7);
  });

  it('a snapshot restores the receipts with their slots and bytes', () => {
    const q = queue();
    q.take(1);
    const copy = new DelayedReceipts();
    copy.reset(q.snapshot());
    expect(copy.snapshot()).toEqual(q.snapshot());
    expect([0, 1, 2, 3].map((i) => copy.blockBytesAt(i))).toEqual([0, 1, 2, 3].map((i) => q.blockBytesAt(i)));
    expect(copy.blockBytesAt(0)).toBe(OWN + 300);
  });

  it('over any queue and any split into blocks, the blocks carry every receipt once and each batch once a block it appears in', () => {
    // A batch is one source block's receipts for this shard: (source, slot) pairs are distinct.
    const batchArb = fc.record({ src: fc.integer({ min: 0, max: 3 }), slot: fc.integer({ min: 0, max: 3 }), n: fc.integer({ min: 1, max: 4 }) });
    const batchesArb = fc.uniqueArray(batchArb, { maxLength: 8, selector: (b) => `${b.src}/${b.slot}` });
    fc.assert(
      fc.property(batchesArb, fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 10 }), (batches, cuts) => {
        const q = new DelayedReceipts();
        for (const [k, b] of batches.entries()) for (let i = 0; i < b.n; i++) q.push(creditReceipt(b.src, b.slot, 0, i), k, OWN, 1_000 * (k + 1));
        let carried = 0;
        let expected = 0;
        for (const cut of [...cuts, q.length]) {
          const n = Math.min(cut, q.length);
          const receipts = q.peek(n);
          const atFront = prefixBytes(q, n);
          const taken = q.take(n);
          expect(appliedBytes(receipts, taken, n)).toBe(atFront);
          carried += atFront;
          // Independently: each batch this block applies receipts of, once.
          const inBlock = new Set(taken.batchBytes);
          expected += n * OWN + [...inBlock].reduce((sum, b) => sum + b, 0);
        }
        expect(carried).toBe(expected);
        expect(q.length).toBe(0);
      }),
    );
  });
});
