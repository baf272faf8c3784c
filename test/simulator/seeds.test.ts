import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../crosslink/common/errors.js';
import { figureStats, pointStats, tQuantile975 } from '../../simulator/point-stats.js';
import { formatSummary, seedRows } from '../../simulator/summary-table.js';
import { runSweep } from '../../simulator/sweep.js';
import { sweepPoints, sweepSeeds } from '../../simulator/sweep-points.js';
import { tinyScenario } from '../helpers/scenario.js';

describe('statistics over seeds', () => {
  it('gives one run a zero-width interval', () => {
    expect(figureStats([42])).toEqual({ mean: 42, sd: 0, ci95: [42, 42], n: 1 });
  });

  it('keeps a figure that only some seeds have', () => {
    const a = { shards: 1, seed: 1, params: { shards: 1 }, throughputTps: 10, findMax: { firstUnsustainableTps: null } };
    const b = { shards: 1, seed: 2, params: { shards: 1 }, throughputTps: 12, findMax: { firstUnsustainableTps: 40 } };
    const [p] = pointStats([a, b] as unknown as Parameters<typeof pointStats>[0]);
    expect(p!.figures['findMax.firstUnsustainableTps']).toEqual({ mean: 40, sd: 0, ci95: [40, 40], n: 1 });
    expect(p!.figures.throughputTps!.mean).toBe(11);
  });

  it("computes the mean, the sample deviation and Student's 95% interval", () => {
    const s = figureStats([1, 2, 3, 4]);
    expect(s.mean).toBe(2.5);
    expect(s.sd).toBeCloseTo(Math.sqrt(5 / 3), 12);
    const half = (3.182 * Math.sqrt(5 / 3)) / 2;
    expect(s.ci95[0]).toBeCloseTo(2.5 - half, 12);
    expect(s.ci95[1]).toBeCloseTo(2.5 + half, 12);
    expect(figureStats([Number.NaN, 5, 5]).n).toBe(2);
    expect(tQuantile975(1)).toBe(12.706);
    expect(tQuantile975(120)).toBeCloseTo(1.98, 2);
  });
});

describe('sweeps with several seeds', () => {
  // Zipf transfers over a few hundred accounts: throughput and latency depend on the draw.
  const sc = (seeds: number) => tinyScenario({ seed: 11, sweep: { shards: [1, 2] }, workload: { rate: 400, distribution: 'zipf' }, study: { seeds } });

  it('runs every point once per seed, in order, with the seeds recorded', async () => {
    const res = await runSweep(sc(3));
    expect(res.seeds).toEqual([11, 12, 13]);
    expect(res.runs.map((r) => [r.shards, r.seed])).toEqual([
      [1, 11],
      [1, 12],
      [1, 13],
      [2, 11],
      [2, 12],
      [2, 13],
    ]);
    expect(res.points).toHaveLength(2);
    const two = res.points[1]!;
    expect(two.seeds).toEqual([11, 12, 13]);
    const tps = res.runs.filter((r) => r.shards === 2).map((r) => r.throughputTps);
    expect(new Set(tps).size).toBeGreaterThan(1);
    const stats = two.figures.throughputTps!;
    expect(stats.n).toBe(3);
    expect(stats.mean).toBeCloseTo((tps[0]! + tps[1]! + tps[2]!) / 3, 9);
    expect(stats.sd).toBeGreaterThan(0);
    expect(stats.ci95[0]).toBeLessThan(stats.mean);
    expect(stats.ci95[1]).toBeGreaterThan(stats.mean);
    expect(two.figures['latency.p99']!.n).toBe(3);
    // The table has one line per point, each with its interval.
    const text = formatSummary(res);
    expect(text).toContain('seeds 11, 12, 13');
    expect(text).toMatch(/±/);
  });

  it('fills every cell of a point row from all its seeds, never from the first alone', async () => {
    const res = await runSweep(sc(2));
    const rows = seedRows(res, res.runs);
    const row = rows.rows.find((r) => r.shards === 2)!;
    const ratios = res.runs.filter((r) => r.shards === 2).map((r) => r.crossShardRatio);
    const mean = (ratios[0]! + ratios[1]!) / 2;
    expect(rows.cell(row, { value: () => 'first seed', stat: { path: 'crossShardRatio', format: String } })).toMatch(new RegExp(`^${mean} ±`));
    // A derived figure: its statistics over the point's runs.
    expect(rows.cell(row, { value: () => 'first seed', stat: { path: 'x', of: (r) => r.seed, format: String } })).toMatch(/^11\.5 ±/);
    // A column without statistics shows a value only when every seed agrees.
    expect(rows.cell(row, { value: (r) => String(r.shards) })).toBe('2');
    expect(rows.cell(row, { value: (r) => String(r.seed) })).toBe('-');
  });

  it('gives N = 1 the single run as its point, with a zero-width interval', async () => {
    const res = await runSweep(sc(1));
    expect(res.seeds).toEqual([11]);
    const p = res.points[0]!;
    expect(p.figures.throughputTps!.ci95).toEqual([res.runs[0]!.throughputTps, res.runs[0]!.throughputTps]);
    expect(pointStats(res.runs)).toEqual(res.points);
  });

  it('takes a seed axis as the list of seeds, not as a parameter', () => {
    const withAxis = tinyScenario({ sweep: { shards: [1], axes: { seed: [5, 9] } } });
    expect(sweepSeeds(withAxis)).toEqual([5, 9]);
    const points = sweepPoints(withAxis);
    expect(points.map((p) => p.scenario.seed)).toEqual([5, 9]);
    expect(points.every((p) => !('seed' in p.axes))).toBe(true);
    expect(() => sweepSeeds(tinyScenario({ sweep: { axes: { seed: [5] } }, study: { seeds: 2 } }))).toThrow(ConfigError);
    expect(() => sweepSeeds(tinyScenario({ sweep: { axes: { seed: [5, 5] } } }))).toThrow(/each seed once/);
  });
});
