/**
 * The sweep's throughput goal (`report.targetTps`) and the verdict on it,
 * shared by the terminal summary and the report page. No goal is set unless
 * the scenario asks for one: a DAO vote is not judged against 100k TPS. With
 * `--find-max` the verdict reads the maximum sustainable throughput, which
 * is the figure a goal is about; otherwise the measured throughput.
 */
import { groupByPoint } from './point-stats.js';
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

/** A sweep point as a goal judges it: its first run (which names it) and the mean of its runs' figure over their seeds. */
export interface GoalPoint {
  readonly run: RunResult;
  readonly value: number;
}

export interface GoalVerdict {
  readonly target: number;
  /** `sustained` when the sweep searched the maximum sustainable rate. */
  readonly figure: 'throughput' | 'sustained';
  /** The point with the smallest shard count that meets the goal, if any did. */
  readonly first: GoalPoint | undefined;
  /** Otherwise the best point, if any produced a figure. */
  readonly best: GoalPoint | undefined;
}

/**
 * Where the goal is met, point by point: a point run with several seeds is
 * judged by its mean over them, never by its luckiest seed.
 */
export function goalVerdict(runs: readonly RunResult[], target: number): GoalVerdict {
  const figure = runs.some((run) => run.findMax !== undefined) ? 'sustained' : 'throughput';
  const points: GoalPoint[] = [...groupByPoint(runs).values()].map((group) => {
    const values = group.map(goalFigure).filter(Number.isFinite);
    return { run: group[0]!, value: values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length };
  });
  const reached = points.filter((p) => p.value >= target);
  const first = reached.length === 0 ? undefined : reached.reduce((a, b) => (b.run.shards < a.run.shards ? b : a));
  const finite = points.filter((p) => Number.isFinite(p.value));
  const best = finite.length === 0 ? undefined : finite.reduce((a, b) => (b.value > a.value ? b : a));
  return { target, figure, first, best };
}
