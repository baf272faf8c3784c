/**
 * Crash recovery on the Redis transport: shard processes killed with SIGKILL
 * at chosen slots are restarted, their shards restored from checkpoints and
 * replayed, and the run's digest is the uninterrupted run's.
 */
import { deserialize, serialize } from 'node:v8';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvariantError } from '../../../../crosslink/common/errors.js';
import { K, runPrefix } from '../../../../crosslink/transports/redis/names.js';
import type { Scenario } from '../../../../simulator/config/schema.js';
import { runScenario } from '../../../../simulator/run.js';
import { hostPids, runKeys, startRedis, type TestRedis } from '../../../helpers/redis.js';
import { tinyScenario } from '../../../helpers/scenario.js';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

const busy = (overrides: Parameters<typeof tinyScenario>[0] = {}): Scenario =>
  tinyScenario({
    transport: 'redis',
    slots: { warmup: 1, measure: 14, drain: 5 },
    accounts: { count: 800, frozenRatio: 0.05 },
    workload: { rate: 300, crossShardRatio: 0.8 },
    recovery: { checkpointEvery: 4, restarts: 3 },
    ...overrides,
  });

let runs = 0;

/** Runs `sc` and SIGKILLs a shard process (the `which`-th host) right after each slot in `killAt`. */
async function runWithKills(sc: Scenario, shards: number, killAt: ReadonlyMap<number, number>) {
  const killed: number[] = [];
  const prefix = runPrefix(`recovery-${process.pid}-${runs++}`);
  const kills: Array<Promise<void>> = [];
  const result = await runScenario(sc, shards, {
    redis: { url: redis.url, prefix },
    onSlot: (slot) => {
      const which = killAt.get(slot);
      if (which === undefined) return;
      kills.push(
        hostPids(redis.client, prefix).then((pids) => {
          const pid = pids[which % pids.length]!;
          process.kill(pid, 'SIGKILL');
          killed.push(pid);
        }),
      );
    },
  });
  await Promise.all(kills);
  return { result, killed };
}

