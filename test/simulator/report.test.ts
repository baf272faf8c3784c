import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { pointStats } from '../../simulator/point-stats.js';
import { CLIENT_FILES, renderReport } from '../../simulator/report/page.js';
import { thousands } from '../../simulator/report/shared.js';
import type { RunResult, SweepResults } from '../../simulator/results.js';
import { toCsv } from '../../simulator/runs-csv.js';
import { abortRate, formatSummary, sweepAxes } from '../../simulator/summary-table.js';
import { idealNetworkFigures, NO_BLOCKS } from '../helpers/network-figures.js';

/** The reports treat the scenario as opaque, so a stub stands in for a parsed config. */
function fakeConfig(): SweepResults['config'] {
  return { name: 'fake', shards: [4, 8, 16], report: { targetTps: 100_000 } } as unknown as SweepResults['config'];
}

function fakeRun(shards: number, throughputTps: number, overrides: Partial<RunResult> = {}): RunResult {
  return {
    shards,
    seed: 42,
    params: { 'network.shards': shards, 'workload.label': 'uniform' },
    throughputTps,
    offeredTps: 120_000,
    crossShardRatio: 1 - 1 / shards,
    loadImbalance: 1.05,
    trace: null,
    faults: null,
    latency: { p50: 2.5, p95: 6.25, p99: 9.125, mean: 3.1, samples: 1000, completed: 1000, censored: 0, completedShare: 1, lowerBound: [] },
    stability: { stable: true, reasons: [], backlog: { start: 0, end: 0 }, droppedInWindow: 0 },
    transactions: { submitted: 1200, mempoolDropped: 3, completed: 1100, completedFailed: 7, pending: 97 },
    byKind: { transfer: { offered: 1203, completed: 1000, failed: 7 } },
    receipts: { sent: 800, applied: 790, refunds: 2, rejected: 1, duplicates: 0, inFlight: 10, delayedBacklog: 4 },
    utilisation: { mean: 0.5, max: 0.9 },
    perShard: Array.from({ length: shards }, (_, shard) => ({
      shard,
      utilisation: 0.4 + shard / (10 * shards),
      demand: 0.4 + shard / (10 * shards),
      txIncluded: 100,
      receiptsApplied: 50,
      mempoolEnd: 0,
      delayedEnd: 0,
    })),
    execution: {
      executor: 'block-stm',
      threads: 8,
      speedup: 5.5,
      estimateWaits: 3,
      bound: { raw: 7.5, all: 6.25 },
      makespan: 0.01,
      reexecutions: 12,
      validations: 300,
      aborts: 4,
      wastedGas: 21000,
    },
    network: idealNetworkFigures(),
    bottleneck: 'load',
    blocks: NO_BLOCKS,
    security: {
      validators: 4000,
      committeeSize: 4000 / shards,
      adversaryFraction: 0.25,
      threshold: 1 / 3,
      failureProbability: 1.234e-5 * shards,
    },
    stateRoots: Array.from({ length: shards }, (_, i) => `0x${i.toString(16).padStart(64, '0')}`),
    digest: `run-digest-${shards}`,
    wall: { seconds: 1.5, simulatedTxPerWallSecond: 733_333.3333333334 },
    ...overrides,
  };
}

function fakeResults(overrides: Partial<SweepResults> = {}): SweepResults {
  return {
    scenario: 'toward-100k',
    seed: 42,
    seeds: [42],
    version: '0.1.0',
    digest: 'c0ffee1234567890deadbeef',
    config: fakeConfig(),
    runs: [fakeRun(4, 31_250.5), fakeRun(8, 62_500.25), fakeRun(16, 123_456.789), fakeRun(32, 118_000.125)],
    points: [],
    wall: { seconds: 6, startedAt: '2025-01-01T00:00:00.000Z' },
    ...overrides,
  };
}

function embeddedJson(html: string): string {
  const match = /<script type="application\/json" id="shardsim-data">([\s\S]*?)<\/script>/.exec(html);
  expect(match).not.toBeNull();
  return match![1]!;
}

