/**
 * The Network and consensus section: what agreement inside the shards and
 * the beacon cost each run, and what binds it (results.json `network` and
 * `bottleneck`, docs/network.md "Figures and the bottleneck"). Shown only
 * when some run is off the ideal network: on it agreement is instant and the
 * figures are zeros.
 */
import { BOTTLENECK_ORDER, bottleneckWord, networkOf, networkShown } from '../../network-columns.js';
import type { NetworkFigures } from '../../network-figures.js';
import type { RunResult } from '../../results.js';
import { axisValue, formatAxisValue } from '../../summary-table.js';
import type { SectionChart, SpecObject } from '../section-data.js';
import { CATEGORICAL, fixed, thousands } from '../shared.js';
import { type Cell, escapeHtml, figureHtml, type Row, tableHtml } from './html.js';
import { baseLayout, type ReportSection, type SectionContext } from './section.js';

export const AGREEMENT_CHART_ID = 'section-network-agreement';
export const FINALITY_CHART_ID = 'section-network-finality';
export const LATENCY_CHART_ID = 'section-network-latency';

/** The latency breakdown's stages, bottom to top, with their colours. */
const STAGES: ReadonlyArray<readonly [key: keyof Omit<NetworkFigures['latencyBreakdown'], 'completed' | 'meanSeconds'>, name: string, color: string]> = [
  ['mempool', 'mempool wait', '#8c96a8'],
  ['execution', 'block: execution', '#2f6fd6'],
  ['agreement', 'block: agreement', '#d64b4b'],
  ['finality', 'finality and admission', '#e0a030'],
  ['receiptQueue', 'receipt queue', '#3a9a5b'],
  ['outboundLeg', "two-leg transactions' outbound leg", '#8a5cc2'],
];

const DASH = '–';

/** The axes the table's own columns already name. */
const NAMED_AXES = new Set(['network.preset', 'consensus.protocol', 'consensus.dissemination']);

/** Bytes in decimal units (1 kB = 1,000 B), three significant figures: a slot's traffic spans bytes to hundreds of megabytes. */
export function bytesText(n: number | null): string {
  if (n === null || !Number.isFinite(n)) return DASH;
  const units: ReadonlyArray<readonly [number, string]> = [
    [1e9, 'GB'],
    [1e6, 'MB'],
    [1e3, 'kB'],
  ];
  for (const [size, unit] of units) if (Math.abs(n) >= size) return `${(n / size).toPrecision(3)} ${unit}`;
  return `${Math.round(n)} B`;
}

