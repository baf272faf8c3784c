/**
 * The statistics of a sweep point run with several seeds: every figure of
 * its runs as a mean, a sample standard deviation and a 95% confidence
 * interval for the mean (Student's t with n - 1 degrees of freedom, the
 * usual interval for a handful of independent runs). One seed gives a
 * zero-width interval: one sample says nothing about the spread, and the
 * figures say so (`n` = 1) rather than invent one.
 */
import type { RunResult } from './results.js';

export interface FigureStats {
  readonly mean: number;
  /** Sample standard deviation (n - 1); 0 for one run. */
  readonly sd: number;
  /** 95% confidence interval of the mean; [mean, mean] for one run. */
  readonly ci95: readonly [number, number];
  /** Runs with a finite value of the figure. */
  readonly n: number;
}

export interface PointStats {
  readonly shards: number;
  /** The point's parameters (seed not among them). */
  readonly params: Readonly<Record<string, number | string>>;
  readonly seeds: readonly number[];
  /** Every numeric figure of the runs by its path in a run ("latency.p99", "execution.bound.raw"). */
  readonly figures: Readonly<Record<string, FigureStats>>;
}

/** Two-sided 97.5% quantiles of Student's t for 1..30 degrees of freedom (any statistics table). */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069,
  2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** t(0.975, df); beyond 30 degrees of freedom, interpolated in 1/df towards the normal 1.96 (40: 2.021, 60: 2.000, 120: 1.980). */
export function tQuantile975(df: number): number {
  if (df < 1) return Number.NaN;
  if (df <= 30) return T975[df - 1]!;
  return 1.96 + (2.042 - 1.96) * (30 / df);
}

export function figureStats(values: readonly number[]): FigureStats {
  const xs = values.filter(Number.isFinite);
  const n = xs.length;
  if (n === 0) return { mean: Number.NaN, sd: Number.NaN, ci95: [Number.NaN, Number.NaN], n };
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  if (n === 1) return { mean, sd: 0, ci95: [mean, mean], n };
  const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1));
  const half = (tQuantile975(n - 1) * sd) / Math.sqrt(n);
  return { mean, sd, ci95: [mean - half, mean + half], n };
}

/** Parts of a run that are not figures of the point: identity, per-shard detail, roots, wall clock, the search's probe list. */
const NOT_FIGURES = new Set(['shards', 'seed', 'params', 'perShard', 'stateRoots', 'digest', 'wall', 'findMax.probes', 'findMax.tolerance', 'trace', 'faults']);

/** Every finite-or-NaN number of a run by its dotted path, in key order. */
export function runFigures(run: RunResult): Map<string, number> {
  const out = new Map<string, number>();
  const walk = (value: unknown, path: string): void => {
    if (NOT_FIGURES.has(path)) return;
    if (typeof value === 'number') out.set(path, value);
    else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) walk(v, path === '' ? k : `${path}.${k}`);
    }
  };
  walk(run, '');
  return out;
}

/** The key that groups the runs of one point: shard count and parameters, canonically ordered. */
export function pointKey(run: Pick<RunResult, 'shards' | 'params'>): string {
  const params = Object.keys(run.params)
    .filter((k) => k !== 'seed')
    .sort()
    .map((k) => [k, run.params[k]]);
  return JSON.stringify([run.shards, params]);
}

/** The runs of each sweep point (by pointKey), points in the order their first run appears, runs in the given order. */
export function groupByPoint(runs: readonly RunResult[]): Map<string, RunResult[]> {
  const groups = new Map<string, RunResult[]>();
  for (const run of runs) {
    const key = pointKey(run);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [run]);
    else group.push(run);
  }
  return groups;
}

/** One entry per sweep point, in the order its first run appears. */
export function pointStats(runs: readonly RunResult[]): PointStats[] {
  return [...groupByPoint(runs).values()].map((group) => {
    const first = group[0]!;
    const perRun = group.map(runFigures);
    // Every figure any seed's run has: an optional one (findMax.firstUnsustainableTps) may be missing from the first.
    const paths = [...new Set(perRun.flatMap((f) => [...f.keys()]))];
    const figures: Record<string, FigureStats> = {};
    for (const path of paths) figures[path] = figureStats(perRun.map((f) => f.get(path) ?? Number.NaN));
    return { shards: first.shards, params: first.params, seeds: group.map((r) => r.seed), figures };
  });
}
