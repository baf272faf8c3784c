import { describe, expect, it } from 'vitest';
import type { ReceiptBatch } from '../../crosslink/batch.js';
import type { ShardNetwork, SlotCommand, SlotReport } from '../../crosslink/transport.js';
import { MemoryNetwork } from '../../crosslink/transports/memory/memory-transport.js';
import type { UserTx } from '../../crosslink/tx.js';
import { TxRows } from '../../crosslink/tx-rows.js';
import { buildAccountMap } from '../../shards/account-map.js';
import { SequentialExecutor } from '../../shards/executors/sequential.js';
import { Shard } from '../../shards/shard.js';
import { Beacon } from '../../simulator/beacon.js';
import { userTx } from '../helpers/user-tx.js';

const INITIAL = 1_000;
const FINALITY = 2;

/** Two shards (accounts 0,1 on shard 0; 2,3 on shard 1) and a beacon, stepped slot by slot. */
function twoShards() {
  const map = buildAccountMap(4, 2, (id) => (id < 2 ? 0 : 1));
  const net = new MemoryNetwork(2);
  const sent: ReceiptBatch[] = [];
  const capture = (inner: ShardNetwork): ShardNetwork => ({
    send: async (batches) => {
      sent.push(...batches);
      await inner.send(batches);
    },
    receive: (awaited, finalizedSlot) => inner.receive(awaited, finalizedSlot),
  });
  const shards = [0, 1].map(
    (i) =>
      new Shard(
        {
          shard: i,
          shardCount: 2,
          map,
          frozen: null,
          initialBalance: INITIAL,
          gas: { transfer: 21_000, receiptSend: 5_000, receiptApply: 5_000 },
          blockGasLimit: 1_000_000,
          receiptGasShare: 0.5,
          mempoolCapacity: 100,
          gasPerSecondPerThread: 1_000_000,
          threads: 1,
          slotMs: 1000,
          windowFrom: 0,
          windowTo: 100,
          executor: new SequentialExecutor(),
          contracts: [],
          faults: null,
          agreement: null,
          receiptBytesPerSlot: null,
          executionCost: 'ideal',
        },
        capture(net.endpointFor(i)),
      ),
  );
  const beacon = new Beacon(2, FINALITY);
  let slot = 0;
  const step = async (txs: UserTx[] = []): Promise<SlotReport[]> => {
    const { finalizedSlot, crosslinks } = beacon.finalize(slot);
    const reports: SlotReport[] = [];
    for (const s of shards) {
      const cmd: SlotCommand = { slot, finalizedSlot, crosslinks: crosslinks[s.shard]!, txs: TxRows.of(txs.filter((t) => map.owner[t.from] === s.shard)) };
      reports.push(await s.onSlot(cmd));
    }
    beacon.record(slot, reports);
    slot++;
    return reports;
  };
  return { map, net, sent, shards, beacon, step, currentSlot: () => slot };
}

const transfer = (id: number, from: number, to: number, amount: number, toShard: number): UserTx =>
  userTx({ id, from, to, amount, gasLimit: toShard === (from < 2 ? 0 : 1) ? 21_000 : 26_000, toShard });

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
