/**
 * The plain-text table printed at the end of a sweep: one line per run, sized
 * for a terminal, no colours so it survives pipes and CI logs unchanged.
 *
 * Also home to the sweep-axis helpers the HTML report shares: which
 * parameters a sweep varies, their short column names, and the per-run
 * abort rate.
 */
import { type GoalPoint, type GoalVerdict, goalVerdict, targetOf } from './goal.js';
import { commonBottleneck, finalityBehind, networkOf, networkShown } from './network-columns.js';
import { type FigureStats, figureStats, groupByPoint, type PointStats, pointKey } from './point-stats.js';
import { type AxisValue, fixed, formatRate, MISSING, scientific, thousands } from './report/shared.js';
import type { RunResult, SweepResults } from './results.js';

// ---------------------------------------------------------------------------
// Sweep axes

/** One parameter a sweep varies, with more than one value among its runs. */
export interface SweepAxis {
  /** `shards` for the shard count, else the parameter path (`shard.threads`). */
  readonly key: string;
  /** Column / legend name: `threads`, `accounts`, `executor`. */
  readonly short: string;
  /** The distinct values the runs have, in sweep order (shard counts ascending). */
  readonly values: readonly AxisValue[];
  /** Every value is a finite number. */
  readonly numeric: boolean;
}

/** Path segments too generic to name a column on their own: `accounts.count` reads as `accounts`. */
const GENERIC_SEGMENTS = new Set(['count', 'kind', 'size', 'value', 'mode', 'type']);

function shortName(key: string): string {
  const parts = key.split('.');
  const last = parts[parts.length - 1]!;
  return GENERIC_SEGMENTS.has(last) && parts.length > 1 ? parts[parts.length - 2]! : last;
}

export function axisValue(run: RunResult, key: string): AxisValue | undefined {
  return key === 'shards' ? run.shards : run.params[key];
}

function distinct(values: readonly (AxisValue | undefined)[]): AxisValue[] {
  const out: AxisValue[] = [];
  for (const v of values) if (v !== undefined && !out.includes(v)) out.push(v);
  return out;
}

/**
 * Parameters (other than the shard count) that differ between runs: used
 * when the results carry no `config.sweep.axes` (hand-made or older files).
 */
function varyingParams(runs: readonly RunResult[]): string[] {
  const keys = [...new Set(runs.flatMap((run) => Object.keys(run.params)))].sort();
  return keys.filter((key) => {
    if (key === 'shards' || key === 'seed' || runs.every((run) => run.params[key] === run.shards)) return false;
    const first = runs[0]?.params[key];
    return runs.some((run) => run.params[key] !== first);
  });
}

/**
 * The sweep's axes in sweep order: `config.sweep.axes` (first outermost), then
 * the shard count, which the sweep runs innermost. An axis whose runs all
 * share one value is not an axis.
 */
export function sweepAxes(results: SweepResults): SweepAxis[] {
  const runs = results.runs;
  // Typed as always present, but hand-made results (tests, older files) may lack it.
  const declared = (results.config as { sweep?: { axes?: Readonly<Record<string, readonly AxisValue[]>> } } | undefined)?.sweep?.axes;
  // The seed is never an axis: runs differing only by seed are samples of one point (point-stats.ts).
  const keys = declared !== undefined ? Object.keys(declared).filter((key) => key !== 'shards' && key !== 'seed') : varyingParams(runs);
  const axes: SweepAxis[] = [];
  const add = (key: string, values: AxisValue[]): void => {
    if (values.length > 1) {
      axes.push({ key, short: shortName(key), values, numeric: values.every((v) => typeof v === 'number' && Number.isFinite(v)) });
    }
  };
  for (const key of keys) {
    const present = distinct(runs.map((run) => run.params[key]));
    const order = declared?.[key] ?? [];
    add(key, [...order.filter((v) => present.includes(v)), ...present.filter((v) => !order.includes(v))]);
  }
  add(
    'shards',
    distinct(runs.map((run) => run.shards)).sort((a, b) => Number(a) - Number(b)),
  );
  // Two paths ending alike (`shard.threads`, `beacon.threads`) keep their full names.
  return axes.map((axis) => (axes.filter((other) => other.short === axis.short).length > 1 ? { ...axis, short: axis.key } : axis));
}

