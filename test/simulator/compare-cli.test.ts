import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SweepResults } from '../../simulator/results.js';
import { ROOT, runCli, tempDir } from '../helpers/cli.js';

/** The results of a real sweep (configs/ci.yaml), as CI compares them. */
const BASELINE = join(ROOT, '.ci', 'baseline-results.json');

type Writable<T> = { -readonly [K in keyof T]: T[K] extends object ? Writable<T[K]> : T[K] };

function edited(edit: (r: Writable<SweepResults>) => void): string {
  const r = JSON.parse(readFileSync(BASELINE, 'utf8')) as Writable<SweepResults>;
  edit(r);
  const path = join(tempDir(), 'results.json');
  writeFileSync(path, JSON.stringify(r));
  return path;
}

describe('shardsim compare, end to end', () => {
  it('exits 0 on identical files and says so in one verdict line', () => {
    const res = runCli(['compare', BASELINE, BASELINE]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^point +figure +baseline +current +change +verdict/m);
    expect(res.stdout).toMatch(/^shards=16 +throughputTps .* 0\.00% +ok$/m);
    expect(res.stdout).not.toMatch(/ regression$/m);
    expect(res.stdout.trimEnd().split('\n').at(-1)).toMatch(/^verdict: ok: no figure worse than the baseline by more than 5%; 30 figures compared at 5 points/);
  });

  it('exits 1 on a crafted regression, naming it, without an error message', () => {
    const current = edited((r) => {
      r.runs[3]!.throughputTps *= 0.9;
    });
    const res = runCli(['compare', BASELINE, current, '--max-regression', '5%']);
    expect(res.code).toBe(1);
    expect(res.stderr).toBe('');
    expect(res.stdout).toMatch(/^shards=8 +throughputTps .* -10\.00% +regression$/m);
    expect(res.stdout).toMatch(/^verdict: REGRESSION: 1 figure worse than the baseline by more than 5%: throughputTps at shards=8 \(-10\.00%\)/m);
    // Within a looser threshold it passes.
    expect(runCli(['compare', BASELINE, current, '--max-regression', '0.15']).code).toBe(0);
  });

  it('exits 0 on an improvement, and calls it one', () => {
    const current = edited((r) => {
      r.runs[1]!.latency.p99 *= 0.5;
    });
    const res = runCli(['compare', BASELINE, current]);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^ +latency\.p99 .* -50\.00% +improved( .*)?$/m);
    expect(res.stdout).toMatch(/1 improved/);
  });

  it('--json prints the comparison for scripts, with the same exit code', () => {
    const current = edited((r) => {
      r.runs[0]!.execution.speedup = 0.5;
    });
    const res = runCli(['compare', BASELINE, current, '--json']);
    expect(res.code).toBe(1);
    const json = JSON.parse(res.stdout) as {
      verdict: string;
      regressions: number;
      maxRegression: number;
      points: { label: string; figures: { figure: string; verdict: string }[] }[];
    };
    expect(json).toMatchObject({ verdict: 'regression', regressions: 1, maxRegression: 0.05 });
    expect(json.points[0]!.label).toBe('shards=1');
    expect(json.points[0]!.figures.find((f) => f.figure === 'execution.speedup')!.verdict).toBe('regression');
  });

  it('averages the seeds of a point', () => {
    // Two seeds at every point, one 10% below the baseline and one 10% above: the mean is unchanged.
    const current = edited((r) => {
      r.runs = r.runs.flatMap((run) => [
        { ...run, seed: 1, throughputTps: run.throughputTps * 0.9 },
        { ...run, seed: 2, throughputTps: run.throughputTps * 1.1 },
      ]);
    });
    const res = runCli(['compare', BASELINE, current]);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^shards=1 \(mean of 1 \/ 2 runs\) +throughputTps .* ok$/m);
    expect(res.stderr).toMatch(/warning: the files were run with different seeds/);
  });

  it('lists points of one file only, and warns about different scenarios', () => {
    const current = edited((r) => {
      r.scenario = 'other';
      r.runs = r.runs.slice(0, 3);
    });
    const res = runCli(['compare', BASELINE, current]);
    expect(res.code).toBe(0);
    expect(res.stderr).toMatch(/^shardsim: warning: the files are of different scenarios \("ci" and "other"\)/);
    expect(res.stdout).toContain('only in the baseline (not compared): shards=8; shards=16');
  });

  it('exits 2 on unusable input: a malformed file, a file of the wrong shape, no point in common, a missing file', () => {
    const dir = tempDir();
    const malformed = join(dir, 'malformed.json');
    writeFileSync(malformed, '{"scenario": "ci", "runs": [');
    const wrongShape = join(dir, 'scenario.json');
    writeFileSync(wrongShape, JSON.stringify({ name: 'ci', seed: 1, sweep: { shards: [1] } }));
    const disjoint = edited((r) => {
      for (const run of r.runs) run.shards *= 3;
    });
    const cases: Array<[string[], RegExp]> = [
      [[BASELINE, malformed], /^shardsim: error: .*malformed\.json: not a shardsim results file .*: not valid JSON/],
      [[wrongShape, BASELINE], /^shardsim: error: .*scenario\.json: not a shardsim results file .*scenario: /],
      [[BASELINE, disjoint], /^shardsim: error: no sweep point of .* is a point of .*: nothing to compare/],
      [[BASELINE, join(dir, 'nope.json')], /^shardsim: error: .*nope\.json: cannot read results file: no such file or directory/],
    ];
    for (const [args, message] of cases) {
      const res = runCli(['compare', ...args]);
      expect(res.code, message.source).toBe(2);
      expect(res.stdout).toBe('');
      expect(res.stderr).toMatch(message);
      expect(res.stderr).not.toMatch(/internal error/);
    }
  });

  it('is listed in the help, with its options', () => {
    expect(runCli(['--help']).stdout).toMatch(/^ +compare \[options\] <baseline> <current>/m);
    const res = runCli(['compare', '--help']);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/--max-regression <share> +largest relative worsening tolerated, as 5% or 0\.05\s+\(default: 5%\)/);
    expect(res.stdout).toContain('--json');
  });

  it('exits 2 on a bad --max-regression', () => {
    for (const bad of ['5', 'five', '-5%', '']) {
      const res = runCli(['compare', BASELINE, BASELINE, '--max-regression', bad]);
      expect(res.code, bad).toBe(2);
      expect(res.stderr).toMatch(/--max-regression expects a percentage such as 5% or a fraction such as 0\.05/);
    }
  });
});
