import { describe, expect, it } from 'vitest';
import type { ReceiptBatch } from '../../crosslink/batch.js';
import { FINALITY, INITIAL, transfer, twoShards } from '../helpers/two-shards.js';

async function creditedBalance(h: ReturnType<typeof twoShards>) {
  const s1 = await h.shards[1]!.onFinish();
  return { summary: s1, balanceSum: s1.balanceSum };
}

describe('cross-shard receipts at the destination', () => {
  it('applies an honest credit only after its source block is finalized', async () => {
    const h = twoShards();
    await h.step([transfer(0, 0, 3, 100, 1)]);
    // Slot 0's header is final at slot FINALITY: not a slot before.
    for (let i = 1; i < FINALITY; i++) {
      const reports = await h.step();
      expect(reports[1]!.metrics.receiptsApplied).toBe(0);
    }
    const reports = await h.step();
    expect(h.currentSlot() - 1).toBe(FINALITY);
    expect(reports[1]!.metrics.receiptsApplied).toBe(1);
    const { balanceSum } = await creditedBalance(h);
    expect(balanceSum).toBe(2 * INITIAL + 100);
  });

  it('a receipt with an altered amount is rejected and counted; the honest copy is applied', async () => {
    const h = twoShards();
    await h.step([transfer(0, 0, 3, 100, 1)]);
    const honest = h.sent[0]!;
    const forged: ReceiptBatch = { ...honest, receipts: honest.receipts.map((r) => ({ ...r, amount: 100_000 })) };
    h.net.deliver(forged);
    for (let i = 0; i <= FINALITY; i++) await h.step();
    const { summary } = await creditedBalance(h);
    expect(summary.counters.rejectedReceipts).toBe(1);
    expect(summary.counters.rejectedByReason['bad-proof']).toBe(1);
    expect(summary.counters.receiptsApplied).toBe(1);
    expect(summary.balanceSum).toBe(2 * INITIAL + 100);
  });

  it('a receipt whose proof is wrong is rejected even when its contents are honest', async () => {
    const h = twoShards();
    await h.step([transfer(0, 0, 3, 100, 1), transfer(1, 1, 2, 50, 1)]);
    const honest = h.sent[0]!;
    // Same receipts, but a proof path that does not lead to the header's receipts root.
    h.net.deliver({ ...honest, proof: new Uint8Array(32).fill(7) });
    h.net.deliver({ ...honest, leafIndex: 1, leafCount: 2 });
    for (let i = 0; i <= FINALITY; i++) await h.step();
    const { summary } = await creditedBalance(h);
    expect(summary.counters.rejectedBatches).toBe(2);
    expect(summary.counters.rejectedReceipts).toBe(4);
    expect(summary.counters.receiptsApplied).toBe(2);
    expect(summary.balanceSum).toBe(2 * INITIAL + 150);
  });

  it('a forged batch from a block that is not finalized is held, and rejected once the real header says otherwise', async () => {
    const h = twoShards();
    await h.step([transfer(0, 0, 3, 100, 1)]);
    const honest = h.sent[0]!;
    // Claims to come from shard 0's block at slot 1, which is not produced, let alone finalized.
    const future: ReceiptBatch = {
      ...honest,
      srcSlot: 1,
      receipts: honest.receipts.map((r) => ({ ...r, srcSlot: 1, amount: 900 })),
    };
    h.net.deliver(future);
    // Slot 1: shard 0 sends nothing; the forged batch must not be applied before slot 1 is final.
    for (let i = 1; i < FINALITY; i++) {
      const reports = await h.step();
      expect(reports[1]!.metrics.receiptsApplied).toBe(0);
    }
    const atFinality = await h.step(); // slot 0 final: honest credit applied, the forged one still held
    expect(atFinality[1]!.metrics.receiptsApplied).toBe(1);
    expect(atFinality[1]!.metrics.receiptsRejected).toBe(0);
    const next = await h.step(); // slot 1 final: its header announces nothing for shard 1
    expect(next[1]!.metrics.receiptsRejected).toBe(1);
    const { summary } = await creditedBalance(h);
    expect(summary.counters.rejectedByReason['not-committed']).toBe(1);
    expect(summary.counters.receiptsApplied).toBe(1);
    expect(summary.balanceSum).toBe(2 * INITIAL + 100);
  });

  it('a batch delivered twice is applied once', async () => {
    const h = twoShards();
    await h.step([transfer(0, 0, 3, 100, 1)]);
    h.net.deliver(h.sent[0]!);
    for (let i = 0; i <= FINALITY; i++) await h.step();
    h.net.deliver(h.sent[0]!); // a late redelivery, after admission
    await h.step();
    const { summary } = await creditedBalance(h);
    expect(summary.counters.receiptsApplied).toBe(1);
    expect(summary.counters.duplicateBatches).toBe(2);
    expect(summary.balanceSum).toBe(2 * INITIAL + 100);
  });

  it("a shard's finish still counts what arrives after its last slot for final blocks, and leaves later blocks' batches waiting", async () => {
    const h = twoShards();
    await h.step([transfer(0, 0, 3, 100, 1)]);
    for (let i = 0; i < FINALITY; i++) await h.step(); // slot 0 is final and its batch admitted
    const honest = h.sent[0]!;
    h.net.deliver(honest); // a late redelivery of a final block's batch: a duplicate
    h.net.deliver({ ...honest, receipts: honest.receipts.map((r) => ({ ...r, amount: 7 })) }); // a late forgery of it
    // Claims a block that is not final by the end: it can only wait, and counts as nothing.
    const last = h.currentSlot() - 1;
    h.net.deliver({ ...honest, srcSlot: last, receipts: honest.receipts.map((r) => ({ ...r, srcSlot: last })) });
    const { summary } = await creditedBalance(h);
    // Finish left it where it was: still held for shard 1, never taken.
    expect((await h.net.endpointFor(1).receive([], Number.POSITIVE_INFINITY)).map((b) => b.srcSlot)).toEqual([last]);
    expect(summary.counters.duplicateBatches).toBe(1);
    expect(summary.counters.rejectedByReason['bad-proof']).toBe(1);
    expect(summary.counters.rejectedBatches).toBe(1);
    expect(summary.counters.receiptsApplied).toBe(1);
    expect(summary.balanceSum).toBe(2 * INITIAL + 100);
  });

  it('a receipt sent to the wrong shard is rejected there', async () => {
    const h = twoShards();
    await h.step([transfer(0, 0, 3, 100, 1)]);
    // Shard 0 receiving its own outgoing batch, relabelled as addressed to it.
    h.net.deliver({ ...h.sent[0]!, dstShard: 0 });
    for (let i = 0; i <= FINALITY; i++) await h.step();
    const s0 = await h.shards[0]!.onFinish();
    expect(s0.counters.rejectedReceipts).toBe(1);
    expect(s0.counters.receiptsApplied).toBe(0);
  });
});
