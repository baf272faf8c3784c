import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORGERY_KINDS } from '../../crosslink/fault-plan.js';
import type { Scenario } from '../../simulator/config/schema.js';
import { runScenario } from '../../simulator/run.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';
import { tinyScenario } from '../helpers/scenario.js';

type Faults = NonNullable<Parameters<typeof tinyScenario>[0]>['faults'];

const scenario = (faults?: Faults, transport: 'memory' | 'redis' = 'memory'): Scenario =>
  tinyScenario({ transport, workload: { rate: 400 }, accounts: { count: 800 }, slots: { warmup: 1, measure: 6, drain: 6 }, ...(faults ? { faults } : {}) });

describe('Byzantine shards', () => {
  for (const kind of FORGERY_KINDS) {
    it(`every "${kind}" forgery is rejected and counted; honest state is untouched`, async () => {
      const clean = await runScenario(scenario(), 4);
      const run = await runScenario(scenario({ byzantine: { shards: [0, 2], ratio: 1, kinds: [kind] } }), 4);
      const f = run.faults!;
      const forged = f.forgedBatches[kind]!;
      expect(forged).toBeGreaterThan(0);
      const rejected = Object.values(f.rejectedBatchesByReason).reduce((a, b) => a + b, 0);
      if (kind === 'replay') {
        expect(rejected).toBe(0);
        expect(f.duplicateBatches).toBe(forged); // a replay is a copy of a batch already admitted: dropped
      } else {
        expect(rejected).toBe(forged);
      }
      // Forgeries changed nothing: the same state, the same receipts applied (run() checked the invariants).
      expect(run.stateRoots).toEqual(clean.stateRoots);
      expect(run.receipts.applied).toBe(clean.receipts.applied);
    });
  }
});

describe('delivery faults', () => {
  it('duplicated and reordered deliveries change nothing but the duplicate count', async () => {
    const clean = await runScenario(scenario(), 4);
    const run = await runScenario(scenario({ duplicateRatio: 0.3, reorder: true }), 4);
    expect(run.stateRoots).toEqual(clean.stateRoots);
    expect(run.throughputTps).toBe(clean.throughputTps);
    expect(run.faults!.duplicateBatches).toBeGreaterThan(0);
  });

  it('late deliveries delay completions but lose nothing', async () => {
    const clean = await runScenario(scenario(), 4);
    const run = await runScenario(scenario({ delay: { ratio: 0.5, minSlots: 1, maxSlots: 3 } }), 4);
    expect(run.latency.mean).toBeGreaterThan(clean.latency.mean);
    expect(run.receipts.sent).toBe(run.receipts.applied + run.receipts.inFlight);
  });

  it('a silent shard holds its receipts while the others go on', async () => {
    const run = await runScenario(scenario({ silent: [{ shard: 1, fromSlot: 2, slots: 4 }] }), 4);
    expect(run.faults!.silentSlots).toBe(4);
    expect(run.throughputTps).toBeGreaterThan(0);
  });
});

describe('faults on the redis transport', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('give the memory transport’s digest', async () => {
    const faults: Faults = {
      byzantine: { shards: [1], ratio: 0.7 },
      delay: { ratio: 0.2, minSlots: 1, maxSlots: 2 },
      duplicateRatio: 0.2,
      reorder: true,
      silent: [{ shard: 2, fromSlot: 3, slots: 2 }],
    };
    const memory = await runScenario(scenario(faults), 4);
    const viaRedis = await runScenario(scenario(faults, 'redis'), 4, { redis: { url: redis.url } });
    expect(viaRedis.digest).toBe(memory.digest);
  });
});