describe('renderReport', () => {
  const results = fakeResults();
  const html = renderReport(results);

  it('inlines the plotly bundle instead of loading it from the network', () => {
    expect(html).not.toMatch(/<script[^>]*\bsrc\s*=/i);
    expect(html).not.toMatch(/<script\s+src=["']?http/i);
    // A recognisable piece of the minified bundle, and a substantial amount of it.
    expect(html).toContain('plotly.js');
    expect(html.length).toBeGreaterThan(1_000_000);
  });

  it('embeds the results as JSON that parses back to the runs', () => {
    const data = JSON.parse(embeddedJson(html)) as SweepResults;
    expect(data.runs).toEqual(results.runs);
    expect(data.digest).toBe(results.digest);
    // The figures are greppable in the page source.
    for (const run of results.runs) expect(html).toContain(String(run.throughputTps));
    expect(html).toContain(results.digest);
    expect(html).toContain('seed <code>42</code>');
  });

  it('states where the configured goal is first reached', () => {
    expect(html).toContain('<p class="verdict">100,000 TPS first reached at 16 shards (123,457 TPS).</p>');
  });

  it('sets no goal unless the scenario asks for one', () => {
    const plain = fakeResults({ config: { name: 'fake' } as unknown as SweepResults['config'] });
    expect(renderReport(plain)).not.toContain('class="verdict"');
    expect(formatSummary(plain)).not.toContain('TPS first reached');
    expect(formatSummary(plain)).not.toContain('not reached');
  });

  it('keeps a </script> in the scenario name from breaking out', () => {
    const hostile = '</script><script>alert(1)</script><!--';
    const page = renderReport(fakeResults({ scenario: hostile }));
    // Only the script elements the page itself opens may close: data, the runs' points, the scenario sections'
    // figures (fakeRun has refunds and failures), plotly, the client.
    expect(page.match(/<\/script/gi)).toHaveLength(5);
    // An opening <script> inside the JSON is inert text; only a closing tag (or `<!--`) could escape.
    expect(page).not.toContain('</script><script>alert(1)');
    expect(page).not.toContain('<title></script>');
    expect((JSON.parse(embeddedJson(page)) as SweepResults).scenario).toBe(hostile);
  });

  it('draws six charts from the embedded data when run in a browser-like context', () => {
    const json = embeddedJson(html);
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    const client = scripts[scripts.length - 1]!;
    const plots: Array<{ id: string; traces: unknown[]; layout: Record<string, unknown> }> = [];
    const context = {
      document: { getElementById: (id: string) => (id === 'shardsim-data' ? { textContent: json } : null) },
      Plotly: {
        newPlot: (id: string, traces: unknown[], layout: Record<string, unknown>) => {
          plots.push({ id, traces, layout });
        },
      },
    };
    runInNewContext(client, context);
    expect(plots.map((p) => p.id)).toEqual(['chart-throughput', 'chart-latency', 'chart-cross', 'chart-demand', 'chart-security', 'chart-execution']);
    const throughput = plots[0]!;
    expect(throughput.layout['shapes']).toEqual([expect.objectContaining({ y0: 100_000, y1: 100_000 })]);
    expect(throughput.layout['xaxis']).toEqual(expect.objectContaining({ type: 'log', tickvals: [4, 8, 16, 32] }));
    expect(plots[3]!.traces).toHaveLength(results.runs.length);
    expect(plots[4]!.layout['yaxis2']).toEqual(expect.objectContaining({ type: 'log' }));
  });
});

describe('toCsv', () => {
  it('writes a header and one row per run, quoting fields with commas', () => {
    const runs = [fakeRun(4, 31_250.5), fakeRun(8, 62_500.25, { params: { 'network.shards': 8, 'workload.label': 'hot, skewed' } })];
    const csv = toCsv(fakeResults({ runs }));
    const lines = csv.split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, -1)).toHaveLength(1 + runs.length);

    const header = lines[0]!.split(',');
    expect(header.slice(0, 6)).toEqual(['scenario', 'seed', 'shards', 'param.network.shards', 'param.workload.label', 'throughput_tps']);
    expect(header.at(-1)).toBe('simulated_tx_per_wall_s');
    expect(lines[1]!.startsWith('toward-100k,42,4,4,uniform,31250.5,')).toBe(true);
    expect(lines[2]).toContain(',"hot, skewed",');
    expect(lines[1]).toContain(',733333.3333333334');
  });

  it('names every column in snake_case, every figure with its unit, counts by what they count', () => {
    const header = toCsv(fakeResults()).split('\r\n')[0]!.split(',');
    for (const name of header.filter((h) => !h.startsWith('param.'))) expect(name).toMatch(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/);
    expect(header).toEqual(
      expect.arrayContaining([
        'offered_tps',
        'cross_shard_ratio',
        'latency_p50_s',
        'latency_p95_s',
        'latency_p99_s',
        'latency_mean_s',
        'submitted_tx',
        'completed_failed_tx',
        'mempool_dropped_tx',
        'receipts_sent',
        'refund_receipts',
        'duplicate_batches',
        'utilisation_mean_share',
        'load_imbalance_x',
        'speedup_x',
        'makespan_s',
        'wasted_gas',
        'committee_failure_probability',
        'wall_s',
      ]),
    );
    expect(new Set(header).size).toBe(header.length);
  });

  it('has every column explained in results/README.md', () => {
    const readme = readFileSync(new URL('../../results/README.md', import.meta.url), 'utf8');
    const withLatency = { ...fakeRun(4, 1000), latency: { ...fakeRun(4, 1000).latency, completedShare: 1, lowerBound: [] } } as RunResult;
    const header = toCsv(fakeResults({ runs: [withLatency] }))
      .split('\r\n')[0]!
      .split(',');
    for (const name of header.filter((h) => !h.startsWith('param.'))) expect(readme, name).toContain(`\`${name}\``);
  });

  it('leaves NaN cells empty and doubles quotes', () => {
    const run = fakeRun(4, Number.NaN, { params: { 'network.shards': 4, 'workload.label': 'say "hi"' } });
    const csv = toCsv(fakeResults({ runs: [run] }));
    const row = csv.split('\r\n')[1]!;
    expect(row.startsWith('toward-100k,42,4,4,"say ""hi""",,120000,')).toBe(true);
  });

  it("gives each run its own seed where results carry one, else the sweep's", () => {
    const runs = [{ ...fakeRun(4, 1000), seed: 7 }, fakeRun(4, 1100)] as RunResult[];
    const rows = toCsv(fakeResults({ runs })).split('\r\n');
    expect(rows[1]!.startsWith('toward-100k,7,4,')).toBe(true);
    expect(rows[2]!.startsWith('toward-100k,42,4,')).toBe(true);
  });

  it('writes the completed share and the lower-bound percentiles when runs carry them', () => {
    const unrecorded = (run: RunResult): RunResult => {
      const { completedShare: _s, lowerBound: _b, ...latency } = run.latency;
      return { ...run, latency } as unknown as RunResult;
    };
    const plain = toCsv(fakeResults({ runs: [unrecorded(fakeRun(4, 1000))] }))
      .split('\r\n')[0]!
      .split(',');
    expect(plain).not.toContain('latency_completed_share');
    expect(plain).not.toContain('latency_lower_bound');

    const bounded = (share: number, lowerBound: string[]): RunResult =>
      ({ ...fakeRun(4, 1000), latency: { ...fakeRun(4, 1000).latency, completedShare: share, lowerBound } }) as RunResult;
    const [head, partial, exact, older] = toCsv(fakeResults({ runs: [bounded(0.875, ['p95', 'p99']), bounded(1, []), unrecorded(fakeRun(8, 2000))] })).split(
      '\r\n',
    );
    const header = head!.split(',');
    expect(header.slice(header.indexOf('latency_mean_s') + 1, header.indexOf('latency_mean_s') + 3)).toEqual([
      'latency_completed_share',
      'latency_lower_bound',
    ]);
    const at = (row: string | undefined, name: string): string => row!.split(',')[header.indexOf(name)]!;
    expect([at(partial, 'latency_completed_share'), at(partial, 'latency_lower_bound')]).toEqual(['0.875', 'p95;p99']);
    expect([at(exact, 'latency_completed_share'), at(exact, 'latency_lower_bound')]).toEqual(['1', '']);
    // A run from before the fields were recorded: no value, not "exact".
    expect([at(older, 'latency_completed_share'), at(older, 'latency_lower_bound')]).toEqual(['', '']);
  });
});

