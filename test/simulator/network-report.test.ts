/**
 * The network figures in the terminal summary and the report's Network and
 * consensus section: absent (and the output unchanged) when every run is on
 * the ideal network, present with the figures and the bottleneck word as soon
 * as one run is off it.
 */
import { describe, expect, it } from 'vitest';
import { BOTTLENECK_ORDER, commonBottleneck, networkShown } from '../../simulator/network-columns.js';
import type { Bottleneck, NetworkFigures } from '../../simulator/network-figures.js';
import { pointStats } from '../../simulator/point-stats.js';
import { renderReport } from '../../simulator/report/page.js';
import { AGREEMENT_CHART_ID, bindsSentence, bytesText, FINALITY_CHART_ID } from '../../simulator/report/sections/network-section.js';
import { buildSections } from '../../simulator/report/sections.js';
import type { RunResult, SweepResults } from '../../simulator/results.js';
import { formatSummary } from '../../simulator/summary-table.js';
import { cleanRun } from '../helpers/clean-run.js';
import { idealNetworkFigures } from '../helpers/network-figures.js';

/** configs' global-2019 PBFT run at 8 shards, committee 32 (the small network study's figures). */
function globalFigures(overrides: Partial<NetworkFigures> = {}, p50 = 5): NetworkFigures {
  const ideal = idealNetworkFigures();
  return {
    ...ideal,
    preset: 'global-2019',
    protocol: 'pbft',
    dissemination: 'gossip',
    committee: 32,
    agreementSeconds: 0.756,
    agreementShare: 0.756,
    cutShare: 1,
    blockBytesMean: 58_667,
    receiptProofShare: 0.25,
    bytesPerSlot: { proposal: 103_254_506, votes: 2_265_480, receipts: 191_916, beacon: 2_144 },
    bytesPerValidatorPerSlot: 412_945,
    receiptBytesPerSlot: 4_500_000,
    beacon: { ...ideal.beacon, crosslinksPerSlot: 2, finalityDelaySlots: { configured: 2, p50, p99: p50, mean: p50, unfinalized: 0 } },
    ...overrides,
  };
}

function run(shards: number, preset: string, network: NetworkFigures, bottleneck: Bottleneck, seed = 42): RunResult {
  return cleanRun(shards, {
    seed,
    params: { shards, 'network.preset': preset },
    throughputTps: 1000 * shards,
    offeredTps: 2000 * shards,
    perShard: Array.from({ length: shards }, (_, shard) => ({
      shard,
      utilisation: 0.5,
      demand: 0.5,
      txIncluded: 100,
      receiptsApplied: 50,
      mempoolEnd: 0,
      delayedEnd: 0,
    })),
    network,
    bottleneck,
    security: { validators: 256, committeeSize: 256 / shards, adversaryFraction: 0.25, threshold: 1 / 3, failureProbability: 1e-9 },
    digest: `run-${shards}-${preset}-${seed}`,
  });
}

function sweep(runs: readonly RunResult[], seeds: readonly number[] = [42]): SweepResults {
  const presets = [...new Set(runs.map((r) => r.params['network.preset']!))];
  return {
    scenario: 'net',
    seed: seeds[0]!,
    seeds,
    version: '0.1.0',
    digest: 'd',
    config: { name: 'net', sweep: { shards: [1, 8], axes: presets.length > 1 ? { 'network.preset': presets } : {} } } as unknown as SweepResults['config'],
    runs,
    points: seeds.length > 1 ? pointStats(runs) : [],
    wall: { seconds: 1, startedAt: '2026-01-01T00:00:00.000Z' },
  };
}

const idealRuns = (): RunResult[] => [run(1, 'ideal', idealNetworkFigures(), 'load'), run(8, 'ideal', idealNetworkFigures(), 'execution')];
const mixedRuns = (): RunResult[] => [
  ...idealRuns(),
  run(1, 'global-2019', globalFigures({ agreementShare: 0.699, agreementSeconds: 0.699 }, 2), 'consensus'),
  run(8, 'global-2019', globalFigures(), 'bandwidth'),
];

/** The summary's header and rows as cells (columns are split by two spaces or more), up to the digest line. */
function summaryRows(text: string): string[][] {
  const lines = text.split('\n');
  const end = lines.findIndex((l) => l.startsWith('digest:'));
  return lines
    .slice(0, end)
    .filter((l) => l !== '' && !l.startsWith('-'))
    .map((l) => l.trim().split(/\s{2,}/));
}

