import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { renderReport } from '../../simulator/report-html.js';
import type { RunResult, SweepResults } from '../../simulator/results.js';
import { toCsv } from '../../simulator/runs-csv.js';
import { formatSummary } from '../../simulator/summary-table.js';

/** The reports treat the scenario as opaque, so a stub stands in for a parsed config. */
function fakeConfig(): SweepResults['config'] {
  return { name: 'fake', shards: [4, 8, 16] } as unknown as SweepResults['config'];
}

function fakeRun(shards: number, throughputTps: number, overrides: Partial<RunResult> = {}): RunResult {
  return {
    shards,
    params: { 'network.shards': shards, 'workload.label': 'uniform' },
    throughputTps,
    offeredTps: 120_000,
    crossShardRatio: 1 - 1 / shards,
    loadImbalance: 1.05,
    latency: { p50: 2.5, p95: 6.25, p99: 9.125, mean: 3.1, samples: 1000 },
    transactions: { submitted: 1200, mempoolDropped: 3, completed: 1100, completedFailed: 7, pending: 97 },
    receipts: { sent: 800, applied: 790, refunds: 2, rejected: 1, duplicates: 0, inFlight: 10, delayedBacklog: 4 },
    utilisation: { mean: 0.5, max: 0.9 },
    perShard: Array.from({ length: shards }, (_, shard) => ({
      shard,
      utilisation: 0.4 + shard / (10 * shards),
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
    version: '0.1.0',
    digest: 'c0ffee1234567890deadbeef',
    config: fakeConfig(),
    runs: [fakeRun(4, 31_250.5), fakeRun(8, 62_500.25), fakeRun(16, 123_456.789), fakeRun(32, 118_000.125)],
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

  it('draws the 100k TPS line', () => {
    expect(html).toContain('100k TPS');
    expect(html).toContain('100,000 TPS first reached at <strong>16 shards</strong>');
  });

  it('keeps a </script> in the scenario name from breaking out', () => {
    const hostile = '</script><script>alert(1)</script><!--';
    const page = renderReport(fakeResults({ scenario: hostile }));
    // Only the three script elements the page itself opens may close.
    expect(page.match(/<\/script/gi)).toHaveLength(3);
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
    expect(plots.map((p) => p.id)).toEqual([
      'chart-throughput',
      'chart-latency',
      'chart-cross',
      'chart-utilisation',
      'chart-security',
      'chart-execution',
    ]);
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
    expect(text).toContain('not reached by any run; max 62,500 TPS at 8 shards');
  });
});
