/**
 * The study a report shows when a sweep varies more than the shard count:
 * which axis runs along x, which one names the lines, which ones fix the
 * small multiples, and every plotted figure, computed in Node from the
 * results so the page only draws them.
 */
import { goalFigure } from '../goal.js';
import type { RunResult } from '../results.js';
import { abortRate, axisValue, executionShown, formatAxisValue, type SweepAxis } from '../summary-table.js';
import type { Study, StudyLine, StudyPanel, StudyQuantity, StudyScale } from './page-data.js';
import { type AxisValue, CATEGORICAL, ORDERED_LONG, ORDERED_SHORT } from './shared.js';

/** Small multiples drawn per quantity at most: 4 quantities x 48 charts is already a heavy page. */
const MAX_PANELS = 48;

function lineColours(count: number, ordered: boolean): string[] {
  if (!ordered || count > ORDERED_LONG.length || count < 2) {
    return Array.from({ length: count }, (_, i) => CATEGORICAL[i % CATEGORICAL.length]!);
  }
  const ramp = count <= ORDERED_SHORT.length ? ORDERED_SHORT : ORDERED_LONG;
  // Spread over the ramp so two or three lines are not neighbouring shades.
  return Array.from({ length: count }, (_, i) => ramp[Math.round((i * (ramp.length - 1)) / (count - 1))]!);
}

function isPowerOfTwo(v: number): boolean {
  return Number.isInteger(v) && v > 0 && (v & (v - 1)) === 0;
}

function scaleOf(axis: SweepAxis): StudyScale {
  if (!axis.numeric) return 'category';
  const values = axis.values as number[];
  if (values.every(isPowerOfTwo)) return 'log2';
  const min = Math.min(...values);
  return min > 0 && Math.max(...values) / min >= 20 ? 'log' : 'linear';
}

/** "block-stm" for the executor, "blockGasLimit 21,000,000" for the rest. */
function fixedLabel(axis: { key: string; short: string }, value: AxisValue): string {
  return axis.key === 'shard.executor' ? String(value) : `${axis.short} ${formatAxisValue(value)}`;
}

/** The mean of a figure over a point's runs (its seeds), null when none has a finite value. */
function meanOf(runs: readonly RunResult[], f: (run: RunResult) => number): number | null {
  const xs = runs.map(f).filter(Number.isFinite);
  return xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length;
}

/**
 * What the panels draw. Speedup, its heatmap and aborts only when parallel
 * execution is in play (summary-table.ts executionShown) and the study is not
 * about placement or the workload: there the question is where transactions
 * land, so throughput, the cross-shard share and the load imbalance.
 */
function quantitiesOf(runs: readonly RunResult[], axes: readonly SweepAxis[], lineAxis: SweepAxis | null): StudyQuantity[] {
  const placement = axes.some((axis) => axis.key === 'accounts.partition' || axis.key === 'accounts.partitionFile' || axis.key.startsWith('workload.'));
  const multiShard = runs.some((run) => run.shards > 1);
  const spread: StudyQuantity[] = multiShard ? ['throughput', 'cross', 'imbalance'] : ['throughput'];
  if (placement || !executionShown(runs)) return spread;
  return lineAxis === null ? ['speedup', 'aborts', 'throughput'] : ['speedup', 'heatmap', 'aborts', 'throughput'];
}

/**
 * The study layout when the sweep varies anything besides the shard count:
 * x is the last numeric axis (else the last axis), one line per value of the
 * axis before it, one panel per combination of the rest. Null for a plain
 * shard sweep.
 */