describe('the terminal summary', () => {
  it('on the ideal network has no network columns, and prints as results without network figures do', () => {
    const results = sweep(idealRuns());
    const text = formatSummary(results);
    expect(text).not.toMatch(/agree|finality|binds/);
    // The figures change nothing: the same table as for runs that carry none (hand-made and older results).
    const bare = { ...results, runs: results.runs.map(({ network: _n, bottleneck: _b, ...rest }) => rest as unknown as RunResult) };
    expect(formatSummary(bare)).toBe(text);
  });

  it('off the ideal network shows agreement, finality (* beyond the configured delay) and the bottleneck of each run', () => {
    const rows = summaryRows(formatSummary(sweep(mixedRuns())));
    const head = rows[0]!;
    const col = (title: string): number => head.indexOf(title);
    expect(col('agree % slot')).toBeGreaterThan(0);
    const byRun = (shards: string, preset: string): string[] => rows.find((r) => r[0] === shards && r[1] === preset)!;
    const g8 = byRun('8', 'global-2019');
    expect(g8[col('agree % slot')]).toBe('75.6');
    expect(g8[col('finality p50 slots')]).toBe('5*');
    expect(g8[col('binds')]).toBe('bandwidth');
    const g1 = byRun('1', 'global-2019');
    expect(g1[col('agree % slot')]).toBe('69.9');
    expect(g1[col('finality p50 slots')]).toBe('2');
    expect(g1[col('binds')]).toBe('consensus');
    expect(byRun('8', 'ideal')[col('agree % slot')]).toBe('0.0');
    expect(byRun('8', 'ideal')[col('binds')]).toBe('execution');
    expect(formatSummary(sweep(mixedRuns()))).toContain('* where it exceeds the configured delay');
  });

  it('shows a finality delay no window slot reached as missing, unmarked, alone and over seeds', () => {
    const never = (seed: number): RunResult => {
      const f = globalFigures();
      return run(
        8,
        'global-2019',
        { ...f, beacon: { ...f.beacon, finalityDelaySlots: { configured: 2, p50: null, p99: null, mean: null, unfinalized: 6 } } },
        'beacon',
        seed,
      );
    };
    for (const [runs, seeds] of [
      [[never(1)], [1]],
      [
        [never(1), never(2)],
        [1, 2],
      ],
    ] as const) {
      const rows = summaryRows(formatSummary(sweep(runs, seeds)));
      expect(rows[1]![rows[0]!.indexOf('finality p50 slots')]).toBe('-');
    }
  });

  it('counts a voting committee on the ideal preset as off the ideal network', () => {
    const timed = run(4, 'ideal', { ...idealNetworkFigures(), committee: 8, agreementShare: 0.01 }, 'load');
    expect(networkShown([timed])).toBe(true);
    expect(formatSummary(sweep([timed]))).toContain('binds');
  });

  it('with several seeds: mean ± half-width, the mark when a seed fell behind, the most frequent bottleneck', () => {
    const seeds = [1, 2, 3];
    const shares = [0.7, 0.72, 0.74];
    const words: Bottleneck[] = ['consensus', 'bandwidth', 'bandwidth'];
    const runs = seeds.map((seed, i) =>
      run(8, 'global-2019', globalFigures({ agreementShare: shares[i]!, agreementSeconds: shares[i]! }, i === 0 ? 3 : 2), words[i]!, seed),
    );
    const rows = summaryRows(formatSummary(sweep(runs, seeds)));
    const head = rows[0]!;
    const row = rows[1]!;
    // Mean 72.0; half-width t(0.975, 2) × sd / √3 = 4.303 × 0.02 / √3 = 0.0497 → 5.0 points.
    expect(row[head.indexOf('agree % slot')]).toBe('72.0 ±5.0');
    expect(row[head.indexOf('finality p50 slots')]).toBe('2.3 ±1.4*');
    expect(row[head.indexOf('binds')]).toBe('bandwidth');
  });
});

describe('the bottleneck of a point', () => {
  it('is the most frequent word, ties going to the first in BOTTLENECK_ORDER, whatever the runs order', () => {
    const of = (words: readonly Bottleneck[]): Bottleneck | undefined => commonBottleneck(words.map((w, i) => run(2, 'global-2019', globalFigures(), w, i)));
    expect(of(['receipts', 'beacon', 'receipts'])).toBe('receipts');
    expect(of(['receipts', 'consensus'])).toBe('consensus');
    expect(of(['consensus', 'receipts'])).toBe('consensus');
    for (const [i, a] of BOTTLENECK_ORDER.entries()) {
      for (const b of BOTTLENECK_ORDER.slice(i + 1)) expect(of([b, a])).toBe(a);
    }
    expect(commonBottleneck([])).toBeUndefined();
  });
});

