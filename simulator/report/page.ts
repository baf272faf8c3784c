/**
 * report.html: one self-contained page per sweep. Plotly is inlined and the
 * results are embedded as JSON, so the file can be mailed or archived and
 * opened offline; the charts are drawn in the browser from that JSON by the
 * client script (client/draw.ts, compiled by the build and inlined here),
 * which keeps the figures greppable in the page source.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { goalFigure, goalVerdict, targetOf } from '../goal.js';
import type { RunResult, SweepResults } from '../results.js';
import {
  abortRate,
  anyParallel,
  axisValue,
  formatAxisValue,
  goalLine,
  latencyCell,
  overloadLine,
  type SweepAxis,
  sortRuns,
  sweepAxes,
} from '../summary-table.js';
import type { PageConstants, PageData, PageStudy, Study, StudyScale } from './page-data.js';
import { renderSections } from './sections.js';
import { CATEGORICAL, fixed, formatRate, scientific, thousands } from './shared.js';
import { buildStudy } from './study-model.js';
import { CSS } from './styles.js';

/** What a table cell shows for a figure that is not a finite number. */
const DASH = '–';

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

/**
 * The drawing script, compiled from client/draw.ts by the build
 * (tsconfig.client.json) into dist/ beside this module; read from there when
 * this module runs from the TypeScript sources (tests).
 */
let clientSource: string | undefined;