describe('shard process crash and restart', () => {
  const cases: Array<{ name: string; shards: number; processes: number | 'auto'; kills: Array<[number, number]>; seed: number }> = [
    { name: 'one shard per process, killed between checkpoints', shards: 2, processes: 'auto', kills: [[6, 1]], seed: 5 },
    { name: 'one shard per process, killed right after a checkpoint slot', shards: 2, processes: 'auto', kills: [[3, 0]], seed: 6 },
    { name: 'two shards per process, killed at a random slot', shards: 4, processes: 2, kills: [[1 + ((7 * 31) % 16), 1]], seed: 7 },
    {
      name: 'two processes killed one after the other',
      shards: 4,
      processes: 2,
      kills: [
        [4, 0],
        [11, 1],
      ],
      seed: 8,
    },
  ];
  for (const c of cases) {
    it(`${c.name}: the uninterrupted run's digest`, async () => {
      const sc = busy({ seed: c.seed, maxProcesses: c.processes });
      const clean = await runScenario({ ...sc, transport: 'memory' }, c.shards);
      const { result, killed } = await runWithKills(sc, c.shards, new Map(c.kills));
      expect(killed).toHaveLength(c.kills.length);
      expect(result.digest).toBe(clean.digest);
      expect(result.stateRoots).toEqual(clean.stateRoots);
      expect(result.receipts.duplicates).toBe(clean.receipts.duplicates);
      // Completions by kind live only in the shards until the end: the checkpoints carry them across the kill.
      expect(result.byKind).toEqual(clean.byKind);
      expect(result.byKind.transfer!.failed).toBeGreaterThan(0);
      const recoveries = result.wall.recoveries ?? [];
      expect(recoveries).toHaveLength(c.kills.length);
      for (const r of recoveries) expect(r.wallSeconds).toBeGreaterThan(0);
      expect(await runKeys(redis.client)).toEqual([]);
    });
  }

  it('faults and forgeries survive a restart too (the forger and the inbox come back from the checkpoint)', async () => {
    const sc = busy({
      seed: 9,
      faults: { duplicateRatio: 0.2, delay: { ratio: 0.3, minSlots: 1, maxSlots: 3 }, reorder: true, byzantine: { shards: [1], ratio: 0.6 } },
    });
    const clean = await runScenario({ ...sc, transport: 'memory' }, 3);
    const { result } = await runWithKills(sc, 3, new Map([[9, 1]]));
    expect(result.digest).toBe(clean.digest);
    expect(result.faults).toEqual(clean.faults);
  });

  it('the network, consensus, a receipt byte cap and a small beacon survive a restart too (held-back batches come back from the checkpoint)', async () => {
    const sc = busy({
      seed: 10,
      maxProcesses: 2,
      network: { preset: 'global-2019', receiptBytesPerSlot: 2_000 },
      consensus: { protocol: 'pbft', maxCommittee: 16 },
      security: { validators: 64 },
      beacon: { crosslinksPerSlot: 1 },
    });
    const clean = await runScenario({ ...sc, transport: 'memory' }, 4);
    expect(clean.network.agreementSeconds).toBeGreaterThan(0);
    expect(clean.network.receiptsHeldBackMax).toBeGreaterThan(0);
    const { result } = await runWithKills(sc, 4, new Map([[7, 1]]));
    expect(result.digest).toBe(clean.digest);
    expect(result.network).toEqual(clean.network);
  });

  it('a restored shard that replays a slot differently stops the run: "deterministic recovery", naming the shard and the slot', async () => {
    // Checkpoints after slots 7 and 15: the kill after slot 9 restores from slot 7 and replays 8 and 9.
    const sc = busy({ seed: 12, recovery: { checkpointEvery: 8, restarts: 3 } });
    const prefix = runPrefix(`recovery-${process.pid}-${runs++}`);
    const tampered: Array<Promise<void>> = [];
    const run = runScenario(sc, 2, {
      redis: { url: redis.url, prefix },
      onSlot: (slot) => {
        if (slot !== 9) return;
        tampered.push(
          (async () => {
            // The checkpoint of shard 1 (on the second process) now holds another parent hash: its next block differs.
            const key = K.checkpoint(prefix, 1);
            const stored = deserialize((await redis.client.getBuffer(key))!) as { shard: { slot: number; data: { parentHash: Uint8Array } } };
            expect(stored.shard.slot).toBe(7);
            stored.shard.data.parentHash[0]! ^= 0xff;
            await redis.client.set(key, serialize(stored));
            const pids = await hostPids(redis.client, prefix);
            process.kill(pids[1]!, 'SIGKILL');
          })(),
        );
      },
    });
    const err: unknown = await run.then(
      () => undefined,
      (e: unknown) => e,
    );
    await Promise.all(tampered);
    expect(err).toBeInstanceOf(InvariantError);
    expect(err).toMatchObject({ invariant: 'deterministic recovery', shard: 1, slot: 8 });
    expect((err as Error).message).toMatch(/^invariant "deterministic recovery" violated at shard 1, slot 8: restored from its checkpoint of slot 7/);
    expect(await runKeys(redis.client)).toEqual([]);
  });

  it('a death beyond the restart budget stops the run and says why', async () => {
    const sc = busy({ seed: 10, recovery: { checkpointEvery: 4, restarts: 0 } });
    await expect(runWithKills(sc, 2, new Map([[5, 0]]))).rejects.toThrow(/killed by SIGKILL during slot \d+; no restarts left \(recovery\.restarts: 0\)/);
    expect(await runKeys(redis.client)).toEqual([]);
  });

  it('without checkpoints a death stops the run', async () => {
    const sc = busy({ seed: 11, recovery: { checkpointEvery: 0, restarts: 3 } });
    await expect(runWithKills(sc, 2, new Map([[5, 0]]))).rejects.toThrow(/checkpoints are off \(recovery\.checkpointEvery: 0\)/);
  });
});
