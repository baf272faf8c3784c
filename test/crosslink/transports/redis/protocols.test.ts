/**
 * Every cross-shard protocol, and accounts that move between shards, are deterministic across transports and
 * through crash recovery: one thread, worker threads and Redis shard processes give one digest, and a shard
 * process killed mid-run ends with the clean run's digest (locks, broker balances, the protocol counters, the
 * moved placement and the transactions waiting for a moving account come back from the checkpoint).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPrefix } from '../../../../crosslink/transports/redis/names.js';
import { CROSS_SHARD_PROTOCOLS } from '../../../../simulator/config/cross-shard-schema.js';
import type { Scenario } from '../../../../simulator/config/schema.js';
import { runScenario } from '../../../../simulator/run.js';
import { hostPids, startRedis, type TestRedis } from '../../../helpers/redis.js';
import { tinyScenario } from '../../../helpers/scenario.js';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

/** Busy enough that brokers run dry, locks collide and relays queue behind transactions. */
const busy = (protocol: string, overrides: Parameters<typeof tinyScenario>[0] = {}): Scenario =>
  tinyScenario({
    slots: { warmup: 1, measure: 10, drain: 5 },
    accounts: { count: 300, frozenRatio: 0.05 },
    workload: { rate: 500, crossShardRatio: 0.7 },
    crossShard: { protocol: protocol as Scenario['crossShard']['protocol'], broker: { count: 2, liquidity: 3_000 } },
    recovery: { checkpointEvery: 4, restarts: 3 },
    ...overrides,
  });

let runs = 0;

/** Runs `sc` on Redis and SIGKILLs the second shard process right after slot `at`. */
async function killedAt(sc: Scenario, shards: number, at: number) {
  const prefix = runPrefix(`protocols-kill-${process.pid}-${runs++}`);
  const kills: Array<Promise<void>> = [];
  const result = await runScenario(sc, shards, {
    redis: { url: redis.url, prefix },
    onSlot: (slot) => {
      if (slot !== at) return;
      kills.push(
        hostPids(redis.client, prefix).then((pids) => {
          process.kill(pids[1 % pids.length]!, 'SIGKILL');
        }),
      );
    },
  });
  await Promise.all(kills);
  expect(result.wall.recoveries ?? []).toHaveLength(1);
  return result;
}

describe('each cross-shard protocol on every transport', () => {
  for (const protocol of CROSS_SHARD_PROTOCOLS) {
    it(`${protocol}: one thread, worker threads and Redis give one digest`, async () => {
      const single = await runScenario(busy(protocol, { memoryThreads: 1 }), 3);
      const threaded = await runScenario(busy(protocol, { memoryThreads: 3 }), 3);
      const viaRedis = await runScenario(busy(protocol, { transport: 'redis', maxProcesses: 2 }), 3, {
        redis: { url: redis.url, prefix: runPrefix(`protocols-${process.pid}-${runs++}`) },
      });
      expect(threaded.digest).toBe(single.digest);
      expect(viaRedis.digest).toBe(single.digest);
      expect(viaRedis.crossShard).toEqual(single.crossShard);
      // The run exercised what makes the protocol different.
      const x = single.crossShard!;
      if (protocol === 'lock-2pc') expect(x.locks.aborts).toBeGreaterThan(0);
      if (protocol === 'broker') expect(x.broker!.dry).toBeGreaterThan(0);
    });

    it(`${protocol}: a shard process killed mid-run ends with the clean run's digest`, async () => {
      const sc = busy(protocol, { transport: 'redis', maxProcesses: 2, seed: 11 });
      const clean = await runScenario({ ...sc, transport: 'memory' }, 2);
      const result = await killedAt(sc, 2, 6);
      expect(result.digest).toBe(clean.digest);
      expect(result.crossShard).toEqual(clean.crossShard);
    });
  }
});

describe('accounts that move (accounts.repartition) on every transport', () => {
  const moving = (over: Parameters<typeof tinyScenario>[0] = {}): Scenario =>
    busy('receipts', {
      accounts: { count: 300, frozenRatio: 0.05, repartition: { everySlots: 3 } },
      workload: { rate: 500, distribution: 'zipf', zipfExponent: 1.2 },
      ...over,
    });

  it('one thread, worker threads and Redis give one digest', async () => {
    const single = await runScenario(moving({ memoryThreads: 1 }), 3);
    const threaded = await runScenario(moving({ memoryThreads: 3 }), 3);
    const viaRedis = await runScenario(moving({ transport: 'redis', maxProcesses: 2 }), 3, {
      redis: { url: redis.url, prefix: runPrefix(`repartition-${process.pid}-${runs++}`) },
    });
    expect(single.placement!.accountsMoved).toBeGreaterThan(0);
    expect(threaded.digest).toBe(single.digest);
    expect(viaRedis.digest).toBe(single.digest);
    expect(viaRedis.placement).toEqual(single.placement);
  });

  it('a shard process killed mid-run, between two re-placements, ends with the clean run\u2019s digest', async () => {
    const sc = moving({ transport: 'redis', maxProcesses: 2, seed: 12 });
    const clean = await runScenario({ ...sc, transport: 'memory' }, 2);
    expect(clean.placement!.waitedForState).toBeGreaterThan(0);
    const result = await killedAt(sc, 2, 7);
    expect(result.digest).toBe(clean.digest);
    expect(result.placement).toEqual(clean.placement);
  });
});
