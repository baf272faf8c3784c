import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../crosslink/common/errors.js';
import { runScenario } from '../../simulator/run.js';
import { runSweep } from '../../simulator/sweep.js';
import { sweepPoints } from '../../simulator/sweep-points.js';
import { runCli } from '../helpers/cli.js';
import { tinyScenario } from '../helpers/scenario.js';

describe('sweeps over any parameter', () => {
  it('runs the cartesian product of the axes at every shard count, first axis outermost', () => {
    const sc = tinyScenario({ sweep: { shards: [1, 2], axes: { 'shard.threads': [1, 8], 'accounts.count': [100, 200, 300] } } });
    const points = sweepPoints(sc);
    expect(points).toHaveLength(2 * 3 * 2);
    expect(points.map((p) => [p.axes['shard.threads'], p.axes['accounts.count'], p.shards]).slice(0, 4)).toEqual([
      [1, 100, 1],
      [1, 100, 2],
      [1, 200, 1],
      [1, 200, 2],
    ]);
    expect(points[5]!.scenario.accounts.count).toBe(300);
    expect(points[6]!.scenario.shard.threads).toBe(8);
  });

  it('records each run’s point in params', async () => {
    const sc = tinyScenario({ sweep: { shards: [2], axes: { 'shard.executor': ['sequential', 'access-list'], 'shard.threads': [4] } } });
    const res = await runSweep(sc);
    expect(res.runs.map((r) => r.params)).toEqual([
      expect.objectContaining({ shards: 2, 'shard.executor': 'sequential', 'shard.threads': 4 }),
      expect.objectContaining({ shards: 2, 'shard.executor': 'access-list', 'shard.threads': 4 }),
    ]);
  });

  it('a bad axis value or path is a config error naming the axis', () => {
    expect(() => sweepPoints(tinyScenario({ sweep: { axes: { 'shard.threads': [0] } } }))).toThrow(/sweep\.axes \(shard\.threads=0\)/);
    expect(() => sweepPoints(tinyScenario({ sweep: { axes: { 'shard.thread': [2] } } }))).toThrow(ConfigError);
    expect(() => sweepPoints(tinyScenario({ sweep: { axes: { 'shard.thread': [2] } } }))).toThrow(/sweep\.axes\.shard\.thread: no such scenario key/);
    expect(() => sweepPoints(tinyScenario({ sweep: { axes: { shards: [2] } } }))).toThrow(/sweep\.shards/);
  });

  it('--axis adds an axis from the command line', () => {
    const res = runCli(['validate', 'configs/quickstart.yaml', '--axis', 'shard.threads=1,4', '--axis', 'shard.executor=sequential,block-stm']);
    expect(res.stderr).toBe('');
    expect(res.stdout).toContain('16 runs');
    const bad = runCli(['validate', 'configs/quickstart.yaml', '--axis', 'shard.threads=1,0']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/shard\.threads=0/);
  });
});

describe('parallel executors in whole runs', () => {
  it('end with exactly the sequential state roots when the time budget does not bind', async () => {
    // Cross-shard receipts, refunds and contention; capacity bound by the gas limit alone.
    const base = {
      workload: { rate: 500, crossShardRatio: 0.5 },
      accounts: { count: 60, frozenRatio: 0.1 },
      shard: { gasPerSecondPerThread: 1e12, threads: 8 },
    };
    const seq = await runScenario(tinyScenario(base), 3);
    for (const executor of ['block-stm', 'access-list'] as const) {
      const par = await runScenario(tinyScenario({ ...base, shard: { ...base.shard, executor } }), 3);
      expect(par.stateRoots, executor).toEqual(seq.stateRoots);
      expect(par.throughputTps).toBe(seq.throughputTps);
      expect(par.execution.speedup).toBeGreaterThan(1);
    }
  });

  it('fit more transactions per block than sequential when the time budget binds', async () => {
    const tight = {
      workload: { rate: 'saturate' as const },
      accounts: { count: 5_000 },
      shard: { blockGasLimit: 20_000_000, gasPerSecondPerThread: 2_000_000, threads: 8 },
    };
    const seq = await runScenario(tinyScenario(tight), 1);
    const par = await runScenario(tinyScenario({ ...tight, shard: { ...tight.shard, executor: 'block-stm' } }), 1);
    expect(par.throughputTps).toBeGreaterThan(4 * seq.throughputTps);
  });
});
