import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../crosslink/common/errors.js';
import { validateScenario } from '../../simulator/config/load.js';
import { checkFindMax, findMaxSustainable, latencySloOf } from '../../simulator/find-max.js';
import { runScenario } from '../../simulator/run.js';
import { runSweep } from '../../simulator/sweep.js';
import { tinyScenario } from '../helpers/scenario.js';

describe('maximum sustainable throughput', () => {
  // Fixed gas per transaction (a local transfer, 21,000) and gas per slot (2.1M): 100 transactions a second.
  const oneShard = (startRate?: number) =>
    tinyScenario({
      slots: { warmup: 2, measure: 10, drain: 4 },
      sweep: { shards: [1] },
      shard: { blockGasLimit: 2_100_000, gasPerSecondPerThread: 100_000_000, mempoolCapacity: 100_000 },
      workload: { rate: 37 },
      study: { findMax: true, tolerance: 0.02, ...(startRate === undefined ? {} : { startRate }) },
    });

  it.each([37, 1_000])('finds the known capacity of one shard from a start of %i tx/s', async (start) => {
    const run = await findMaxSustainable(oneShard(start), 1, (sc) => runScenario(sc, 1));
    const fm = run.findMax!;
    expect(fm.maxSustainableTps).toBeLessThanOrEqual(100);
    expect(fm.maxSustainableTps).toBeGreaterThanOrEqual(100 / 1.02);
    expect(fm.firstUnsustainableTps).toBeGreaterThan(fm.maxSustainableTps);
    expect((fm.firstUnsustainableTps! - fm.maxSustainableTps) / fm.maxSustainableTps).toBeLessThanOrEqual(0.02);
    // The run reported is the one at the highest sustainable rate, and every probe says why it failed.
    expect(run.offeredTps).toBeCloseTo(fm.maxSustainableTps, 6);
    for (const p of fm.probes) expect(p.sustainable).toBe(p.reasons.length === 0);
    expect(fm.probes.filter((p) => !p.sustainable).every((p) => p.rate > 100)).toBe(true);
  });

  it('holds a latency objective: a tighter one than the cross-shard path lowers the maximum to zero', async () => {
    const sc = tinyScenario({
      sweep: { shards: [2] },
      shard: { blockGasLimit: 2_100_000, gasPerSecondPerThread: 100_000_000, mempoolCapacity: 100_000 },
      workload: { rate: 50 },
      study: { findMax: true, latencySlo: 0.5, maxProbes: 12 },
    });
    expect(latencySloOf(sc)).toBe(0.5);
    const run = await findMaxSustainable(sc, 2, (probe) => runScenario(probe, 2));
    expect(run.findMax!.maxSustainableTps).toBe(0);
    expect(run.findMax!.probes.every((p) => p.reasons.some((r) => /over the objective/.test(r)))).toBe(true);
  });

  it('is deterministic and covered by the run digest', async () => {
    const a = await runSweep(oneShard());
    const b = await runSweep(oneShard());
    expect(a.runs[0]!.findMax).toEqual(b.runs[0]!.findMax);
    expect(a.digest).toBe(b.digest);
    const plain = await runScenario(oneShard(), 1);
    expect(a.runs[0]!.digest).not.toBe(plain.digest);
  });

  it('never calls a rate sustainable that the workload did not really offer (a trace that runs out)', async () => {
    // 5,000 rows: at high rates the trace runs out inside the window and the probe offers far less than its rate.
    const sc = validateScenario(
      {
        name: 'trace-out',
        seed: 1,
        sweep: { shards: [2] },
        slots: { warmup: 2, measure: 10, drain: 6 },
        accounts: { initialBalance: 100_000_000_000 },
        workload: { kind: 'trace', rate: 100, trace: { file: 'configs/traces/communities-etl.csv', format: 'ethereum-etl', replay: 'rate' } },
        study: { findMax: true, maxProbes: 12 },
      },
      'test',
    );
    const run = await findMaxSustainable(sc, 2, (probe) => runScenario(probe, 2));
    const fm = run.findMax!;
    for (const p of fm.probes.filter((p) => p.sustainable)) expect(p.offeredTps).toBeGreaterThanOrEqual(p.rate * 0.97);
    expect(fm.probes.some((p) => p.reasons.some((r) => /offered only/.test(r)))).toBe(true);
    // 5,000 rows over the 12 slots before the window ends: about 417 a second at most can be offered throughout,
    // give or take the search's 2% tolerance on what a probe must really offer.
    expect(fm.maxSustainableTps).toBeLessThanOrEqual(5_000 / 12 / 0.98 + 1);
  });

  it('meets an objective that the latency equals exactly (the histogram rounds to bucket midpoints)', async () => {
    // One shard, 1 tx/s: every transaction completes at the end of its slot, 500 ms after submission (mid-slot).
    const sc = tinyScenario({
      sweep: { shards: [1] },
      slots: { warmup: 2, measure: 10, drain: 4 },
      shard: { blockGasLimit: 2_100_000, gasPerSecondPerThread: 100_000_000 },
      workload: { rate: 1 },
      study: { findMax: true, latencySlo: 0.5, startRate: 1, maxProbes: 2 },
    });
    const run = await findMaxSustainable(sc, 1, (probe) => runScenario(probe, 1));
    expect(run.findMax!.probes[0]!.reasons).toEqual([]);
    expect(run.findMax!.maxSustainableTps).toBeGreaterThanOrEqual(1);
  });

  it('defaults the objective to the cross-shard path plus four slots', () => {
    expect(latencySloOf(tinyScenario({ finalityDelaySlots: 2, slotSeconds: 2 }))).toBe(12);
  });

  it('refuses a trace replayed by blocks, whose rate it cannot vary', () => {
    const raw = {
      name: 'x',
      workload: { kind: 'trace', trace: { file: 'configs/traces/communities-etl.csv', format: 'ethereum-etl', replay: 'blocks' } },
      study: { findMax: true },
    };
    expect(() => validateScenario(raw, 'test')).toThrow(/workload\.trace\.replay: rate/);
    const sc = validateScenario({ ...raw, study: {} }, 'test');
    expect(() => checkFindMax({ ...sc, study: { ...sc.study, findMax: true } })).toThrow(ConfigError);
  });
});
