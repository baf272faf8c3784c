import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ReceiptBatch } from '../../../../crosslink/batch.js';
import type { Receipt, ReceiptKind } from '../../../../crosslink/receipt.js';
import { BatchMailboxes } from '../../../../crosslink/transports/memory/batch-mailbox.js';
import { encodeBatches } from '../../../../crosslink/wire/thread-wire.js';

const HOSTED = [0, 1, 3];

/** Any float64 a forged batch might carry, small integers most of the time. */
const anyNum = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 1_000 }) }, fc.double(), fc.constantFrom(-0, 2 ** 53, -1));

const receipt: fc.Arbitrary<Receipt> = fc.tuple(fc.array(anyNum, { minLength: 16, maxLength: 16 })).map(([n]) => ({
  kind: n[0]! as ReceiptKind,
  srcShard: n[1]!,
  srcSlot: n[2]!,
  index: n[3]!,
  dstShard: n[4]!,
  txId: n[5]!,
  from: n[6]!,
  originShard: n[7]!,
  to: n[8]!,
  amount: n[9]!,
  submitMs: n[10]!,
  op: n[11]!,
  a: n[12]!,
  b: n[13]!,
  c: n[14]!,
  workGas: n[15]!,
}));

/** Batches for hosted and unhosted destinations, of valid source slots and of slots no block has (held under none). */
const batch: fc.Arbitrary<ReceiptBatch> = fc.record({
  srcShard: fc.integer({ min: 0, max: 5 }),
  srcSlot: fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: 5 }) }, fc.constantFrom(-1, -7, 1.5, Number.NaN, Number.POSITIVE_INFINITY)),
  dstShard: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...HOSTED) }, fc.constantFrom(2, 9, -1, 0.5, Number.NaN)),
  receipts: fc.array(receipt, { maxLength: 3 }),
  leafIndex: anyNum,
  leafCount: anyNum,
  proof: fc.uint8Array({ maxLength: 100 }),
});

type Op = { kind: 'post' | 'wire'; batches: ReceiptBatch[] } | { kind: 'take'; shard: number; finalized: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constantFrom('post' as const, 'wire' as const), batches: fc.array(batch, { maxLength: 6 }) }),
  fc.record({ kind: fc.constant('take' as const), shard: fc.constantFrom(...HOSTED, 2), finalized: fc.integer({ min: -1, max: 6 }) }),
);

/** Whether a batch of `slot` can wait past `finalized` (a slot no block has cannot). */
const waits = (slot: number, finalized: number): boolean => Number.isInteger(slot) && slot > finalized;
const slotGroup = (slot: number): number => (Number.isInteger(slot) && slot >= 0 ? slot : -1);

/** A deep copy (the mailbox's proofs are views it reuses; the model must not share them). */
const copyOf = (b: ReceiptBatch): ReceiptBatch => ({ ...b, receipts: b.receipts.map((r) => ({ ...r })), proof: b.proof.slice() });

describe('batch mailboxes', () => {
  it('hand each hosted shard exactly the batches sent to it, whole, once their source slot is final', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
        const boxes = new BatchMailboxes(HOSTED);
        // The model: every held batch in arrival order.
        let held: ReceiptBatch[] = [];
        for (const o of ops) {
          if (o.kind !== 'take') {
            if (o.kind === 'post') boxes.post(o.batches);
            else boxes.postWire(encodeBatches(o.batches));
            for (const b of o.batches) if (HOSTED.includes(b.dstShard)) held.push(copyOf(b));
            continue;
          }
          const { shard, finalized } = o;
          const mine = held.filter((b) => Object.is(b.dstShard, shard));
          const due = mine.filter((b) => !waits(b.srcSlot, finalized));
          // Taken slot by slot, in the order each slot's first held batch arrived; arrival order within a slot.
          const firstArrival = (b: ReceiptBatch): number => mine.findIndex((m) => slotGroup(m.srcSlot) === slotGroup(b.srcSlot));
          const want = due.map((b, i) => ({ b, i })).sort((x, y) => firstArrival(x.b) - firstArrival(y.b) || x.i - y.i);
          const got = boxes.take(shard, finalized);
          expect(got).toEqual(want.map((w) => w.b));
          held = held.filter((b) => !due.includes(b));
        }
      }),
      { numRuns: 300 },
    );
  });

  it("reuses a taken slot's buffers, and what it handed out stays intact until its next post", () => {
    const proofOf = (n: number): Uint8Array => new Uint8Array(64).fill(n);
    const b = (slot: number, dst: number): ReceiptBatch => ({
      srcShard: 1,
      srcSlot: slot,
      dstShard: dst,
      receipts: [],
      leafIndex: 0,
      leafCount: 1,
      proof: proofOf(slot),
    });
    const boxes = new BatchMailboxes([0, 1]);
    boxes.post([b(0, 0), b(1, 0)]);
    const first = boxes.take(0, 0);
    expect(first.map((x) => x.srcSlot)).toEqual([0]);
    expect(first[0]!.proof).toEqual(proofOf(0));
    // The slot-0 segment is free again: the next post may write over it.
    boxes.post([b(2, 1)]);
    expect(boxes.take(1, 2)[0]!.proof).toEqual(proofOf(2));
    expect(boxes.take(0, 1)[0]!.proof).toEqual(proofOf(1));
  });
});