describe('the Network and consensus section', () => {
  it('is absent on the ideal network, and the page is the same as for results without network figures', () => {
    const results = sweep(idealRuns());
    expect(buildSections(results).map((s) => s.id)).not.toContain('network');
    const html = renderReport(results);
    expect(html.includes('Network and consensus')).toBe(false);
    const bare = { ...results, runs: results.runs.map(({ network: _n, bottleneck: _b, ...rest }) => rest as unknown as RunResult) };
    // Only the embedded results differ (they carry the figures).
    const strip = (page: string): string => page.replace(/<script type="application\/json" id="shardsim-data">[\s\S]*?<\/script>/, '');
    expect(strip(renderReport(bare)) === strip(html)).toBe(true);
  });

  it('off the ideal network shows every figure of every run, the bottleneck words and what binds them', () => {
    const section = buildSections(sweep(mixedRuns())).find((s) => s.id === 'network')!;
    expect(section).toBeDefined();
    const html = section.html;
    expect(html).toContain('<h2>Network and consensus</h2>');
    for (const text of [
      '0.756',
      '75.6',
      '58.7 kB',
      '103 MB',
      '2.27 MB',
      '192 kB',
      '2.14 kB',
      '413 kB',
      'gossip',
      'unlimited',
      'bandwidth',
      'consensus',
      'execution',
    ]) {
      expect(html).toContain(`>${text}</td>`);
    }
    // Finality beyond the configured delay (5 > 2) and every block cut short are flagged.
    expect(html).toContain('<td class="bad">5</td>');
    expect(html).toContain('<td class="bad">100.0</td>');
    expect(html).toContain('What binds the 4 runs: load in 1, execution in 1, consensus in 1, bandwidth in 1.');
  });

  it('draws agreement as a share of the slot with the bottleneck over each bar, and finality against the configured delay, from 0', () => {
    const section = buildSections(sweep(mixedRuns())).find((s) => s.id === 'network')!;
    const [agreement, finality] = section.charts;
    expect(agreement!.id).toBe(AGREEMENT_CHART_ID);
    expect(agreement!.data.map((t) => t['name'])).toEqual(['preset ideal', 'preset global-2019']);
    const global = agreement!.data[1]!;
    expect(global['x']).toEqual(['1', '8']);
    expect((global['y'] as number[]).map((y) => y.toFixed(1))).toEqual(['69.9', '75.6']);
    expect(global['text']).toEqual(['consensus', 'bandwidth']);
    expect(agreement!.data[0]!['text']).toEqual(['load', 'execution']);
    expect((agreement!.layout['yaxis'] as { range: number[] }).range[0]).toBe(0);
    expect(finality!.id).toBe(FINALITY_CHART_ID);
    expect(finality!.data[1]!['y']).toEqual([2, 5]);
    expect((finality!.layout['yaxis'] as { range: number[] }).range[0]).toBe(0);
    expect(finality!.layout['shapes']).toEqual([expect.objectContaining({ y0: 2, y1: 2 })]);
  });

  it('sits on the page with its two chart divs, before the charts by shard count', () => {
    const html = renderReport(sweep(mixedRuns()));
    for (const id of [AGREEMENT_CHART_ID, FINALITY_CHART_ID]) expect(html.match(new RegExp(`<div id="${id}" class="chart"`, 'g'))).toHaveLength(1);
    expect(html.indexOf('<h2>Summary</h2>')).toBeLessThan(html.indexOf('<h2>Network and consensus</h2>'));
    expect(html.indexOf('<h2>Network and consensus</h2>')).toBeLessThan(html.indexOf('<h2>Charts'));
  });

  it('names each seed of a point in its own row', () => {
    const runs = [1, 2].map((seed) => run(8, 'global-2019', globalFigures(), 'consensus', seed));
    const html = buildSections(sweep(runs, [1, 2])).find((s) => s.id === 'network')!.html;
    expect(html).toContain('<th>seed</th>');
    expect(html.match(/<td>8<\/td><td>1<\/td>/g)).toHaveLength(2);
    expect(html.match(/<td>8<\/td><td>2<\/td>/g)).toHaveLength(2);
  });
});

describe('bytesText', () => {
  it('gives decimal units with three significant figures', () => {
    expect([0, 999, 1000, 35_792, 10_157_546, 2.5e9, Number.NaN, null].map(bytesText)).toEqual([
      '0 B',
      '999 B',
      '1.00 kB',
      '35.8 kB',
      '10.2 MB',
      '2.50 GB',
      '–',
      '–',
    ]);
  });
});

describe('bindsSentence', () => {
  it('names one run plainly and counts several in the documented order', () => {
    expect(bindsSentence([run(1, 'global-2019', globalFigures(), 'beacon')])).toBe('What binds the run: beacon.');
    expect(bindsSentence([])).toBe('');
  });
});