/** Runs in sweep order: by each axis's value order, first axis outermost (plain sweeps: by shard count). */
export function sortRuns(runs: readonly RunResult[], axes: readonly SweepAxis[]): RunResult[] {
  const rank = (run: RunResult, axis: SweepAxis): number => {
    const i = axis.values.indexOf(axisValue(run, axis.key) as AxisValue);
    return i < 0 ? axis.values.length : i;
  };
  return [...runs].sort((a, b) => {
    for (const axis of axes) {
      const d = rank(a, axis) - rank(b, axis);
      if (d !== 0) return d;
    }
    return a.shards - b.shards;
  });
}

/** An axis value for a table cell or title: integers get thousands separators. */
export function formatAxisValue(value: AxisValue | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return Number.isInteger(value) ? thousands(value) : String(value);
  return value;
}

/**
 * Aborted incarnations per executed block item (transaction or receipt) in
 * the measured window: `execution.aborts` over the items the shards' blocks
 * executed. Above 1 means the average item was aborted more than once. NaN
 * when no item was executed.
 */
export function abortRate(run: RunResult): number {
  const items = run.perShard.reduce((sum, shard) => sum + shard.txIncluded + shard.receiptsApplied, 0);
  return items > 0 ? run.execution.aborts / items : Number.NaN;
}

/** Whether any run used a cross-shard protocol other than receipts, so committed throughput and failures are the comparison. */
function protocolsShown(runs: readonly RunResult[]): boolean {
  return runs.some((r) => r.crossShard !== undefined && r.crossShard.protocol !== 'receipts');
}

/** Whether any run used a parallel executor, so speedup / bound / abort columns mean something. */
export function anyParallel(runs: readonly RunResult[]): boolean {
  return runs.some((run) => run.execution.executor !== 'sequential');
}

/**
 * Whether parallel execution is something the sweep shows: a parallel
 * executor ran and some speedup differs from 1. A sweep where every block
 * runs sequentially (or parallel executors never gain) would draw flat lines at 1.
 */
export function executionShown(runs: readonly RunResult[]): boolean {
  return anyParallel(runs) && runs.some((run) => Number.isFinite(run.execution.speedup) && Math.abs(run.execution.speedup - 1) > 1e-6);
}

// ---------------------------------------------------------------------------
// The table

/**
 * A figure the seeds of a point average: its path in the point's statistics and its format.
 * With several seeds the cell shows the mean and the half-width of its 95% interval.
 */
export interface StatSpec {
  /** The figure's path in the point's statistics (point-stats.ts)... */
  readonly path: string;
  /** ...or, for a figure derived from a run (aborts per item), how to compute it; its statistics are then taken over the point's runs. */
  readonly of?: (run: RunResult) => number;
  readonly format: (n: number) => string;
  /** A latency figure: the mean is marked ≥ when the figure is a lower bound in any of the point's runs. */
  readonly lowerBound?: 'p50' | 'p95' | 'p99';
  /** Wall-clock figures: the mean alone (machine noise, not a figure of the simulation, has no interval worth printing). */
  readonly meanOnly?: true;
  /** A mark after the point's cell from its runs (the finality delay's `*` when some seed's beacon fell behind). */
  readonly mark?: (runs: readonly RunResult[]) => string;
}

/** A table column as the terminal and the page both describe it: a run's cell, and the statistic that replaces it with several seeds. */
export interface TableColumn {
  readonly value: (run: RunResult) => string;
  readonly stat?: StatSpec;
  /** A word no statistic averages (the bottleneck): the point's cell from its runs. */
  readonly point?: (runs: readonly RunResult[]) => string;
}

interface Column extends TableColumn {
  readonly title: string;
  readonly align: 'left' | 'right';
}

/** A latency figure's cell: "≥" before one that is only a lower bound (transactions still unfinished reach it). */
export function latencyCell(run: RunResult, figure: 'p50' | 'p95' | 'p99', digits: number, missing?: string): string {
  const text = fixed(run.latency[figure], digits, missing);
  return run.latency.lowerBound?.includes(figure) === true && Number.isFinite(run.latency[figure]) ? `≥${text}` : text;
}

