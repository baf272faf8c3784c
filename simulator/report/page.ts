/**
 * report.html: one self-contained page per sweep. Plotly is inlined and the
 * results are embedded as JSON, so the file can be mailed or archived and
 * opened offline; the charts are drawn in the browser from that JSON by the
 * client scripts (client/, compiled by the build and inlined here),
 * which keeps the figures greppable in the page source. A light page
 * (ReportOptions.plotlySrc) loads plotly from a file beside it instead.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { goalFigure, goalVerdict, targetOf } from '../goal.js';
import { pointKey } from '../point-stats.js';
import type { RunResult, SweepResults } from '../results.js';
import {
  abortRate,
  axisValue,
  executionShown,
  formatAxisValue,
  goalLine,
  latencyCell,
  noRateLine,
  overloadLine,
  type SeedRows,
  type StatSpec,
  type SweepAxis,
  seedRows,
  sortRuns,
  sweepAxes,
} from '../summary-table.js';
import type { PageConstants, PageData, PagePointOf, PageStudy, Study, StudyQuantity, StudyScale } from './page-data.js';
import { scenarioDescription, scenarioSettings } from './scenario-settings.js';
import { renderSections } from './sections.js';
import { CATEGORICAL, fixed, formatRate, scientific, thousands } from './shared.js';
import { buildStudy } from './study-model.js';
import { CSS } from './styles.js';

/** What a table cell shows for a figure that is not a finite number. */
const DASH = '–';

/** The plotly bundle shipped with shardsim (plotly.js-dist-min), for a light page's copy beside it. */
export function plotlyBundlePath(): string {
  return createRequire(import.meta.url).resolve('plotly.js-dist-min');
}

// The bundle is ~5 MB; read it once per process, not once per report.
let plotlySource: string | undefined;

function plotlyBundle(): string {
  if (plotlySource === undefined) {
    const path = plotlyBundlePath();
    // `</script` would end the inline element early; `<\/` means the same inside
    // the JS strings and regexes where it could occur.
    plotlySource = readFileSync(path, 'utf8').replace(/<\/script/gi, '<\\/script');
  }
  return plotlySource;
}

/**
 * The drawing scripts, compiled from client/ by the build
 * (tsconfig.client.json) into dist/ beside this module; read from there when
 * this module runs from the TypeScript sources (tests).
 */
let clientSource: string | undefined;

/** The client's scripts, concatenated in this order into the page's one <script>: helpers, the drawings, the entry. */
export const CLIENT_FILES = ['chart-values.js', 'draw-study.js', 'draw-shard-charts.js', 'draw-sections.js', 'draw.js'] as const;

