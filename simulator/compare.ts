/**
 * `shardsim compare`: two sweeps' results point by point, for a CI gate that
 * fails when a figure got worse than a baseline. Runs are matched by their
 * sweep point (shard count and swept parameters, never the seed); a point
 * run with several seeds is compared by the mean of its runs. Only
 * deterministic figures are compared (never the wall-clock ones), so the same
 * build on the same scenario compares exactly equal.
 */
import type { CompareResults, CompareRun } from './compare-file.js';
import { UsageError } from './errors.js';

/** Which way a figure is better; `either`: neither way is worse, but a change beyond the threshold is reported. */
export type Direction = 'higher' | 'lower' | 'either';

/**
 * ok: within the threshold; improved / regression: better / worse by more
 * than it; changed: an `either` figure moved by more than it; n/a: a file has
 * no value to compare.
 */
export type Verdict = 'ok' | 'improved' | 'regression' | 'changed' | 'n/a';

interface FigureSpec {
  /** Its path in results.json. */
  readonly name: string;
  readonly direction: Direction;
  readonly value: (run: CompareRun) => number | undefined;
  /** For a latency percentile: its name in `latency.lowerBound`. */
  readonly bound?: string;
}

const FIGURES: readonly FigureSpec[] = [
  { name: 'throughputTps', direction: 'higher', value: (r) => r.throughputTps },
  { name: 'findMax.maxSustainableTps', direction: 'higher', value: (r) => r.findMax?.maxSustainableTps },
  { name: 'latency.p50', direction: 'lower', value: (r) => r.latency.p50, bound: 'p50' },
  { name: 'latency.p99', direction: 'lower', value: (r) => r.latency.p99, bound: 'p99' },
  // A property of the workload and the placement (1 - 1/shards for hash placement and random receivers), not of how
  // well the network does: a change says the workload changed, which is worth seeing but neither better nor worse.
  { name: 'crossShardRatio', direction: 'either', value: (r) => r.crossShardRatio },
  { name: 'execution.speedup', direction: 'higher', value: (r) => r.execution.speedup },
];

export type ParamValue = number | string | boolean;

/** A sweep point: the shard count and the swept parameters, the seed left out. */
export interface SweepPointKey {
  readonly shards: number;
  readonly params: Readonly<Record<string, ParamValue>>;
}

export interface FigureComparison {
  readonly figure: string;
  readonly direction: Direction;
  /** The mean over the point's runs; null when no run has a value (NaN: e.g. latency with no samples). */
  readonly baseline: number | null;
  readonly current: number | null;
  /** (current - baseline) / |baseline|; ±Infinity from a zero baseline; null when either value is missing. */
  readonly change: number | null;
  readonly verdict: Verdict;
  /** What else a reader must know: a lower bound, a value only one file has. */
  readonly note?: string;
}

export interface PointComparison {
  readonly label: string;
  readonly point: SweepPointKey;
  /** How many runs (seeds) each file has at this point. */
  readonly runs: { readonly baseline: number; readonly current: number };
  readonly figures: readonly FigureComparison[];
}

export interface FileSummary {
  readonly file: string;
  readonly scenario: string;
  readonly version: string | undefined;
  readonly seeds: readonly number[];
  readonly runs: number;
}

export interface Comparison {
  readonly baseline: FileSummary;
  readonly current: FileSummary;
  /** Relative worsening tolerated (0.05: 5%). */
  readonly maxRegression: number;
  readonly points: readonly PointComparison[];
  readonly onlyInBaseline: readonly string[];
  readonly onlyInCurrent: readonly string[];
  readonly warnings: readonly string[];
  /** Figures worse than the baseline by more than maxRegression. */
  readonly regressions: number;
  readonly verdict: 'ok' | 'regression';
  /** The one-line verdict. */
  readonly summary: string;
}

/**
 * `--max-regression`: a percentage ("5%", "2.5%") or a fraction below 1
 * ("0.05"). A bare number of 1 or more is refused: "5" could mean 5% or 500%.
 * Undefined when the text is neither.
 */
export function parseMaxRegression(text: string): number | undefined {
  const t = text.trim();
  const pct = /^(\d+(?:\.\d+)?|\.\d+)%$/.exec(t);
  if (pct !== null) return Number(pct[1]) / 100;
  if (/^(0(?:\.\d+)?|\.\d+)$/.test(t)) return Number(t);
  return undefined;
}