function columns(axes: readonly SweepAxis[], runs: readonly RunResult[]): Column[] {
  const cols: Column[] = [{ title: 'shards', align: 'right', value: (r) => String(r.shards) }];
  for (const axis of axes) {
    if (axis.key === 'shards') continue;
    cols.push({
      title: axis.short,
      align: axis.numeric ? 'right' : 'left',
      value: (r) => formatAxisValue(axisValue(r, axis.key)),
    });
  }
  const multiShard = runs.some((r) => r.shards > 1);
  if (runs.some((r) => r.findMax !== undefined)) {
    cols.push({
      title: 'max sustained TPS',
      align: 'right',
      value: (r) => thousands(r.findMax?.maxSustainableTps ?? Number.NaN),
      stat: { path: 'findMax.maxSustainableTps', format: (n) => thousands(n) },
    });
  }
  cols.push({
    title: 'throughput TPS',
    align: 'right',
    value: (r) => thousands(r.throughputTps),
    stat: { path: 'throughputTps', format: (n) => thousands(n) },
  });
  // Beside throughput under a protocol that can abort: what committed, and the share that failed.
  if (protocolsShown(runs)) {
    cols.push(
      {
        title: 'committed TPS',
        align: 'right',
        value: (r) => (r.crossShard === undefined ? '-' : thousands(r.crossShard.committedTps)),
        stat: { path: 'crossShard.committedTps', format: (n) => thousands(n) },
      },
      {
        title: 'failed %',
        align: 'right',
        value: (r) => (r.crossShard === undefined ? '-' : fixed(r.crossShard.failedShare * 100, 1)),
        stat: { path: 'crossShard.failedShare', format: (n) => fixed(n * 100, 1) },
      },
    );
  }
  // The execution figures next to throughput: in a parallel study they are the point.
  if (anyParallel(runs)) {
    cols.push(
      { title: 'speedup', align: 'right', value: (r) => fixed(r.execution.speedup, 2), stat: { path: 'execution.speedup', format: (n) => fixed(n, 2) } },
      { title: 'bound', align: 'right', value: (r) => fixed(r.execution.bound.raw, 2), stat: { path: 'execution.bound.raw', format: (n) => fixed(n, 2) } },
      { title: 'aborts/item', align: 'right', value: (r) => formatRate(abortRate(r)), stat: { path: 'abortRate', of: abortRate, format: formatRate } },
    );
  }
  cols.push({ title: 'offered TPS', align: 'right', value: (r) => thousands(r.offeredTps), stat: { path: 'offeredTps', format: (n) => thousands(n) } });
  // Every run on one shard: nothing is cross-shard, the column would be all zeros.
  if (multiShard) {
    cols.push({
      title: 'cross %',
      align: 'right',
      value: (r) => fixed(r.crossShardRatio * 100, 1),
      stat: { path: 'crossShardRatio', format: (n) => fixed(n * 100, 1) },
    });
  }
  cols.push(
    {
      title: 'done %',
      align: 'right',
      value: (r) => fixed(r.latency.completedShare * 100, 1),
      stat: { path: 'latency.completedShare', format: (n) => fixed(n * 100, 1) },
    },
    { title: 'p50 s', align: 'right', value: (r) => latencyCell(r, 'p50', 2), stat: { path: 'latency.p50', format: (n) => fixed(n, 2), lowerBound: 'p50' } },
    { title: 'p99 s', align: 'right', value: (r) => latencyCell(r, 'p99', 2), stat: { path: 'latency.p99', format: (n) => fixed(n, 2), lowerBound: 'p99' } },
    { title: 'util %', align: 'right', value: (r) => fixed(r.utilisation.mean * 100, 1), stat: { path: 'utilisation.mean', format: (n) => fixed(n * 100, 1) } },
  );
  // On the ideal network agreement is instant and the beacon keeps up: the columns would be zeros.
  if (networkShown(runs)) cols.push(...networkColumns());
  cols.push(
    {
      title: 'committee fail P',
      align: 'right',
      value: (r) => scientific(r.security.failureProbability, 1),
      stat: { path: 'security.failureProbability', format: (n) => scientific(n, 1) },
    },
    {
      title: 'wall s',
      align: 'right',
      value: (r) => fixed(r.wall.seconds, 2),
      stat: { path: 'wall.seconds', of: (r) => r.wall.seconds, format: (n) => fixed(n, 2), meanOnly: true },
    },
    {
      title: 'tx/wall s',
      align: 'right',
      value: (r) => thousands(r.wall.simulatedTxPerWallSecond),
      stat: { path: 'wall.simulatedTxPerWallSecond', of: (r) => r.wall.simulatedTxPerWallSecond, format: (n) => thousands(n), meanOnly: true },
    },
  );
  return cols;
}

