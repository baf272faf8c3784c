import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../simulator/config/load.js';
import { findMaxSustainable } from '../../simulator/find-max.js';
import { runScenario } from '../../simulator/run.js';
import { runSweep } from '../../simulator/sweep.js';
import { ROOT } from '../helpers/cli.js';
import { tinyScenario } from '../helpers/scenario.js';

describe('configs/100k.yaml (shape, not timing)', () => {
  it('aggregate throughput grows with the shard count under saturating load', async () => {
    const sc = loadScenario(join(ROOT, 'configs', '100k.yaml'), ['sweep.shards=[1,2,4,8]', 'slots.measure=4', 'slots.drain=2']);
    const res = await runSweep(sc);
    const tps = res.runs.map((r) => r.throughputTps);
    for (let i = 1; i < tps.length; i++) {
      // Each doubling adds capacity; cross-shard receipts cost some of it, so not a full 2x.
      expect(tps[i]!).toBeGreaterThan(1.3 * tps[i - 1]!);
    }
    // Saturated: offered load exceeds what is completed at every point.
    for (const r of res.runs) expect(r.offeredTps).toBeGreaterThan(r.throughputTps);
  });
});

describe('shapes a study must show', () => {
  it('hash placement makes about 1 - 1/k of uniform transfers cross shards', async () => {
    const sc = tinyScenario({ accounts: { count: 20_000 }, workload: { rate: 1_000, distribution: 'uniform' }, slots: { warmup: 0, measure: 4, drain: 4 } });
    for (const k of [2, 4, 8, 16, 64]) {
      const run = await runScenario(sc, k);
      // About 4,000 transfers: a binomial share within 0.03 of 1 - 1/k.
      expect(Math.abs(run.crossShardRatio - (1 - 1 / k))).toBeLessThan(0.03);
    }
  });

  it('with offered load below capacity more shards do not raise throughput; the maximum sustainable rate does', async () => {
    // 100 local transfers a slot per shard; 60 a second offered.
    const sc = tinyScenario({
      slots: { warmup: 2, measure: 8, drain: 4 },
      shard: { blockGasLimit: 2_100_000, gasPerSecondPerThread: 100_000_000, mempoolCapacity: 100_000 },
      workload: { rate: 60 },
      study: { findMax: true, tolerance: 0.05 },
    });
    const fixed = await Promise.all([1, 2, 4].map((k) => runScenario(sc, k)));
    // What is offered is what completes (a transaction or so either side of the window's edges), whatever the shard count.
    for (const run of fixed) expect(Math.abs(run.throughputTps - 60)).toBeLessThanOrEqual(2);
    const max = [];
    for (const k of [1, 4]) max.push((await findMaxSustainable(sc, k, (probe) => runScenario(probe, k))).findMax!.maxSustainableTps);
    expect(max[1]!).toBeGreaterThan(2 * max[0]!);
  });
});