/** A share as a percentage for messages: 0.05 -> "5%". */
export function formatShare(share: number): string {
  return `${Number((share * 100).toPrecision(6))}%`;
}

/**
 * The point of a run over the parameter keys both files record. The seed is
 * never part of a point: runs that differ only by it are samples of one point.
 */
function pointOf(run: CompareRun, keys: readonly string[]): SweepPointKey {
  const params: Record<string, ParamValue> = {};
  for (const key of keys) if (Object.hasOwn(run.params, key)) params[key] = run.params[key]!;
  return { shards: run.shards, params };
}

function keyOf(point: SweepPointKey): string {
  return JSON.stringify([point.shards, Object.entries(point.params)]);
}

/** `shards=4 shard.threads=8`: the shard count and the parameters in `shown` (those that vary). */
function pointLabel(point: SweepPointKey, shown: ReadonlySet<string>): string {
  const params = Object.entries(point.params).filter(([k]) => shown.has(k));
  return [`shards=${point.shards}`, ...params.map(([k, v]) => `${k}=${String(v)}`)].join(' ');
}

interface PointGroup {
  readonly point: SweepPointKey;
  readonly runs: CompareRun[];
}

/** The runs of a file grouped by point, in the file's order of first appearance. */
function groupByPoint(runs: readonly CompareRun[], keys: readonly string[]): Map<string, PointGroup> {
  const groups = new Map<string, PointGroup>();
  for (const run of runs) {
    const point = pointOf(run, keys);
    const key = keyOf(point);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { point, runs: [run] });
    else group.runs.push(run);
  }
  return groups;
}

function paramKeys(runs: readonly CompareRun[]): Set<string> {
  return new Set(runs.flatMap((run) => Object.keys(run.params)));
}

/**
 * Parameters worth a label: those whose values differ between runs (of
 * either file), not the seed, and not `shards`, which the label starts with.
 */
function varyingKeys(runs: readonly CompareRun[], keys: readonly string[]): Set<string> {
  return new Set(
    keys.filter((key) => {
      if (key === 'shards') return false;
      const values = new Set(runs.map((run) => JSON.stringify(run.params[key] ?? null)));
      return values.size > 1;
    }),
  );
}

interface Aggregate {
  /** No run of the point carries the figure at all (an optional figure, e.g. findMax). */
  readonly absent: boolean;
  /** Mean over the runs with a value; null when none has one. */
  readonly mean: number | null;
  /** Some run's figure is only a lower bound: so is the mean. */
  readonly lowerBound: boolean;
}

function aggregate(spec: FigureSpec, runs: readonly CompareRun[]): Aggregate {
  const values = runs.map(spec.value);
  const present = values.filter((v): v is number => v !== undefined);
  const finite = present.filter((v) => !Number.isNaN(v));
  const lowerBound = spec.bound !== undefined && runs.some((r) => (r.latency.lowerBound ?? []).includes(spec.bound!));
  return {
    absent: present.length === 0,
    mean: finite.length === 0 ? null : finite.reduce((a, v) => a + v, 0) / finite.length,
    lowerBound,
  };
}

function verdictOf(direction: Direction, change: number, max: number): Verdict {
  if (direction === 'either') return Math.abs(change) > max ? 'changed' : 'ok';
  const worse = direction === 'higher' ? -change : change;
  if (worse > max) return 'regression';
  return worse < -max ? 'improved' : 'ok';
}

function lowerBoundNote(spec: FigureSpec, b: Aggregate, c: Aggregate): string | undefined {
  if (spec.bound === undefined || (!b.lowerBound && !c.lowerBound)) return undefined;
  const which = b.lowerBound && c.lowerBound ? 'in both files' : b.lowerBound ? 'in the baseline only' : 'in the current file only';
  return `${spec.bound} is a lower bound ${which} (transactions unfinished at the end)`;
}

