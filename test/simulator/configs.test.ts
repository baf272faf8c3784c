import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../simulator/config/load.js';
import { runSweep } from '../../simulator/sweep.js';
import { sweepPoints } from '../../simulator/sweep-points.js';
import { expectByKindInStep } from '../helpers/by-kind.js';
import { ROOT } from '../helpers/cli.js';

const scenarioFiles = (dir: string): string[] => readdirSync(join(ROOT, 'configs', dir)).filter((f) => /\.(ya?ml|json)$/.test(f));
/** The configs and the guided tour's steps (docs/tour.md). */
const configs = [...scenarioFiles(''), ...scenarioFiles('tour').map((f) => `tour/${f}`)];

/**
 * Every shipped config, shortened so the suite stays quick: at most three
 * shard counts, three measured slots, and the first and last value of each axis.
 */
function shortened(file: string) {
  const full = loadScenario(join(ROOT, 'configs', file));
  const shards = full.sweep.shards.filter((s) => s <= 8).slice(0, 3);
  const axes = Object.entries(full.sweep.axes).map(([path, values]) => `${path}=${[...new Set([values[0], values[values.length - 1]])].join(',')}`);
  return loadScenario(
    join(ROOT, 'configs', file),
    [
      'sweep.axes={}',
      `sweep.shards=[${(shards.length > 0 ? shards : [2]).join(',')}]`,
      `slots.warmup=${Math.min(full.slots.warmup, 2)}`,
      'slots.measure=3',
      `slots.drain=${Math.min(full.slots.drain, 4)}`,
      // The search for the maximum sustainable rate has its own tests; here each point runs once.
      'study.findMax=false',
    ],
    axes,
  );
}

describe('every config under configs/', () => {
  it('ships the configs the README promises', () => {
    expect(configs).toEqual(expect.arrayContaining(['quickstart.yaml', '100k.yaml', 'cross-heavy.yaml', 'refunds.yaml', 'tour/1-scaling.yaml']));
  });

  for (const file of configs) {
    it(`${file} runs with supply conserved, receipts applied exactly once and no transaction lost`, async () => {
      const sc = shortened(file);
      // runSweep throws InvariantError if supply, exactly-once, proofs or tx accounting break.
      const res = await runSweep(sc);
      expect(res.runs).toHaveLength(sweepPoints(sc).length);
      for (const run of res.runs) {
        const t = run.transactions;
        const r = run.receipts;
        expect(r.sent).toBe(r.applied + r.inFlight);
        expect(t.completed + t.pending).toBe(t.submitted);
        // Only forgeries are ever rejected: a clean run rejects nothing, a faulty one every forgery but replays.
        if (run.faults === null) {
          expect(r.rejected).toBe(0);
        } else {
          const { replay = 0, ...forged } = run.faults.forgedBatches;
          const rejected = Object.values(run.faults.rejectedBatchesByReason).reduce((a, b) => a + b, 0);
          expect(rejected).toBe(Object.values(forged).reduce((a, b) => a + b, 0));
          expect(run.faults.duplicateBatches).toBeGreaterThanOrEqual(replay);
        }
        expect(run.throughputTps).toBeGreaterThan(0);
        expect(run.stateRoots).toHaveLength(run.shards);
        expectByKindInStep(run, sc);
      }
    });
  }

  it('cross-heavy.yaml holds its 90% cross-shard ratio at every shard count', async () => {
    const res = await runSweep(shortened('cross-heavy.yaml'));
    for (const run of res.runs) expect(run.crossShardRatio).toBeCloseTo(0.9, 1);
  });

  it('refunds.yaml refunds failed credits and still conserves supply', async () => {
    const res = await runSweep(shortened('refunds.yaml'));
    const multi = res.runs.filter((r) => r.shards > 1);
    expect(multi.length).toBeGreaterThan(0);
    for (const run of multi) {
      expect(run.receipts.refunds).toBeGreaterThan(0);
      expect(run.transactions.completedFailed).toBeGreaterThanOrEqual(run.receipts.refunds - run.receipts.inFlight);
    }
  });
});