describe('formatSummary', () => {
  it('names the smallest shard count that reached 100k TPS', () => {
    const text = formatSummary(fakeResults());
    expect(text).toContain('100,000 TPS first reached at 16 shards');
    expect(text).toContain('123,457');
    expect(text).toContain('digest: c0ffee1234567890deadbeef');
    expect(text).toMatch(/4\.9e-5/);
    // Every table line is the same width once padded: the columns align.
    const tableLines = text.split('\n').slice(0, 2 + 4);
    expect(new Set(tableLines.map((l) => l.length)).size).toBe(1);
  });

  it('reports the maximum when no run reached 100k TPS', () => {
    const text = formatSummary(fakeResults({ runs: [fakeRun(4, 31_250.5), fakeRun(8, 62_500.25)] }));
    expect(text).toContain('100,000 TPS not reached by any run; the most was 62,500 TPS at 8 shards.');
  });
});

// ---------------------------------------------------------------------------
// Multi-axis studies

const AXES = {
  'shard.executor': ['sequential', 'block-stm', 'access-list'],
  'shard.blockGasLimit': [21_000_000, 210_000_000],
  'accounts.count': [2, 100],
  'shard.threads': [1, 4, 16],
  // One value: not an axis.
  'workload.distribution': ['uniform'],
} as const;

/** A stand-in speedup that differs per point, so the tests can find each run's figure. */
function fakeSpeedup(executor: string, accounts: number, threads: number, gas: number): number {
  if (executor === 'sequential') return 1;
  return Math.min(threads, accounts / 2) * (executor === 'block-stm' ? 0.9 : 1) + gas / 1e10;
}

/** The cartesian product of AXES at the given shard counts, in sweep order (shards innermost). */
function studyResults(shardCounts: readonly number[] = [1], axes: Record<string, readonly (number | string)[]> = AXES): SweepResults {
  let combos: Array<Record<string, number | string>> = [{}];
  for (const [key, values] of Object.entries(axes)) combos = combos.flatMap((c) => values.map((v) => ({ ...c, [key]: v })));
  const runs: RunResult[] = [];
  for (const combo of combos) {
    for (const shards of shardCounts) {
      const executor = String(combo['shard.executor'] ?? 'block-stm');
      const threads = Number(combo['shard.threads'] ?? 8);
      const accounts = Number(combo['accounts.count'] ?? 1000);
      const gas = Number(combo['shard.blockGasLimit'] ?? 21_000_000);
      const speedup = fakeSpeedup(executor, accounts, threads, gas);
      const base = fakeRun(shards, (gas / 21_000) * shards);
      runs.push({
        ...base,
        params: { shards, 'shard.executor': executor, 'shard.threads': threads, 'accounts.partition': 'hash', ...combo },
        execution: {
          ...base.execution,
          executor,
          threads,
          speedup,
          bound: { raw: Math.min(threads, accounts), all: Math.min(threads, accounts) },
          aborts: executor === 'block-stm' ? threads * 10 : 0,
        },
      });
    }
  }
  const config = { name: 'study', sweep: { shards: shardCounts, axes }, report: { targetTps: 100_000 } } as unknown as SweepResults['config'];
  return fakeResults({ scenario: 'study', config, runs });
}

interface Plot {
  id: string;
  traces: Array<Record<string, unknown>>;
  layout: Record<string, unknown>;
}

/** Runs the page's drawing script against a stub Plotly and returns what it drew. */
function drawPage(html: string): Plot[] {
  const elements: Record<string, string> = {};
  for (const m of html.matchAll(/<script type="application\/json" id="([^"]+)">([\s\S]*?)<\/script>/g)) elements[m[1]!] = m[2]!;
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
  const plots: Plot[] = [];
  runInNewContext(scripts[scripts.length - 1]!, {
    document: { getElementById: (id: string) => (id in elements ? { textContent: elements[id] } : null) },
    Plotly: {
      newPlot: (id: string, traces: Plot['traces'], layout: Plot['layout']) => {
        plots.push({ id, traces, layout });
      },
    },
  });
  return plots;
}

interface StudyJson {
  x: { key: string; short: string; values: Array<number | string>; scale: string };
  line: { key: string; short: string } | null;
  facets: Array<{ key: string; short: string }>;
  shardCharts: boolean;
  panels: Array<{
    id: number;
    title: string;
    fixed: Record<string, number | string>;
    lines: Array<{ label: string; speedup: Array<number | null>; boundRaw: Array<number | null>; abortRate: Array<number | null> }>;
    heatmap: { x: string[]; y: string[]; z: Array<Array<number | null>> } | null;
  }>;
}

function studyJson(html: string): StudyJson {
  const match = /<script type="application\/json" id="shardsim-study">([\s\S]*?)<\/script>/.exec(html);
  expect(match).not.toBeNull();
  return JSON.parse(match![1]!) as StudyJson;
}

describe('sweepAxes', () => {
  it('reads the axes from config.sweep.axes, drops one-value axes, and appends a varying shard count', () => {
    expect(sweepAxes(studyResults()).map((a) => [a.key, a.short, a.values.length])).toEqual([
      ['shard.executor', 'executor', 3],
      ['shard.blockGasLimit', 'blockGasLimit', 2],
      ['accounts.count', 'accounts', 2],
      ['shard.threads', 'threads', 3],
    ]);
    const mixed = sweepAxes(studyResults([1, 4], { 'shard.threads': [1, 8] }));
    expect(mixed.map((a) => a.key)).toEqual(['shard.threads', 'shards']);
  });

  it('falls back to the varying params when the results carry no sweep config', () => {
    expect(sweepAxes(fakeResults()).map((a) => a.key)).toEqual(['shards']);
  });
});

describe('abortRate', () => {
  it('is aborts per executed block item (transactions and receipts) in the window', () => {
    const run = fakeRun(2, 1000);
    // fakeRun: 2 shards x (100 tx + 50 receipts), 4 aborts.
    expect(abortRate(run)).toBeCloseTo(4 / 300, 12);
    expect(abortRate({ ...run, perShard: [] })).toBeNaN();
  });
});