function compareFigure(spec: FigureSpec, base: readonly CompareRun[], cur: readonly CompareRun[], max: number): FigureComparison | undefined {
  const b = aggregate(spec, base);
  const c = aggregate(spec, cur);
  if (b.absent && c.absent) return undefined;
  const row = { figure: spec.name, direction: spec.direction, baseline: b.mean, current: c.mean };
  if (b.absent || c.absent) return { ...row, change: null, verdict: 'n/a', note: `only the ${b.absent ? 'current file' : 'baseline'} has it` };
  const bound = lowerBoundNote(spec, b, c);
  if (b.mean === null || c.mean === null) {
    const none = b.mean === null && c.mean === null ? 'neither file' : b.mean === null ? 'the baseline' : 'the current file';
    return { ...row, change: null, verdict: 'n/a', note: [`no value in ${none}`, bound].filter((n) => n !== undefined).join('; ') };
  }
  // Exactly equal figures (the same build, deterministic) change by exactly 0, whatever the baseline.
  const change = b.mean === c.mean ? 0 : (c.mean - b.mean) / Math.abs(b.mean);
  const verdict = bound === undefined ? verdictOf(spec.direction, change, max) : boundedVerdict(b, c, change, max);
  return bound === undefined ? { ...row, change, verdict } : { ...row, change, verdict, note: bound };
}

/**
 * The verdict on a latency (lower is better) when one side is only a lower
 * bound: its true value is at least what it says. A current lower bound
 * where the baseline was exact fails, proven or not (the network no longer
 * finishes the window's transactions; a CI gate must not pass that as an
 * improvement). A baseline lower bound proves an improvement only when the
 * exact current figure is below it by more than the threshold; nothing else
 * can be told.
 */
function boundedVerdict(b: Aggregate, c: Aggregate, change: number, max: number): Verdict {
  if (c.lowerBound && !b.lowerBound) return 'regression';
  if (b.lowerBound && !c.lowerBound) return change < -max ? 'improved' : 'n/a';
  // Both bounds: equal ones (the same build) are the same figure; anything else tells nothing.
  return change === 0 ? 'ok' : 'n/a';
}

function summaryOf(results: CompareResults): FileSummary {
  const seeds = [...new Set(results.runs.map((r) => r.seed ?? results.seed))].sort((a, b) => a - b);
  return { file: results.file, scenario: results.scenario, version: results.version, seeds, runs: results.runs.length };
}

/**
 * The comparison of `current` against `baseline`. A UsageError (exit 2) when
 * no point of one file is a point of the other: nothing could be compared.
 */
export function compareResults(baseline: CompareResults, current: CompareResults, maxRegression: number): Comparison {
  const warnings: string[] = [];
  // A parameter only one file records (a newer shardsim records more) cannot tell points apart: matched without it.
  const inBase = paramKeys(baseline.runs);
  const inCur = paramKeys(current.runs);
  const keys = [...inBase].filter((key) => inCur.has(key) && key !== 'seed').sort();
  const oneSided = [...new Set([...inBase, ...inCur])].filter((key) => key !== 'seed' && !(inBase.has(key) && inCur.has(key))).sort();
  if (oneSided.length > 0) {
    warnings.push(
      `parameter${oneSided.length === 1 ? '' : 's'} ${oneSided.join(', ')} recorded in one file only: points are matched without ${oneSided.length === 1 ? 'it' : 'them'}`,
    );
  }
  const base = groupByPoint(baseline.runs, keys);
  const cur = groupByPoint(current.runs, keys);
  const shown = varyingKeys([...baseline.runs, ...current.runs], keys);
  const label = (g: PointGroup): string => pointLabel(g.point, shown);
  if (baseline.scenario !== current.scenario) {
    warnings.push(`the files are of different scenarios ("${baseline.scenario}" and "${current.scenario}"); their points are compared all the same`);
  }
  const b = summaryOf(baseline);
  const c = summaryOf(current);
  if (b.seeds.join(',') !== c.seeds.join(',')) {
    warnings.push(`the files were run with different seeds (${b.seeds.join(', ')} and ${c.seeds.join(', ')}): figures differ by chance as well`);
  }

  const points: PointComparison[] = [];
  for (const [key, group] of base) {
    const other = cur.get(key);
    if (other === undefined) continue;
    const figures = FIGURES.map((spec) => compareFigure(spec, group.runs, other.runs, maxRegression)).filter((f) => f !== undefined);
    points.push({ label: label(group), point: group.point, runs: { baseline: group.runs.length, current: other.runs.length }, figures });
  }
  const onlyInBaseline = [...base].filter(([key]) => !cur.has(key)).map(([, g]) => label(g));
  const onlyInCurrent = [...cur].filter(([key]) => !base.has(key)).map(([, g]) => label(g));
  if (points.length === 0) {
    const some = (labels: readonly string[]): string => labels.slice(0, 3).join(', ') + (labels.length > 3 ? ', ...' : '');
    throw new UsageError(
      `no sweep point of ${current.file} (${some(onlyInCurrent)}) is a point of ${baseline.file} (${some(onlyInBaseline)}): nothing to compare; compare results of the same sweep`,
    );
  }

  const regressed = points.flatMap((p) => p.figures.filter((f) => f.verdict === 'regression').map((f) => ({ point: p.label, figure: f })));
  const count = (v: Verdict): number => points.reduce((n, p) => n + p.figures.filter((f) => f.verdict === v).length, 0);
  const figures = points.reduce((n, p) => n + p.figures.length, 0);
  const limit = formatShare(maxRegression);
  let summary: string;
  if (regressed.length > 0) {
    const listed = regressed.slice(0, 5).map((r) => `${r.figure.figure} at ${r.point} (${formatChange(r.figure.change)})`);
    if (regressed.length > listed.length) listed.push(`and ${regressed.length - listed.length} more`);
    summary = `REGRESSION: ${regressed.length} figure${regressed.length === 1 ? '' : 's'} worse than the baseline by more than ${limit}: ${listed.join(', ')}`;
  } else {
    summary = `ok: no figure worse than the baseline by more than ${limit}`;
  }
  const unmatched = onlyInBaseline.length + onlyInCurrent.length;
  summary += `; ${figures} figures compared at ${points.length} point${points.length === 1 ? '' : 's'}, ${count('improved')} improved, ${count('changed')} changed${
    unmatched === 0 ? '' : `, ${unmatched} point${unmatched === 1 ? '' : 's'} in one file only`
  }`;

  return {
    baseline: b,
    current: c,
    maxRegression,
    points,
    onlyInBaseline,
    onlyInCurrent,
    warnings,
    regressions: regressed.length,
    verdict: regressed.length > 0 ? 'regression' : 'ok',
    summary,
  };
}

