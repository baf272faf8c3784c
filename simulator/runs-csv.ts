/**
 * runs.csv: one row per run of a sweep, flat columns for spreadsheets and
 * pandas. Numbers keep full precision (String(n)) so the CSV round-trips the
 * figures in results.json exactly; NaN becomes an empty cell, the usual CSV
 * spelling of "no value".
 */
import { EXEC_STATS, type ExecStatField } from '../shards/executors/exec-stats.js';
import { execFigureOf } from './exec-figures.js';
import type { RunResult, SweepResults } from './results.js';

type Cell = number | string | undefined;

function execColumns(keep: (f: ExecStatField) => boolean): ReadonlyArray<readonly [string, (run: RunResult) => Cell]> {
  return (EXEC_STATS as readonly ExecStatField[]).filter(keep).map((f) => [f.name, (r: RunResult) => execFigureOf(r.execution, f)] as const);
}

/** Fixed columns after `shards` and the `param.*` columns, in output order. */
const COLUMNS: ReadonlyArray<readonly [string, (run: RunResult) => Cell]> = [
  ['throughputTps', (r) => r.throughputTps],
  ['offeredTps', (r) => r.offeredTps],
  ['crossShardRatio', (r) => r.crossShardRatio],
  ['latencyP50', (r) => r.latency.p50],
  ['latencyP95', (r) => r.latency.p95],
  ['latencyP99', (r) => r.latency.p99],
  ['latencyMean', (r) => r.latency.mean],
  ['submitted', (r) => r.transactions.submitted],
  ['completed', (r) => r.transactions.completed],
  ['completedFailed', (r) => r.transactions.completedFailed],
  ['pending', (r) => r.transactions.pending],
  ['mempoolDropped', (r) => r.transactions.mempoolDropped],
  ['receiptsSent', (r) => r.receipts.sent],
  ['receiptsApplied', (r) => r.receipts.applied],
  ['refunds', (r) => r.receipts.refunds],
  ['receiptsRejected', (r) => r.receipts.rejected],
  ['duplicates', (r) => r.receipts.duplicates],
  ['utilisationMean', (r) => r.utilisation.mean],
  ['utilisationMax', (r) => r.utilisation.max],
  ['loadImbalance', (r) => r.loadImbalance],
  ['executor', (r) => r.execution.executor],
  ['threads', (r) => r.execution.threads],
  ['speedup', (r) => r.execution.speedup],
  // The executor's figures, one column each under its table name: gas-weighted bounds beside the speedup they bound, the rest after the makespan.
  ...execColumns((f) => f.over === 'gasMean'),
  ['makespan', (r) => r.execution.makespan],
  ...execColumns((f) => f.over !== 'gasMean'),
  ['committeeSize', (r) => r.security.committeeSize],
  ['failureProbability', (r) => r.security.failureProbability],
  ['digest', (r) => r.digest],
  ['wallSeconds', (r) => r.wall.seconds],
  ['simulatedTxPerWallSecond', (r) => r.wall.simulatedTxPerWallSecond],
];

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
  // Union of sweep parameters: runs of one sweep usually share keys, but a
  // missing key must become an empty cell rather than shift the columns.
  const paramKeys = [...new Set(results.runs.flatMap((run) => Object.keys(run.params)))].sort();

  const header = ['shards', ...paramKeys.map((key) => `param.${key}`), ...COLUMNS.map(([name]) => name)];
  const lines = [header.map(quote).join(',')];
  for (const run of results.runs) {
    const row: Cell[] = [
      run.shards,
      ...paramKeys.map((key) => (Object.hasOwn(run.params, key) ? run.params[key] : undefined)),
      ...COLUMNS.map(([, get]) => get(run)),
    ];
    lines.push(row.map(cell).join(','));
  }
  // RFC 4180 records end in CRLF; a trailing one keeps `cat a.csv b.csv` sane.
  return `${lines.join('\r\n')}\r\n`;
}