describe('renderReport for a multi-axis study', () => {
  const results = studyResults();
  const html = renderReport(results);
  const study = studyJson(html);

  it('adds a Study section before the summary and the shard charts', () => {
    expect(html).toContain('<section id="study">');
    expect(html.indexOf('<h2>Study</h2>')).toBeLessThan(html.indexOf('<h2>Summary</h2>'));
    expect(html.indexOf('<h2>Summary</h2>')).toBeLessThan(html.indexOf('Charts by shard count'));
    expect(html).toContain('36 runs over executor (3) × blockGasLimit (2) × accounts (2) × threads (3)');
  });

  it('puts the last numeric axis on x (log2), the previous one on the lines, the rest in panels', () => {
    expect(study.x).toEqual(expect.objectContaining({ key: 'shard.threads', values: [1, 4, 16], scale: 'log2' }));
    expect(study.line).toEqual({ key: 'accounts.count', short: 'accounts' });
    expect(study.facets.map((f) => f.key)).toEqual(['shard.executor', 'shard.blockGasLimit']);
    // One panel per executor x gas limit, executors side by side.
    expect(study.panels.map((p) => p.title)).toEqual([
      'sequential, blockGasLimit 21,000,000',
      'block-stm, blockGasLimit 21,000,000',
      'access-list, blockGasLimit 21,000,000',
      'sequential, blockGasLimit 210,000,000',
      'block-stm, blockGasLimit 210,000,000',
      'access-list, blockGasLimit 210,000,000',
    ]);
    for (const prefix of ['study-speedup', 'study-heatmap', 'study-aborts', 'study-throughput']) {
      expect(html.match(new RegExp(`id="${prefix}-\\d+"`, 'g'))).toHaveLength(6);
    }
    expect(html).toContain('<h4>block-stm, blockGasLimit 210,000,000</h4>');
  });

  it("carries each run's speedup, bound and abort rate to its point, and the heatmap grid", () => {
    const panel = study.panels.find((p) => p.title === 'block-stm, blockGasLimit 21,000,000')!;
    expect(panel.lines.map((l) => l.label)).toEqual(['accounts 2', 'accounts 100']);
    const expected = [2, 100].map((accounts) => [1, 4, 16].map((t) => fakeSpeedup('block-stm', accounts, t, 21_000_000)));
    expect(panel.lines.map((l) => l.speedup)).toEqual(expected);
    expect(panel.lines[1]!.boundRaw).toEqual([1, 4, 16]);
    expect(panel.lines[0]!.abortRate[2]).toBeCloseTo(160 / 150, 12);
    expect(panel.heatmap).toEqual({
      x: ['1', '4', '16'],
      y: ['2', '100'],
      z: expected,
      bound: [
        [1, 2, 2],
        [1, 4, 16],
      ],
    });
  });

  it('draws four charts per panel, speedup with dotted bounds, and no shard charts at one shard count', () => {
    expect(study.shardCharts).toBe(false);
    // The scenario sections' charts (report-sections.test.ts) aside.
    const plots = drawPage(html).filter((p) => !p.id.startsWith('section-'));
    const ids = plots.map((p) => p.id);
    expect(ids).toHaveLength(24);
    expect(ids.some((id) => id.startsWith('chart-'))).toBe(false);
    expect(html).toContain('Not drawn: every run has 1 shard');
    const speedup = plots.find((p) => p.id === 'study-speedup-1')!;
    // Two lines, each with its bound in the same colour, dotted.
    expect(speedup.traces).toHaveLength(4);
    const [line, bound] = speedup.traces as Array<{ line: { color: string; dash?: string }; y: unknown }>;
    expect(bound!.line).toEqual(expect.objectContaining({ color: line!.line.color, dash: 'dot' }));
    expect(speedup.layout['xaxis']).toEqual(expect.objectContaining({ type: 'log', tickvals: [1, 4, 16] }));
    const heat = plots.find((p) => p.id === 'study-heatmap-1')!;
    expect(heat.traces[0]).toEqual(expect.objectContaining({ type: 'heatmap', z: study.panels[1]!.heatmap!.z }));
    // Executors that never abort say so instead of drawing an empty log axis silently.
    const seqAborts = plots.find((p) => p.id === 'study-aborts-0')!;
    expect(JSON.stringify(seqAborts.layout['annotations'])).toContain('no aborts');
  });

  it('shows a column per axis and the execution figures in the summary table', () => {
    const head = /<thead>([\s\S]*?)<\/thead>/.exec(html)![1]!;
    for (const title of ['executor', 'blockGasLimit', 'accounts', 'threads', 'speedup', 'bound (RAW)', 'bound (all)', 'aborts / item']) {
      expect(head).toContain(`>${title}</th>`);
    }
    expect(head).not.toContain('distribution');
    expect(head).not.toContain('params');
    // No 100k verdict when the shard count does not vary (the settings list still names the goal).
    expect(html).not.toContain('class="verdict"');
    expect(html).not.toContain('100,000 TPS first');
  });
});

describe('renderReport when the shard count varies with other axes', () => {
  const html = renderReport(studyResults([1, 2, 4], { 'shard.executor': ['sequential', 'block-stm'], 'shard.threads': [1, 8] }));

  it('treats shards as an axis of the study and keeps the shard charts and the verdict', () => {
    const study = studyJson(html);
    expect(study.x).toEqual(expect.objectContaining({ key: 'shards', values: [1, 2, 4], scale: 'log2' }));
    expect(study.line).toEqual({ key: 'shard.threads', short: 'threads' });
    expect(study.panels.map((p) => p.title)).toEqual(['sequential', 'block-stm']);
    expect(study.shardCharts).toBe(true);
    const ids = drawPage(html).map((p) => p.id);
    expect(ids.filter((id) => id.startsWith('study-'))).toHaveLength(8);
    expect(ids.filter((id) => id.startsWith('chart-'))).toHaveLength(6);
    expect(html).toContain('<p class="verdict">');
  });
});

