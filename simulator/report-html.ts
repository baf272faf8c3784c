/**
 * report.html: one self-contained page per sweep. Plotly is inlined and the
 * results are embedded as JSON, so the file can be mailed or archived and
 * opened offline; the charts are drawn in the browser from that JSON, which
 * keeps the figures greppable in the page source.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { RunResult, SweepResults } from './results.js';

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

/** Parameters other than the shard count that differ between runs (labels rows sharing a shard count). */
function varyingParams(runs: readonly RunResult[]): string[] {
  const keys = [...new Set(runs.flatMap((run) => Object.keys(run.params)))].sort();
  return keys.filter((key) => {
    if (runs.every((run) => run.params[key] === run.shards)) return false;
    const first = runs[0]?.params[key];
    return runs.some((run) => run.params[key] !== first);
  });
}

function summaryTable(runs: readonly RunResult[]): string {
  const varying = varyingParams(runs);
  const head = [
    'shards',
    ...(varying.length > 0 ? ['params'] : []),
    'throughput TPS',
    'offered TPS',
    'cross-shard %',
    'p50 s',
    'p95 s',
    'p99 s',
    'mean util %',
    'committee fail P',
    'receipts rejected',
  ];
  const rows = runs.map((run) => {
    const cells = [
      String(run.shards),
      ...(varying.length > 0 ? [varying.map((key) => `${key}=${String(run.params[key] ?? '')}`).join(' ')] : []),
      thousands(run.throughputTps),
      thousands(run.offeredTps),
      fixed(run.crossShardRatio * 100, 1),
      fixed(run.latency.p50, 3),
      fixed(run.latency.p95, 3),
      fixed(run.latency.p99, 3),
      fixed(run.utilisation.mean * 100, 1),
      scientific(run.security.failureProbability),
      thousands(run.receipts.rejected),
    ];
    const reached = run.throughputTps >= TARGET_TPS ? ' class="reached"' : '';
    return `<tr${reached}>${cells.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`;
  });
  return [
    '<table>',
    `<thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>`,
    `<tbody>${rows.join('\n')}</tbody>`,
    '</table>',
  ].join('\n');
}