/** The finality delay's mark: the beacon fell behind (p50 beyond the configured delay). */
const BEHIND = '*';

/** Agreement as a share of the slot, the median finality delay in slots, and what binds the run (docs/network.md). */
function networkColumns(): Column[] {
  const slots = (n: number): string => (Number.isInteger(n) ? String(n) : fixed(n, 1));
  return [
    {
      title: 'agree % slot',
      align: 'right',
      value: (r) => fixed((networkOf(r)?.agreementShare ?? Number.NaN) * 100, 1),
      stat: { path: 'network.agreementShare', format: (n) => fixed(n * 100, 1) },
    },
    {
      title: 'finality p50 slots',
      align: 'right',
      value: (r) => {
        const p50 = networkOf(r)?.beacon.finalityDelaySlots.p50 ?? null;
        return p50 === null ? MISSING : `${slots(p50)}${finalityBehind(r) ? BEHIND : ''}`;
      },
      stat: {
        path: 'network.beacon.finalityDelaySlots.p50',
        format: (n) => fixed(n, 1),
        mark: (runs) => (runs.some(finalityBehind) ? BEHIND : ''),
      },
    },
    {
      title: 'binds',
      align: 'left',
      value: (r) => commonBottleneck([r]) ?? MISSING,
      point: (runs) => commonBottleneck(runs) ?? MISSING,
    },
  ];
}

/** `threads=8 executor=block-stm`: the non-shard axis values of a run, for verdict lines. */
function axisLabel(run: RunResult, axes: readonly SweepAxis[]): string {
  return axes
    .filter((axis) => axis.key !== 'shards')
    .map((axis) => `${axis.short}=${formatAxisValue(axisValue(run, axis.key))}`)
    .join(' ');
}

/** The goal verdict in words: where the goal is first met, or the best figure. */
export function goalLine(v: GoalVerdict, where: (run: RunResult) => string): string {
  const goal = `${thousands(v.target)} TPS`;
  const verb = v.figure === 'sustained' ? 'sustained' : 'reached';
  const at = (p: GoalPoint): string => `${p.run.shards} shard${p.run.shards === 1 ? '' : 's'}`;
  if (v.first !== undefined) return `${goal} first ${verb} at ${at(v.first)} (${thousands(v.first.value)} TPS${where(v.first.run)}).`;
  if (v.best === undefined) return `${goal} not ${verb}: no run produced a figure.`;
  return `${goal} not ${verb} by any run; the most was ${thousands(v.best.value)} TPS at ${at(v.best)}${where(v.best.run)}.`;
}

/** The runs the network could not keep up with, in words: the figures a reader must not take at face value. */
export function overloadLine(runs: readonly RunResult[], label: (run: RunResult) => string): string | undefined {
  const over = runs.filter((run) => run.stability !== undefined && !run.stability.stable);
  if (over.length === 0) return undefined;
  // Runs of one point (several seeds) share a label: name the point once, with how many of its seeds were overloaded.
  const total = new Map<string, number>();
  for (const run of runs) total.set(label(run), (total.get(label(run)) ?? 0) + 1);
  const overBy = new Map<string, number>();
  for (const run of over) overBy.set(label(run), (overBy.get(label(run)) ?? 0) + 1);
  const named = [...overBy].map(([name, k]) => (total.get(name)! > 1 ? `${name} (${k} of ${total.get(name)} seeds)` : name));
  // A saturating study may overload every run: name a few, count the rest.
  const shown = named.slice(0, 6);
  const names =
    over.length === runs.length && runs.length > 1
      ? 'every run'
      : named.length > shown.length
        ? `${shown.join(', ')} and ${named.length - shown.length} more of ${total.size} points`
        : shown.join(', ');
  const worst = over.reduce((a, b) => (b.latency.completedShare < a.latency.completedShare ? b : a));
  const share = worst.latency.completedShare;
  // A shard silenced by the fault plan during the window builds a backlog whatever the load.
  const silent = over.some((run) => (run.faults?.silentSlots ?? 0) > 0);
  const bounds = share < 1 ? `; latency marked ≥ is a lower bound (as few as ${fixed(share * 100, 1)}% of the window's transactions completed)` : '';
  return (
    `Overloaded (offered more than sustained): ${names}. ` +
    `In ${label(worst)}, ${(worst.stability.reasons?.length ?? 0) > 0 ? worst.stability.reasons.join(' and ') : 'the network fell behind over the window'}, so these runs' figures depend on the run's length${bounds}. ` +
    (silent
      ? 'Shards the fault plan silenced in the window leave a backlog of their own: the load may be within capacity.'
      : over.some((run) => run.findMax !== undefined)
        ? ''
        : 'Measure what the network sustains with --find-max.')
  ).trimEnd();
}

