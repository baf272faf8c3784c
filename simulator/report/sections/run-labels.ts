/**
 * Names of a sweep's runs in the scenario sections: the shard count, the
 * values of the sweep's other axes, and the seed when the sweep has several.
 */
import type { RunResult, SweepResults } from '../../results.js';
import { axisValue, formatAxisValue, type SweepAxis } from '../../summary-table.js';

export interface RunLabels {
  /** In a table or sentence: "4 shards · graph · seed 7". */
  readonly long: (run: RunResult) => string;
  /** On a chart's category axis: "S=4 · graph · s7". */
  readonly short: (run: RunResult) => string;
  /** The other axes' values alone (empty in a plain shard sweep): what names a series across shard counts. */
  readonly series: (run: RunResult) => string;
}

export function runLabels(results: SweepResults, axes: readonly SweepAxis[]): RunLabels {
  const others = axes.filter((axis) => axis.key !== 'shards');
  const seeds = results.seeds ?? [results.seed];
  const withSeed = seeds.length > 1 && !others.some((axis) => axis.key === 'seed');
  const values = (run: RunResult): string[] => others.map((axis) => formatAxisValue(axisValue(run, axis.key)));
  const series = (run: RunResult): string =>
    others.map((axis) => `${axis.short} ${formatAxisValue(axisValue(run, axis.key))}`).join(', ') +
    (withSeed ? `${others.length > 0 ? ', ' : ''}seed ${run.seed}` : '');
  return {
    long: (run) => [`${run.shards} shard${run.shards === 1 ? '' : 's'}`, ...values(run), ...(withSeed ? [`seed ${run.seed}`] : [])].join(' · '),
    short: (run) => [`S=${run.shards}`, ...values(run), ...(withSeed ? [`s${run.seed}`] : [])].join(' · '),
    series,
  };
}
