import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvariantError } from '../../crosslink/common/errors.js';
import { LatencyHistogram } from '../../shards/latency-histogram.js';
import { censoredLatency } from '../../simulator/censored-latency.js';
import { runScenario } from '../../simulator/run.js';
import { tinyScenario } from '../helpers/scenario.js';

/** A window of transactions: each submitted at an age (ms before the window's end), finished after `latency` ms or never (null). */
function histograms(txs: ReadonlyArray<{ age: number; latency: number | null }>) {
  const completed = new LatencyHistogram();
  const completedAges = new LatencyHistogram();
  const offeredAges = new LatencyHistogram();
  for (const tx of txs) {
    offeredAges.record(tx.age);
    if (tx.latency !== null) {
      completed.record(tx.latency);
      completedAges.record(tx.age);
    }
  }
  return { completed, completedAges, offeredAges };
}

describe('censored latency', () => {
  it('is exact when every transaction finished', () => {
    const txs = Array.from({ length: 100 }, (_, i) => ({ age: 1_000 + i, latency: 10 * (i + 1) }));
    const l = censoredLatency({ ...histograms(txs), afterWindowMs: 5_000, lastSlot: 9 });
    expect(l.lowerBound).toEqual([]);
    expect(l.completedShare).toBe(1);
    expect(l.censored).toBe(0);
    expect(l.samples).toBe(100);
    expect(l.p50).toBeCloseTo(0.5, 1);
  });

  it('reports a percentile that unfinished transactions reach as a lower bound, at least the time to the run end', () => {
    // 90 finish within 100 ms; 10 never finish, submitted 2 s before the window's end, with a 4 s drain after it.
    const txs = [...Array.from({ length: 90 }, () => ({ age: 3_000, latency: 100 })), ...Array.from({ length: 10 }, () => ({ age: 2_000, latency: null }))];
    const l = censoredLatency({ ...histograms(txs), afterWindowMs: 4_000, lastSlot: 9 });
    expect(l.completedShare).toBeCloseTo(0.9, 10);
    expect(l.censored).toBe(10);
    expect(l.p50).toBeLessThan(0.2);
    expect(l.lowerBound).toEqual(['p95', 'p99', 'mean']);
    // At least 4 s of drain plus the 2 s from submission to the window's end.
    expect(l.p99).toBeGreaterThanOrEqual(6 * 0.985);
    expect(l.p99).toBeLessThanOrEqual(6);
  });

  it('never reports a figure above the true one, and marks every figure it cannot know', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ age: fc.integer({ min: 1, max: 10_000 }), latency: fc.integer({ min: 0, max: 30_000 }), done: fc.boolean() }), {
          minLength: 1,
          maxLength: 300,
        }),
        fc.integer({ min: 0, max: 10_000 }),
        (rows, drain) => {
          // A transaction finishes within the run only if its latency fits before the end: age + drain.
          const txs = rows.map((r) => ({ age: r.age, latency: r.done && r.latency <= r.age + drain ? r.latency : null }));
          const truth = rows.map((r, i) => (txs[i]!.latency !== null ? r.latency : Math.max(r.latency, r.age + drain))).sort((a, b) => a - b);
          const l = censoredLatency({ ...histograms(txs), afterWindowMs: drain, lastSlot: 0 });
          for (const [name, q] of [
            ['p50', 0.5],
            ['p95', 0.95],
            ['p99', 0.99],
          ] as const) {
            const exact = truth[Math.max(1, Math.ceil(q * truth.length)) - 1]!;
            // The histogram's buckets are 1/64 of a power of two wide: allow that much.
            expect(l[name] * 1000).toBeLessThanOrEqual(exact * (1 + 1 / 32) + 1);
            if (!l.lowerBound.includes(name)) expect(l[name] * 1000).toBeGreaterThanOrEqual(exact * (1 - 1 / 32) - 1);
          }
        },
      ),
    );
  });

  it('refuses completions of transactions that were never offered', () => {
    const h = histograms([{ age: 500, latency: 10 }]);
    h.completedAges.record(500);
    h.completed.record(10);
    expect(() => censoredLatency({ ...h, afterWindowMs: 0, lastSlot: 7 })).toThrow(InvariantError);
    expect(() => censoredLatency({ ...h, afterWindowMs: 0, lastSlot: 7 })).toThrow(/exactly-once completion/);
  });
});

describe('latency of a run', () => {
  // One shard, 100 transfers a slot of capacity (2.1M gas / 21,000).
  const capacity = (rate: number) =>
    tinyScenario({ slots: { warmup: 2, measure: 10, drain: 4 }, shard: { blockGasLimit: 2_100_000, gasPerSecondPerThread: 100_000_000 }, workload: { rate } });

  it('counts the backlog of an overloaded run: the completed share, a lower-bound p99 and the overload in words', async () => {
    const run = await runScenario(capacity(150), 1);
    expect(run.latency.samples).toBe(1_500);
    expect(run.latency.completedShare).toBeLessThan(0.9);
    expect(run.latency.completed + run.latency.censored).toBe(run.latency.samples);
    expect(run.latency.lowerBound).toContain('p99');
    expect(run.latency.p99).toBeGreaterThanOrEqual(4);
    expect(run.stability.stable).toBe(false);
    expect(run.stability.reasons.join(' ')).toMatch(/backlog grew/);
  });

  it('gives exact percentiles for a lightly loaded run', async () => {
    const run = await runScenario(capacity(40), 1);
    expect(run.latency.completedShare).toBe(1);
    expect(run.latency.lowerBound).toEqual([]);
    expect(run.latency.p99).toBeLessThanOrEqual(1);
    expect(run.stability).toEqual({ stable: true, reasons: [], backlog: { start: 0, end: 0 }, droppedInWindow: 0 });
  });
});