export function buildStudy(runs: readonly RunResult[], axes: readonly SweepAxis[], seeds = 1): Study | null {
  if (!axes.some((axis) => axis.key !== 'shards')) return null;
  let xi = axes.length - 1;
  while (xi >= 0 && !axes[xi]!.numeric) xi--;
  if (xi < 0) xi = axes.length - 1;
  const xAxis = axes[xi]!;
  const lineAxis = xi > 0 ? axes[xi - 1]! : axes.length > 1 ? axes[1]! : null;
  const facets = axes.filter((axis) => axis !== xAxis && axis !== lineAxis);

  const xValues = xAxis.numeric ? [...xAxis.values].sort((a, b) => Number(a) - Number(b)) : [...xAxis.values];
  const lineValues: readonly (AxisValue | undefined)[] = lineAxis === null ? [undefined] : lineAxis.values;
  const colours = lineColours(lineValues.length, lineAxis?.numeric === true);

  // Panel order: rows are combinations of facets[1..], columns the values of facets[0] (when few).
  const columnAxis = facets[0];
  const columns = columnAxis !== undefined && columnAxis.values.length <= 4 ? columnAxis.values.length : 0;
  let combos: Array<Record<string, AxisValue>> = [{}];
  for (const axis of facets.slice(1)) combos = combos.flatMap((c) => axis.values.map((v) => ({ ...c, [axis.key]: v })));
  if (columnAxis !== undefined) {
    combos = combos.flatMap((c) => columnAxis.values.map((v) => ({ ...c, [columnAxis.key]: v })));
  }

  const panels: StudyPanel[] = [];
  let combinations = 0;
  for (const combo of combos) {
    const inPanel = runs.filter((run) => facets.every((axis) => axisValue(run, axis.key) === combo[axis.key]));
    if (inPanel.length === 0) continue;
    combinations++;
    if (panels.length >= MAX_PANELS) continue;
    const lines: StudyLine[] = lineValues.map((lv, li) => {
      // A point's runs differ only by seed (the seed is never an axis): each figure is their mean.
      const points = xValues.map((xv) =>
        inPanel.filter((run) => axisValue(run, xAxis.key) === xv && (lineAxis === null || axisValue(run, lineAxis.key) === lv)),
      );
      const pick = (f: (run: RunResult) => number): (number | null)[] => points.map((group) => meanOf(group, f));
      return {
        value: lv ?? '',
        label: lineAxis === null || lv === undefined ? '' : `${lineAxis.short} ${formatAxisValue(lv)}`,
        colour: colours[li]!,
        speedup: pick((r) => r.execution.speedup),
        boundRaw: pick((r) => r.execution.bound.raw),
        boundAll: pick((r) => r.execution.bound.all),
        // With --find-max the figure a point is about is the rate it sustains.
        throughputTps: pick(goalFigure),
        abortRate: pick(abortRate),
        crossShardRatio: pick((r) => r.crossShardRatio),
        loadImbalance: pick((r) => r.loadImbalance),
      };
    });
    // Keep facet order (outermost first) in the title, whatever the grid order.
    const title = facets.map((axis) => fixedLabel(axis, combo[axis.key]!)).join(', ');
    panels.push({
      id: panels.length,
      title,
      fixed: Object.fromEntries(facets.map((axis) => [axis.key, combo[axis.key]!])),
      lines,
      heatmap:
        lineAxis === null
          ? null
          : {
              x: xValues.map(formatAxisValue),
              y: lineAxis.values.map(formatAxisValue),
              z: lines.map((l) => l.speedup),
              bound: lines.map((l) => l.boundRaw),
            },
    });
  }
  return {
    sustained: runs.some((run) => run.findMax !== undefined),
    axes: axes.map((axis) => ({ key: axis.key, short: axis.short, count: axis.values.length })),
    x: { key: xAxis.key, short: xAxis.short, values: xValues, labels: xValues.map(formatAxisValue), scale: scaleOf(xAxis) },
    line: lineAxis === null ? null : { key: lineAxis.key, short: lineAxis.short },
    facets: facets.map((axis) => ({ key: axis.key, short: axis.short })),
    columns,
    combinations,
    panels,
    quantities: quantitiesOf(runs, axes, lineAxis),
    seeds,
  };
}
