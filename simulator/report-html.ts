/**
 * report.html: one self-contained page per sweep. Plotly is inlined and the
 * results are embedded as JSON, so the file can be mailed or archived and
 * opened offline; the charts are drawn in the browser from that JSON, which
 * keeps the figures greppable in the page source.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { RunResult, SweepResults } from './results.js';
import {
  type AxisValue,
  type SweepAxis,
  abortRate,
  anyParallel,
  axisValue,
  formatAxisValue,
  formatRate,
  sortRuns,
  sweepAxes,
} from './summary-table.js';

const TARGET_TPS = 100_000;

// The bundle is ~5 MB; read it once per process, not once per report.
let plotlySource: string | undefined;

function plotlyBundle(): string {
  if (plotlySource === undefined) {
    const path = createRequire(import.meta.url).resolve('plotly.js-dist-min');
    // `</script` would end the inline element early; `<\/` means the same inside
    // the JS strings and regexes where it could occur.
    plotlySource = readFileSync(path, 'utf8').replace(/<\/script/gi, '<\\/script');
  }
  return plotlySource;
}

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * JSON for a <script type="application/json"> element. `<` only occurs inside
 * JSON strings, where `\/` and `\u0021` are valid escapes, so JSON.parse gives
 * back the original text while the HTML parser never sees `</script` or `<!--`.
 */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/<\//g, '<\\/').replace(/<!--/g, '<\\u0021--');
}

