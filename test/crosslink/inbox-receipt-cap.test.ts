/**
 * The inbox's byte cap on admission (admitReady's byteBudget): a greedy
 * prefix of the verified batches in canonical order a call, the first always;
 * the rest held back, admitted by later calls before anything newer, each
 * once; copies and forgeries of a held-back batch classified as before
 * admission; the backlog carried by a checkpoint.
 */
import { deserialize, serialize } from 'node:v8';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ReceiptBatch, sealBatches, verifyBatch } from '../../crosslink/batch.js';
import { deliveredBatchBytes } from '../../crosslink/batch-bytes.js';
import { CheckpointError } from '../../crosslink/common/errors.js';
import { ZERO_HASH } from '../../crosslink/hash.js';
import type { BlockHeader, Crosslink } from '../../crosslink/header.js';
import { Inbox, type InboxSnapshot } from '../../crosslink/inbox.js';
import { batchBytes, PROOF_BYTES_PER_LEVEL, RECEIPT_BYTES } from '../../crosslink/network/message-sizes.js';
import type { Receipt } from '../../crosslink/receipt.js';
import { BATCH_NUMS } from '../../crosslink/wire/layout.js';
import { creditReceipt } from '../helpers/credit-receipt.js';

const SELF = 0;
/** Every block also sends this shard a receipt, so that the batch for SELF needs a proof. */
const OTHER = 1;

const receipt = creditReceipt;

interface Block {
  readonly batch: ReceiptBatch;
  readonly header: BlockHeader;
  readonly crosslink: Crosslink;
}

/** The block of `src` at `slot` that sends SELF `n` receipts (n >= 1), and OTHER one. */
function block(src: number, slot: number, n: number): Block {
  const out = Array.from({ length: n }, (_, i) => receipt(src, slot, SELF, i));
  out.push(receipt(src, slot, OTHER, n));
  const sealed = sealBatches(src, slot, out);
  const header: BlockHeader = {
    shard: src,
    slot,
    parentHash: ZERO_HASH,
    stateRoot: ZERO_HASH,
    txRoot: ZERO_HASH,
    receiptsRoot: sealed.receiptsRoot,
    gasUsed: 0,
    txCount: 0,
    receiptCount: out.length,
  };
  const batch = sealed.batches[0]!;
  return { batch, header, crosslink: { header, count: n, value: batch.receipts.reduce((s, r) => s + r.amount, 0) } };
}

/** Blocks by slot, in canonical order within a slot; sizes[slot][i] receipts from source i + 1 (0: it sends SELF nothing). */
function world(sizes: readonly (readonly number[])[]): Block[][] {
  return sizes.map((row, slot) => row.flatMap((n, i) => (n > 0 ? [block(i + 1, slot, n)] : [])));
}

const inflated = (b: ReceiptBatch): ReceiptBatch => ({ ...b, receipts: b.receipts.map((r, i) => (i === 0 ? { ...r, amount: r.amount * 1_000 } : r)) });

/** Slot `slot`'s blocks, final and delivered, at the inbox's slot `slot`. */
function arrive(inbox: Inbox, slot: number, blocks: readonly Block[]): void {
  inbox.addCrosslinks(
    slot,
    blocks.map((b) => b.crosslink),
    slot,
  );
  for (const b of blocks) inbox.deliver(b.batch);
}

const sizesArb = (shards: number) =>
  fc.array(fc.array(fc.integer({ min: 0, max: 6 }), { minLength: shards - 1, maxLength: shards - 1 }), { minLength: 1, maxLength: 5 });

describe('deliveredBatchBytes', () => {
  it("is message-sizes.ts's batchBytes for the proof the batch carries: a promoted leaf's proof is a level short", () => {
    // Three destinations: leaves 0 and 1 prove with two siblings, leaf 2 is promoted past the first level.
    const out = [receipt(1, 0, 0, 0), receipt(1, 0, 0, 1), receipt(1, 0, 1, 2), receipt(1, 0, 2, 3)];
    const { batches } = sealBatches(1, 0, out);
    expect(batches.map((b) => b.proof.length / 32)).toEqual([2, 2, 1]);
    expect(deliveredBatchBytes(batches[0]!)).toBe(batchBytes(2, 3));
    expect(deliveredBatchBytes(batches[1]!)).toBe(batchBytes(1, 3));
    expect(deliveredBatchBytes(batches[2]!)).toBe(batchBytes(1, 3) - PROOF_BYTES_PER_LEVEL);
    for (const b of batches) expect(deliveredBatchBytes(b)).toBe(BATCH_NUMS * 8 + b.receipts.length * RECEIPT_BYTES + b.proof.length);
  });
});

