/** Two real shards over the memory network and a beacon, stepped slot by slot by a test. */
import type { ReceiptBatch } from '../../crosslink/batch.js';
import type { ShardNetwork, SlotCommand, SlotReport } from '../../crosslink/transport.js';
import { MemoryNetwork } from '../../crosslink/transports/memory/memory-transport.js';
import type { UserTx } from '../../crosslink/tx.js';
import { TxRows } from '../../crosslink/tx-rows.js';
import { buildAccountMap } from '../../shards/account-map.js';
import { type CrossShardSetup, RECEIPTS_PROTOCOL } from '../../shards/cross-shard.js';
import { SequentialExecutor } from '../../shards/executors/sequential.js';
import { Shard } from '../../shards/shard.js';
import { Beacon } from '../../simulator/beacon.js';
import { userTx } from './user-tx.js';

export const INITIAL = 1_000;
export const FINALITY = 2;

export interface TwoShardOptions {
  readonly crossShard?: CrossShardSetup;
  /** Accounts that refuse incoming value, by global id. */
  readonly frozen?: readonly number[];
}

/** Two shards (accounts 0,1 on shard 0; 2,3 on shard 1) and a beacon, stepped slot by slot. */
export function twoShards(opts: TwoShardOptions = {}) {
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
  let frozen: Uint8Array | null = null;
  if (opts.frozen !== undefined) {
    frozen = new Uint8Array(4);
    for (const id of opts.frozen) frozen[id] = 1;
  }
  const shards = [0, 1].map(
    (i) =>
      new Shard(
        {
          shard: i,
          shardCount: 2,
          map,
          frozen,
          initialBalance: INITIAL,
          gas: { transfer: 21_000, receiptSend: 5_000, receiptApply: 5_000 },
          blockGasLimit: 1_000_000,
          receiptGasShare: 0.5,
          crossShard: opts.crossShard ?? RECEIPTS_PROTOCOL,
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

export const transfer = (id: number, from: number, to: number, amount: number, toShard: number): UserTx =>
  userTx({ id, from, to, amount, gasLimit: toShard === (from < 2 ? 0 : 1) ? 21_000 : 26_000, toShard });