/** Slots: whole numbers as they are, a mean with one decimal. */
function slotsText(n: number | null): string {
  if (n === null || !Number.isFinite(n)) return DASH;
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

function behind(value: number | null, configured: number): boolean {
  return value !== null && value > configured;
}

/** A column of the section's tables: its title and a run's cell. */
interface NetColumn {
  readonly title: string;
  /** Left-aligned (names, not figures). */
  readonly text?: boolean;
  readonly cell: (run: RunResult, n: NetworkFigures) => string | Cell;
}

const flagged = (text: string, bad: boolean): Cell => ({ text, classes: bad ? ['bad'] : [] });

/** How each shard agreed, and what binds the run. */
const CONSENSUS_COLUMNS: readonly NetColumn[] = [
  { title: 'protocol', text: true, cell: (_, n) => n.protocol },
  { title: 'committee', cell: (_, n) => (n.committee > 0 ? thousands(n.committee) : DASH) },
  { title: 'dissemination', text: true, cell: (_, n) => n.dissemination ?? DASH },
  { title: 'agreement s', cell: (_, n) => fixed(n.agreementSeconds, 3, DASH) },
  { title: 'agreement % of slot', cell: (_, n) => fixed(n.agreementShare * 100, 1, DASH) },
  { title: 'missed slots', cell: (_, n) => flagged(thousands(n.missedSlots, DASH), n.missedSlots > 0) },
  // At least half the blocks cut short by agreement is what names consensus or bandwidth (network-figures.ts bottleneckOf).
  { title: 'blocks cut %', cell: (_, n) => flagged(fixed(n.cutShare * 100, 1, DASH), n.cutShare >= 0.5) },
  { title: 'mean block bytes', cell: (_, n) => bytesText(n.blockBytesMean) },
  // What the receipts' proofs take of a block grows with the source shards it hears from (shards/delayed-receipts.ts).
  {
    title: 'receipt proofs % of block',
    cell: (_, n) => fixed(n.receiptProofShare === null || n.blockBytesMean === 0 ? Number.NaN : n.receiptProofShare * 100, 1, DASH),
  },
  { title: 'binds', text: true, cell: (run) => bottleneckWord(run) ?? DASH },
];

/** A beacon's capacity: the least over the window, and its mean when the slots differ. */
function capacityText(least: number | null, mean: number | null): string {
  if (least === null) return 'unlimited';
  // No mean in results written before the capacity varied by slot.
  return mean === null || mean === least ? thousands(least) : `${thousands(least)} (mean ${thousands(Math.round(mean))})`;
}

/** What the network carried, and how the beacon kept up. */
const TRAFFIC_COLUMNS: readonly NetColumn[] = [
  { title: 'proposal bytes / slot', cell: (_, n) => bytesText(n.bytesPerSlot.proposal) },
  { title: 'vote bytes / slot', cell: (_, n) => bytesText(n.bytesPerSlot.votes) },
  { title: 'receipt bytes / slot', cell: (_, n) => bytesText(n.bytesPerSlot.receipts) },
  { title: 'beacon bytes / slot', cell: (_, n) => bytesText(n.bytesPerSlot.beacon) },
  { title: 'bytes / validator / slot', cell: (_, n) => bytesText(n.bytesPerValidatorPerSlot) },
  { title: 'beacon capacity, crosslinks / slot', cell: (_, n) => capacityText(n.beacon.crosslinksPerSlot, n.beacon.crosslinksPerSlotMean) },
  {
    title: 'finality p50 slots',
    cell: (_, n) => flagged(slotsText(n.beacon.finalityDelaySlots.p50), behind(n.beacon.finalityDelaySlots.p50, n.beacon.finalityDelaySlots.configured)),
  },
  {
    title: 'finality p99 slots',
    cell: (_, n) => flagged(slotsText(n.beacon.finalityDelaySlots.p99), behind(n.beacon.finalityDelaySlots.p99, n.beacon.finalityDelaySlots.configured)),
  },
  { title: 'configured delay slots', cell: (_, n) => String(n.beacon.finalityDelaySlots.configured) },
  { title: 'receipts held back (max)', cell: (_, n) => flagged(thousands(n.receiptsHeldBackMax, DASH), n.receiptsHeldBackMax > 0) },
];

/**
 * One table, a row per run: the run named by its shard count, the sweep's
 * other axes (those the columns do not name already), its seed when there
 * are several, and its preset; then the columns.
 */
function networkTable(ctx: SectionContext, runs: readonly RunResult[], columns: readonly NetColumn[]): string {
  const axes = ctx.axes.filter((axis) => axis.key !== 'shards' && !NAMED_AXES.has(axis.key));
  const seeds = (ctx.results.seeds ?? [ctx.results.seed]).length > 1;
  const text = (t: string, isText: boolean): Cell => ({ text: t, classes: isText ? ['text'] : [] });
  const head = [
    'shards',
    ...axes.map((axis) => text(axis.short, !axis.numeric)),
    ...(seeds ? ['seed'] : []),
    text('preset', true),
    ...columns.map((col) => text(col.title, col.text === true)),
  ];
  // A rule wherever an outer axis changes, as in the summary table.
  const outer = ctx.axes.slice(0, -1);
  const rows: Row[] = runs.map((run, i) => {
    const n = networkOf(run)!;
    const prev = runs[i - 1];
    const group = prev !== undefined && outer.some((axis) => axisValue(prev, axis.key) !== axisValue(run, axis.key));
    const own = columns.map((col) => {
      const c = col.cell(run, n);
      const cell = typeof c === 'string' ? { text: c } : c;
      return col.text === true ? { ...cell, classes: [...(cell.classes ?? []), 'text'] } : cell;
    });
    return {
      classes: group ? ['group'] : [],
      cells: [
        String(run.shards),
        ...axes.map((axis) => text(formatAxisValue(axisValue(run, axis.key)), !axis.numeric)),
        ...(seeds ? [String(run.seed)] : []),
        text(n.preset, true),
        ...own,
      ],
    };
  });
  return tableHtml(head, rows);
}

/** The runs of each series (the other axes' values), in sweep order. */
function seriesOf(ctx: SectionContext, runs: readonly RunResult[]): Array<readonly [name: string, runs: RunResult[]]> {
  const series = new Map<string, RunResult[]>();
  for (const run of runs) {
    const key = ctx.labels.series(run);
    series.set(key, [...(series.get(key) ?? []), run]);
  }
  return [...series];
}

/** Grouped bars by shard count, one colour per series: series drawn on top of each other (the ideal beside a network) stay apart. */
function bars(
  ctx: SectionContext,
  runs: readonly RunResult[],
  y: (n: NetworkFigures) => number | null,
  extra: (name: string, runs: readonly RunResult[]) => SpecObject,
): SpecObject[] {
  return seriesOf(ctx, runs).map(([name, these], i) => ({
    type: 'bar',
    name: name || 'runs',
    x: these.map((run) => String(run.shards)),
    y: these.map((run) => {
      const v = y(networkOf(run)!);
      return v !== null && Number.isFinite(v) ? v : null;
    }),
    marker: { color: CATEGORICAL[i % CATEGORICAL.length]! },
    ...extra(name, these),
  }));
}

/** The layout every chart of the section shares: bars grouped by shard count, a legend when there are series. */
function groupedBars(data: readonly SpecObject[], runs: readonly RunResult[]): SpecObject {
  return { ...baseLayout(), barmode: 'group', showlegend: data.length > 1, xaxis: shardAxis(runs) };
}

/** A note above a chart's plot, at its left, saying what its dashed line marks. */
function dashedNote(text: string, color: string): SpecObject {
  return { xref: 'paper', x: 0, xanchor: 'left', yref: 'paper', y: 1, yanchor: 'bottom', text, showarrow: false, font: { color } };
}

function shardAxis(runs: readonly RunResult[]): SpecObject {
  const counts = [...new Set(runs.map((run) => run.shards))].sort((a, b) => a - b).map(String);
  return { title: { text: 'shards' }, type: 'category', categoryorder: 'array', categoryarray: counts };
}

function agreementChart(ctx: SectionContext, runs: readonly RunResult[]): SectionChart {
  const data = bars(
    ctx,
    runs,
    (n) => n.agreementShare * 100,
    (name, these) => ({
      // The word that binds each run, over its bar: the chart says why throughput stops where it does.
      text: these.map((run) => bottleneckWord(run) ?? ''),
      textposition: 'outside',
      textangle: -90,
      cliponaxis: false,
      textfont: { size: 11, color: '#1d2330' },
      customdata: these.map((run) => [fixed(networkOf(run)!.agreementSeconds, 3, DASH), bottleneckWord(run) ?? DASH]),
      hovertemplate: `${name ? `${escapeHtml(name)}<br>` : ''}%{x} shards: agreement %{y:.1f}% of the slot (%{customdata[0]} s)<br>binds: %{customdata[1]}<extra></extra>`,
    }),
  );
  const top = Math.max(100, ...runs.map((run) => networkOf(run)!.agreementShare * 100).filter(Number.isFinite));
  return {
    id: AGREEMENT_CHART_ID,
    data,
    layout: {
      ...groupedBars(data, runs),
      // Room above the whole slot for the words over the bars.
      yaxis: { title: { text: 'agreement, % of the slot' }, range: [0, top * 1.3], ticksuffix: '%', zeroline: false },
      // Below the traces, so the words over the bars stay readable across it.
      shapes: [
        { type: 'line', layer: 'below', xref: 'paper', x0: 0, x1: 1, yref: 'y', y0: 100, y1: 100, line: { color: '#7a7f8c', width: 1.5, dash: 'dash' } },
      ],
      // Above the plot: at the line it would collide with the words over the bars.
      annotations: [dashedNote('dashed: the whole slot', '#5b6475')],
    },
  };
}

function finalityChart(ctx: SectionContext, runs: readonly RunResult[]): SectionChart {
  const data = bars(
    ctx,
    runs,
    (n) => n.beacon.finalityDelaySlots.p50,
    (name, these) => ({
      text: these.map((run) => slotsText(networkOf(run)!.beacon.finalityDelaySlots.p50)),
      textposition: 'outside',
      cliponaxis: false,
      textfont: { size: 11, color: '#1d2330' },
      customdata: these.map((run) => {
        const f = networkOf(run)!.beacon.finalityDelaySlots;
        return [slotsText(f.p99), f.configured, thousands(f.unfinalized)];
      }),
      hovertemplate: `${name ? `${escapeHtml(name)}<br>` : ''}%{x} shards: finality p50 %{y} slots, p99 %{customdata[0]} (configured %{customdata[1]})<br>window slots not final at the end: %{customdata[2]}<extra></extra>`,
    }),
  );
  const configured = [...new Set(runs.map((run) => networkOf(run)!.beacon.finalityDelaySlots.configured))];
  const top = Math.max(1, ...configured, ...runs.map((run) => networkOf(run)!.beacon.finalityDelaySlots.p50 ?? 0));
  // One configured delay for every run: a line at it; several (an axis): the hover and the table give each run's.
  const line =
    configured.length === 1
      ? {
          shapes: [
            {
              type: 'line',
              layer: 'above',
              xref: 'paper',
              x0: 0,
              x1: 1,
              yref: 'y',
              y0: configured[0]!,
              y1: configured[0]!,
              line: { color: '#b02a2a', width: 1.5, dash: 'dash' },
            },
          ],
          // Above the plot: at the line it would cover the bars that reach it, and their labels.
          annotations: [dashedNote(`dashed: the configured delay, ${configured[0]} slot${configured[0] === 1 ? '' : 's'}`, '#b02a2a')],
        }
      : {};
  return {
    id: FINALITY_CHART_ID,
    data,
    layout: {
      ...groupedBars(data, runs),
      yaxis: { title: { text: 'finality delay p50, slots' }, range: [0, top * 1.2], zeroline: false, ...(top <= 12 ? { dtick: 1 } : {}) },
      ...line,
    },
  };
}

/**
 * Where a completed transaction's latency went, stacked by stage, one bar per run (grouped by shard count, one
 * bar a series, its stages stacked with explicit bases so the series stay side by side).
 */
function latencyChart(ctx: SectionContext, runs: readonly RunResult[]): SectionChart {
  const series = seriesOf(ctx, runs);
  const data: SpecObject[] = [];
  series.forEach(([name, these], i) => {
    const base = these.map(() => 0);
    for (const [key, stage, color] of STAGES) {
      const y = these.map((run) => networkOf(run)!.latencyBreakdown[key]);
      data.push({
        type: 'bar',
        name: stage,
        legendgroup: stage,
        showlegend: i === 0,
        offsetgroup: String(i),
        x: these.map((run) => String(run.shards)),
        y,
        base: [...base],
        marker: { color, line: { color: '#ffffff', width: 0.5 }, opacity: series.length > 1 && i % 2 === 1 ? 0.65 : 1 },
        // A run that completed none of its window's transactions has no bar: say so where it would stand.
        ...(key === STAGES[0]![0]
          ? {
              text: these.map((run) => (networkOf(run)!.latencyBreakdown.completed === 0 ? 'none completed' : '')),
              textposition: 'outside',
              textangle: -90,
              cliponaxis: false,
              textfont: { size: 11, color: '#5b6475' },
            }
          : {}),
        customdata: these.map((run) => [thousands(networkOf(run)!.latencyBreakdown.completed), fixed(networkOf(run)!.latencyBreakdown.meanSeconds, 2, DASH)]),
        hovertemplate: `${name ? `${escapeHtml(name)}<br>` : ''}%{x} shards, ${escapeHtml(stage)}: %{y:.3f} s of a mean %{customdata[1]} s<br>over %{customdata[0]} completed transactions<extra></extra>`,
      });
      these.forEach((_, k) => {
        base[k]! += y[k]!;
      });
    }
  });
  return {
    id: LATENCY_CHART_ID,
    data,
    layout: {
      ...baseLayout(),
      barmode: 'group',
      showlegend: true,
      legend: { orientation: 'h', y: -0.25 },
      xaxis: shardAxis(runs),
      yaxis: { title: { text: 'mean latency of a completed transaction, s' }, rangemode: 'tozero', zeroline: false },
    },
  };
}

/** What binds the runs, word by word in BOTTLENECK_ORDER: "What binds the 8 runs: execution in 4, consensus in 4." */
export function bindsSentence(runs: readonly RunResult[]): string {
  const counts = BOTTLENECK_ORDER.map((word) => [word, runs.filter((run) => bottleneckWord(run) === word).length] as const).filter(([, k]) => k > 0);
  if (counts.length === 0) return '';
  if (runs.length === 1) return `What binds the run: ${counts[0]![0]}.`;
  return `What binds the ${runs.length} runs: ${counts.map(([word, k]) => `${word} in ${k}`).join(', ')}.`;
}

export function networkSection(ctx: SectionContext): ReportSection | null {
  if (!networkShown(ctx.runs)) return null;
  const runs = ctx.runs.filter((run) => networkOf(run) !== undefined);
  const binds = bindsSentence(runs);
  return {
    id: 'network',
    charts: [agreementChart(ctx, runs), finalityChart(ctx, runs), latencyChart(ctx, runs)],
    html: `<section id="network" class="scenario">
<h2>Network and consensus</h2>
<p class="note">What agreement inside the shards and the beacon cost each run, and what binds it (docs/network.md): load (it kept up with what it was offered), execution (the gas limit or execution time filled the blocks), consensus (agreement's rounds cut the blocks short), bandwidth (agreement's bytes did), beacon (it kept up, but finality fell behind the configured delay), or receipts (the receipt byte cap left receipts waiting, or the proofs of the receipts applied took a third of blocks cut short).</p>
${binds === '' ? '' : `<p class="verdict">${escapeHtml(binds)}</p>\n`}<h3>Consensus</h3>
<p class="caption">Agreement is the mean time from a slot's start until its block was committed. A missed slot is one where not even an empty block could be agreed in time; a cut block is one agreement made shorter than its gas allowed (red: half the blocks or more). Receipt proofs are the numbers and Merkle proofs of the receipt batches a block applies, once a batch: the more shards a block hears from, the more of it they take.</p>
${networkTable(ctx, runs, CONSENSUS_COLUMNS)}
<h3>Traffic and the beacon</h3>
<p class="caption">Bytes sent per slot over all shards (1 kB = 1,000 B), by kind: block dissemination, votes, receipt batches, signed headers to the beacon; per validator, the same over every committee member. Finality delay is the slots from a window slot until its blocks were final (red: beyond the configured delay, the beacon fell behind); receipts held back are the most the receipt byte cap left waiting at a slot's end.</p>
${networkTable(ctx, runs, TRAFFIC_COLUMNS)}
<div class="charts">
${figureHtml(AGREEMENT_CHART_ID, 'Agreement as a share of the slot, by shard count, one colour per series; the word over each bar is what binds that run. The dashed line is the whole slot: what agreement leaves below it is left to execution.')}
${figureHtml(FINALITY_CHART_ID, "Median finality delay of a window slot, in slots, by shard count; the dashed red line is the configured delay. Above it the beacon's capacity (crosslinks per slot) falls behind the shards and sets cross-shard latency.")}
${figureHtml(LATENCY_CHART_ID, `Where a completed transaction's time went, mean seconds by stage, one bar per run (side by side for the series; a paler bar is the second of two): the mempool, the slots of the blocks that executed it (split into agreement and execution by the run's agreement share of a slot), finality and admission of its receipt, the receiving shard's receipt queue, and for calls and refunds the outbound leg whole. The stages add up to the mean latency of the window's completed transactions; unfinished ones are not in it.`)}
</div>
</section>`,
  };
}