describe('inbox byte cap', () => {
  it('with no budget, or an infinite or ample one, admits exactly what it did before', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 6 }).chain((shards) => fc.tuple(fc.constant(shards), sizesArb(shards))),
        ([shards, sizes]) => {
          const blocks = world(sizes);
          const total = blocks.flat().reduce((s, b) => s + deliveredBatchBytes(b.batch), 0);
          const inboxes = [new Inbox(SELF, shards), new Inbox(SELF, shards), new Inbox(SELF, shards)];
          const admit = [
            (i: Inbox, t: number) => i.admitReady(t),
            (i: Inbox, t: number) => i.admitReady(t, Infinity),
            (i: Inbox, t: number) => i.admitReady(t, total),
          ];
          for (let t = 0; t < blocks.length; t++) {
            const outs = inboxes.map((inbox, k) => {
              arrive(inbox, t, blocks[t]!);
              return admit[k]!(inbox, t);
            });
            expect(outs[1]).toEqual(outs[0]);
            expect(outs[2]).toEqual(outs[0]);
            for (const inbox of inboxes) {
              expect(inbox.heldBackBatches).toBe(0);
              expect(inbox.lastAdmittedBytes).toBe(blocks[t]!.reduce((s, b) => s + deliveredBatchBytes(b.batch), 0));
            }
          }
          expect(inboxes[1]!.stats).toEqual(inboxes[0]!.stats);
          expect(inboxes[2]!.stats).toEqual(inboxes[0]!.stats);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a cap below a slot leaves a backlog that drains over later slots: a greedy prefix a call, in canonical order, every receipt once', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 6 }).chain((shards) => fc.tuple(fc.constant(shards), sizesArb(shards), fc.integer({ min: 0, max: 2_500 }))),
        ([shards, sizes, cap]) => {
          const blocks = world(sizes);
          const inbox = new Inbox(SELF, shards);
          const uncapped = new Inbox(SELF, shards);
          /** The model: verified batches in canonical order, not admitted yet. */
          const queue: ReceiptBatch[] = [];
          const got: Receipt[] = [];
          const want: Receipt[] = [];
          for (let t = 0; t < blocks.length || queue.length > 0; t++) {
            const here = blocks[t] ?? [];
            arrive(inbox, t, here);
            arrive(uncapped, t, here);
            want.push(...uncapped.admitReady(t));
            queue.push(...here.map((b) => b.batch));
            // Greedy: the first batch whatever its size, then while the next fits.
            let k = queue.length > 0 ? 1 : 0;
            let bytes = k > 0 ? deliveredBatchBytes(queue[0]!) : 0;
            while (k < queue.length && bytes + deliveredBatchBytes(queue[k]!) <= cap) bytes += deliveredBatchBytes(queue[k++]!);
            const admitted = queue.splice(0, k);
            const out = inbox.admitReady(t, cap);
            expect(out).toEqual(admitted.flatMap((b) => b.receipts));
            expect(inbox.lastAdmittedBytes).toBe(bytes);
            expect(bytes <= cap || k === 1).toBe(true);
            expect(inbox.heldBackBatches).toBe(queue.length);
            expect(inbox.heldBackReceipts).toBe(queue.reduce((s, b) => s + b.receipts.length, 0));
            expect(inbox.heldBackBytes).toBe(queue.reduce((s, b) => s + deliveredBatchBytes(b), 0));
            // What is held back is here: no transport waits for it.
            expect(inbox.awaited()).toEqual([]);
            got.push(...out);
            expect(t).toBeLessThan(blocks.length + blocks.flat().length);
          }
          // Every receipt once, in the uncapped order (canonical: the backlog went before anything newer).
          expect(got).toEqual(want);
          expect(inbox.stats).toEqual(uncapped.stats);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('the first batch of a call always goes through, whatever its size', () => {
    const big = block(1, 0, 40);
    const small = block(2, 0, 1);
    expect(deliveredBatchBytes(big.batch)).toBeGreaterThan(40 * RECEIPT_BYTES);
    const inbox = new Inbox(SELF, 3);
    arrive(inbox, 0, [big, small]);
    expect(inbox.admitReady(0, 100)).toHaveLength(40);
    expect(inbox.lastAdmittedBytes).toBe(deliveredBatchBytes(big.batch));
    expect(inbox.heldBackReceipts).toBe(1);
    // A zero budget still admits one batch a call.
    expect(inbox.admitReady(1, 0)).toHaveLength(1);
    expect(inbox.heldBackBatches).toBe(0);
    expect(inbox.admitReady(2, 0)).toEqual([]);
    expect(inbox.lastAdmittedBytes).toBe(0);
  });

  it('a later small batch does not overtake a held-back one: admission stops at the first that does not fit', () => {
    const [a, b, c] = [block(1, 0, 1), block(2, 0, 5), block(3, 0, 1)];
    const inbox = new Inbox(SELF, 4);
    arrive(inbox, 0, [a!, b!, c!]);
    const cap = deliveredBatchBytes(a!.batch) + deliveredBatchBytes(c!.batch);
    expect(inbox.admitReady(0, cap).map((r) => r.srcShard)).toEqual([1]);
    expect(inbox.heldBackBatches).toBe(2);
    expect(inbox.admitReady(1, cap).map((r) => r.srcShard)).toEqual([2, 2, 2, 2, 2]);
    expect(inbox.admitReady(2, cap).map((r) => r.srcShard)).toEqual([3]);
  });

  it('a held-back batch is still awaited until admitted; one with no copy here is what a transport waits for', () => {
    const [a, b, c] = [block(1, 0, 1), block(2, 0, 1), block(3, 0, 1)];
    const inbox = new Inbox(SELF, 4);
    inbox.addCrosslinks(0, [a!.crosslink, b!.crosslink, c!.crosslink], 0);
    inbox.deliver(a!.batch);
    inbox.deliver(b!.batch);
    expect(inbox.admitReady(0, 0)).toHaveLength(1);
    expect(inbox.heldBackBatches).toBe(1);
    expect(inbox.awaited()).toEqual([c!.crosslink]);
    inbox.deliver(c!.batch);
    expect(inbox.admitReady(1, 0).map((r) => r.srcShard)).toEqual([2]);
    expect(inbox.admitReady(2, 0).map((r) => r.srcShard)).toEqual([3]);
    expect(inbox.awaited()).toEqual([]);
  });

  it('a copy of a held-back batch is counted a duplicate and a forged one rejected, as before admission; it is admitted once', () => {
    const [a, b] = [block(1, 0, 2), block(2, 0, 3)];
    const inbox = new Inbox(SELF, 3);
    arrive(inbox, 0, [a!, b!]);
    expect(inbox.admitReady(0, 0)).toHaveLength(2);
    expect(inbox.heldBackBatches).toBe(1);
    inbox.deliver({ ...b!.batch, proof: b!.batch.proof.slice() });
    inbox.deliver(inflated(b!.batch));
    inbox.deliver({ ...b!.batch, dstShard: 2 });
    expect(inbox.admitReady(1, 0).map((r) => r.srcShard)).toEqual([2, 2, 2]);
    expect(inbox.stats).toMatchObject({ admittedBatches: 2, admittedReceipts: 5, duplicateBatches: 1, rejectedBatches: 2 });
    expect(inbox.stats.rejectedByReason).toMatchObject({ 'bad-proof': 1, 'wrong-destination': 1 });
    // After admission: a copy is a duplicate as ever, and nothing is admitted twice.
    inbox.deliver(b!.batch);
    expect(inbox.admitReady(2, 0)).toEqual([]);
    expect(inbox.stats).toMatchObject({ admittedBatches: 2, admittedReceipts: 5, duplicateBatches: 2 });
  });

  it('a held-back batch keeps a proof of its own: the buffer it was delivered in may be reused', () => {
    const [a, b] = [block(1, 0, 1), block(2, 0, 2)];
    const buffer = new Uint8Array(64);
    buffer.set(b!.batch.proof);
    const lent: ReceiptBatch = { ...b!.batch, proof: buffer.subarray(0, b!.batch.proof.length) };
    const inbox = new Inbox(SELF, 3);
    inbox.addCrosslinks(0, [a!.crosslink, b!.crosslink], 0);
    inbox.deliver(a!.batch);
    inbox.deliver(lent);
    expect(inbox.admitReady(0, 0)).toHaveLength(1);
    inbox.keepHeld();
    buffer.fill(0xee); // the network writes the next slot's batches over it
    const held = [...inbox.snapshot().heldBack.values()];
    expect(held).toHaveLength(1);
    expect(verifyBatch(held[0]!, b!.header, SELF).ok).toBe(true);
    expect(inbox.admitReady(1, 0)).toEqual(b!.batch.receipts);
    expect(inbox.stats.rejectedBatches).toBe(0);
  });

  it('a checkpoint taken mid-backlog restores an inbox that admits, counts and reports as the original goes on to', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 2, max: 5 })
          .chain((shards) => fc.tuple(fc.constant(shards), sizesArb(shards), fc.integer({ min: 0, max: 1_500 }), fc.integer({ min: 0, max: 4 }), fc.integer())),
        ([shards, sizes, cap, restoreAt, seed]) => {
          const blocks = world(sizes);
          const original = new Inbox(SELF, shards);
          let restored: Inbox | null = null;
          const sent = blocks.flat();
          for (let t = 0; t < blocks.length + sent.length + 1; t++) {
            const here = blocks[t] ?? [];
            // Copies and forgeries of earlier batches (held back, or admitted) arrive along the way.
            const extra = sent.length > 0 && t > 0 ? [sent[(seed >>> 0) % sent.length]!.batch, inflated(sent[(seed >>> 0) % sent.length]!.batch)] : [];
            seed = (seed * 1_103_515_245 + 12_345) | 0;
            for (const inbox of restored === null ? [original] : [original, restored]) {
              arrive(inbox, t, here);
              for (const b of extra) inbox.deliver(b);
            }
            const out = original.admitReady(t, cap);
            if (restored !== null) {
              expect(restored.admitReady(t, cap)).toEqual(out);
              expect(restored.stats).toEqual(original.stats);
              expect(restored.heldBackReceipts).toBe(original.heldBackReceipts);
              expect(restored.lastAdmittedBytes).toBe(original.lastAdmittedBytes);
              expect(restored.awaited()).toEqual(original.awaited());
            }
            original.keepHeld();
            restored?.keepHeld();
            if (t === restoreAt) {
              restored = new Inbox(SELF, shards);
              restored.restore(deserialize(serialize(original.snapshot())) as InboxSnapshot);
              expect(restored.heldBackBatches).toBe(original.heldBackBatches);
              expect(restored.lastAdmittedBytes).toBe(original.lastAdmittedBytes);
            }
          }
          expect(original.heldBackBatches).toBe(0);
          expect(original.stats.admittedBatches).toBe(sent.length);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('inbox byte cap guards', () => {
  it('refuses a budget that is not a number of bytes', () => {
    const inbox = new Inbox(SELF, 2);
    expect(() => inbox.admitReady(0, -1)).toThrow(RangeError);
    expect(() => inbox.admitReady(0, Number.NaN)).toThrow('byte budget NaN: not a number of bytes');
    expect(inbox.admitReady(0, 0)).toEqual([]);
  });

  it('refuses a checkpoint without the batches the cap held back', () => {
    const inbox = new Inbox(SELF, 2);
    const { heldBack: _, ...old } = inbox.snapshot();
    const restore = () => new Inbox(SELF, 2).restore(old as InboxSnapshot);
    expect(restore).toThrow(CheckpointError);
    expect(restore).toThrow('inbox snapshot lacks the batches its byte cap held back');
    expect(() => new Inbox(SELF, 2).restore(inbox.snapshot())).not.toThrow();
  });
});
