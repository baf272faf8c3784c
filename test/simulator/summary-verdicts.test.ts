import { describe, expect, it } from 'vitest';
import { goalVerdict } from '../../simulator/goal.js';
import type { RunResult, SweepResults } from '../../simulator/results.js';
import { formatSummary, goalLine, noRateLine, overloadLine } from '../../simulator/summary-table.js';
import { runSweep } from '../../simulator/sweep.js';
import { tinyScenario } from '../helpers/scenario.js';

// One shard of 100 transfers a second (2.1M gas blocks of 21,000-gas transfers).
const oneShard = (rate: number, extra: Parameters<typeof tinyScenario>[0] = {}) =>
  tinyScenario({
    slots: { warmup: 2, measure: 10, drain: 4 },
    sweep: { shards: [1, 2] },
    shard: { blockGasLimit: 2_100_000, gasPerSecondPerThread: 100_000_000, mempoolCapacity: 100_000 },
    workload: { rate },
    ...extra,
  });

describe('the summary names what a reader must not take at face value', () => {
  it('lists overloaded runs in words and marks their lower-bound latencies', async () => {
    const res = await runSweep(oneShard(150));
    const text = formatSummary(res);
    expect(text).toMatch(/Overloaded \(offered more than sustained\): 1 shard/);
    expect(text).toMatch(/≥\d/);
    expect(text).toContain('done %');
  });

  it('says nothing of overload when the network keeps up', async () => {
    const res = await runSweep(oneShard(40));
    expect(formatSummary(res)).not.toContain('Overloaded');
    expect(formatSummary(res)).not.toContain('≥');
  });

  it('names a few overloaded runs and counts the rest', () => {
    const run = (i: number) => ({ shards: i, stability: { stable: i > 10 }, latency: { completedShare: 0.5 } }) as unknown as RunResult;
    const line = overloadLine(
      Array.from({ length: 12 }, (_, i) => run(i + 1)),
      (r) => `run ${r.shards}`,
    );
    expect(line).toContain('run 1, run 2, run 3, run 4, run 5, run 6 and 4 more of 12 points');
  });

  it('judges a goal by the maximum sustainable rate when the sweep searched it', async () => {
    const sc = oneShard(37, { study: { findMax: true }, report: { targetTps: 150 } });
    const res: SweepResults = await runSweep(sc);
    const v = goalVerdict(res.runs, 150);
    expect(v.figure).toBe('sustained');
    expect(goalLine(v, () => '')).toMatch(/^150 TPS first sustained at 2 shards \(\d+ TPS\)\.$/);
    expect(formatSummary(res)).toContain('max sustained TPS');
  });

  it('judges a point run with several seeds by its mean, not its luckiest seed', () => {
    const run = (shards: number, seed: number, tps: number) => ({ shards, seed, params: { shards }, throughputTps: tps }) as unknown as RunResult;
    // At 2 shards one seed reaches 500 but the mean (490) does not; at 4 shards the mean does.
    const v = goalVerdict([run(2, 1, 480), run(2, 2, 500), run(4, 1, 510), run(4, 2, 520)], 500);
    expect(v.first?.run.shards).toBe(4);
    expect(v.first?.value).toBe(515);
    expect(goalLine(v, () => '')).toBe('500 TPS first reached at 4 shards (515 TPS).');
  });

  it('says where no rate probed was sustainable, and why the lowest failed', () => {
    const run = {
      shards: 2,
      params: { shards: 2 },
      findMax: {
        maxSustainableTps: 0,
        probes: [
          { rate: 4, reasons: ['p99 latency 2.5 s is over the objective of 0.5 s'] },
          { rate: 1, reasons: ['p99 latency 2.4 s is over the objective of 0.5 s'] },
        ],
      },
    } as unknown as RunResult;
    expect(noRateLine([run], (r) => `${r.shards} shards`)).toBe(
      'No rate probed was sustainable at 2 shards: their rows show the lowest rate tried (1 tx/s), which failed because p99 latency 2.4 s is over the objective of 0.5 s.',
    );
    expect(noRateLine([{ ...run, findMax: { ...run.findMax!, maxSustainableTps: 3 } }], () => '')).toBeUndefined();
  });
});