describe('renderReport page assembly', () => {
  const html = renderReport(studyResults([1, 2], { 'shard.threads': [1, 8] }));
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);

  it('inlines the client scripts the build compiled from simulator/report/client/, in order', () => {
    const built = CLIENT_FILES.map((file) =>
      readFileSync(new URL(`../../dist/simulator/report/client/${file}`, import.meta.url), 'utf8').replace(/\n\/\/# sourceMappingURL=\S*\s*$/, '\n'),
    ).join('');
    const inlined = scripts.at(-1)!;
    const call = /drawShardsimReport\((\{.*\})\);$/.exec(inlined);
    expect(call).not.toBeNull();
    const client = inlined.slice(0, call!.index);
    expect(client.length).toBeGreaterThan(1000);
    expect(client).toBe(built);
    expect(client).not.toContain('sourceMappingURL');
    // Classic scripts: a module statement would be a syntax error in a plain <script>.
    expect(client).not.toMatch(/^\s*(import|export)\b/m);
    for (const fn of [
      'function drawShardsimReport(constants)',
      'function drawStudy(',
      'function drawShardCharts(',
      'function drawShardsimSections(',
      'function valueAxis(',
    ]) {
      expect(client).toContain(fn);
    }
    expect(JSON.parse(call![1]!)).toEqual({ targetTps: 100_000, palette: expect.arrayContaining(['#2f6fdb']), execution: true });
  });

  it('leaves no template placeholder or stray value in the page outside the inlined scripts', () => {
    let page = html;
    for (const script of scripts) page = page.replace(script, '');
    for (const stray of ['${', 'undefined', '[object Object]', 'NaN']) expect(page).not.toContain(stray);
  });
});

describe('renderReport for a plain shard sweep', () => {
  it('has no Study section and draws only the shard charts', () => {
    const html = renderReport(fakeResults());
    expect(html).not.toContain('id="study"');
    expect(html).not.toContain('id="shardsim-study"');
    expect(html).not.toContain('<h2>Study</h2>');
    expect(html).toContain('<h2>Charts</h2>');
    expect(
      drawPage(html)
        .map((p) => p.id)
        .every((id) => id.startsWith('chart-') || id.startsWith('section-')),
    ).toBe(true);
  });
});

describe('formatSummary for a multi-axis study', () => {
  const text = formatSummary(studyResults());
  const lines = text.split('\n');

  it('has a column per axis, speedup and bound, and one row per run', () => {
    const header = lines[0]!.split(/\s{2,}/);
    expect(header.slice(0, 5)).toEqual(['shards', 'executor', 'blockGasLimit', 'accounts', 'threads']);
    expect(header).toEqual(expect.arrayContaining(['speedup', 'bound', 'aborts/item']));
    expect(header).not.toContain('params');
    const rows = lines.filter((l) => /^\s+1\s{2}/.test(l));
    expect(rows).toHaveLength(36);
    expect(rows[0]).toMatch(/^\s+1 {2}sequential\s+21,000,000\s+2\s+1\s/);
    // Rows and header align: every non-blank table line is the same width once padded.
    const table = lines
      .slice(
        0,
        lines.findIndex((l) => l.startsWith('digest:')),
      )
      .filter((l) => l !== '');
    expect(table).toHaveLength(2 + 36);
    expect(new Set(table.map((l) => l.length)).size).toBe(1);
  });

  it('separates each curve over the innermost axis with a blank line', () => {
    const body = lines.slice(2, lines.findIndex((l) => l.startsWith('digest:')) - 1);
    // 12 curves of 3 threads each.
    expect(body.filter((l) => l === '')).toHaveLength(11);
    expect(text).toContain('speedup: sequential execution time / makespan');
  });

  it('keeps the verdict, naming the run, when the shard count varies too', () => {
    const mixed = formatSummary(studyResults([1, 2], { 'shard.threads': [1, 8] }));
    expect(mixed).toMatch(/100,000 TPS not reached by any run; the most was 2,000 TPS at 2 shards; threads=1\./);
  });
});

describe('toCsv execution columns', () => {
  it('writes estimate_waits, both bounds and load_imbalance_x', () => {
    const csv = toCsv(fakeResults({ runs: [fakeRun(4, 1000)] }));
    const [head, row] = csv.split('\r\n');
    const header = head!.split(',');
    const cells = row!.split(',');
    const at = (name: string): string => cells[header.indexOf(name)]!;
    expect(at('estimate_waits')).toBe('3');
    expect(at('bound_raw_threads')).toBe('7.5');
    expect(at('bound_all_threads')).toBe('6.25');
    expect(at('load_imbalance_x')).toBe('1.05');
  });
});

// ---------------------------------------------------------------------------
// An honest page: what each chart shows and when

type Trace = Record<string, unknown> & { name?: string; x?: unknown[]; y?: unknown[]; marker?: Record<string, unknown>; hovertext?: string[] };

function chart(plots: Plot[], id: string): Plot {
  const found = plots.find((p) => p.id === id);
  expect(found, id).toBeDefined();
  return found!;
}

function traceNamed(plot: Plot, name: string): Trace {
  const found = (plot.traces as Trace[]).find((t) => t.name === name);
  expect(found, name).toBeDefined();
  return found!;
}

/** A sequential plain shard sweep: what most scenarios are. */
function sequentialRun(shards: number, tps: number, overrides: Partial<RunResult> = {}): RunResult {
  const base = fakeRun(shards, tps);
  return { ...base, execution: { ...base.execution, executor: 'sequential', threads: 1, speedup: 1, aborts: 0 }, ...overrides };
}

function plainConfig(extra: Record<string, unknown> = {}): SweepResults['config'] {
  return { name: 'plain', ...extra } as unknown as SweepResults['config'];
}

