/**
 * Real shards behind a beacon of limited capacity: finalizedSlot then jumps
 * several slots at once with their crosslinks together, and the inboxes must
 * admit every honest batch exactly once (crosslink/inbox.ts), so the run's
 * invariants (simulator/invariants.ts) hold and nothing is rejected.
 */
import { describe, expect, it } from 'vitest';
import type { ShardSummary } from '../../crosslink/transport.js';
import { MemoryNetwork } from '../../crosslink/transports/memory/memory-transport.js';
import { TxRows } from '../../crosslink/tx-rows.js';
import { createShard } from '../../shards/shard-setup.js';
import { Beacon } from '../../simulator/beacon.js';
import type { Scenario } from '../../simulator/config/schema.js';
import { checkInvariants } from '../../simulator/invariants.js';
import { placementFor, shardSetup } from '../../simulator/run.js';
import { frozenAccounts } from '../../simulator/workload.js';
import { openWorkloadSource } from '../../simulator/workload-source.js';
import { tinyScenario } from '../helpers/scenario.js';

const SHARDS = 4;
const sc: Scenario = tinyScenario({ slots: { warmup: 1, measure: 6, drain: 20 }, workload: { rate: 200 } });

async function run(capacity: number) {
  const source = await openWorkloadSource(sc);
  const map = await placementFor(sc, SHARDS, source);
  const net = new MemoryNetwork(SHARDS);
  const shards = Array.from({ length: SHARDS }, (_, i) =>
    createShard(i, shardSetup(sc, SHARDS, source), { map, frozen: frozenAccounts(sc, source.accounts) }, net.endpointFor(i)),
  );
  const beacon = new Beacon(SHARDS, sc.finalityDelaySlots, capacity);
  const workload = source.bind(map);
  const { warmup, measure, drain } = sc.slots;
  const total = warmup + measure + drain;
  const jumps: number[] = [];
  let last = -1;
  let firstFinalAt = -1;
  for (let slot = 0; slot < total; slot++) {
    const rows = shards.map(() => new TxRows());
    if (slot < warmup + measure) await workload.each(slot, (tx) => rows[map.owner[tx.from]!]!.push(tx));
    const { finalizedSlot, crosslinks } = beacon.finalize(slot);
    if (finalizedSlot > last) jumps.push(finalizedSlot - last);
    if (finalizedSlot >= 0 && firstFinalAt < 0) firstFinalAt = slot;
    last = finalizedSlot;
    const reports = [];
    for (const s of shards) reports.push(await s.onSlot({ slot, finalizedSlot, crosslinks: crosslinks[s.shard]!, txs: rows[s.shard]! }));
    beacon.record(slot, reports);
  }
  const summaries: ShardSummary[] = await Promise.all(shards.map((s) => s.onFinish()));
  const inFlight = checkInvariants(summaries, {
    slot: total - 1,
    initialSupply: source.accounts * sc.accounts.initialBalance,
    generated: summaries.map((s) => s.counters.submitted + s.counters.mempoolDropped),
    unfinalized: beacon.unfinalized(),
    finalizedInbound: beacon.finalizedInbound,
  });
  await workload.close?.();
  return { summaries, inFlight, jumps, firstFinalAt, beacon, window: [warmup, warmup + measure] as const };
}

describe('shards behind a beacon of limited capacity', () => {
  for (const capacity of [1, 2]) {
    it(`capacity ${capacity} of ${SHARDS} shards: invariants hold, no batch rejected, every receipt applied after the drain`, async () => {
      const r = await run(capacity);
      // Slot 0 waits for its last shard's turn.
      expect(r.firstFinalAt).toBe(sc.finalityDelaySlots + SHARDS / capacity - 1);
      expect(r.summaries.reduce((a, s) => a + s.counters.receiptsEmitted, 0)).toBeGreaterThan(0);
      for (const s of r.summaries) expect(s.counters.rejectedBatches).toBe(0);
      expect(r.inFlight.count).toBe(0);
      const h = r.beacon.headerFinality(...r.window);
      expect(h.unfinalized).toBe(0);
      // Round robin: each header waits d to d + 4/c - 1 slots.
      expect(h.histogram.map(([d]) => d)).toEqual(Array.from({ length: SHARDS / capacity }, (_, w) => sc.finalityDelaySlots + w));
    });
  }

  it('under this light load, ends with the same balances and completions as an unlimited beacon (receipts only arrive later)', async () => {
    const [limited, unlimited] = [await run(1), await run(Number.POSITIVE_INFINITY)];
    const figures = (ss: readonly ShardSummary[]) => ss.map((s) => [s.balanceSum, s.counters.completed, s.counters.receiptsApplied]);
    expect(figures(limited.summaries)).toEqual(figures(unlimited.summaries));
    expect(unlimited.jumps.every((j) => j === 1)).toBe(true);
  });
});