function thousands(n: number): string {
  if (!Number.isFinite(n)) return '–';
  const rounded = Math.round(n);
  const digits = String(Math.abs(rounded)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return rounded < 0 ? `-${digits}` : digits;
}

function fixed(n: number, digits: number): string {
  return Number.isFinite(n) ? n.toFixed(digits) : '–';
}

function scientific(n: number): string {
  if (!Number.isFinite(n)) return '–';
  return n === 0 ? '0' : n.toExponential(2);
}

interface HtmlColumn {
  readonly title: string;
  /** Text columns (string axis values) read better left-aligned. */
  readonly text?: boolean;
  readonly value: (run: RunResult) => string;
}

function summaryColumns(axes: readonly SweepAxis[], runs: readonly RunResult[]): HtmlColumn[] {
  const cols: HtmlColumn[] = [{ title: 'shards', value: (r) => String(r.shards) }];
  for (const axis of axes) {
    if (axis.key === 'shards') continue;
    cols.push({ title: axis.short, text: !axis.numeric, value: (r) => formatAxisValue(axisValue(r, axis.key)) });
  }
  const multiShard = runs.some((r) => r.shards > 1);
  cols.push({ title: 'throughput TPS', value: (r) => thousands(r.throughputTps) });
  // The execution figures next to throughput: in a parallel study they are the point.
  if (anyParallel(runs)) {
    cols.push(
      { title: 'speedup', value: (r) => fixed(r.execution.speedup, 2) },
      { title: 'bound (RAW)', value: (r) => fixed(r.execution.bound.raw, 2) },
      { title: 'bound (all)', value: (r) => fixed(r.execution.bound.all, 2) },
      { title: 'aborts / item', value: (r) => formatRate(abortRate(r)).replace('-', '–') },
    );
  }
  cols.push({ title: 'offered TPS', value: (r) => thousands(r.offeredTps) });
  if (multiShard) cols.push({ title: 'cross-shard %', value: (r) => fixed(r.crossShardRatio * 100, 1) });
  cols.push(
    { title: 'p50 s', value: (r) => fixed(r.latency.p50, 3) },
    { title: 'p95 s', value: (r) => fixed(r.latency.p95, 3) },
    { title: 'p99 s', value: (r) => fixed(r.latency.p99, 3) },
    { title: 'mean util %', value: (r) => fixed(r.utilisation.mean * 100, 1) },
  );
  cols.push(
    { title: 'committee fail P', value: (r) => scientific(r.security.failureProbability) },
    { title: 'receipts rejected', value: (r) => thousands(r.receipts.rejected) },
  );
  return cols;
}

function summaryTable(runs: readonly RunResult[], axes: readonly SweepAxis[]): string {
  const cols = summaryColumns(axes, runs);
  // A rule wherever an outer axis changes: each block is one curve over the innermost axis.
  const outer = axes.slice(0, -1);
  const rows = runs.map((run, i) => {
    const prev = runs[i - 1];
    const classes: string[] = [];
    if (run.throughputTps >= TARGET_TPS) classes.push('reached');
    if (prev !== undefined && outer.some((axis) => axisValue(prev, axis.key) !== axisValue(run, axis.key))) classes.push('group');
    const attr = classes.length > 0 ? ` class="${classes.join(' ')}"` : '';
    const cells = cols.map((col) => `<td${col.text === true ? ' class="text"' : ''}>${escapeHtml(col.value(run))}</td>`);
    return `<tr${attr}>${cells.join('')}</tr>`;
  });
  return [
    '<table>',
    `<thead><tr>${cols.map((col) => `<th${col.text === true ? ' class="text"' : ''}>${escapeHtml(col.title)}</th>`).join('')}</tr></thead>`,
    `<tbody>${rows.join('\n')}</tbody>`,
    '</table>',
  ].join('\n');
}

function targetSentence(runs: readonly RunResult[], axes: readonly SweepAxis[]): string {
  const where = (run: RunResult): string => {
    const label = axes
      .filter((axis) => axis.key !== 'shards')
      .map((axis) => `${axis.short} ${formatAxisValue(axisValue(run, axis.key))}`)
      .join(', ');
    return label ? `; ${escapeHtml(label)}` : '';
  };
  const reached = runs.filter((run) => run.throughputTps >= TARGET_TPS);
  if (reached.length > 0) {
    const first = reached.reduce((a, b) => (b.shards < a.shards ? b : a));
    return `100,000 TPS first reached at <strong>${first.shards} shards</strong> (${thousands(first.throughputTps)} TPS${where(first)}).`;
  }
  const finite = runs.filter((run) => Number.isFinite(run.throughputTps));
  if (finite.length === 0) return '100,000 TPS not reached: no run produced a throughput figure.';
  const best = finite.reduce((a, b) => (b.throughputTps > a.throughputTps ? b : a));
  return `100,000 TPS not reached by any run; the maximum was ${thousands(best.throughputTps)} TPS at ${best.shards} shards${where(best)}.`;
}

// ---------------------------------------------------------------------------
// The study: small multiples over the sweep's axes

/** How a study's x axis is scaled. */
export type StudyScale = 'log2' | 'log' | 'linear' | 'category';

export interface StudyLine {
  readonly value: AxisValue;
  readonly label: string;
  readonly colour: string;
  /** Per x value (the study's x.values order); null where no run has that point. */
  readonly speedup: readonly (number | null)[];
  readonly boundRaw: readonly (number | null)[];
  readonly boundAll: readonly (number | null)[];
  readonly throughputTps: readonly (number | null)[];
  readonly abortRate: readonly (number | null)[];
}

export interface StudyPanel {
  readonly id: number;
  /** The fixed parameters, e.g. "block-stm, blockGasLimit 21,000,000". */
  readonly title: string;
  readonly fixed: Readonly<Record<string, AxisValue>>;
  readonly lines: readonly StudyLine[];
  /** Speedup over (line value × x value); absent when the study has no line axis. */
  readonly heatmap: {
    readonly x: readonly string[];
    readonly y: readonly string[];
    readonly z: ReadonlyArray<ReadonlyArray<number | null>>;
    readonly bound: ReadonlyArray<ReadonlyArray<number | null>>;
  } | null;
}

export interface Study {
  readonly axes: ReadonlyArray<{ readonly key: string; readonly short: string; readonly count: number }>;
  readonly x: { readonly key: string; readonly short: string; readonly values: readonly AxisValue[]; readonly labels: readonly string[]; readonly scale: StudyScale };
  readonly line: { readonly key: string; readonly short: string } | null;
  readonly facets: ReadonlyArray<{ readonly key: string; readonly short: string }>;
  /** Grid columns for the small multiples (the first facet axis's values), 0 for auto. */
  readonly columns: number;
  /** Combinations of the facet axes with at least one run; at most MAX_PANELS are drawn. */
  readonly combinations: number;
  readonly panels: readonly StudyPanel[];
}

/** Small multiples drawn per quantity at most: 4 quantities x 48 charts is already a heavy page. */
const MAX_PANELS = 48;

const CATEGORICAL = ['#2f6fdb', '#d9544f', '#2a9d6f', '#9a5bd3', '#e69b2e', '#3bb5c9', '#7a7f8c', '#c75a9b'];
/**
 * Ordered values (accounts 2 .. 10,000) get an ordered run of hues, cool to
 * warm, each dark enough to read on white and far enough from its neighbours
 * to tell apart; five or fewer values use the wider-spaced short run.
 */
const ORDERED_SHORT = ['#3b2a98', '#1b8fb0', '#3f9a36', '#e8850c', '#c62f3a'];
const ORDERED_LONG = ['#3b2a98', '#2f6fdb', '#1b9ea0', '#3f9a36', '#b8a000', '#e8850c', '#d1353b', '#8e2a6b'];

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

function finite(n: number): number | null {
  return Number.isFinite(n) ? n : null;
}

/**
 * The study layout when the sweep varies anything besides the shard count:
 * x is the last numeric axis (else the last axis), one line per value of the
 * axis before it, one panel per combination of the rest. Null for a plain
 * shard sweep.
 */
export function buildStudy(runs: readonly RunResult[], axes: readonly SweepAxis[]): Study | null {
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
      const points = xValues.map((xv) =>
        inPanel.find((run) => axisValue(run, xAxis.key) === xv && (lineAxis === null || axisValue(run, lineAxis.key) === lv)),
      );
      const pick = (f: (run: RunResult) => number): (number | null)[] => points.map((run) => (run === undefined ? null : finite(f(run))));
      return {
        value: lv ?? '',
        label: lineAxis === null || lv === undefined ? '' : `${lineAxis.short} ${formatAxisValue(lv)}`,
        colour: colours[li]!,
        speedup: pick((r) => r.execution.speedup),
        boundRaw: pick((r) => r.execution.bound.raw),
        boundAll: pick((r) => r.execution.bound.all),
        throughputTps: pick((r) => r.throughputTps),
        abortRate: pick(abortRate),
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
    axes: axes.map((axis) => ({ key: axis.key, short: axis.short, count: axis.values.length })),
    x: { key: xAxis.key, short: xAxis.short, values: xValues, labels: xValues.map(formatAxisValue), scale: scaleOf(xAxis) },
    line: lineAxis === null ? null : { key: lineAxis.key, short: lineAxis.short },
    facets: facets.map((axis) => ({ key: axis.key, short: axis.short })),
    columns,
    combinations,
    panels,
  };
}

const SCALE_WORDS: Record<StudyScale, string> = {
  log2: 'log2 scale',
  log: 'log scale',
  linear: 'linear scale',
  category: 'one tick per value',
};

/** The quantities drawn per panel: id prefix, heading, caption. */
const STUDY_QUANTITIES: ReadonlyArray<readonly [prefix: string, heading: string, caption: string]> = [
  ['study-speedup', 'Parallel speedup', 'Speedup of execution inside a shard: sequential execution time over the executor\'s makespan, summed over the measured blocks (solid). The dotted line of the same colour is the analytical bound min(threads, W/D), W a block\'s gas and D the gas of its heaviest read-after-write dependency chain (gas-weighted over blocks): no executor can beat it. The y axis is shared by all panels.'],
  ['study-heatmap', 'Speedup heatmap', 'The same speedups as a grid, one cell per point; colour is shared by all panels, hover for the bound.'],
  ['study-aborts', 'Abort rate', 'Aborted incarnations (failed validations and ESTIMATE reads, execution.aborts) per executed block item, transaction or receipt, in the measured window. Log scale, so a zero rate is not drawn (a single thread never aborts); a panel where nothing aborted says "no aborts". The y axis is shared by all panels.'],
  ['study-throughput', 'Throughput', 'Completed transactions per simulated second over the measured window. The y axis is shared by all panels.'],
];

function legendHtml(study: Study, withBound: boolean): string {
  const first = study.panels[0];
  if (study.line === null || first === undefined) return '';
  const keys = first.lines.map(
    (l) => `<span class="key"><i style="background:${escapeHtml(l.colour)}"></i>${escapeHtml(l.label)}</span>`,
  );
  if (withBound) keys.push('<span class="key"><i class="dotted"></i>analytical bound, same colour</span>');
  return `<div class="legend">${keys.join('')}</div>`;
}

function studySection(study: Study, runCount: number): string {
  const over = study.axes.map((a) => `${escapeHtml(a.short)} (${a.count})`).join(' × ');
  const fixedBy = study.facets.length === 0 ? 'One chart per quantity' : `Each small chart fixes ${study.facets.map((f) => escapeHtml(f.short)).join(' and ')}`;
  const lines = study.line === null ? '' : `, one line per ${escapeHtml(study.line.short)} value`;
  const capped =
    study.combinations > study.panels.length
      ? ` Only the first ${study.panels.length} of ${study.combinations} combinations are drawn; runs.csv has them all.`
      : '';
  const grid = study.columns > 0 ? ` style="--cols: ${study.columns}"` : '';
  const groups = STUDY_QUANTITIES.filter(([prefix]) => prefix !== 'study-heatmap' || study.line !== null).map(([prefix, heading, caption]) => {
    const title =
      prefix === 'study-heatmap' && study.line !== null ? `${heading}: ${study.x.short} × ${study.line.short}` : heading;
    const figures = study.panels
      .map(
        (panel) =>
          `<figure class="small"><h4>${escapeHtml(panel.title || heading)}</h4><div id="${prefix}-${panel.id}" class="chart small"></div></figure>`,
      )
      .join('\n');
    const legend = prefix === 'study-heatmap' ? '' : legendHtml(study, prefix === 'study-speedup');
    return `<h3>${escapeHtml(title)}</h3>\n<p class="caption">${escapeHtml(caption)}</p>\n${legend}<div class="multiples"${grid}>\n${figures}\n</div>`;
  });
  return `<section id="study">
<h2>Study</h2>
<p class="note">${runCount} runs over ${over}. ${fixedBy}; x is ${escapeHtml(study.x.short)} (${SCALE_WORDS[study.x.scale]})${lines}.${capped}</p>
${groups.join('\n')}
</section>`;
}

const CSS = `
:root { color-scheme: light; --fg: #1d2330; --muted: #5b6475; --line: #dde2ea; --accent: #2f6fdb; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: #f7f8fa; }
main { max-width: 1400px; margin: 0 auto; padding: 1.5rem clamp(0.75rem, 3vw, 2rem) 3rem; }
h1 { font-size: 1.6rem; margin: 0 0 0.25rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 0.75rem; }
.meta { color: var(--muted); margin: 0 0 1rem; }
.meta code { word-break: break-all; }
.note { max-width: 60rem; }
.verdict { font-size: 1.05rem; }
.table-wrap { overflow-x: auto; background: #fff; border: 1px solid var(--line); border-radius: 6px; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { padding: 0.4rem 0.6rem; text-align: right; white-space: nowrap; border-bottom: 1px solid var(--line); }
th { background: #eef1f5; font-weight: 600; }
tr:last-child td { border-bottom: none; }
tr.reached td:first-child { box-shadow: inset 3px 0 0 var(--accent); }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 560px), 1fr)); gap: 1rem; }
figure { margin: 0; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 0.5rem; min-width: 0; }
figcaption { color: var(--muted); font-size: 0.9rem; padding: 0 0.5rem 0.25rem; }
.chart { width: 100%; height: 420px; }
h3 { font-size: 1.05rem; margin: 1.75rem 0 0.25rem; }
.caption { color: var(--muted); font-size: 0.9rem; margin: 0 0 0.6rem; max-width: 62rem; }
.multiples { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 380px), 1fr)); gap: 0.75rem; }
.multiples[style] { grid-template-columns: repeat(var(--cols), minmax(0, 1fr)); }
@media (max-width: 900px) { .multiples[style] { grid-template-columns: 1fr; } }
figure.small h4 { font-size: 0.92rem; font-weight: 600; margin: 0.15rem 0.5rem 0; }
.chart.small { height: 300px; }
.legend { display: flex; flex-wrap: wrap; gap: 0.3rem 1.2rem; font-size: 0.9rem; margin: 0 0 0.6rem; }
.legend i { display: inline-block; width: 1.6rem; height: 3px; vertical-align: middle; margin-right: 0.4rem; }
.legend i.dotted { height: 0; border-top: 3px dotted #555; }
th.text, td.text { text-align: left; }
tr.group td { border-top: 2px solid #c3cad6; }
.table-wrap.tall { max-height: 34rem; overflow: auto; }
.table-wrap.tall th { position: sticky; top: 0; z-index: 1; }
`;

/**
 * Browser-side drawing code. Plain JS kept in String.raw so its backslashes
 * and quotes reach the page verbatim; it reads only the embedded JSON.
 */
const CLIENT = String.raw`
(function () {
  'use strict';
  var TARGET = 100000;
  var data = JSON.parse(document.getElementById('shardsim-data').textContent);
  var runs = data.runs.slice().sort(function (a, b) { return a.shards - b.shards; });
  if (runs.length === 0 || typeof Plotly === 'undefined') return;
  var studyEl = document.getElementById('shardsim-study');
  var study = studyEl ? JSON.parse(studyEl.textContent) : null;
  if (study) drawStudy(study);
  if (study && !study.shardCharts) return;

  function num(v) { return typeof v === 'number' && isFinite(v) ? v : null; }
  // Log axes cannot show zero; a zero probability is left as a gap.
  function positive(v) { return typeof v === 'number' && isFinite(v) && v > 0 ? v : null; }

  // Runs sharing every parameter other than the shard count form one line.
  var keySet = {};
  runs.forEach(function (r) { Object.keys(r.params).forEach(function (k) { keySet[k] = true; }); });
  var varying = Object.keys(keySet).sort().filter(function (k) {
    if (runs.every(function (r) { return r.params[k] === r.shards; })) return false;
    var first = runs[0].params[k];
    return runs.some(function (r) { return r.params[k] !== first; });
  });
  // In a study, lines are named by the sweep's axes with their short names (threads=8).
  var shortOf = {};
  if (study) {
    varying = study.axes.filter(function (a) { return a.key !== 'shards'; }).map(function (a) { return a.key; });
    study.axes.forEach(function (a) { shortOf[a.key] = a.short; });
  }
  function label(r) { return varying.map(function (k) { return (shortOf[k] || k) + '=' + r.params[k]; }).join(', '); }
  var series = [];
  var byLabel = {};
  runs.forEach(function (r) {
    var l = label(r);
    if (!(l in byLabel)) { byLabel[l] = { label: l, runs: [] }; series.push(byLabel[l]); }
    byLabel[l].runs.push(r);
  });
  function name(base, s) { return s.label ? base + ' (' + s.label + ')' : base; }

  var palette = ['#2f6fdb', '#d9544f', '#2a9d6f', '#9a5bd3', '#e69b2e', '#3bb5c9', '#7a7f8c', '#c75a9b'];
  function colour(i) { return palette[i % palette.length]; }

  var shardCounts = runs.map(function (r) { return r.shards; })
    .filter(function (v, i, a) { return a.indexOf(v) === i; });
  // Shard counts are usually powers of two: a log axis with one tick per count reads as log2.
  // A fresh object per chart: Plotly writes computed ranges back into layouts.
  function shardAxis() {
    return { title: { text: 'shards' }, type: 'log', tickvals: shardCounts,
      ticktext: shardCounts.map(String), zeroline: false };
  }
  var config = { responsive: true, displaylogo: false };
  function layout(extra) {
    var base = {
      margin: { l: 70, r: 70, t: 40, b: 90 }, xaxis: shardAxis(),
      legend: { orientation: 'h', y: -0.22 }, hovermode: 'closest',
      paper_bgcolor: '#fff', plot_bgcolor: '#fff', font: { size: 12 }
    };
    // null removes a default (the box chart has no legend to place).
    Object.keys(extra).forEach(function (k) { if (extra[k] === null) delete base[k]; else base[k] = extra[k]; });
    return base;
  }
  // Many series (a study that also varies the shard count) make a legend of many
  // rows: grow the chart to hold it rather than squeeze the plot or clip the legend.
  function fit(id, lay, entries) {
    if (entries <= 4) return lay;
    var extra = 18 * Math.ceil(entries / 2);
    lay.height = 420 + extra;
    lay.margin = { l: lay.margin.l, r: lay.margin.r, t: lay.margin.t, b: lay.margin.b + extra };
    var el = document.getElementById(id);
    if (el && el.style) el.style.height = lay.height + 'px';
    return lay;
  }
  function xs(s) { return s.runs.map(function (r) { return r.shards; }); }
  function ys(s, f) { return s.runs.map(function (r) { return num(f(r)); }); }

  // The study: per panel, speedup (with dotted bounds), heatmap, abort rate, throughput.
  function drawStudy(st) {
    // Small multiples: no mode bar, it would sit on the plot area of a short chart.
    var cfg = { responsive: true, displaylogo: false, displayModeBar: false };
    var X = st.x;
    var xsStudy = X.scale === 'category' ? X.labels : X.values;
    function xAxis() {
      var a = { title: { text: X.short }, zeroline: false, automargin: true };
      if (X.scale === 'log2' || X.scale === 'log') { a.type = 'log'; a.tickvals = X.values; a.ticktext = X.labels; }
      else if (X.scale === 'category') a.type = 'category';
      return a;
    }
    function small(extra) {
      var base = { margin: { l: 55, r: 15, t: 24, b: 45 }, xaxis: xAxis(), showlegend: false, hovermode: 'closest',
        paper_bgcolor: '#fff', plot_bgcolor: '#fff', font: { size: 11 } };
      Object.keys(extra).forEach(function (k) { base[k] = extra[k]; });
      return base;
    }
    function all(f) {
      var out = [];
      st.panels.forEach(function (p) { p.lines.forEach(function (l) { f(l).forEach(function (v) { if (typeof v === 'number' && isFinite(v)) out.push(v); }); }); });
      return out;
    }
    // Lines with identical figures hide one another: say so rather than look like one line.
    function coincide(p, f) {
      if (p.lines.length < 2) return false;
      var first = JSON.stringify(f(p.lines[0]));
      return p.lines.every(function (l) { return JSON.stringify(f(l)) === first; });
    }
    function sameNote(p, f) {
      return coincide(p, f) ? [{ xref: 'paper', yref: 'paper', x: 0.5, y: 1, yanchor: 'bottom', showarrow: false,
        text: 'the ' + p.lines.length + ' ' + st.line.short + ' lines coincide', font: { color: '#5b6475', size: 11 } }] : [];
    }
    function hover(l, what) {
      return (l.label ? l.label + '<br>' : '') + X.short + ' %{x}: ' + what + '<extra></extra>';
    }
    var maxSpeed = Math.max.apply(null, [1].concat(all(function (l) { return l.speedup.concat(l.boundRaw); })));
    var maxTps = Math.max.apply(null, [0].concat(all(function (l) { return l.throughputTps; })));
    var rates = all(function (l) { return l.abortRate; }).filter(function (v) { return v > 0; });
    var rateRange = rates.length === 0 ? [-3, 0] :
      [Math.floor(Math.log10(Math.min.apply(null, rates))), Math.ceil(Math.log10(Math.max.apply(null, rates)))];
    if (rateRange[0] === rateRange[1]) rateRange[1] += 1;

    st.panels.forEach(function (p) {
      var sp = [];
      p.lines.forEach(function (l, i) {
        sp.push({ x: xsStudy, y: l.speedup, name: l.label || 'speedup', legendgroup: 'l' + i, mode: 'lines+markers',
          line: { color: l.colour, width: 2 }, marker: { size: 5 }, hovertemplate: hover(l, 'speedup %{y:.2f}') });
        sp.push({ x: xsStudy, y: l.boundRaw, name: (l.label ? l.label + ' ' : '') + 'bound', legendgroup: 'l' + i, mode: 'lines',
          line: { color: l.colour, width: 1.5, dash: 'dot' }, hovertemplate: hover(l, 'bound %{y:.2f}') });
      });
      Plotly.newPlot('study-speedup-' + p.id, sp, small({
        yaxis: { title: { text: 'speedup ×' }, range: [0, maxSpeed * 1.06], zeroline: false },
        annotations: sameNote(p, function (l) { return l.speedup; })
      }), cfg);

      if (p.heatmap) {
        var hm = p.heatmap;
        Plotly.newPlot('study-heatmap-' + p.id, [{
          type: 'heatmap', x: hm.x, y: hm.y, z: hm.z, customdata: hm.bound, zmin: 0, zmax: maxSpeed,
          colorscale: 'Viridis', texttemplate: '%{z:.1f}', textfont: { size: 10 }, xgap: 1, ygap: 1,
          colorbar: { thickness: 10, len: 0.9, title: { text: '×', side: 'top' } },
          hovertemplate: st.line.short + ' %{y}, ' + X.short + ' %{x}<br>speedup %{z:.2f} (bound %{customdata:.2f})<extra></extra>'
        }], small({
          xaxis: { title: { text: X.short }, type: 'category' },
          yaxis: { title: { text: st.line.short }, type: 'category' },
          margin: { l: 60, r: 10, t: 24, b: 45 }
        }), cfg);
      }

      var ab = p.lines.map(function (l) {
        return { x: xsStudy, y: l.abortRate.map(function (v) { return typeof v === 'number' && v > 0 ? v : null; }),
          name: l.label || 'abort rate', mode: 'lines+markers', line: { color: l.colour, width: 2 }, marker: { size: 5 },
          hovertemplate: hover(l, '%{y:.3g} aborts per item') };
      });
      var none = p.lines.every(function (l) { return l.abortRate.every(function (v) { return !(v > 0); }); });
      Plotly.newPlot('study-aborts-' + p.id, ab, small({
        yaxis: { title: { text: 'aborts / item' }, type: 'log', range: rateRange, exponentformat: 'power' },
        annotations: none ? [{ xref: 'paper', yref: 'paper', x: 0.5, y: 0.5, text: 'no aborts', showarrow: false,
          font: { color: '#5b6475', size: 13 } }] : sameNote(p, function (l) { return l.abortRate; })
      }), cfg);

      var tp = p.lines.map(function (l) {
        return { x: xsStudy, y: l.throughputTps, name: l.label || 'throughput', mode: 'lines+markers',
          line: { color: l.colour, width: 2 }, marker: { size: 5 }, hovertemplate: hover(l, '%{y:,.0f} TPS') };
      });
      Plotly.newPlot('study-throughput-' + p.id, tp, small({
        yaxis: { title: { text: 'TPS' }, range: [0, Math.max(maxTps, 1) * 1.1], zeroline: false },
        annotations: sameNote(p, function (l) { return l.throughputTps; })
      }), cfg);
    });
  }

  // (a) Throughput against offered load, with the 100k goal.
  var tput = [];
  series.forEach(function (s, i) {
    tput.push({ x: xs(s), y: ys(s, function (r) { return r.throughputTps; }), name: name('throughput', s),
      mode: 'lines+markers', line: { color: colour(i) } });
    tput.push({ x: xs(s), y: ys(s, function (r) { return r.offeredTps; }), name: name('offered load', s),
      mode: 'lines+markers', line: { color: colour(i), dash: 'dot' }, marker: { symbol: 'circle-open' } });
  });
  var maxY = Math.max.apply(null, runs.map(function (r) { return Math.max(num(r.throughputTps) || 0, num(r.offeredTps) || 0); }));
  Plotly.newPlot('chart-throughput', tput, fit('chart-throughput', layout({
    yaxis: { title: { text: 'transactions / simulated s' }, range: [0, Math.max(maxY, TARGET) * 1.1] },
    shapes: [{ type: 'line', xref: 'paper', x0: 0, x1: 1, yref: 'y', y0: TARGET, y1: TARGET,
      line: { color: '#b02a2a', width: 2, dash: 'dash' } }],
    annotations: [{ xref: 'paper', x: 0, y: TARGET, yref: 'y', text: '100k TPS', showarrow: false,
      xanchor: 'left', yanchor: 'bottom', font: { color: '#b02a2a' } }]
  }), tput.length), config);

  // (b) Latency percentiles.
  var lat = [];
  series.forEach(function (s, i) {
    [['p50', 'solid'], ['p95', 'dash'], ['p99', 'dot']].forEach(function (p) {
      lat.push({ x: xs(s), y: ys(s, function (r) { return r.latency[p[0]]; }), name: name(p[0], s),
        mode: 'lines+markers', line: { color: colour(i), dash: p[1] } });
    });
  });
  Plotly.newPlot('chart-latency', lat, fit('chart-latency', layout({
    yaxis: { title: { text: 'simulated seconds' }, rangemode: 'tozero' }
  }), lat.length), config);

  // (c) Cross-shard ratio, against the uniform-receiver expectation 1 - 1/S.
  var cross = series.map(function (s, i) {
    return { x: xs(s), y: ys(s, function (r) { return r.crossShardRatio * 100; }), name: name('cross-shard', s),
      mode: 'lines+markers', line: { color: colour(i) } };
  });
  cross.push({ x: shardCounts, y: shardCounts.map(function (n) { return (1 - 1 / n) * 100; }),
    name: 'uniform receivers: 1 − 1/S', mode: 'lines', line: { color: '#999', dash: 'dot' } });
  Plotly.newPlot('chart-cross', cross, fit('chart-cross', layout({
    yaxis: { title: { text: '% of committed tx' }, range: [0, 105] }
  }), cross.length), config);

  // (d) Per-shard utilisation: one box per run, so hot shards stand out as outliers.
  var util = runs.map(function (r) {
    var l = label(r);
    // In a study the axis values alone (S=4 · block-stm · 8) keep the tick labels short.
    var short = study ? varying.map(function (k) { return r.params[k]; }).join(' · ') : l;
    return { type: 'box', name: 'S=' + r.shards + (short ? (study ? ' · ' + short : ' (' + short + ')') : ''),
      y: r.perShard.map(function (p) { return num(p.utilisation) === null ? null : p.utilisation * 100; }),
      text: r.perShard.map(function (p) { return 'shard ' + p.shard; }),
      boxpoints: r.perShard.length <= 64 ? 'all' : 'outliers', jitter: 0.4, pointpos: 0,
      marker: { color: colour(series.indexOf(byLabel[l])), size: 4 }, boxmean: true, showlegend: false };
  });
  Plotly.newPlot('chart-utilisation', util, layout({
    xaxis: { title: { text: 'run (shard count)' }, type: 'category', automargin: true },
    legend: null, showlegend: false, margin: { l: 70, r: 30, t: 40, b: 60 },
    yaxis: { title: { text: '% of block capacity' }, range: [0, 105] }
  }), config);

  // (e) Throughput against committee failure probability: more shards means smaller committees.
  var sec = [];
  series.forEach(function (s, i) {
    sec.push({ x: xs(s), y: ys(s, function (r) { return r.throughputTps; }), name: name('throughput', s),
      mode: 'lines+markers', line: { color: colour(i) } });
    sec.push({ x: xs(s), y: s.runs.map(function (r) { return positive(r.security.failureProbability); }),
      name: name('committee failure P', s), yaxis: 'y2', mode: 'lines+markers',
      line: { color: colour(i), dash: 'dash' }, marker: { symbol: 'x' } });
  });
  Plotly.newPlot('chart-security', sec, fit('chart-security', layout({
    yaxis: { title: { text: 'throughput (TPS)' }, rangemode: 'tozero' },
    yaxis2: { title: { text: 'P(some committee fails) per epoch' }, type: 'log', overlaying: 'y', side: 'right',
      exponentformat: 'e', showgrid: false }
  }), sec.length), config);

  // (f) Parallel execution inside a shard: speedup and the aborts that cost it.
  var exec = [];
  series.forEach(function (s, i) {
    exec.push({ x: xs(s), y: ys(s, function (r) { return r.execution.speedup; }), name: name('speedup', s),
      mode: 'lines+markers', line: { color: colour(i) },
      text: s.runs.map(function (r) { return r.execution.executor + ', ' + r.execution.threads + ' threads'; }) });
    exec.push({ x: xs(s), y: ys(s, function (r) { return r.execution.aborts; }), name: name('aborts', s),
      yaxis: 'y2', mode: 'lines+markers', line: { color: colour(i), dash: 'dot' }, marker: { symbol: 'square' } });
  });
  Plotly.newPlot('chart-execution', exec, fit('chart-execution', layout({
    yaxis: { title: { text: 'speedup (sequential / makespan)' }, rangemode: 'tozero' },
    yaxis2: { title: { text: 'aborts' }, overlaying: 'y', side: 'right', rangemode: 'tozero', showgrid: false }
  }), exec.length), config);
})();
`;

const CHARTS: ReadonlyArray<readonly [id: string, caption: string]> = [
  ['chart-throughput', 'Throughput (solid) and offered load (dotted) against shard count; the dashed line is the 100k TPS goal. Where the lines part, the network is saturated.'],
  ['chart-latency', 'Latency from submission to completion (last receipt applied), p50 / p95 / p99.'],
  ['chart-cross', 'Share of committed transactions whose receiver is on another shard; the grey line is what uniformly random receivers would give.'],
  ['chart-utilisation', 'Per-shard block utilisation over the measured window, one box per run (points are shards; the dashed mark is the mean).'],
  ['chart-security', 'Throughput (left) against the probability that some shard committee reaches the adversarial threshold in an epoch (right, log scale; zero is not drawn).'],
  ['chart-execution', 'Parallel execution inside shards: speedup over sequential execution (left) and aborts (right).'],
];

export function renderReport(results: SweepResults): string {
  const axes = sweepAxes(results);
  const runs = sortRuns(results.runs, axes);
  const study = buildStudy(runs, axes);
  const shardsVary = axes.some((axis) => axis.key === 'shards');
  // A study at one shard count would draw every shard chart as a column of single points.
  const shardCharts = study === null || shardsVary;
  const title = `shardsim report: ${results.scenario}`;
  const figures = CHARTS.map(
    ([id, caption]) => `<figure><div id="${id}" class="chart"></div><figcaption>${escapeHtml(caption)}</figcaption></figure>`,
  ).join('\n');
  const onlyShards = [...new Set(runs.map((run) => run.shards))];
  const chartsSection = shardCharts
    ? `<h2>${study === null ? 'Charts' : 'Charts by shard count'}</h2>
<section class="charts">
${figures}
</section>`
    : `<h2>Charts by shard count</h2>
<p class="note">Not drawn: every run has ${onlyShards.map(String).join(', ')} shard${onlyShards.length === 1 && onlyShards[0] === 1 ? '' : 's'}, so the study above holds the charts; the table, results.json and runs.csv hold every other figure.</p>`;
  const verdict = shardsVary ? `<p class="verdict">${targetSentence(runs, axes)}</p>\n` : '';
  const summary = `<h2>Summary</h2>
<div class="table-wrap${runs.length > 20 ? ' tall' : ''}">
${summaryTable(runs, axes)}
</div>`;

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
<p class="meta">seed <code>${escapeHtml(String(results.seed))}</code> · version <code>${escapeHtml(results.version)}</code> · digest <code>${escapeHtml(results.digest)}</code> · ${runs.length} run${runs.length === 1 ? '' : 's'} · started ${escapeHtml(results.wall.startedAt)}, ${escapeHtml(fixed(results.wall.seconds, 1))} s wall</p>
<p class="note">How figures are counted: a transaction completes when its effects are fully applied, so a cross-shard transaction counts once, when its last receipt is applied on the receiving shard, not when it is first included. Throughput is completed transactions per simulated second over the measured window; offered load is transactions generated per simulated second over the same window. Latency runs from submission to completion in simulated seconds. Every figure except wall-clock time is a deterministic function of the configuration and seed, and is covered by the digest.</p>
${verdict}${study === null ? '' : studySection(study, runs.length)}
${summary}
${chartsSection}
</main>
<script type="application/json" id="shardsim-data">${scriptJson(results)}</script>
${study === null ? '' : `<script type="application/json" id="shardsim-study">${scriptJson({ ...study, shardCharts })}</script>\n`}<script>${plotlyBundle()}</script>
<script>${CLIENT}</script>
</body>
</html>
`;
}
