import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareResults, formatChange, formatComparison, parseMaxRegression } from '../../simulator/compare.js';
import { type CompareResults, type CompareRun, readResultsForCompare } from '../../simulator/compare-file.js';
import { FileError, UsageError } from '../../simulator/errors.js';
import { tempDir } from '../helpers/cli.js';

interface RunFigures {
  shards?: number;
  params?: Record<string, number | string>;
  seed?: number;
  tps?: number;
  p50?: number;
  p99?: number;
  cross?: number;
  speedup?: number;
  lowerBound?: string[];
  maxTps?: number;
}

function run(f: RunFigures = {}): CompareRun {
  const shards = f.shards ?? 1;
  return {
    shards,
    params: { shards, 'shard.threads': 1, ...f.params },
    ...(f.seed === undefined ? {} : { seed: f.seed }),
    throughputTps: f.tps ?? 1000,
    crossShardRatio: f.cross ?? 0.5,
    latency: { p50: f.p50 ?? 2, p99: f.p99 ?? 4, ...(f.lowerBound === undefined ? {} : { lowerBound: f.lowerBound }) },
    execution: { speedup: f.speedup ?? 1 },
    ...(f.maxTps === undefined ? {} : { findMax: { maxSustainableTps: f.maxTps } }),
  };
}

function results(runs: CompareRun[], scenario = 'ci', seed = 1): CompareResults {
  return { file: `${scenario}.json`, scenario, seed, version: '0.1.0', runs };
}

function figure(c: ReturnType<typeof compareResults>, point: string, name: string) {
  const p = c.points.find((x) => x.label === point);
  return p?.figures.find((f) => f.figure === name);
}