describe('the page header', () => {
  it('names the scenario, says what it studies and lists its key settings and seeds', () => {
    const config = {
      name: 'payments',
      description: 'Stablecoin payments to 500 merchants.',
      seed: 11,
      slotSeconds: 1,
      finalityDelaySlots: 2,
      slots: { warmup: 2, measure: 10, drain: 6 },
      sweep: { shards: [1, 2, 4], axes: {} },
      shard: { executor: 'block-stm', threads: 8, blockGasLimit: 30_000_000 },
      accounts: { count: 20_000, partition: 'hash' },
      workload: { kind: 'payments', rate: 4000 },
      study: { seeds: 3, findMax: false, tolerance: 0.02 },
      report: {},
    } as unknown as SweepResults['config'];
    const html = renderReport(fakeResults({ scenario: 'payments', config, seeds: [11, 12, 13] }));
    expect(html).toContain('<h1>shardsim report: payments</h1>');
    expect(html).toContain('<p class="description">Stablecoin payments to 500 merchants.</p>');
    const dl = /<dl class="settings">([\s\S]*?)<\/dl>/.exec(html)![1]!;
    const pairs = [...dl.matchAll(/<dt>([^<]*)<\/dt><dd>([^<]*)<\/dd>/g)].map((m) => `${m[1]}: ${m[2]}`);
    expect(pairs).toEqual([
      'workload: payments, 4,000 tx/s',
      'accounts: 20,000, hash placement',
      'shards: 1, 2, 4',
      'executor: block-stm, 8 threads',
      'block gas limit: 30,000,000 gas',
      'slots: 1 s each: warmup 2, measure 10, drain 6',
      'finality delay: 2 slots',
      'seeds: 11, 12, 13 (3 runs per point)',
    ]);
  });

  it('says the rate was searched, the swept values, the find-max objective and the goal when used', () => {
    const config = {
      name: 'cap',
      sweep: { shards: [1, 2], axes: { 'shard.threads': [1, 8] } },
      shard: { executor: 'block-stm', threads: 1 },
      workload: { kind: 'transfer', rate: 'saturate', saturation: 1.5 },
      study: { findMax: true, tolerance: 0.02, latencySlo: 6 },
      report: { targetTps: 1000 },
    } as unknown as SweepResults['config'];
    const html = renderReport(fakeResults({ config }));
    expect(html).toContain('<dt>workload</dt><dd>transfer, rate searched per point (--find-max)</dd>');
    const { study: _study, ...plain } = config as unknown as Record<string, unknown>;
    expect(renderReport(fakeResults({ config: plain as unknown as SweepResults['config'] }))).toContain(
      '<dt>workload</dt><dd>transfer, saturate ×1.5 (block capacity)</dd>',
    );
    expect(html).toContain('<dt>executor</dt><dd>block-stm, threads swept: 1, 8</dd>');
    expect(html).toContain('<dt>find-max</dt><dd>highest sustainable rate, within 2%</dd>');
    expect(html).toContain('<dt>latency objective</dt><dd>p99 ≤ 6 s</dd>');
    expect(html).toContain('<dt>goal</dt><dd>1,000 TPS</dd>');
    expect(html).toContain('<dt>seed</dt><dd>42</dd>');
  });

  it('leaves out what hand-made results lack', () => {
    const html = renderReport(fakeResults({ config: plainConfig() }));
    expect(html).not.toContain('class="description"');
    const dl = /<dl class="settings">([\s\S]*?)<\/dl>/.exec(html)![1]!;
    expect(dl).toContain('<dt>seed</dt><dd>42</dd>');
    expect(dl).not.toContain('workload');
  });
});

describe('the latency chart', () => {
  const censored = {
    p50: 2.5,
    p95: 14.2,
    p99: 15.4,
    mean: 6,
    samples: 1000,
    completed: 370,
    censored: 630,
    completedShare: 0.37,
    lowerBound: ['p95', 'p99', 'mean'] as ('p50' | 'p95' | 'p99' | 'mean')[],
  };
  const runs = [fakeRun(1, 500), fakeRun(2, 900, { latency: censored }), fakeRun(4, 1700)];
  const plots = drawPage(renderReport(fakeResults({ runs })));
  const latency = chart(plots, 'chart-latency');

  it('draws every point, each percentile at every shard count', () => {
    for (const p of ['p50', 'p95', 'p99']) {
      const t = traceNamed(latency, p);
      expect(t.x).toEqual([1, 2, 4]);
      expect(t.y).toHaveLength(3);
      expect((t.y as unknown[]).every((v) => typeof v === 'number' && Number.isFinite(v))).toBe(true);
    }
    expect(traceNamed(latency, 'p99').y).toEqual([9.125, 15.4, 9.125]);
  });

  it('draws a lower bound as an open up-triangle, hovering with ≥ and the finished share', () => {
    const p99 = traceNamed(latency, 'p99');
    expect(p99.marker!['symbol']).toEqual(['circle', 'triangle-up-open', 'circle']);
    expect(p99.hovertext![1]).toBe("2 shards: p99 ≥ 15.4 s (lower bound: 37.0% of the window's transactions finished)");
    expect(p99.hovertext![0]).toBe("1 shard: p99 9.13 s (100% of the window's transactions finished)");
    // p50 is exact everywhere.
    expect(traceNamed(latency, 'p50').marker!['symbol']).toEqual(['circle', 'circle', 'circle']);
    expect(traceNamed(latency, 'lower bound (unfinished tx reach it)').marker!['symbol']).toBe('triangle-up-open');
  });

  it('draws the finished share on a second axis', () => {
    const done = traceNamed(latency, 'finished %');
    expect(done['yaxis']).toBe('y2');
    expect(done.y).toEqual([100, 37, 100]);
    expect(latency.layout['yaxis2']).toEqual(expect.objectContaining({ overlaying: 'y', side: 'right', range: [0, 105] }));
  });

  it('has no lower-bound key when every figure is exact', () => {
    const exact = chart(drawPage(renderReport(fakeResults())), 'chart-latency');
    expect((exact.traces as Trace[]).some((t) => t.name?.startsWith('lower bound'))).toBe(false);
  });
});

