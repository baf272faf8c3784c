/**
 * What an executor reports of each block, declared once. A shard packs these
 * figures, in table order, into its slot report's `exec` block, which the
 * protocol carries without reading; the simulator totals them over a run by
 * each row's aggregation and lays them out in its results by `result`. A new
 * figure is one row here (and the executors filling it in).
 */
import type { MetricField } from '../../crosslink/slot-metrics.js';

export interface ExecStatField extends MetricField {
  /** Where the run's figure sits in the results' `execution` object: its name unless given; "group.key" nests it. */
  readonly result?: string;
}

export const EXEC_STATS = [
  { name: 'reexecutions', unit: 'count', over: 'sum', doc: "Incarnations beyond each item's first (Block-STM only)." },
  { name: 'validations', unit: 'count', over: 'sum', doc: 'Read-set validation tasks run (Block-STM only).' },
  { name: 'aborts', unit: 'count', over: 'sum', doc: 'Incarnations aborted: by a failed validation or by reading an ESTIMATE marker.' },
  { name: 'estimateWaits', unit: 'count', over: 'sum', doc: 'Of `aborts`, those that stopped at an ESTIMATE and waited for the writer (Block-STM only).' },
  {
    name: 'wastedGas',
    unit: 'gas',
    over: 'sum',
    doc: 'Gas of aborted work: the full gas of an incarnation aborted by validation, the reads done by a halted one.',
  },
  // The block's parallelism bound min(k, W / D): W its total gas, D the gas of its heaviest
  // dependency chain. A property of the block and the thread count, reported by every executor.
  { name: 'boundRaw', unit: 'threads', over: 'gasMean', empty: 1, result: 'bound.raw', doc: 'Parallelism bound, D over read-after-write edges only.' },
  {
    name: 'boundAll',
    unit: 'threads',
    over: 'gasMean',
    empty: 1,
    result: 'bound.all',
    doc: 'Parallelism bound, D over every conflict edge (RAW, WAR and WAW).',
  },
] as const satisfies readonly ExecStatField[];

export type ExecStatName = (typeof EXEC_STATS)[number]['name'];

/** The reported figures of one block, by name. */
export type ReportedExecStats = { readonly [K in ExecStatName]: number };

/** Numbers a packed block takes. */
export const EXEC_STAT_NUMS = EXEC_STATS.length;

/** The figures as the block a slot report carries, in table order. */
export function packExecStats(s: ReportedExecStats): Float64Array {
  const out = new Float64Array(EXEC_STATS.length);
  for (let k = 0; k < EXEC_STATS.length; k++) out[k] = s[EXEC_STATS[k]!.name];
  return out;
}
