/**
 * The Load balance section: how evenly the shards share the work, when that
 * is what the scenario studies (a placement other than hash, or placement as
 * a sweep axis) or when some shard is asked for more than its capacity (a hot
 * shard: demand above 1). Load imbalance against shard count, and one run's
 * demand shard by shard.
 */
import type { RunResult } from '../../results.js';
import { axisValue, formatAxisValue } from '../../summary-table.js';
import type { SectionChart, SpecObject } from '../section-data.js';
import { CATEGORICAL, fixed, thousands } from '../shared.js';
import { escapeHtml, figureHtml, tableHtml } from './html.js';
import { baseLayout, type ReportSection, type SectionContext } from './section.js';

export const IMBALANCE_CHART_ID = 'section-load-imbalance';
export const DEMAND_CHART_ID = 'section-load-demand';

const HOT = '#c62f3a';
const COOL = '#2f6fdb';

function maxDemand(run: RunResult): number {
  return run.perShard.reduce((m, p) => (Number.isFinite(p.demand) && p.demand > m ? p.demand : m), 0);
}

function medianDemand(run: RunResult): number {
  const ds = run.perShard
    .map((p) => p.demand)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  return ds.length === 0 ? Number.NaN : ds[Math.floor((ds.length - 1) / 2)]!;
}

/** How far above the typical shard a shard must be asked for to count as hot: a fifth more. */
const HOT_OVER_MEDIAN = 1.2;

/**
 * A hot shard: one asked for more than its capacity and a fifth more than
 * the median shard. A network driven to its capacity has every shard at
 * about 1 (0.98 beside 1.02 is noise, not a hot spot), and when every shard
 * is over capacity alike the network is overloaded, not unbalanced: the
 * overload warning says that.
 */
export function hasHotShard(run: RunResult): boolean {
  const max = maxDemand(run);
  return run.shards > 1 && max > 1 && max >= HOT_OVER_MEDIAN * medianDemand(run);
}

/** Why the section shows: hot shards, said as they are (beside shards with room, or above shards themselves over capacity). */
function hotSentence(hot: readonly RunResult[], multi: number): string {
  const roomy = hot.filter((run) => run.perShard.some((p) => Number.isFinite(p.demand) && p.demand <= 1)).length;
  const where =
    roomy === hot.length
      ? 'while other shards have room'
      : roomy === 0
        ? 'and a fifth more than the median shard, every shard being over capacity too'
        : `and a fifth more than the median shard (in ${roomy} of these runs other shards have room; in the rest every shard is over capacity too)`;
  return `A hot shard, asked for more than its capacity (demand above 1) ${where}, in ${hot.length} of the ${multi} multi-shard runs: it falls behind whatever the other shards do.`;
}

function isPlacementAxis(key: string): boolean {
  return key === 'accounts.partition' || key === 'accounts.partitionFile';
}

/** Why the section is shown, or null: placement studied, or a hot shard in a multi-shard run. */
export function loadReason(ctx: SectionContext): 'placement' | 'hot' | null {
  const multi = ctx.runs.filter((run) => run.shards > 1);
  if (multi.length === 0) return null;
  const placed = ctx.axes.some((axis) => isPlacementAxis(axis.key)) || multi.some((run) => (run.params['accounts.partition'] ?? 'hash') !== 'hash');
  if (placed) return 'placement';
  return multi.some(hasHotShard) ? 'hot' : null;
}

/** The run whose shards are drawn: the one with the hottest shard when some run has one, else the least even; ties go to more shards. */
export function demandRun(runs: readonly RunResult[]): RunResult | undefined {
  const multi = runs.filter((run) => run.shards > 1);
  const hot = multi.filter(hasHotShard);
  const score = (run: RunResult): number => (hot.length > 0 ? maxDemand(run) : run.loadImbalance);
  let best: RunResult | undefined;
  for (const run of hot.length > 0 ? hot : multi) {
    if (best === undefined || score(run) > score(best) || (score(run) === score(best) && run.shards > best.shards)) best = run;
  }
  return best;
}