function targetSentence(runs: readonly RunResult[]): string {
  const reached = runs.filter((run) => run.throughputTps >= TARGET_TPS);
  if (reached.length > 0) {
    const first = reached.reduce((a, b) => (b.shards < a.shards ? b : a));
    return `100,000 TPS first reached at <strong>${first.shards} shards</strong> (${thousands(first.throughputTps)} TPS).`;
  }
  const finite = runs.filter((run) => Number.isFinite(run.throughputTps));
  if (finite.length === 0) return '100,000 TPS not reached: no run produced a throughput figure.';
  const best = finite.reduce((a, b) => (b.throughputTps > a.throughputTps ? b : a));
  return `100,000 TPS not reached by any run; the maximum was ${thousands(best.throughputTps)} TPS at ${best.shards} shards.`;
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
th, td { padding: 0.4rem 0.7rem; text-align: right; white-space: nowrap; border-bottom: 1px solid var(--line); }
th { background: #eef1f5; font-weight: 600; }
tr:last-child td { border-bottom: none; }
tr.reached td:first-child { box-shadow: inset 3px 0 0 var(--accent); }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 560px), 1fr)); gap: 1rem; }
figure { margin: 0; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 0.5rem; min-width: 0; }
figcaption { color: var(--muted); font-size: 0.9rem; padding: 0 0.5rem 0.25rem; }
.chart { width: 100%; height: 420px; }
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
  function label(r) { return varying.map(function (k) { return k + '=' + r.params[k]; }).join(', '); }
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
  function xs(s) { return s.runs.map(function (r) { return r.shards; }); }
  function ys(s, f) { return s.runs.map(function (r) { return num(f(r)); }); }

  // (a) Throughput against offered load, with the 100k goal.
  var tput = [];
  series.forEach(function (s, i) {
    tput.push({ x: xs(s), y: ys(s, function (r) { return r.throughputTps; }), name: name('throughput', s),
      mode: 'lines+markers', line: { color: colour(i) } });
    tput.push({ x: xs(s), y: ys(s, function (r) { return r.offeredTps; }), name: name('offered load', s),
      mode: 'lines+markers', line: { color: colour(i), dash: 'dot' }, marker: { symbol: 'circle-open' } });
  });
  var maxY = Math.max.apply(null, runs.map(function (r) { return Math.max(num(r.throughputTps) || 0, num(r.offeredTps) || 0); }));
  Plotly.newPlot('chart-throughput', tput, layout({
    yaxis: { title: { text: 'transactions / simulated s' }, range: [0, Math.max(maxY, TARGET) * 1.1] },
    shapes: [{ type: 'line', xref: 'paper', x0: 0, x1: 1, yref: 'y', y0: TARGET, y1: TARGET,
      line: { color: '#b02a2a', width: 2, dash: 'dash' } }],
    annotations: [{ xref: 'paper', x: 0, y: TARGET, yref: 'y', text: '100k TPS', showarrow: false,
      xanchor: 'left', yanchor: 'bottom', font: { color: '#b02a2a' } }]
  }), config);

  // (b) Latency percentiles.
  var lat = [];
  series.forEach(function (s, i) {
    [['p50', 'solid'], ['p95', 'dash'], ['p99', 'dot']].forEach(function (p) {
      lat.push({ x: xs(s), y: ys(s, function (r) { return r.latency[p[0]]; }), name: name(p[0], s),
        mode: 'lines+markers', line: { color: colour(i), dash: p[1] } });
    });
  });
  Plotly.newPlot('chart-latency', lat, layout({
    yaxis: { title: { text: 'simulated seconds' }, rangemode: 'tozero' }
  }), config);

  // (c) Cross-shard ratio, against the uniform-receiver expectation 1 - 1/S.
  var cross = series.map(function (s, i) {
    return { x: xs(s), y: ys(s, function (r) { return r.crossShardRatio * 100; }), name: name('cross-shard', s),
      mode: 'lines+markers', line: { color: colour(i) } };
  });
  cross.push({ x: shardCounts, y: shardCounts.map(function (n) { return (1 - 1 / n) * 100; }),
    name: 'uniform receivers: 1 − 1/S', mode: 'lines', line: { color: '#999', dash: 'dot' } });
  Plotly.newPlot('chart-cross', cross, layout({
    yaxis: { title: { text: '% of committed tx' }, range: [0, 105] }
  }), config);

  // (d) Per-shard utilisation: one box per run, so hot shards stand out as outliers.
  var util = runs.map(function (r) {
    var l = label(r);
    return { type: 'box', name: 'S=' + r.shards + (l ? ' (' + l + ')' : ''),
      y: r.perShard.map(function (p) { return num(p.utilisation) === null ? null : p.utilisation * 100; }),
      text: r.perShard.map(function (p) { return 'shard ' + p.shard; }),
      boxpoints: r.perShard.length <= 64 ? 'all' : 'outliers', jitter: 0.4, pointpos: 0,
      marker: { color: colour(series.indexOf(byLabel[l])), size: 4 }, boxmean: true, showlegend: false };
  });
  Plotly.newPlot('chart-utilisation', util, layout({
    xaxis: { title: { text: 'run (shard count)' }, type: 'category' },
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
  Plotly.newPlot('chart-security', sec, layout({
    yaxis: { title: { text: 'throughput (TPS)' }, rangemode: 'tozero' },
    yaxis2: { title: { text: 'P(some committee fails) per epoch' }, type: 'log', overlaying: 'y', side: 'right',
      exponentformat: 'e', showgrid: false }
  }), config);

  // (f) Parallel execution inside a shard: speedup and the aborts that cost it.
  var exec = [];
  series.forEach(function (s, i) {
    exec.push({ x: xs(s), y: ys(s, function (r) { return r.execution.speedup; }), name: name('speedup', s),
      mode: 'lines+markers', line: { color: colour(i) },
      text: s.runs.map(function (r) { return r.execution.executor + ', ' + r.execution.threads + ' threads'; }) });
    exec.push({ x: xs(s), y: ys(s, function (r) { return r.execution.aborts; }), name: name('aborts', s),
      yaxis: 'y2', mode: 'lines+markers', line: { color: colour(i), dash: 'dot' }, marker: { symbol: 'square' } });
  });
  Plotly.newPlot('chart-execution', exec, layout({
    yaxis: { title: { text: 'speedup (sequential / makespan)' }, rangemode: 'tozero' },
    yaxis2: { title: { text: 'aborts' }, overlaying: 'y', side: 'right', rangemode: 'tozero', showgrid: false }
  }), config);
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
  const runs = [...results.runs].sort((a, b) => a.shards - b.shards);
  const title = `shardsim report: ${results.scenario}`;
  const figures = CHARTS.map(
    ([id, caption]) => `<figure><div id="${id}" class="chart"></div><figcaption>${escapeHtml(caption)}</figcaption></figure>`,
  ).join('\n');

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
<p class="verdict">${targetSentence(runs)}</p>
<h2>Summary</h2>
<div class="table-wrap">
${summaryTable(runs)}
</div>
<h2>Charts</h2>
<section class="charts">
${figures}
</section>
</main>
<script type="application/json" id="shardsim-data">${scriptJson(results)}</script>
<script>${plotlyBundle()}</script>
<script>${CLIENT}</script>
</body>
</html>
`;
}
