import { describe, expect, it } from 'vitest';
import { type ReceiptBatch, sealBatches } from '../../crosslink/batch.js';
import { ZERO_HASH } from '../../crosslink/hash.js';
import type { BlockHeader } from '../../crosslink/header.js';
import { Inbox } from '../../crosslink/inbox.js';
import { type Receipt, ReceiptKind } from '../../crosslink/receipt.js';

const SRC = 0;
const DST = 1;
const SLOT = 3;

function credit(index: number, amount: number, dstShard = DST): Receipt {
  return {
    kind: ReceiptKind.Credit,
    srcShard: SRC,
    srcSlot: SLOT,
    index,
    dstShard,
    txId: index,
    from: 0,
    originShard: SRC,
    to: 5,
    amount,
    submitMs: 0,
    op: 0,
    a: 0,
    b: 0,
    c: 0,
    workGas: 0,
  };
}

/** The honest batch for DST with its proof as a view into `buffer` (as a mailbox hands it out), and its source header. */
function lentBatch(buffer: Uint8Array): { batch: ReceiptBatch; header: BlockHeader } {
  // A second destination, so that the batch's leaf needs a proof.
  const sealed = sealBatches(SRC, SLOT, [credit(0, 40), credit(1, 2), credit(2, 7, 2)]);
  const honest = sealed.batches[0]!;
  buffer.set(honest.proof);
  const header: BlockHeader = {
    shard: SRC,
    slot: SLOT,
    parentHash: ZERO_HASH,
    stateRoot: ZERO_HASH,
    txRoot: ZERO_HASH,
    receiptsRoot: sealed.receiptsRoot,
    gasUsed: 0,
    txCount: 0,
    receiptCount: 3,
  };
  return { batch: { ...honest, proof: buffer.subarray(0, honest.proof.length) }, header };
}

describe('inbox', () => {
  it('keeps a held batch valid after the buffer it was delivered in is reused', () => {
    const buffer = new Uint8Array(64);
    const { batch, header } = lentBatch(buffer);
    expect(batch.proof.length).toBeGreaterThan(0);
    const inbox = new Inbox(DST, 3);
    inbox.deliver(batch); // its block is not final yet: held
    inbox.keepHeld();
    buffer.fill(0xee); // the network writes the next slot's batches over it
    inbox.addCrosslinks(SLOT, [{ header, count: 2, value: 42 }]);
    expect(inbox.admitReady().map((r) => r.amount)).toEqual([40, 2]);
    expect(inbox.stats.rejectedBatches).toBe(0);
  });

  it('rejects the same batch when its proof is overwritten before it is kept (what keepHeld prevents)', () => {
    const buffer = new Uint8Array(64);
    const { batch, header } = lentBatch(buffer);
    const inbox = new Inbox(DST, 3);
    inbox.deliver(batch);
    buffer.fill(0xee);
    inbox.addCrosslinks(SLOT, [{ header, count: 2, value: 42 }]);
    expect(inbox.admitReady()).toEqual([]);
    expect(inbox.stats.rejectedByReason['bad-proof']).toBe(1);
  });
});

/** The honest batch for DST from SRC at SLOT (its leaf needs a proof: a second destination), with its header and crosslink. */
function honestBlock(): { batch: ReceiptBatch; header: BlockHeader; crosslink: { header: BlockHeader; count: number; value: number } } {
  const sealed = sealBatches(SRC, SLOT, [credit(0, 40), credit(1, 2), credit(2, 7, 2)]);
  const header: BlockHeader = {
    shard: SRC,
    slot: SLOT,
    parentHash: ZERO_HASH,
    stateRoot: ZERO_HASH,
    txRoot: ZERO_HASH,
    receiptsRoot: sealed.receiptsRoot,
    gasUsed: 0,
    txCount: 0,
    receiptCount: 3,
  };
  return { batch: sealed.batches[0]!, header, crosslink: { header, count: 2, value: 42 } };
}

/** The honest batch with its first amount inflated: its leaf no longer proves against the header. */
const inflated = (b: ReceiptBatch): ReceiptBatch => ({ ...b, receipts: b.receipts.map((r, i) => (i === 0 ? { ...r, amount: r.amount * 1_000 } : r)) });