function imbalanceChart(ctx: SectionContext, multi: readonly RunResult[]): SectionChart {
  const series = new Map<string, RunResult[]>();
  for (const run of multi) {
    const key = ctx.labels.series(run);
    series.set(key, [...(series.get(key) ?? []), run]);
  }
  const shardCounts = [...new Set(multi.map((run) => run.shards))].sort((a, b) => a - b);
  const data: SpecObject[] = [...series].map(([name, runs], i) => ({
    type: 'scatter',
    mode: 'lines+markers',
    name: name || 'load imbalance',
    x: runs.map((run) => run.shards),
    y: runs.map((run) => (Number.isFinite(run.loadImbalance) ? run.loadImbalance : null)),
    line: { color: CATEGORICAL[i % CATEGORICAL.length]! },
    hovertemplate: `${name ? `${escapeHtml(name)}<br>` : ''}%{x} shards: imbalance %{y:.3f}<extra></extra>`,
  }));
  const top = Math.max(1.1, ...multi.map((run) => (Number.isFinite(run.loadImbalance) ? run.loadImbalance : 1)));
  return {
    id: IMBALANCE_CHART_ID,
    data,
    layout: {
      ...baseLayout(),
      showlegend: series.size > 1,
      xaxis: { title: { text: 'shards' }, type: 'log', tickvals: shardCounts, ticktext: shardCounts.map(String), zeroline: false },
      yaxis: { title: { text: 'busiest shard / mean' }, range: [0.95, top * 1.05], zeroline: false },
      shapes: [{ type: 'line', xref: 'paper', x0: 0, x1: 1, yref: 'y', y0: 1, y1: 1, line: { color: '#7a7f8c', width: 1.5, dash: 'dash' } }],
      annotations: [{ xref: 'paper', x: 1, xanchor: 'right', yref: 'y', y: 1, yanchor: 'top', text: 'even', showarrow: false, font: { color: '#5b6475' } }],
    },
  };
}

/** The chosen run's demand per shard; with placement as an axis, beside its siblings of the other placements. */
function demandChart(ctx: SectionContext, chosen: RunResult): { chart: SectionChart; runs: RunResult[]; far: boolean } {
  const placement = ctx.axes.find((axis) => isPlacementAxis(axis.key));
  const others = ctx.axes.filter((axis) => axis.key !== 'shards' && axis !== placement);
  const runs =
    placement === undefined
      ? [chosen]
      : ctx.runs.filter(
          (run) => run.shards === chosen.shards && run.seed === chosen.seed && others.every((a) => axisValue(run, a.key) === axisValue(chosen, a.key)),
        );
  const data: SpecObject[] = runs.map((run, i) => {
    const name = placement === undefined ? 'demand' : `${placement.short} ${formatAxisValue(axisValue(run, placement.key))}`;
    const y = run.perShard.map((p) => (Number.isFinite(p.demand) ? p.demand : null));
    return {
      type: 'bar',
      name,
      x: run.perShard.map((p) => p.shard),
      y,
      marker: { color: runs.length === 1 ? y.map((d) => (d !== null && d > 1 ? HOT : COOL)) : CATEGORICAL[i % CATEGORICAL.length]! },
      hovertemplate: `${escapeHtml(name)}<br>shard %{x}: demand %{y:.2f} of capacity<extra></extra>`,
    };
  });
  const highest = Math.max(0, ...runs.map(maxDemand));
  // Far below capacity, a line at 1 would flatten every bar: the note says where it is instead.
  const far = highest < 0.5;
  const capacity = far
    ? {
        annotations: [
          {
            xref: 'paper',
            x: 1,
            xanchor: 'right',
            yref: 'paper',
            y: 1,
            yanchor: 'bottom',
            text: `capacity (1) far above: at most ${highest.toFixed(2)}`,
            showarrow: false,
            font: { color: '#5b6475' },
          },
        ],
      }
    : {
        shapes: [{ type: 'line', layer: 'above', xref: 'paper', x0: 0, x1: 1, yref: 'y', y0: 1, y1: 1, line: { color: '#1d2330', width: 2, dash: 'dash' } }],
        annotations: [
          {
            xref: 'paper',
            x: 1,
            xanchor: 'right',
            yref: 'y',
            y: 1,
            yanchor: 'bottom',
            text: 'capacity',
            showarrow: false,
            bgcolor: 'rgba(255,255,255,0.8)',
            font: { color: '#1d2330' },
          },
        ],
      };
  return {
    runs,
    far,
    chart: {
      id: DEMAND_CHART_ID,
      data,
      layout: {
        ...baseLayout(),
        barmode: 'group',
        showlegend: runs.length > 1,
        xaxis: { title: { text: runs.length > 1 ? `shard (${chosen.shards} shards)` : `shard (${ctx.labels.long(chosen)})` }, type: 'category' },
        yaxis: { title: { text: 'demand / capacity' }, range: [0, Math.max(far ? highest : 1.1, highest, 0.01) * 1.12], zeroline: false },
        ...capacity,
      },
    },
  };
}