function clientScript(): string {
  if (clientSource === undefined) {
    const dirs = [new URL('./client/', import.meta.url), new URL('../../dist/simulator/report/client/', import.meta.url)].map((url) => fileURLToPath(url));
    const dir = dirs.find((candidate) => CLIENT_FILES.every((file) => existsSync(join(candidate, file))));
    if (dir === undefined) throw new Error(`report client scripts not built (looked for ${CLIENT_FILES.join(', ')} in ${dirs.join(', ')}): run npm run build`);
    clientSource = CLIENT_FILES.map((file) =>
      readFileSync(join(dir, file), 'utf8')
        // The map files are not shipped inside the page.
        .replace(/\n\/\/# sourceMappingURL=\S*\s*$/, '\n')
        .replace(/<\/script/gi, '<\\/script'),
    ).join('');
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
  /** With several seeds: the point's mean ± half-width instead (summary-table.ts seedRows). */
  readonly stat?: StatSpec;
}

function summaryColumns(axes: readonly SweepAxis[], runs: readonly RunResult[]): HtmlColumn[] {
  const cols: HtmlColumn[] = [{ title: 'shards', value: (r) => String(r.shards) }];
  for (const axis of axes) {
    if (axis.key === 'shards') continue;
    cols.push({ title: axis.short, text: !axis.numeric, value: (r) => formatAxisValue(axisValue(r, axis.key)) });
  }
  const multiShard = runs.some((r) => r.shards > 1);
  const tps = (n: number): string => thousands(n, DASH);
  // With --find-max the sustained maximum is the figure the sweep is about: first.
  if (runs.some((r) => r.findMax !== undefined)) {
    cols.push({
      title: 'max sustained TPS',
      value: (r) => tps(r.findMax?.maxSustainableTps ?? Number.NaN),
      stat: { path: 'findMax.maxSustainableTps', format: tps },
    });
  }
  cols.push({ title: 'throughput TPS', value: (r) => tps(r.throughputTps), stat: { path: 'throughputTps', format: tps } });
  // The execution figures next to throughput: in a parallel study they are the point.
  if (executionShown(runs)) {
    const two = (n: number): string => fixed(n, 2, DASH);
    cols.push(
      { title: 'speedup', value: (r) => two(r.execution.speedup), stat: { path: 'execution.speedup', format: two } },
      { title: 'bound (RAW)', value: (r) => two(r.execution.bound.raw), stat: { path: 'execution.bound.raw', format: two } },
      { title: 'bound (all)', value: (r) => two(r.execution.bound.all), stat: { path: 'execution.bound.all', format: two } },
      {
        title: 'aborts / item',
        value: (r) => formatRate(abortRate(r)).replace('-', '–'),
        stat: { path: 'abortRate', of: abortRate, format: (n) => formatRate(n).replace('-', '–') },
      },
    );
  }
  cols.push({ title: 'offered TPS', value: (r) => tps(r.offeredTps), stat: { path: 'offeredTps', format: tps } });
  const percent = (n: number): string => fixed(n * 100, 1, DASH);
  if (multiShard) cols.push({ title: 'cross-shard %', value: (r) => percent(r.crossShardRatio), stat: { path: 'crossShardRatio', format: percent } });
  const seconds = (n: number): string => fixed(n, 3, DASH);
  cols.push(
    { title: 'done %', value: (r) => percent(r.latency.completedShare), stat: { path: 'latency.completedShare', format: percent } },
    ...(['p50', 'p95', 'p99'] as const).map(
      (p): HtmlColumn => ({
        title: `${p} s`,
        value: (r) => latencyCell(r, p, 3, DASH),
        stat: { path: `latency.${p}`, format: seconds, lowerBound: p },
      }),
    ),
    { title: 'mean util %', value: (r) => percent(r.utilisation.mean), stat: { path: 'utilisation.mean', format: percent } },
  );
  cols.push(
    {
      title: 'committee fail P',
      value: (r) => scientific(r.security.failureProbability, 2, DASH),
      stat: { path: 'security.failureProbability', format: (n) => scientific(n, 2, DASH) },
    },
    { title: 'receipts rejected', value: (r) => thousands(r.receipts.rejected, DASH), stat: { path: 'receipts.rejected', format: (n) => thousands(n, DASH) } },
  );
  return cols;
}

function summaryTable(table: SeedRows, all: readonly RunResult[], axes: readonly SweepAxis[], target: number | undefined): string {
  const cols = summaryColumns(axes, all);
  const runs = table.rows;
  // A rule wherever an outer axis changes: each block is one curve over the innermost axis.
  const outer = axes.slice(0, -1);
  const rows = runs.map((run, i) => {
    const prev = runs[i - 1];
    const classes: string[] = [];
    // With several seeds the point reaches the goal when its mean does.
    const point = table.runsOf(run);
    if (target !== undefined && point.reduce((sum, r) => sum + goalFigure(r), 0) / point.length >= target) classes.push('reached');
    if (prev !== undefined && outer.some((axis) => axisValue(prev, axis.key) !== axisValue(run, axis.key))) classes.push('group');
    // Overloaded: the figures depend on the run's length (the verdict above says so in words).
    const over = table.runsOf(run).filter((r) => r.stability !== undefined && !r.stability.stable);
    if (over.length > 0) classes.push('over');
    const why = [...new Set(over.flatMap((r) => r.stability.reasons))];
    const title =
      over.length > 0
        ? ` title="${escapeHtml(`overloaded${table.multiSeed ? ` in ${over.length} of ${table.runsOf(run).length} seeds` : ''}: ${why.join('; ')}`)}"`
        : '';
    const attr = classes.length > 0 ? ` class="${classes.join(' ')}"` : '';
    const cells = cols.map((col) => `<td${col.text === true ? ' class="text"' : ''}>${escapeHtml(table.cell(run, col))}</td>`);
    return `<tr${attr}${title}>${cells.join('')}</tr>`;
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
  const named = (run: RunResult): string => `${run.shards} shard${run.shards === 1 ? '' : 's'}${label(run) ? ` (${label(run)})` : ''}`;
  for (const warning of [noRateLine(runs, named), overloadLine(runs, named)]) {
    if (warning !== undefined) parts.push(`<p class="verdict warn">${escapeHtml(warning)}</p>`);
  }
  return parts.map((p) => `${p}\n`).join('');
}

const SCALE_WORDS: Record<StudyScale, string> = {
  log2: 'log2 scale',
  log: 'log scale',
  linear: 'linear scale',
  category: 'one tick per value',
};

/** The quantities a study can draw per panel: id prefix, heading, caption (study-model.ts chooses which). */
const STUDY_QUANTITIES: Readonly<Record<StudyQuantity, readonly [prefix: string, heading: string, caption: string]>> = {
  speedup: [
    'study-speedup',
    'Parallel speedup',
    "Speedup of execution inside a shard: sequential execution time over the executor's makespan, summed over the measured blocks (solid). The dotted line of the same colour is the analytical bound min(threads, W/D), W a block's gas and D the gas of its heaviest read-after-write dependency chain (gas-weighted over blocks): no executor can beat it. The y axis is shared by all panels.",
  ],
  heatmap: ['study-heatmap', 'Speedup heatmap', 'The same speedups as a grid, one cell per point; colour is shared by all panels, hover for the bound.'],
  aborts: [
    'study-aborts',
    'Abort rate',
    'Aborted incarnations (failed validations and ESTIMATE reads, execution.aborts) per executed block item, transaction or receipt, in the measured window. Log scale, so a zero rate is not drawn (a single thread never aborts); a panel where nothing aborted says "no aborts". The y axis is shared by all panels.',
  ],
  throughput: ['study-throughput', 'Throughput', 'Completed transactions per simulated second over the measured window. The y axis is shared by all panels.'],
  cross: [
    'study-cross',
    'Cross-shard share',
    'Share of committed transactions whose receiver is on another shard: what placement and the workload decide. The y axis is shared by all panels.',
  ],
  imbalance: [
    'study-imbalance',
    'Load imbalance',
    "The busiest shard's work (transactions and receipts executed in the window) over the mean shard's: 1 is even, S means one shard of S does it all. The y axis is shared by all panels.",
  ],
};

/** A quantity's id prefix, heading and caption; with --find-max the throughput panels show the maximum sustainable rate. */
function quantityText(study: Study, quantity: StudyQuantity): readonly [prefix: string, heading: string, caption: string] {
  if (quantity === 'throughput' && study.sustained) {
    return [
      'study-throughput',
      'Maximum sustainable throughput',
      'The highest offered rate each point sustained (--find-max: nothing dropped, no growing backlog, p99 within the objective). The y axis is shared by all panels.',
    ];
  }
  return STUDY_QUANTITIES[quantity];
}

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
  const note = `<p class="note">${runCount} runs over ${over}. ${fixedBy}; x is ${escapeHtml(study.x.short)} (${SCALE_WORDS[study.x.scale]})${lines}.${capped}${study.seeds > 1 ? ` Each point is the mean over its ${study.seeds} seeds.` : ''}</p>`;
  const only = study.panels.length === 1 ? study.panels[0] : undefined;
  if (only !== undefined) {
    // One panel per quantity: side by side, each with its caption, one legend for all.
    const figures = study.quantities.map((quantity) => {
      const [prefix, heading, caption] = quantityText(study, quantity);
      const title = prefix === 'study-heatmap' && study.line !== null ? `${heading}: ${study.x.short} × ${study.line.short}` : heading;
      return `<figure class="small"><h4>${escapeHtml(title)}</h4><div id="${prefix}-${only.id}" class="chart small"></div><figcaption>${escapeHtml(caption.replace(/ The y axis is shared by all panels\.$/, ''))}</figcaption></figure>`;
    });
    const legend = legendHtml(study, study.quantities.includes('speedup'));
    return `<section id="study">
<h2>Study</h2>
${note}
${legend}<div class="multiples">
${figures.join('\n')}
</div>
</section>`;
  }
  const groups = study.quantities.map((quantity) => {
    const [prefix, heading, caption] = quantityText(study, quantity);
    const title = prefix === 'study-heatmap' && study.line !== null ? `${heading}: ${study.x.short} × ${study.line.short}` : heading;
    const figures = study.panels
      .map((panel) => `<figure class="small"><h4>${escapeHtml(panel.title || heading)}</h4><div id="${prefix}-${panel.id}" class="chart small"></div></figure>`)
      .join('\n');
    const legend = prefix === 'study-heatmap' ? '' : legendHtml(study, prefix === 'study-speedup');
    return `<h3>${escapeHtml(title)}</h3>\n<p class="caption">${escapeHtml(caption)}</p>\n${legend}<div class="multiples"${grid}>\n${figures}\n</div>`;
  });
  return `<section id="study">
<h2>Study</h2>
${note}
${groups.join('\n')}
</section>`;
}

interface ChartSpec {
  readonly id: string;
  readonly caption: string;
}

/** The charts by shard count this sweep calls for, in page order. */
function chartSpecs(runs: readonly RunResult[], target: number | undefined, execution: boolean): ChartSpec[] {
  const specs: ChartSpec[] = [];
  const search = runs.find((run) => run.findMax !== undefined)?.findMax;
  const goal =
    target === undefined
      ? ''
      : ` The dashed red line is the scenario's goal of ${thousands(target)} TPS (report.targetTps), drawn only where it is near the data (within twice its highest figure).`;
  if (search !== undefined) {
    specs.push({
      id: 'chart-findmax',
      caption: `Maximum sustainable throughput (--find-max): the highest offered rate at which no transaction was dropped, backlogs did not grow and p99 latency stayed within ${fixed(search.latencySlo, 2)} s. The thin dashed line of the same colour is ideal linear scaling from the smallest shard count (its maximum × S / S0); each label is the scaling efficiency, the maximum over that ideal. Grey marks are the rates the search probed: dots sustainable, × not.${goal}`,
    });
  }
  specs.push(
    {
      id: 'chart-throughput',
      caption: `Throughput (solid) and offered load (dotted) against shard count. Where the lines part, the network is saturated; a red ring marks an overloaded run (backlog growing or mempools dropping: hover for why), whose figures depend on the run's length. The y axis is logarithmic when the figures span more than two decades, else linear from 0.${search === undefined ? goal : ''}`,
    },
    {
      id: 'chart-latency',
      caption:
        "Latency from submission to completion (last receipt applied), p50 / p95 / p99, over every transaction offered in the measured window, those a full mempool refused included (log scale when they span more than two decades). One unfinished at the run's end (refused ones never finish) counts with the time it had waited (it is censored), so a percentile that falls among those is only a lower bound, drawn as an open triangle pointing up. The thin grey dash-dot line (right axis) is the share of the window's transactions that finished, drawn when some did not.",
    },
    {
      id: 'chart-cross',
      caption: 'Share of committed transactions whose receiver is on another shard; the grey line is what uniformly random receivers would give.',
    },
    {
      id: 'chart-demand',
      caption:
        'Demand on each shard over the measured window, uncapped: the gas of the transactions offered to it plus the receipts it applied, over its capacity (block gas limit × slots); one box per sweep point (with several seeds, the shards of all of them), points are shards. Above the dashed line at 100% a shard is asked for more than it can do: a hot shard. Hover a point for its block utilisation.',
    },
    {
      id: 'chart-security',
      caption:
        'Throughput (left) against the probability that some shard committee reaches the adversarial threshold in an epoch (right, log scale; zero is not drawn).',
    },
  );
  if (execution)
    specs.push({ id: 'chart-execution', caption: 'Parallel execution inside shards: speedup over sequential execution (left) and aborts (right).' });
  return specs;
}

/** The scenario's name, its description and its key settings. */
function headerHtml(results: SweepResults, title: string): string {
  const description = scenarioDescription(results);
  const settings = scenarioSettings(results)
    .map((s) => `<div><dt>${escapeHtml(s.term)}</dt><dd>${escapeHtml(s.value)}</dd></div>`)
    .join('\n');
  return [
    `<h1>${escapeHtml(title)}</h1>`,
    description === undefined ? '' : `<p class="description">${escapeHtml(description)}</p>`,
    settings === '' ? '' : `<dl class="settings">\n${settings}\n</dl>`,
  ]
    .filter((part) => part !== '')
    .join('\n');
}

export interface ReportOptions {
  /**
   * Load plotly from this URL (relative to the page, e.g. plotly.min.js)
   * instead of inlining the ~5 MB bundle: a light page, which draws only
   * beside that file.
   */
  readonly plotlySrc?: string;
}

/** How the page includes plotly: inlined (self-contained), or from a file beside it. */
function plotlyScript(options: ReportOptions): string {
  return options.plotlySrc === undefined ? `<script>${plotlyBundle()}</script>` : `<script src="${escapeHtml(options.plotlySrc)}"></script>`;
}

export function renderReport(results: SweepResults, options: ReportOptions = {}): string {
  const axes = sweepAxes(results);
  const runs = sortRuns(results.runs, axes);
  const table = seedRows(results, runs);
  const study = buildStudy(runs, axes, table.seeds.length);
  const shardsVary = axes.some((axis) => axis.key === 'shards');
  // A study at one shard count would draw every shard chart as a column of single points.
  const shardCharts = study === null || shardsVary;
  const target = targetOf(results);
  const execution = executionShown(runs);
  const constants: PageConstants = { targetTps: target ?? null, palette: CATEGORICAL, execution };
  const title = `shardsim report: ${results.scenario}`;
  const figures = chartSpecs(runs, target, execution)
    .map(({ id, caption }) => `<figure><div id="${id}" class="chart"></div><figcaption>${escapeHtml(caption)}</figcaption></figure>`)
    .join('\n');
  const seedNote = table.multiSeed
    ? `<p class="note">Seeds ${escapeHtml(table.seeds.join(', '))}: each line is the mean over the seeds, the shaded band its 95% confidence interval.</p>\n`
    : '';
  const onlyShards = [...new Set(runs.map((run) => run.shards))];
  const chartsSection = shardCharts
    ? `<h2>${study === null ? 'Charts' : 'Charts by shard count'}</h2>
${seedNote}<section class="charts">
${figures}
</section>`
    : `<h2>Charts by shard count</h2>
<p class="note">Not drawn: every run has ${onlyShards.map(String).join(', ')} shard${onlyShards.length === 1 && onlyShards[0] === 1 ? '' : 's'}, so the study above holds the charts; the table, results.json and runs.csv hold every other figure.</p>`;
  const verdict = verdictHtml(runs, axes, target);
  const summaryNote = table.multiSeed
    ? `<p class="note">One row per point; a cell with ± is the mean over seeds ${escapeHtml(table.seeds.join(', '))} and the half-width of its 95% confidence interval.</p>\n`
    : '';
  const summary = `<h2>Summary</h2>
${summaryNote}<div class="table-wrap${table.rows.length > 20 ? ' tall' : ''}">
${summaryTable(table, runs, axes, target)}
</div>`;
  // Which point of results.points each run belongs to, matched here by the one rule (point-stats.ts pointKey).
  const pointIndex = new Map((results.points ?? []).map((point, i) => [pointKey(point), i]));
  const pointOf: PagePointOf = results.runs.map((run) => pointIndex.get(pointKey(run)) ?? -1);

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
${headerHtml(results, title)}
<p class="meta">${table.multiSeed ? 'seeds' : 'seed'} <code>${escapeHtml(table.seeds.join(', '))}</code> · version <code>${escapeHtml(results.version)}</code> · digest <code>${escapeHtml(results.digest)}</code> · ${runs.length} run${runs.length === 1 ? '' : 's'} · started ${escapeHtml(results.wall.startedAt)}, ${escapeHtml(fixed(results.wall.seconds, 1, DASH))} s wall</p>
<p class="note">How figures are counted: a transaction completes when its effects are fully applied, so a cross-shard transaction counts once, when its last receipt is applied on the receiving shard, not when it is first included. Throughput is completed transactions per simulated second over the measured window; offered load is transactions generated per simulated second over the same window. Latency runs from submission to completion in simulated seconds. Every figure except wall-clock time is a deterministic function of the configuration and seed, and is covered by the digest.</p>
${verdict}${study === null ? '' : studySection(study, runs.length)}
${summary}
${renderSections(results)}
${chartsSection}
</main>
<script type="application/json" id="shardsim-data">${scriptJson(results satisfies PageData)}</script>
<script type="application/json" id="shardsim-point-of">${scriptJson(pointOf)}</script>
${study === null ? '' : `<script type="application/json" id="shardsim-study">${scriptJson({ ...study, shardCharts } satisfies PageStudy)}</script>\n`}${plotlyScript(options)}
<script>${clientScript()}drawShardsimReport(${scriptJson(constants)});</script>
</body>
</html>
`;
}