/** With --find-max, the points where not even the lowest rate probed was sustainable: their rows show that unsustainable run. */
export function noRateLine(runs: readonly RunResult[], label: (run: RunResult) => string): string | undefined {
  const none = runs.filter((run) => run.findMax !== undefined && run.findMax.maxSustainableTps === 0);
  if (none.length === 0) return undefined;
  const names = [...new Set(none.map(label))].join(', ');
  const lowest = none[0]!.findMax!.probes.reduce((a, b) => (b.rate < a.rate ? b : a));
  return `No rate probed was sustainable at ${names}: their rows show the lowest rate tried (${thousands(lowest.rate)} tx/s), which failed because ${lowest.reasons.join(' and ')}.`;
}

function runLabel(run: RunResult, axes: readonly SweepAxis[]): string {
  const label = axisLabel(run, axes);
  return `${run.shards} shard${run.shards === 1 ? '' : 's'}${label ? ` (${label})` : ''}`;
}

/** A cell of a point run with several seeds: the mean and the half-width of its 95% interval. */
function statCell(stats: FigureStats | undefined, format: (n: number) => string): string {
  if (stats === undefined) return format(Number.NaN);
  const half = (stats.ci95[1] - stats.ci95[0]) / 2;
  return `${format(stats.mean)} ±${format(half)}`;
}

/**
 * The rows of a summary table, shared by the terminal and the page: one per
 * run, or, with several seeds, one per sweep point, named by its first run
 * and filled from the point's statistics.
 */
export interface SeedRows {
  readonly seeds: readonly number[];
  readonly multiSeed: boolean;
  /** In sweep order. */
  readonly rows: readonly RunResult[];
  /** Every run of a row's point (the row's run alone with one seed). */
  readonly runsOf: (row: RunResult) => readonly RunResult[];
  /** A column's cell in a row: the run's value, or the point's mean ± half-width. */
  readonly cell: (row: RunResult, column: TableColumn) => string;
}

export function seedRows(results: SweepResults, sorted: readonly RunResult[]): SeedRows {
  // Hand-made and older results may lack seeds and points.
  const seeds = results.seeds ?? [results.seed];
  const multiSeed = seeds.length > 1;
  const points = new Map<string, PointStats>((results.points ?? []).map((p) => [pointKey(p), p]));
  const groups = groupByPoint(sorted);
  const rows = multiSeed ? [...groups.values()].map((group) => group[0]!) : sorted;
  const runsOf = (row: RunResult): readonly RunResult[] => (multiSeed ? (groups.get(pointKey(row)) ?? [row]) : [row]);
  const cell = (row: RunResult, column: TableColumn): string => {
    const stat = column.stat;
    if (!multiSeed) return column.value(row);
    if (column.point !== undefined) return column.point(runsOf(row));
    if (stat === undefined) {
      // A column without statistics (an axis value) names the point: every seed's run must agree, or the cell says nothing.
      const texts = new Set(runsOf(row).map(column.value));
      return texts.size === 1 ? [...texts][0]! : MISSING;
    }
    const figures = stat.of === undefined ? points.get(pointKey(row))?.figures[stat.path] : figureStats(runsOf(row).map(stat.of));
    const text = stat.meanOnly === true ? stat.format(figures?.mean ?? Number.NaN) : statCell(figures, stat.format);
    const bound = stat.lowerBound;
    // A mean over figures some of which are lower bounds is itself only a lower bound.
    const lower = bound !== undefined && runsOf(row).some((run) => run.latency.lowerBound?.includes(bound) === true);
    const marked = stat.mark === undefined || text.startsWith(MISSING) ? text : `${text}${stat.mark(runsOf(row))}`;
    return lower && !text.startsWith(MISSING) ? `≥${marked}` : marked;
  };
  return { seeds, multiSeed, rows, runsOf, cell };
}