describe('the throughput chart', () => {
  it('rings overloaded runs, hovering with the reasons', () => {
    const unstable = { stable: false, reasons: ['mempools dropped 120 transactions'], backlog: { start: 0, end: 900 }, droppedInWindow: 120 };
    const runs = [fakeRun(4, 31_000), fakeRun(8, 62_000, { stability: unstable }), fakeRun(16, 90_000, { stability: unstable })];
    const html = renderReport(fakeResults({ runs }));
    const ring = traceNamed(chart(drawPage(html), 'chart-throughput'), 'overloaded (hover: why)');
    expect(ring.x).toEqual([8, 16]);
    expect(ring.y).toEqual([62_000, 90_000]);
    expect(ring.marker).toEqual(expect.objectContaining({ symbol: 'circle-open', color: '#d62728' }));
    expect(ring.hovertext![0]).toContain('mempools dropped 120 transactions');
    // The table marks the rows too, with the reason as a tooltip.
    expect(html).toContain('<tr class="over" title="overloaded: mempools dropped 120 transactions">');
  });

  it('has no ring when every run kept up', () => {
    const tput = chart(drawPage(renderReport(fakeResults())), 'chart-throughput');
    expect((tput.traces as Trace[]).some((t) => t.name?.startsWith('overloaded'))).toBe(false);
  });

  it('scales y linearly from 0, or logarithmically over more than two decades', () => {
    const linear = chart(drawPage(renderReport(fakeResults())), 'chart-throughput').layout['yaxis'] as Record<string, unknown>;
    expect(linear['type']).toBe('linear');
    expect((linear['range'] as number[])[0]).toBe(0);
    const wide = [fakeRun(1, 50, { offeredTps: 60 }), fakeRun(64, 40_000, { offeredTps: 40_000 })];
    const log = chart(drawPage(renderReport(fakeResults({ runs: wide }))), 'chart-throughput').layout['yaxis'] as Record<string, unknown>;
    expect(log['type']).toBe('log');
  });

  it('draws the goal only when the scenario sets one and it is near the data', () => {
    const goalShapes = (results: SweepResults): unknown[] => chart(drawPage(renderReport(results)), 'chart-throughput').layout['shapes'] as unknown[];
    // Near: 100k against data up to 123k.
    expect(goalShapes(fakeResults())).toEqual([expect.objectContaining({ y0: 100_000 })]);
    // No report.targetTps: no line, and the caption does not speak of one.
    const none = fakeResults({ config: plainConfig() });
    expect(goalShapes(none)).toEqual([]);
    expect(renderReport(none)).not.toContain('goal of');
    // Far above the data (100k against at most 120k offered... here 5k): not drawn.
    const small = fakeResults({ runs: [fakeRun(1, 1000, { offeredTps: 1200 }), fakeRun(2, 2000, { offeredTps: 2400 })] });
    expect(goalShapes(small)).toEqual([]);
  });
});

describe('the find-max chart', () => {
  function searched(shards: number, max: number): RunResult {
    return fakeRun(shards, max, {
      findMax: {
        maxSustainableTps: max,
        firstUnsustainableTps: max * 1.02,
        latencySlo: 6,
        tolerance: 0.02,
        probes: [
          { rate: max / 2, offeredTps: max / 2, sustainable: true, reasons: [], throughputTps: max / 2, p99: 1, p99LowerBound: false },
          { rate: max, offeredTps: max, sustainable: true, reasons: [], throughputTps: max, p99: 2, p99LowerBound: false },
          { rate: max * 2, offeredTps: max * 2, sustainable: false, reasons: ['backlog grew'], throughputTps: max, p99: 9, p99LowerBound: true },
        ],
      },
    });
  }
  const runs = [searched(1, 100), searched(2, 160), searched(4, 270)];
  const html = renderReport(fakeResults({ runs, config: plainConfig() }));
  const plots = drawPage(html);

  it('comes first, with the maximum, the ideal line from the smallest shard count and the efficiency', () => {
    expect(plots[0]!.id).toBe('chart-findmax');
    expect(html.indexOf('id="chart-findmax"')).toBeLessThan(html.indexOf('id="chart-throughput"'));
    const fm = plots[0]!;
    const max = traceNamed(fm, 'max sustainable');
    expect(max.x).toEqual([1, 2, 4]);
    expect(max.y).toEqual([100, 160, 270]);
    // Efficiency: max(S) / (S / S0 × max(S0)); the base point has none to show.
    expect(max['text']).toEqual(['', '80%', '68%']);
    expect(max.hovertext![2]).toContain('efficiency 68%');
    expect(traceNamed(fm, 'ideal linear from 1 shard').y).toEqual([100, 200, 400]);
  });

  it("draws the search's probes: sustainable as dots, unsustainable as crosses", () => {
    const fm = plots[0]!;
    const ok = traceNamed(fm, 'probe: sustainable');
    const bad = traceNamed(fm, 'probe: not sustainable');
    expect(ok.y).toHaveLength(6);
    expect(ok.marker!['symbol']).toBe('circle');
    expect(bad.y).toEqual([200, 320, 540]);
    expect(bad.marker!['symbol']).toBe('x');
    expect(bad.hovertext![0]).toContain('backlog grew');
  });

  it('adds a max sustained TPS column to the table', () => {
    const head = /<thead>([\s\S]*?)<\/thead>/.exec(html)![1]!;
    expect(head).toContain('>max sustained TPS</th>');
    expect(head.indexOf('max sustained TPS')).toBeLessThan(head.indexOf('throughput TPS'));
  });

  it('is absent without --find-max', () => {
    expect(drawPage(renderReport(fakeResults())).some((p) => p.id === 'chart-findmax')).toBe(false);
  });
});