export function loadSection(ctx: SectionContext): ReportSection | null {
  const reason = loadReason(ctx);
  if (reason === null) return null;
  const multi = ctx.runs.filter((run) => run.shards > 1);
  const chosen = demandRun(multi)!;
  const demand = demandChart(ctx, chosen);
  const rows = multi.map((run) => {
    const max = maxDemand(run);
    const hottest = run.perShard.find((p) => p.demand === max);
    const over = run.perShard.filter((p) => p.demand > 1).length;
    return {
      classes: demand.runs.includes(run) ? ['chosen'] : [],
      cells: [
        { text: ctx.labels.long(run), classes: ['text'] },
        fixed(run.loadImbalance, 3),
        { text: fixed(max, 2), classes: max > 1 ? ['bad'] : [] },
        hottest === undefined ? '–' : String(hottest.shard),
        { text: thousands(over), classes: over > 0 ? ['bad'] : [] },
        fixed(run.crossShardRatio * 100, 1),
      ],
    };
  });
  const why =
    reason === 'placement'
      ? 'Account placement is what this scenario studies: how evenly each placement spreads the work.'
      : hotSentence(multi.filter(hasHotShard), multi.length);
  const pick =
    demand.runs.length > 1
      ? `the runs at ${chosen.shards} shards, one colour per placement`
      : `${ctx.labels.long(chosen)}, the run with ${maxDemand(chosen) > 1 ? 'the hottest shard' : 'the least even load'}`;
  return {
    id: 'load-balance',
    charts: [imbalanceChart(ctx, multi), demand.chart],
    html: `<section id="load-balance" class="scenario">
<h2>Load balance</h2>
<p class="note">${escapeHtml(why)} Load imbalance is the busiest shard's work (transactions and receipts executed in the measured window) over the mean, 1 when even; demand is what a shard was asked for (the gas of the transactions offered to it and of the receipts it admitted) over its capacity (block gas limit times the window's slots), uncapped.</p>
${tableHtml([{ text: 'run', classes: ['text'] }, 'load imbalance', 'max demand', 'hottest shard', 'shards over capacity', 'cross-shard %'], rows)}
<div class="charts">
${figureHtml(IMBALANCE_CHART_ID, 'Load imbalance of each multi-shard run against its shard count; the dashed line is an even load.')}
${figureHtml(
  DEMAND_CHART_ID,
  `Demand over capacity, shard by shard, for ${pick}. ${
    demand.far
      ? 'Every shard is far below its capacity here, so the axis stops short of 1: the bars compare the shards.'
      : `Above the dashed line (capacity) a shard is asked for more than it can include: it falls behind${demand.runs.length === 1 ? ' (red bars)' : ''}.`
  }`,
)}
</div>
</section>`,
  };
}
