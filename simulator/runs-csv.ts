/**
 * runs.csv: one row per run of a sweep, flat columns for spreadsheets and
 * pandas. Numbers keep full precision (String(n)) so the CSV round-trips the
 * figures in results.json exactly; NaN becomes an empty cell, the usual CSV
 * spelling of "no value".
 *
 * Column names are snake_case and a figure's name ends in its unit: `_tps`
 * (transactions per simulated second), `_s` (seconds), `_gas`, `_threads`,
 * `_share` (a fraction of 0 to 1; the cross-shard figure keeps its name,
 * `cross_shard_ratio`), `_x` (a multiple, such as a speedup). A count is a
 * plain noun naming what it counts (`submitted_tx`, `receipts_sent`). The
 * table is in results/README.md.
 */
import type { MetricUnit } from '../crosslink/slot-metrics.js';
import { EXEC_STATS, type ExecStatField } from '../shards/executors/exec-stats.js';
import { execFigureOf } from './exec-figures.js';
import type { RunResult, SweepResults } from './results.js';

type Cell = number | string | undefined;

/**
 * Fields newer results carry: read as optional, so files from before them
 * still make a CSV (their columns are left out, or their cells empty).
 */
type Run = RunResult & {
  readonly seed?: number;
  readonly latency: RunResult['latency'] & { readonly completedShare?: number; readonly lowerBound?: readonly string[] };
};

type Column = readonly [string, (run: Run) => Cell];

/** A name in camelCase as snake_case: `estimateWaits` -> `estimate_waits`. */
function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

const UNIT_SUFFIX: Readonly<Record<MetricUnit, string>> = { count: '', gas: '_gas', seconds: '_s', fraction: '_share', threads: '_threads', bytes: '_bytes' };

/** An executor figure's column: its table name in snake_case, its unit after it (unless the name ends in it, `wasted_gas`). */
export function execColumnName(f: ExecStatField): string {
  const base = snake(f.name);
  const suffix = UNIT_SUFFIX[f.unit];
  return base.endsWith(suffix) ? base : `${base}${suffix}`;
}

function execColumns(keep: (f: ExecStatField) => boolean): Column[] {
  return (EXEC_STATS as readonly ExecStatField[]).filter(keep).map((f) => [execColumnName(f), (r: Run) => execFigureOf(r.execution, f)] as const);
}

/** Fixed columns after `scenario`, `seed`, `shards` and the `param.*` columns, in output order; `latency` marks where the optional latency columns go. */
const COLUMNS: ReadonlyArray<Column | 'latency'> = [
  ['throughput_tps', (r) => r.throughputTps],
  ['offered_tps', (r) => r.offeredTps],
  ['cross_shard_ratio', (r) => r.crossShardRatio],
  ['latency_p50_s', (r) => r.latency.p50],
  ['latency_p95_s', (r) => r.latency.p95],
  ['latency_p99_s', (r) => r.latency.p99],
  ['latency_mean_s', (r) => r.latency.mean],
  'latency',
  ['submitted_tx', (r) => r.transactions.submitted],
  ['completed_tx', (r) => r.transactions.completed],
  ['completed_failed_tx', (r) => r.transactions.completedFailed],
  ['pending_tx', (r) => r.transactions.pending],
  ['mempool_dropped_tx', (r) => r.transactions.mempoolDropped],
  ['receipts_sent', (r) => r.receipts.sent],
  ['receipts_applied', (r) => r.receipts.applied],
  ['refund_receipts', (r) => r.receipts.refunds],
  ['receipts_rejected', (r) => r.receipts.rejected],
  // Redelivered batches the inbox dropped (results.json calls them receipts.duplicates).
  ['duplicate_batches', (r) => r.receipts.duplicates],
  ['utilisation_mean_share', (r) => r.utilisation.mean],
  ['utilisation_max_share', (r) => r.utilisation.max],
  ['load_imbalance_x', (r) => r.loadImbalance],
  ['executor', (r) => r.execution.executor],
  ['threads', (r) => r.execution.threads],
  ['speedup_x', (r) => r.execution.speedup],
  // The executor's figures, one column each from its table row: gas-weighted bounds beside the speedup they bound, the rest after the makespan.
  ...execColumns((f) => f.over === 'gasMean'),
  ['makespan_s', (r) => r.execution.makespan],
  ...execColumns((f) => f.over !== 'gasMean'),
  ['committee_size', (r) => r.security.committeeSize],
  ['committee_failure_probability', (r) => r.security.failureProbability],
  ['digest', (r) => r.digest],
  ['wall_s', (r) => r.wall.seconds],
  ['simulated_tx_per_wall_s', (r) => r.wall.simulatedTxPerWallSecond],
];

/**
 * The latency columns of newer results, each only when some run carries its
 * field: an empty `latency_lower_bound` says "exact", which a run from before
 * the field was recorded cannot claim.
 */
function latencyColumns(runs: readonly Run[]): Column[] {
  const out: Column[] = [];
  if (runs.some((r) => r.latency.completedShare !== undefined)) out.push(['latency_completed_share', (r) => r.latency.completedShare]);
  if (runs.some((r) => r.latency.lowerBound !== undefined)) out.push(['latency_lower_bound', (r) => r.latency.lowerBound?.join(';')]);
  return out;
}

/** RFC 4180: quote a field only when it holds a comma, quote or line break; double inner quotes. */
function quote(field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

function cell(value: Cell): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return Number.isNaN(value) ? '' : String(value);
  return quote(value);
}

export function toCsv(results: SweepResults): string {
  const runs: readonly Run[] = results.runs;
  // Union of sweep parameters: runs of one sweep usually share keys, but a
  // missing key must become an empty cell rather than shift the columns.
  const paramKeys = [...new Set(runs.flatMap((run) => Object.keys(run.params)))].sort();
  const latency = latencyColumns(runs);
  const columns = COLUMNS.flatMap((c) => (c === 'latency' ? latency : [c]));

  const header = ['scenario', 'seed', 'shards', ...paramKeys.map((key) => `param.${key}`), ...columns.map(([name]) => name)];
  const lines = [header.map(quote).join(',')];
  for (const run of runs) {
    const row: Cell[] = [
      results.scenario,
      // A run's own seed where results carry one (a sweep over several seeds), else the sweep's.
      run.seed ?? results.seed,
      run.shards,
      ...paramKeys.map((key) => (Object.hasOwn(run.params, key) ? run.params[key] : undefined)),
      ...columns.map(([, get]) => get(run)),
    ];
    lines.push(row.map(cell).join(','));
  }
  // RFC 4180 records end in CRLF; a trailing one keeps `cat a.csv b.csv` sane.
  return `${lines.join('\r\n')}\r\n`;
}