describe('a sweep with several seeds', () => {
  const seeds = [11, 12, 13];
  const runs = [1, 2, 4].flatMap((shards) =>
    seeds.map((seed, k) => {
      const run = sequentialRun(shards, 1000 * shards + 30 * k, { seed });
      return k === 2 && shards === 4
        ? { ...run, latency: { ...run.latency, p99: 20, completedShare: 0.8, lowerBound: ['p99' as const] } }
        : { ...run, latency: { ...run.latency, p99: 9 + k } };
    }),
  );
  const results = fakeResults({ runs, seeds, points: pointStats(runs), config: plainConfig({ sweep: { shards: [1, 2, 4], axes: { seed: seeds } } }) });
  const html = renderReport(results);
  const plots = drawPage(html);

  it('never treats the seed as an axis', () => {
    expect(sweepAxes(results).map((a) => a.key)).toEqual(['shards']);
    expect(html).not.toContain('id="shardsim-study"');
  });

  it('draws each line as the mean over seeds inside its 95% band, from results.points', () => {
    const tput = chart(plots, 'chart-throughput');
    const traces = tput.traces as Trace[];
    const main = traceNamed(tput, 'throughput');
    const at = traces.indexOf(main);
    const [lower, upper] = [traces[at - 2]!, traces[at - 1]!];
    expect(main.x).toEqual([1, 2, 4]);
    expect(main.y).toEqual(results.points.map((p) => p.figures['throughputTps']!.mean));
    expect(lower.y).toEqual(results.points.map((p) => p.figures['throughputTps']!.ci95[0]));
    expect(upper.y).toEqual(results.points.map((p) => p.figures['throughputTps']!.ci95[1]));
    expect(upper['fill']).toBe('tonexty');
    expect(lower['showlegend']).toBe(false);
    expect(String(upper['fillcolor'])).toMatch(/^rgba\(/);
  });

  it('marks a mean over a lower bound as a lower bound', () => {
    const p99 = traceNamed(chart(plots, 'chart-latency'), 'p99');
    expect(p99.marker!['symbol']).toEqual(['circle', 'circle', 'triangle-up-open']);
    expect(p99.y).toEqual([10, 10, (9 + 10 + 20) / 3]);
  });

  it('shows one table row per point with mean ± half-width, ≥ on lower bounds', () => {
    const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(html)![1]!;
    const rows = body.split('\n');
    expect(rows).toHaveLength(3);
    const stats = results.points[2]!.figures['throughputTps']!;
    const half = Math.round((stats.ci95[1] - stats.ci95[0]) / 2);
    expect(rows[2]).toContain(`<td>${thousands(stats.mean)} ±${thousands(half)}</td>`);
    expect(rows[2]).toMatch(/<td>≥13\.000 ±[\d.]+<\/td>/);
    expect(html).toContain('mean over seeds 11, 12, 13');
    // The terminal summary reads the same rows.
    expect(formatSummary(results)).toMatch(/≥13\.00 ±/);
  });

  it("draws one demand box per point, every seed's shards in it", () => {
    const demand = chart(plots, 'chart-demand');
    expect(demand.traces).toHaveLength(3);
    expect((demand.traces[2] as Trace).y).toHaveLength(4 * 3);
  });
});

describe('charts chosen by what the sweep exercises', () => {
  it('draws no execution chart for a sequential sweep, and no execution columns', () => {
    const html = renderReport(fakeResults({ runs: [sequentialRun(1, 1000), sequentialRun(2, 2000)] }));
    const ids = drawPage(html).map((p) => p.id);
    expect(ids).not.toContain('chart-execution');
    expect(html).not.toContain('id="chart-execution"');
    expect(html).not.toContain('>speedup</th>');
  });

  it('draws none either when a parallel executor never changes the speedup', () => {
    const flat = [fakeRun(1, 1000), fakeRun(2, 2000)].map((r) => ({ ...r, execution: { ...r.execution, speedup: 1 } }));
    expect(drawPage(renderReport(fakeResults({ runs: flat }))).map((p) => p.id)).not.toContain('chart-execution');
  });

  it('shows throughput, cross-shard share and imbalance for a placement study, not speedup', () => {
    const results = studyResults([2, 4], { 'accounts.partition': ['hash', 'graph'], 'shard.threads': [1, 8] });
    const html = renderReport(results);
    const study = studyJson(html) as StudyJson & { quantities: string[] };
    expect(study.quantities).toEqual(['throughput', 'cross', 'imbalance']);
    const ids = drawPage(html).map((p) => p.id);
    expect(ids.some((id) => id.startsWith('study-speedup'))).toBe(false);
    expect(ids.filter((id) => id.startsWith('study-cross'))).not.toHaveLength(0);
    expect(ids.filter((id) => id.startsWith('study-imbalance'))).not.toHaveLength(0);
    expect(html).toContain('<h3>Load imbalance</h3>');
  });

  it('draws per-shard demand uncapped, with capacity as a dashed line at 100%', () => {
    const hot = fakeRun(4, 30_000);
    const run = { ...hot, perShard: hot.perShard.map((s, i) => ({ ...s, demand: i === 0 ? 3.5 : 0.4, utilisation: i === 0 ? 1 : 0.4 })) };
    const demand = chart(drawPage(renderReport(fakeResults({ runs: [run, fakeRun(8, 60_000)] }))), 'chart-demand');
    const box = demand.traces[0] as Trace;
    expect(box.y).toEqual([350, 40, 40, 40]);
    expect((box['text'] as string[])[0]).toBe('shard 0: demand 350% of capacity, block utilisation 100%');
    expect(demand.layout['shapes']).toEqual([expect.objectContaining({ y0: 100, y1: 100, line: expect.objectContaining({ dash: 'dash' }) })]);
    expect((demand.layout['yaxis'] as { range: number[] }).range[1]).toBeGreaterThan(350);
  });
});

describe('the latency chart when every transaction finished', () => {
  it('says so instead of drawing a flat finished line', () => {
    const latency = chart(drawPage(renderReport(fakeResults())), 'chart-latency');
    expect((latency.traces as Trace[]).some((t) => t.name === 'finished %')).toBe(false);
    expect(JSON.stringify(latency.layout['annotations'])).toContain('every transaction of the window finished');
  });
});

describe('the overload warning', () => {
  const unstable = { stable: false, reasons: ['backlog grew'], backlog: { start: 0, end: 500 }, droppedInWindow: 0 };

  it('names each overloaded point once, however many seeds it ran', () => {
    const runs = [fakeRun(4, 1000), fakeRun(8, 2000, { stability: unstable }), fakeRun(8, 2100, { seed: 43, stability: unstable })];
    expect(formatSummary(fakeResults({ runs }))).toContain('Overloaded (offered more than sustained): 8 shards (2 of 2 seeds). ');
  });

  it('says "every run" when none kept up', () => {
    const runs = [fakeRun(4, 1000, { stability: unstable }), fakeRun(8, 2000, { stability: unstable })];
    expect(renderReport(fakeResults({ runs }))).toContain('Overloaded (offered more than sustained): every run. ');
  });
});
