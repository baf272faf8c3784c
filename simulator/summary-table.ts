/**
 * The plain-text table printed at the end of a sweep: one line per run, sized
 * for a terminal, no colours so it survives pipes and CI logs unchanged.
 */
import type { RunResult, SweepResults } from './results.js';

/** The headline goal of a sweep: the shard count at which this much throughput is reached. */
const TARGET_TPS = 100_000;

/** Integer with comma thousands separators; done by hand so output does not depend on the ICU locale. */
function thousands(n: number): string {
  if (!Number.isFinite(n)) return '-';
  const rounded = Math.round(n);
  const digits = String(Math.abs(rounded)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return rounded < 0 ? `-${digits}` : digits;
}

function fixed(n: number, digits: number): string {
  return Number.isFinite(n) ? n.toFixed(digits) : '-';
}

/** Failure probabilities span many orders of magnitude, so scientific notation (1.2e-5). */
function scientific(n: number): string {
  if (!Number.isFinite(n)) return '-';
  return n === 0 ? '0' : n.toExponential(1);
}

/**
 * Parameters (other than the shard count itself) that differ between runs.
 * When a sweep varies more than the shard count, rows with the same shard
 * count are told apart by these.
 */
function varyingParams(runs: readonly RunResult[]): string[] {
  const keys = [...new Set(runs.flatMap((run) => Object.keys(run.params)))].sort();
  return keys.filter((key) => {
    if (runs.every((run) => run.params[key] === run.shards)) return false;
    const first = runs[0]?.params[key];
    return runs.some((run) => run.params[key] !== first);
  });
}

interface Column {
  readonly title: string;
  readonly align: 'left' | 'right';
  readonly value: (run: RunResult) => string;
}

function columns(varying: readonly string[]): Column[] {
  const cols: Column[] = [{ title: 'shards', align: 'right', value: (r) => String(r.shards) }];
  if (varying.length > 0) {
    cols.push({
      title: 'params',
      align: 'left',
      value: (r) => varying.map((key) => `${key}=${String(r.params[key] ?? '')}`).join(' '),
    });
  }
  cols.push(
    { title: 'throughput TPS', align: 'right', value: (r) => thousands(r.throughputTps) },
    { title: 'offered TPS', align: 'right', value: (r) => thousands(r.offeredTps) },
    { title: 'cross %', align: 'right', value: (r) => fixed(r.crossShardRatio * 100, 1) },
    { title: 'p50 s', align: 'right', value: (r) => fixed(r.latency.p50, 2) },
    { title: 'p99 s', align: 'right', value: (r) => fixed(r.latency.p99, 2) },
    { title: 'util %', align: 'right', value: (r) => fixed(r.utilisation.mean * 100, 1) },
    { title: 'committee fail P', align: 'right', value: (r) => scientific(r.security.failureProbability) },
    { title: 'wall s', align: 'right', value: (r) => fixed(r.wall.seconds, 2) },
    { title: 'tx/wall s', align: 'right', value: (r) => thousands(r.wall.simulatedTxPerWallSecond) },
  );
  return cols;
}

/** The verdict line: the smallest shard count whose throughput reached the target, or the best run. */
function targetLine(runs: readonly RunResult[]): string {
  const reached = runs.filter((run) => run.throughputTps >= TARGET_TPS);
  if (reached.length > 0) {
    const first = reached.reduce((a, b) => (b.shards < a.shards ? b : a));
    return `100,000 TPS first reached at ${first.shards} shards (${thousands(first.throughputTps)} TPS).`;
  }
  const finite = runs.filter((run) => Number.isFinite(run.throughputTps));
  if (finite.length === 0) return '100,000 TPS not reached: no run produced a throughput figure.';
  const best = finite.reduce((a, b) => (b.throughputTps > a.throughputTps ? b : a));
  return `100,000 TPS not reached by any run; max ${thousands(best.throughputTps)} TPS at ${best.shards} shards.`;
}

export function formatSummary(results: SweepResults): string {
  // Stable sort: rows read in shard order, sweep order kept within a shard count.
  const runs = [...results.runs].sort((a, b) => a.shards - b.shards);
  const cols = columns(varyingParams(runs));
  const cells = runs.map((run) => cols.map((col) => col.value(run)));
  const widths = cols.map((col, i) => Math.max(col.title.length, ...cells.map((row) => row[i].length)));
  const line = (row: readonly string[]): string =>
    row
      .map((text, i) => (cols[i].align === 'right' ? text.padStart(widths[i]) : text.padEnd(widths[i])))
      .join('  ')
      .trimEnd();

  return [
    line(cols.map((col) => col.title)),
    line(widths.map((w) => '-'.repeat(w))),
    ...cells.map(line),
    '',
    `digest: ${results.digest}`,
    targetLine(runs),
    '',
  ].join('\n');
}
