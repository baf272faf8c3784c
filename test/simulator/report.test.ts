import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { renderReport } from '../../simulator/report/page.js';
import type { RunResult, SweepResults } from '../../simulator/results.js';
import { toCsv } from '../../simulator/runs-csv.js';
import { abortRate, formatSummary, sweepAxes } from '../../simulator/summary-table.js';

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
    // Only the script elements the page itself opens may close: data, the scenario sections' figures (fakeRun
    // has refunds and failures), plotly, the client.
    expect(page.match(/<\/script/gi)).toHaveLength(4);
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
    expect(plots.map((p) => p.id)).toEqual(['chart-throughput', 'chart-latency', 'chart-cross', 'chart-utilisation', 'chart-security', 'chart-execution']);
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
    expect(header.slice(0, 4)).toEqual(['shards', 'param.network.shards', 'param.workload.label', 'throughputTps']);
    expect(header.at(-1)).toBe('simulatedTxPerWallSecond');
    expect(lines[1]).toContain(',31250.5,');
    expect(lines[2]).toContain(',"hot, skewed",');
    expect(lines[1]).toContain(',733333.3333333334');
  });

  it('leaves NaN cells empty and doubles quotes', () => {
    const run = fakeRun(4, Number.NaN, { params: { 'network.shards': 4, 'workload.label': 'say "hi"' } });
    const csv = toCsv(fakeResults({ runs: [run] }));
    const row = csv.split('\r\n')[1]!;
    expect(row.startsWith('4,4,"say ""hi""",,120000,')).toBe(true);
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
    // No 100k verdict when the shard count does not vary.
    expect(html).not.toContain('100,000 TPS');
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

  it('inlines the client script the build compiled from simulator/report/client/draw.ts', () => {
    const built = readFileSync(new URL('../../dist/simulator/report/client/draw.js', import.meta.url), 'utf8');
    const inlined = scripts.at(-1)!;
    const call = /drawShardsimReport\((\{.*\})\);$/.exec(inlined);
    expect(call).not.toBeNull();
    const client = inlined.slice(0, call!.index);
    expect(client.length).toBeGreaterThan(1000);
    expect(built.startsWith(client)).toBe(true);
    expect(built.slice(client.length)).toMatch(/^\/\/# sourceMappingURL=draw\.js\.map\s*$/);
    // A classic script: a module statement would be a syntax error in a plain <script>.
    expect(client).not.toMatch(/^\s*(import|export)\b/m);
    expect(client).toContain('function drawShardsimReport(constants)');
    expect(JSON.parse(call![1]!)).toEqual({ targetTps: 100_000, palette: expect.arrayContaining(['#2f6fdb']) });
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
  it('writes estimateWaits, both bounds and loadImbalance', () => {
    const csv = toCsv(fakeResults({ runs: [fakeRun(4, 1000)] }));
    const [head, row] = csv.split('\r\n');
    const header = head!.split(',');
    const cells = row!.split(',');
    const at = (name: string): string => cells[header.indexOf(name)]!;
    expect(at('estimateWaits')).toBe('3');
    expect(at('boundRaw')).toBe('7.5');
    expect(at('boundAll')).toBe('6.25');
    expect(at('loadImbalance')).toBe('1.05');
  });
});