/** A relative change for a table: "+1.25%", "-0.50%", "0.00%", "+inf%"; "" without one. */
export function formatChange(change: number | null): string {
  if (change === null) return '';
  if (!Number.isFinite(change)) return change > 0 ? '+inf%' : '-inf%';
  const pct = (change * 100).toFixed(2);
  return change > 0 ? `+${pct}%` : `${pct}%`;
}

function formatValue(value: number | null): string {
  return value === null ? '-' : String(Number(value.toPrecision(6)));
}

/** The comparison as a terminal table: one row per figure of each point, then the points one file lacks and the verdict. */
export function formatComparison(c: Comparison): string {
  const describe = (f: FileSummary): string =>
    `${f.file} (${f.scenario}, seed${f.seeds.length === 1 ? '' : 's'} ${f.seeds.join(', ')}${f.version === undefined ? '' : `, shardsim ${f.version}`})`;
  const head = ['point', 'figure', 'baseline', 'current', 'change', 'verdict', 'note'];
  const rows = c.points.flatMap((p) =>
    p.figures.map((f, i) => [
      i === 0 ? p.label + (p.runs.baseline > 1 || p.runs.current > 1 ? ` (mean of ${p.runs.baseline} / ${p.runs.current} runs)` : '') : '',
      f.figure,
      formatValue(f.baseline),
      formatValue(f.current),
      formatChange(f.change),
      f.verdict,
      f.note ?? '',
    ]),
  );
  const right = new Set([2, 3, 4]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (row: readonly string[]): string =>
    row
      .map((text, i) => (right.has(i) ? text.padStart(widths[i]!) : text.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const out = [
    `baseline: ${describe(c.baseline)}`,
    `current:  ${describe(c.current)}`,
    `max regression: ${formatShare(c.maxRegression)}`,
    '',
    line(head),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
  ];
  if (c.onlyInBaseline.length > 0) out.push('', `only in the baseline (not compared): ${c.onlyInBaseline.join('; ')}`);
  if (c.onlyInCurrent.length > 0) out.push('', `only in the current file (not compared): ${c.onlyInCurrent.join('; ')}`);
  out.push('', `verdict: ${c.summary}`, '');
  return out.join('\n');
}

/** The comparison as JSON; changes without a finite value (a zero baseline) are null, as JSON has no Infinity. */
export function comparisonJson(c: Comparison): string {
  return `${JSON.stringify(c, null, 2)}\n`;
}
