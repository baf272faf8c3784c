/**
 * The sweep's throughput goal (`report.targetTps`) and the verdict on it,
 * shared by the terminal summary and the report page. No goal is set unless
 * the scenario asks for one: a DAO vote is not judged against 100k TPS. With
 * `--find-max` the verdict reads the maximum sustainable throughput, which
 * is the figure a goal is about; otherwise the measured throughput.
 */
import type { RunResult, SweepResults } from './results.js';

/** The goal of a sweep, or undefined. Tolerates results written before the setting existed. */
export function targetOf(results: SweepResults): number | undefined {
  const report = (results.config as { report?: { targetTps?: number } } | undefined)?.report;
  return report?.targetTps;
}

/** The figure a goal judges: the maximum sustainable rate when the sweep searched it, else throughput. */
export function goalFigure(run: RunResult): number {
  return run.findMax?.maxSustainableTps ?? run.throughputTps;
}

export interface GoalVerdict {
  readonly target: number;
  /** `sustained` when the sweep searched the maximum sustainable rate. */
  readonly figure: 'throughput' | 'sustained';
  /** The smallest shard count that meets the goal (its run), if any did. */
  readonly first: RunResult | undefined;
  /** Otherwise the best run, if any produced a figure. */
  readonly best: RunResult | undefined;
}

export function goalVerdict(runs: readonly RunResult[], target: number): GoalVerdict {
  const figure = runs.some((run) => run.findMax !== undefined) ? 'sustained' : 'throughput';
  const reached = runs.filter((run) => goalFigure(run) >= target);
  const first = reached.length === 0 ? undefined : reached.reduce((a, b) => (b.shards < a.shards ? b : a));
  const finite = runs.filter((run) => Number.isFinite(goalFigure(run)));
  const best = finite.length === 0 ? undefined : finite.reduce((a, b) => (goalFigure(b) > goalFigure(a) ? b : a));
  return { target, figure, first, best };
}