function clientScript(): string {
  if (clientSource === undefined) {
    const candidates = [new URL('./client/draw.js', import.meta.url), new URL('../../dist/simulator/report/client/draw.js', import.meta.url)].map((url) =>
      fileURLToPath(url),
    );
    const path = candidates.find((candidate) => existsSync(candidate));
    if (path === undefined) throw new Error(`report client script not built (looked for ${candidates.join(', ')}): run npm run build`);
    clientSource = readFileSync(path, 'utf8')
      // The map file is not shipped inside the page.
      .replace(/\n\/\/# sourceMappingURL=\S*\s*$/, '\n')
      .replace(/<\/script/gi, '<\\/script');
  }
  return clientSource;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/**
 * JSON for a <script type="application/json"> element, or as the argument of
 * the client's call inside a <script>. `<` only occurs inside JSON strings,
 * where `\/` and `\u0021` are valid escapes (in JSON and in JavaScript alike),
 * so the original text comes back while the HTML parser never sees `</script`
 * or `<!--`.
 */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/<\//g, '<\\/').replace(/<!--/g, '<\\u0021--');
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
  cols.push({ title: 'throughput TPS', value: (r) => thousands(r.throughputTps, DASH) });
  // The execution figures next to throughput: in a parallel study they are the point.
  if (anyParallel(runs)) {
    cols.push(
      { title: 'speedup', value: (r) => fixed(r.execution.speedup, 2, DASH) },
      { title: 'bound (RAW)', value: (r) => fixed(r.execution.bound.raw, 2, DASH) },
      { title: 'bound (all)', value: (r) => fixed(r.execution.bound.all, 2, DASH) },
      { title: 'aborts / item', value: (r) => formatRate(abortRate(r)).replace('-', '–') },
    );
  }
  cols.push({ title: 'offered TPS', value: (r) => thousands(r.offeredTps, DASH) });
  if (multiShard) cols.push({ title: 'cross-shard %', value: (r) => fixed(r.crossShardRatio * 100, 1, DASH) });
  cols.push(
    { title: 'done %', value: (r) => fixed(r.latency.completedShare * 100, 1, DASH) },
    { title: 'p50 s', value: (r) => latencyCell(r, 'p50', 3, DASH) },
    { title: 'p95 s', value: (r) => latencyCell(r, 'p95', 3, DASH) },
    { title: 'p99 s', value: (r) => latencyCell(r, 'p99', 3, DASH) },
    { title: 'mean util %', value: (r) => fixed(r.utilisation.mean * 100, 1, DASH) },
  );
  cols.push(
    { title: 'committee fail P', value: (r) => scientific(r.security.failureProbability, 2, DASH) },
    { title: 'receipts rejected', value: (r) => thousands(r.receipts.rejected, DASH) },
  );
  return cols;
}

function summaryTable(runs: readonly RunResult[], axes: readonly SweepAxis[], target: number | undefined): string {
  const cols = summaryColumns(axes, runs);
  // A rule wherever an outer axis changes: each block is one curve over the innermost axis.
  const outer = axes.slice(0, -1);
  const rows = runs.map((run, i) => {
    const prev = runs[i - 1];
    const classes: string[] = [];
    if (target !== undefined && goalFigure(run) >= target) classes.push('reached');
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

/** The goal verdict and the overload warning, as the summary prints them. */
function verdictHtml(runs: readonly RunResult[], axes: readonly SweepAxis[], target: number | undefined): string {
  const label = (run: RunResult): string =>
    axes
      .filter((axis) => axis.key !== 'shards')
      .map((axis) => `${axis.short} ${formatAxisValue(axisValue(run, axis.key))}`)
      .join(', ');
  const parts: string[] = [];
  // The goal is about the shard count: it says nothing when that does not vary.
  if (target !== undefined && axes.some((axis) => axis.key === 'shards')) {
    parts.push(`<p class="verdict">${escapeHtml(goalLine(goalVerdict(runs, target), (run) => (label(run) ? `; ${label(run)}` : '')))}</p>`);
  }
  const overload = overloadLine(runs, (run) => `${run.shards} shard${run.shards === 1 ? '' : 's'}${label(run) ? ` (${label(run)})` : ''}`);
  if (overload !== undefined) parts.push(`<p class="verdict warn">${escapeHtml(overload)}</p>`);
  return parts.map((p) => `${p}\n`).join('');
}

const SCALE_WORDS: Record<StudyScale, string> = {
  log2: 'log2 scale',
  log: 'log scale',
  linear: 'linear scale',
  category: 'one tick per value',
};

/** The quantities drawn per panel: id prefix, heading, caption. */
const STUDY_QUANTITIES: ReadonlyArray<readonly [prefix: string, heading: string, caption: string]> = [
  [
    'study-speedup',
    'Parallel speedup',
    "Speedup of execution inside a shard: sequential execution time over the executor's makespan, summed over the measured blocks (solid). The dotted line of the same colour is the analytical bound min(threads, W/D), W a block's gas and D the gas of its heaviest read-after-write dependency chain (gas-weighted over blocks): no executor can beat it. The y axis is shared by all panels.",
  ],
  ['study-heatmap', 'Speedup heatmap', 'The same speedups as a grid, one cell per point; colour is shared by all panels, hover for the bound.'],
  [
    'study-aborts',
    'Abort rate',
    'Aborted incarnations (failed validations and ESTIMATE reads, execution.aborts) per executed block item, transaction or receipt, in the measured window. Log scale, so a zero rate is not drawn (a single thread never aborts); a panel where nothing aborted says "no aborts". The y axis is shared by all panels.',
  ],
  ['study-throughput', 'Throughput', 'Completed transactions per simulated second over the measured window. The y axis is shared by all panels.'],
];

function legendHtml(study: Study, withBound: boolean): string {
  const first = study.panels[0];
  if (study.line === null || first === undefined) return '';
  const keys = first.lines.map((l) => `<span class="key"><i style="background:${escapeHtml(l.colour)}"></i>${escapeHtml(l.label)}</span>`);
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
    const title = prefix === 'study-heatmap' && study.line !== null ? `${heading}: ${study.x.short} × ${study.line.short}` : heading;
    const figures = study.panels
      .map((panel) => `<figure class="small"><h4>${escapeHtml(panel.title || heading)}</h4><div id="${prefix}-${panel.id}" class="chart small"></div></figure>`)
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

const CHARTS: ReadonlyArray<readonly [id: string, caption: string]> = [
  [
    'chart-throughput',
    'Throughput (solid) and offered load (dotted) against shard count; the dashed line is the 100k TPS goal. Where the lines part, the network is saturated.',
  ],
  ['chart-latency', 'Latency from submission to completion (last receipt applied), p50 / p95 / p99.'],
  ['chart-cross', 'Share of committed transactions whose receiver is on another shard; the grey line is what uniformly random receivers would give.'],
  ['chart-utilisation', 'Per-shard block utilisation over the measured window, one box per run (points are shards; the dashed mark is the mean).'],
  [
    'chart-security',
    'Throughput (left) against the probability that some shard committee reaches the adversarial threshold in an epoch (right, log scale; zero is not drawn).',
  ],
  ['chart-execution', 'Parallel execution inside shards: speedup over sequential execution (left) and aborts (right).'],
];

export function renderReport(results: SweepResults): string {
  const axes = sweepAxes(results);
  const runs = sortRuns(results.runs, axes);
  const study = buildStudy(runs, axes);
  const shardsVary = axes.some((axis) => axis.key === 'shards');
  // A study at one shard count would draw every shard chart as a column of single points.
  const shardCharts = study === null || shardsVary;
  const target = targetOf(results);
  const constants: PageConstants = { targetTps: target ?? null, palette: CATEGORICAL };
  const title = `shardsim report: ${results.scenario}`;
  const figures = CHARTS.map(([id, caption]) => `<figure><div id="${id}" class="chart"></div><figcaption>${escapeHtml(caption)}</figcaption></figure>`).join(
    '\n',
  );
  const onlyShards = [...new Set(runs.map((run) => run.shards))];
  const chartsSection = shardCharts
    ? `<h2>${study === null ? 'Charts' : 'Charts by shard count'}</h2>
<section class="charts">
${figures}
</section>`
    : `<h2>Charts by shard count</h2>
<p class="note">Not drawn: every run has ${onlyShards.map(String).join(', ')} shard${onlyShards.length === 1 && onlyShards[0] === 1 ? '' : 's'}, so the study above holds the charts; the table, results.json and runs.csv hold every other figure.</p>`;
  const verdict = verdictHtml(runs, axes, target);
  const summary = `<h2>Summary</h2>
<div class="table-wrap${runs.length > 20 ? ' tall' : ''}">
${summaryTable(runs, axes, target)}
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
<p class="meta">seed <code>${escapeHtml(String(results.seed))}</code> · version <code>${escapeHtml(results.version)}</code> · digest <code>${escapeHtml(results.digest)}</code> · ${runs.length} run${runs.length === 1 ? '' : 's'} · started ${escapeHtml(results.wall.startedAt)}, ${escapeHtml(fixed(results.wall.seconds, 1, DASH))} s wall</p>
<p class="note">How figures are counted: a transaction completes when its effects are fully applied, so a cross-shard transaction counts once, when its last receipt is applied on the receiving shard, not when it is first included. Throughput is completed transactions per simulated second over the measured window; offered load is transactions generated per simulated second over the same window. Latency runs from submission to completion in simulated seconds. Every figure except wall-clock time is a deterministic function of the configuration and seed, and is covered by the digest.</p>
${verdict}${study === null ? '' : studySection(study, runs.length)}
${summary}
${renderSections(results)}
${chartsSection}
</main>
<script type="application/json" id="shardsim-data">${scriptJson(results satisfies PageData)}</script>
${study === null ? '' : `<script type="application/json" id="shardsim-study">${scriptJson({ ...study, shardCharts } satisfies PageStudy)}</script>\n`}<script>${plotlyBundle()}</script>
<script>${clientScript()}drawShardsimReport(${scriptJson(constants)});</script>
</body>
</html>
`;
}