describe('compareResults', () => {
  const base = results([run({ shards: 1 }), run({ shards: 4, tps: 4000 })]);

  it('finds no regression between a file and itself, every change exactly 0', () => {
    const c = compareResults(base, base, 0.05);
    expect(c.verdict).toBe('ok');
    expect(c.regressions).toBe(0);
    expect(c.points.map((p) => p.label)).toEqual(['shards=1', 'shards=4']);
    for (const p of c.points) for (const f of p.figures) expect([f.change, f.verdict]).toEqual([0, 'ok']);
    expect(c.summary).toMatch(/^ok: no figure worse than the baseline by more than 5%/);
  });

  it('calls throughput 10% lower a regression, and 10% higher an improvement', () => {
    const worse = compareResults(base, results([run({ shards: 1 }), run({ shards: 4, tps: 3600 })]), 0.05);
    expect(worse.verdict).toBe('regression');
    expect(worse.regressions).toBe(1);
    expect(figure(worse, 'shards=4', 'throughputTps')).toMatchObject({ baseline: 4000, current: 3600, verdict: 'regression' });
    expect(figure(worse, 'shards=4', 'throughputTps')!.change).toBeCloseTo(-0.1, 12);
    expect(worse.summary).toMatch(/^REGRESSION: 1 figure worse than the baseline by more than 5%: throughputTps at shards=4 \(-10\.00%\)/);

    const better = compareResults(base, results([run({ shards: 1 }), run({ shards: 4, tps: 4400 })]), 0.05);
    expect(better.verdict).toBe('ok');
    expect(figure(better, 'shards=4', 'throughputTps')!.verdict).toBe('improved');
  });

  it('reads latency as lower is better, speedup as higher is better', () => {
    const c = compareResults(base, results([run({ shards: 1, p50: 2.2, p99: 3, speedup: 0.9 }), run({ shards: 4, tps: 4000 })]), 0.05);
    expect(figure(c, 'shards=1', 'latency.p50')!.verdict).toBe('regression');
    expect(figure(c, 'shards=1', 'latency.p99')!.verdict).toBe('improved');
    expect(figure(c, 'shards=1', 'execution.speedup')!.verdict).toBe('regression');
    expect(c.regressions).toBe(2);
  });

  it('keeps a change within the threshold ok, and uses the threshold given', () => {
    const cur = results([run({ shards: 1, tps: 970 }), run({ shards: 4, tps: 4000 })]);
    expect(compareResults(base, cur, 0.05).verdict).toBe('ok');
    expect(compareResults(base, cur, 0.02).verdict).toBe('regression');
    expect(figure(compareResults(base, cur, 0), 'shards=1', 'throughputTps')!.verdict).toBe('regression');
  });

  it('reports a cross-shard ratio that moved either way as changed, never as a regression', () => {
    for (const cross of [0.1, 0.9]) {
      const c = compareResults(base, results([run({ shards: 1, cross }), run({ shards: 4, tps: 4000 })]), 0.05);
      expect(figure(c, 'shards=1', 'crossShardRatio')!.verdict).toBe('changed');
      expect(c.verdict).toBe('ok');
      expect(c.summary).toMatch(/1 changed/);
    }
  });

  it('compares the mean over the seeds of a point, ignoring a `seed` parameter', () => {
    const seeded = (seed: number, tps: number): CompareRun => run({ shards: 4, seed, tps, params: { seed } });
    const baseline = results([seeded(1, 900), seeded(2, 1100), seeded(3, 1000)]);
    const current = results([seeded(7, 1000), seeded(8, 980)]);
    const c = compareResults(baseline, current, 0.05);
    expect(c.points).toHaveLength(1);
    expect(c.points[0]!.runs).toEqual({ baseline: 3, current: 2 });
    expect(figure(c, 'shards=4', 'throughputTps')).toMatchObject({ baseline: 1000, current: 990, verdict: 'ok' });
    expect(c.warnings.join('\n')).toMatch(/different seeds \(1, 2, 3 and 7, 8\)/);
    expect(formatComparison(c)).toContain('shards=4 (mean of 3 / 2 runs)');
    // One bad seed drags the mean past the threshold.
    expect(compareResults(baseline, results([seeded(7, 1000), seeded(8, 800)]), 0.05).verdict).toBe('regression');
  });

  it('takes a run without its own seed to have the file seed', () => {
    const c = compareResults(results([run()], 'ci', 5), results([run({ seed: 5 })], 'ci', 9), 0.05);
    expect(c.warnings).toEqual([]);
    expect(c.current.seeds).toEqual([5]);
  });

  it('matches points by every parameter, labels them by those that vary, and lists points of one file only', () => {
    const t = (threads: number, shards: number): CompareRun => run({ shards, params: { 'shard.threads': threads } });
    const c = compareResults(results([t(1, 1), t(8, 1), t(1, 2)]), results([t(8, 1), t(1, 2), t(32, 2)]), 0.05);
    expect(c.points.map((p) => p.label)).toEqual(['shards=1 shard.threads=8', 'shards=2 shard.threads=1']);
    expect(c.onlyInBaseline).toEqual(['shards=1 shard.threads=1']);
    expect(c.onlyInCurrent).toEqual(['shards=2 shard.threads=32']);
    expect(c.verdict).toBe('ok');
    expect(c.summary).toMatch(/2 points in one file only/);
    const text = formatComparison(c);
    expect(text).toContain('only in the baseline (not compared): shards=1 shard.threads=1');
    expect(text).toContain('only in the current file (not compared): shards=2 shard.threads=32');
  });

  it('matches without a parameter only one file records, and says so', () => {
    const c = compareResults(results([run()]), results([run({ params: { 'workload.rate': 5000 } })]), 0.05);
    expect(c.points).toHaveLength(1);
    expect(c.warnings.join('\n')).toMatch(/parameter workload\.rate recorded in one file only/);
  });

  it('refuses files with no point in common (exit 2)', () => {
    const err = (() => {
      try {
        compareResults(results([run({ shards: 1 })]), results([run({ shards: 2 })]), 0.05);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(2);
    expect((err as UsageError).message).toMatch(/no sweep point of ci\.json \(shards=2\) is a point of ci\.json \(shards=1\)/);
  });

  it('warns about different scenarios but compares them', () => {
    const c = compareResults(results([run()], 'a'), results([run()], 'b'), 0.05);
    expect(c.warnings.join('\n')).toMatch(/different scenarios \("a" and "b"\)/);
    expect(c.verdict).toBe('ok');
  });

  it('says in the row when a latency is a lower bound in one file only', () => {
    const c = compareResults(results([run()]), results([run({ lowerBound: ['p95', 'p99'] })]), 0.05);
    expect(figure(c, 'shards=1', 'latency.p99')!.note).toMatch(/p99 is a lower bound in the current file only/);
    expect(figure(c, 'shards=1', 'latency.p50')!.note).toBeUndefined();
    const both = compareResults(results([run({ lowerBound: ['p99'] })]), results([run({ lowerBound: ['p99'] })]), 0.05);
    expect(figure(both, 'shards=1', 'latency.p99')!.note).toMatch(/in both files/);
    // A point is a lower bound when any of its seeds is.
    const mixed = compareResults(results([run({ lowerBound: ['p50'] })]), results([run({ seed: 1 }), run({ seed: 2, lowerBound: [] })]), 0.05);
    expect(figure(mixed, 'shards=1', 'latency.p50')!.note).toMatch(/in the baseline only/);
  });

  it('never passes a latency that became a lower bound, and claims only what a bound proves', () => {
    const verdict = (b: Parameters<typeof run>[0], c: Parameters<typeof run>[0]) =>
      figure(compareResults(results([run(b)]), results([run(c)]), 0.05), 'shards=1', 'latency.p99')!.verdict;
    // The current p99 reads lower but is only a bound: its true value may be any amount worse.
    expect(verdict({ p99: 3 }, { p99: 2.5, lowerBound: ['p99'] })).toBe('regression');
    expect(verdict({ p99: 3 }, { p99: 9, lowerBound: ['p99'] })).toBe('regression');
    // The baseline was only a bound: an exact current figure well below it is a proven improvement; above it, nothing is known.
    expect(verdict({ p99: 10, lowerBound: ['p99'] }, { p99: 3 })).toBe('improved');
    expect(verdict({ p99: 10, lowerBound: ['p99'] }, { p99: 12 })).toBe('n/a');
    expect(verdict({ p99: 10, lowerBound: ['p99'] }, { p99: 12, lowerBound: ['p99'] })).toBe('n/a');
    expect(verdict({ p99: 10, lowerBound: ['p99'] }, { p99: 10, lowerBound: ['p99'] })).toBe('ok');
  });

  it('compares findMax only when both files have it', () => {
    expect(figure(compareResults(base, base, 0.05), 'shards=1', 'findMax.maxSustainableTps')).toBeUndefined();
    const withMax = (maxTps: number): CompareResults => results([run({ maxTps })]);
    expect(figure(compareResults(withMax(2000), withMax(1800), 0.05), 'shards=1', 'findMax.maxSustainableTps')!.verdict).toBe('regression');
    const one = figure(compareResults(results([run()]), withMax(2000), 0.05), 'shards=1', 'findMax.maxSustainableTps')!;
    expect(one).toMatchObject({ verdict: 'n/a', note: 'only the current file has it' });
  });

  it('gives no verdict on a figure without a value (NaN latency), and compares from a zero baseline', () => {
    const c = compareResults(results([run({ p50: Number.NaN, cross: 0 })]), results([run({ cross: 0.25 })]), 0.05);
    expect(figure(c, 'shards=1', 'latency.p50')).toMatchObject({ baseline: null, current: 2, change: null, verdict: 'n/a', note: 'no value in the baseline' });
    expect(figure(c, 'shards=1', 'crossShardRatio')).toMatchObject({ change: Number.POSITIVE_INFINITY, verdict: 'changed' });
    expect(c.verdict).toBe('ok');
  });

  it('never finds a regression in a file compared with itself, and always finds a throughput fall past the threshold', () => {
    const figures = fc.record({
      tps: fc.double({ min: 1, max: 1e6, noNaN: true }),
      p50: fc.double({ min: 0.01, max: 100, noNaN: true }),
      p99: fc.double({ min: 0.01, max: 100, noNaN: true }),
      cross: fc.double({ min: 0, max: 1, noNaN: true }),
      speedup: fc.double({ min: 0.1, max: 64, noNaN: true }),
    });
    fc.assert(
      fc.property(fc.array(figures, { minLength: 1, maxLength: 4 }), fc.double({ min: 0, max: 0.5, noNaN: true }), (points, max) => {
        const same = results(points.map((f, i) => run({ ...f, shards: i + 1 })));
        expect(compareResults(same, same, max).regressions).toBe(0);
        const fallen = results(points.map((f, i) => run({ ...f, shards: i + 1, tps: i === 0 ? f.tps * (1 - max) * 0.99 : f.tps })));
        expect(figure(compareResults(same, fallen, max), 'shards=1', 'throughputTps')!.verdict).toBe('regression');
      }),
    );
  });
});

describe('parseMaxRegression', () => {
  it('reads a percentage or a fraction below 1', () => {
    expect(parseMaxRegression('5%')).toBe(0.05);
    expect(parseMaxRegression('0.05')).toBe(0.05);
    expect(parseMaxRegression('2.5%')).toBe(0.025);
    expect(parseMaxRegression('0')).toBe(0);
    expect(parseMaxRegression('150%')).toBe(1.5);
  });

  it('refuses anything else, a bare 5 too (5% or 500%?)', () => {
    for (const bad of ['5', '1', '-5%', '5 %', 'five', '', '%', '0.05%%', '1e-2', 'NaN', '0x1']) expect(parseMaxRegression(bad), bad).toBeUndefined();
  });
});

describe('formatChange', () => {
  it('signs changes and marks an infinite one', () => {
    expect(formatChange(0)).toBe('0.00%');
    expect(formatChange(0.125)).toBe('+12.50%');
    expect(formatChange(-0.1)).toBe('-10.00%');
    expect(formatChange(Number.POSITIVE_INFINITY)).toBe('+inf%');
    expect(formatChange(null)).toBe('');
  });
});

describe('readResultsForCompare', () => {
  const dir = tempDir();
  const file = (name: string, content: string): string => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const refusal = (path: string): FileError => {
    try {
      readResultsForCompare(path);
    } catch (err) {
      expect(err).toBeInstanceOf(FileError);
      return err as FileError;
    }
    throw new Error('expected a refusal');
  };

  it('reads a results file, letting fields it does not need through', () => {
    const r = readResultsForCompare(
      file('ok.json', JSON.stringify({ scenario: 's', seed: 1, extra: true, runs: [{ ...run(), perShard: [], latency: { p50: null, p99: 1, p95: 1 } }] })),
    );
    expect(r.scenario).toBe('s');
    expect(r.runs[0]!.latency.p50).toBeNaN();
  });

  it('refuses a missing file, a directory, a file that is not JSON, and JSON of another shape (exit 2)', () => {
    expect(refusal(join(dir, 'missing.json')).message).toMatch(/missing\.json: cannot read results file: no such file/);
    const sub = join(dir, 'sub');
    mkdirSync(sub);
    expect(refusal(sub).message).toMatch(/is a directory/);
    expect(refusal(file('text.json', 'hello')).message).toMatch(/text\.json: not a shardsim results file .*: not valid JSON/);
    expect(refusal(file('array.json', '[1,2]')).message).toMatch(/not a shardsim results file .*\(top level\)/);
    expect(refusal(file('progress.json', JSON.stringify({ runId: 'x', runs: [] }))).message).toMatch(/scenario: /);
    expect(refusal(file('norun.json', JSON.stringify({ scenario: 's', seed: 1, runs: [] }))).message).toMatch(/it holds no runs/);
    expect(refusal(file('badrun.json', JSON.stringify({ scenario: 's', seed: 1, runs: [{ ...run(), throughputTps: 'fast' }] }))).message).toMatch(
      /runs\.0\.throughputTps/,
    );
    expect(refusal(file('bin.json', '\u0000\u0001')).exitCode).toBe(2);
  });
});
