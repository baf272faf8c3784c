/**
 * A shard restored from its checkpoint (serialized as the Redis transport
 * stores it) goes on to the summary it would have given uninterrupted:
 * byKind and the latency histogram included, which only the checkpoint
 * carries across a restart.
 */
import { deserialize, serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { CheckpointError } from '../../crosslink/common/errors.js';
import type { ShardCheckpoint, ShardSummary } from '../../crosslink/transport.js';
import { MemoryNetwork } from '../../crosslink/transports/memory/memory-transport.js';
import { TxRows } from '../../crosslink/tx-rows.js';
import type { Shard } from '../../shards/shard.js';
import { createShard } from '../../shards/shard-setup.js';
import { Beacon } from '../../simulator/beacon.js';
import type { Scenario } from '../../simulator/config/schema.js';
import { placementFor, shardSetup } from '../../simulator/run.js';
import { frozenAccounts } from '../../simulator/workload.js';
import { openWorkloadSource } from '../../simulator/workload-source.js';
import { tinyScenario } from '../helpers/scenario.js';

const SHARDS = 3;

/** Every workload kind, frozen receivers (refunds) and a DAO deadline inside the window (failed votes). */
const sc: Scenario = tinyScenario({
  slots: { warmup: 1, measure: 5, drain: 4 },
  accounts: { count: 600, frozenRatio: 0.05 },
  workload: {
    kind: 'mix',
    rate: 300,
    mix: { transfer: 2, token: 1, amm: 1, nft: 1, dao: 1, payments: 1 },
    nft: { cap: 30, price: 7 },
    dao: { deadlineSlot: 3 },
  },
});

/** Runs the scenario's slots on shards stepped here; after slot `restartAfter`, every shard is rebuilt from its checkpoint. */
async function summaries(restartAfter: number): Promise<ShardSummary[]> {
  const source = await openWorkloadSource(sc);
  const map = await placementFor(sc, SHARDS, source);
  const setup = shardSetup(sc, SHARDS, source);
  const genesis = { map, frozen: frozenAccounts(sc, source.accounts) };
  const net = new MemoryNetwork(SHARDS);
  const build = (i: number): Shard => createShard(i, setup, genesis, net.endpointFor(i));
  let shards = Array.from({ length: SHARDS }, (_, i) => build(i));
  const beacon = new Beacon(SHARDS, sc.finalityDelaySlots);
  const workload = source.bind(map);
  const { warmup, measure, drain } = sc.slots;
  for (let slot = 0; slot < warmup + measure + drain; slot++) {
    const rows = shards.map(() => new TxRows());
    if (slot < warmup + measure) await workload.each(slot, (tx) => rows[map.owner[tx.from]!]!.push(tx));
    const { finalizedSlot, crosslinks } = beacon.finalize(slot);
    const reports = [];
    for (const s of shards) reports.push(await s.onSlot({ slot, finalizedSlot, crosslinks: crosslinks[s.shard]!, txs: rows[s.shard]! }));
    beacon.record(slot, reports);
    if (slot === restartAfter) {
      shards = shards.map((s) => {
        const fresh = build(s.shard);
        fresh.restore(deserialize(serialize(s.checkpoint())) as ShardCheckpoint);
        return fresh;
      });
    }
  }
  return Promise.all(shards.map((s) => s.onFinish()));
}

describe('shard checkpoints', () => {
  it('a shard restored mid-window ends with the uninterrupted summary, byKind included', async () => {
    const clean = await summaries(-1);
    const kinds = new Set(clean.flatMap((s) => Object.keys(s.byKind)));
    expect([...kinds].sort()).toEqual(['amm', 'dao', 'nft', 'token', 'transfer']);
    expect(clean.some((s) => (s.byKind.dao?.failed ?? 0) > 0)).toBe(true);
    for (const after of [2, 4]) expect(await summaries(after), `restored after slot ${after}`).toEqual(clean);
  });

  it('a checkpoint of the version before delayed receipts carried their bytes is refused, saying which version it is', async () => {
    const source = await openWorkloadSource(sc);
    const map = await placementFor(sc, SHARDS, source);
    const shard = createShard(0, shardSetup(sc, SHARDS, source), { map, frozen: null }, new MemoryNetwork(SHARDS).endpointFor(0));
    const cp = shard.checkpoint();
    const restore = () => shard.restore({ ...cp, data: { ...(cp.data as Record<string, unknown>), version: 9 } });
    expect(restore).toThrow(CheckpointError);
    expect(restore).toThrow('not a checkpoint of shard 0 (shard 0, version 9, not 10)');
    expect(() => shard.restore(cp)).not.toThrow();
  });
});