describe('inbox guards: every rejection fires, is counted by reason, and applies nothing', () => {
  it("a batch naming a source shard the run lacks, or no valid slot, is rejected at delivery as 'wrong-source'", () => {
    const { batch } = honestBlock();
    const inbox = new Inbox(DST, 3);
    for (const b of [
      { ...batch, srcShard: 3 },
      { ...batch, srcShard: -1 },
      { ...batch, srcSlot: -2 },
      { ...batch, srcSlot: 1.5 },
    ])
      inbox.deliver(b);
    expect(inbox.stats.rejectedByReason['wrong-source']).toBe(4);
    expect(inbox.stats.rejectedBatches).toBe(4);
    expect(inbox.stats.rejectedReceipts).toBe(8);
  });

  it("a batch of a final block that announced nothing for this shard is rejected at delivery as 'not-committed'", () => {
    const { batch } = honestBlock();
    const inbox = new Inbox(DST, 3);
    inbox.addCrosslinks(SLOT, []); // SLOT is final and sent DST nothing
    inbox.deliver(batch);
    expect(inbox.stats.rejectedByReason['not-committed']).toBe(1);
    expect(inbox.admitReady()).toEqual([]);
  });

  it("a batch held before its block was final is rejected as 'not-committed' once the block is final and announced nothing for this shard", () => {
    const { batch } = honestBlock();
    const inbox = new Inbox(DST, 3);
    inbox.deliver(batch);
    expect(inbox.stats.rejectedBatches).toBe(0);
    inbox.addCrosslinks(SLOT, []);
    expect(inbox.stats.rejectedByReason['not-committed']).toBe(1);
    expect(inbox.admitReady()).toEqual([]);
  });

  it('a forged copy held beside the honest one is rejected at admission with its reason; the honest one is admitted once', () => {
    const { batch, crosslink } = honestBlock();
    const inbox = new Inbox(DST, 3);
    inbox.deliver(inflated(batch));
    inbox.deliver(batch);
    inbox.addCrosslinks(SLOT, [crosslink]);
    expect(inbox.admitReady().map((r) => r.amount)).toEqual([40, 2]);
    expect(inbox.stats.rejectedByReason['bad-proof']).toBe(1);
    expect(inbox.stats).toMatchObject({ admittedBatches: 1, admittedReceipts: 2, duplicateBatches: 0, rejectedBatches: 1 });
  });

  it('an announced batch with only a forged copy stays awaited: nothing is admitted until the honest copy arrives', () => {
    const { batch, crosslink } = honestBlock();
    const inbox = new Inbox(DST, 3);
    inbox.addCrosslinks(SLOT, [crosslink]);
    inbox.deliver({ ...batch, dstShard: 2 });
    expect(inbox.admitReady()).toEqual([]);
    expect(inbox.stats.rejectedByReason['wrong-destination']).toBe(1);
    expect(inbox.awaited()).toHaveLength(1);
    inbox.deliver(batch);
    expect(inbox.admitReady().map((r) => r.amount)).toEqual([40, 2]);
    expect(inbox.awaited()).toHaveLength(0);
  });

  it('two valid copies before admission: one admitted, the other counted as a duplicate', () => {
    const { batch, crosslink } = honestBlock();
    const inbox = new Inbox(DST, 3);
    inbox.deliver(batch);
    inbox.deliver({ ...batch });
    inbox.addCrosslinks(SLOT, [crosslink]);
    expect(inbox.admitReady()).toHaveLength(2);
    expect(inbox.stats).toMatchObject({ admittedBatches: 1, duplicateBatches: 1, rejectedBatches: 0 });
  });

  it('after admission, a valid copy (a replay) is a duplicate and an altered one is rejected with its reason; neither is applied', () => {
    const { batch, crosslink } = honestBlock();
    const inbox = new Inbox(DST, 3);
    inbox.addCrosslinks(SLOT, [crosslink]);
    inbox.deliver(batch);
    expect(inbox.admitReady()).toHaveLength(2);
    inbox.deliver({ ...batch });
    inbox.deliver(inflated(batch));
    inbox.deliver({ ...batch, receipts: batch.receipts.map((r) => ({ ...r, dstShard: 2 })) });
    expect(inbox.admitReady()).toEqual([]);
    expect(inbox.stats).toMatchObject({ admittedBatches: 1, admittedReceipts: 2, duplicateBatches: 1, rejectedBatches: 2 });
    expect(inbox.stats.rejectedByReason).toMatchObject({ 'bad-proof': 1, malformed: 1 });
  });
});