export function formatSummary(results: SweepResults): string {
  const axes = sweepAxes(results);
  const sorted = sortRuns(results.runs, axes);
  const { seeds, multiSeed, rows: runs, cell } = seedRows(results, sorted);
  const cols = columns(axes, sorted);
  const cells = runs.map((run) => cols.map((col) => cell(run, col)));
  const widths = cols.map((col, i) => Math.max(col.title.length, ...cells.map((row) => row[i]!.length)));
  const line = (row: readonly string[]): string =>
    row
      .map((text, i) => (cols[i]!.align === 'right' ? text.padStart(widths[i]!) : text.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();

  // With two or more axes, a blank line wherever an outer axis changes: each
  // block is one curve over the innermost axis (e.g. threads 1..32).
  const outer = axes.slice(0, -1);
  const body: string[] = [];
  runs.forEach((run, i) => {
    const prev = runs[i - 1];
    if (prev !== undefined && outer.some((axis) => axisValue(prev, axis.key) !== axisValue(run, axis.key))) body.push('');
    body.push(line(cells[i]!));
  });

  const notes: string[] = [];
  if (multiSeed) {
    notes.push(
      `seeds ${seeds.join(', ')}: each cell with ± is the mean over the seeds and the half-width of its 95% confidence interval; wall-clock cells are means.`,
    );
  }
  if (anyParallel(runs)) {
    notes.push(
      'speedup: sequential execution time / makespan; bound: min(threads, W/D) over read-after-write chains; aborts/item: aborted incarnations per executed tx or receipt.',
    );
  }
  if (protocolsShown(sorted)) {
    notes.push(
      "committed TPS: the window's completions that did not fail (a lock-2pc abort, a refund, a failed call); failed %: the share that did (docs/protocols.md). Throughput and a maximum sustained rate count failures as served.",
    );
  }
  // Any run of any point: a point's cell is marked ≥ when one of its seeds' figure is a bound.
  const bounded = sorted.some((run) => (run.latency.lowerBound?.length ?? 0) > 0);
  notes.push(
    `done %: share of the window's transactions completed by the end of the run; latency counts every one of them${bounded ? ', and ≥ marks a lower bound (unfinished transactions reach it)' : ''}.`,
  );
  if (networkShown(sorted)) {
    notes.push(
      `agree % slot: mean time from a slot's start to its block's commit, as a share of the slot; finality p50 slots: the median delay from a window slot to its blocks being final, ${BEHIND} where it exceeds the configured delay (the beacon fell behind); binds: what limits the run (load, execution, consensus, bandwidth, beacon or receipts: docs/network.md)${multiSeed ? ', the most frequent over the seeds' : ''}.`,
    );
  }
  const unsustained = noRateLine(sorted, (run) => runLabel(run, axes));
  if (unsustained !== undefined) notes.push(unsustained);
  const overload = overloadLine(sorted, (run) => runLabel(run, axes));
  if (overload !== undefined) notes.push(overload);
  // The goal is about the shard count: it says nothing when that does not vary.
  const target = targetOf(results);
  if (target !== undefined && axes.some((axis) => axis.key === 'shards')) {
    notes.push(
      goalLine(goalVerdict(sorted, target), (run) => {
        const label = axisLabel(run, axes);
        return label ? `; ${label}` : '';
      }),
    );
  }

  return [line(cols.map((col) => col.title)), line(widths.map((w) => '-'.repeat(w))), ...body, '', `digest: ${results.digest}`, ...notes, ''].join('\n');
}
