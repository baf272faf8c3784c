import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../simulator/config/load.js';
import { renderReport } from '../../simulator/report/page.js';
import type { SectionsData, SpecObject } from '../../simulator/report/section-data.js';
import { byKindOf, type KindFigures } from '../../simulator/report/sections/by-kind-section.js';
import { duplicateRatioOf, faultVerdict, reconcileFaults } from '../../simulator/report/sections/fault-reconciliation.js';
import { demandRun, hasHotShard } from '../../simulator/report/sections/load-section.js';
import { outcomeSegments } from '../../simulator/report/sections/outcomes-section.js';
import { buildSections, renderSections } from '../../simulator/report/sections.js';
import type { RunResult, SweepResults } from '../../simulator/results.js';
import { runSweep } from '../../simulator/sweep.js';
import { cleanRun } from '../helpers/clean-run.js';

type Faults = NonNullable<RunResult['faults']>;

function sweep(runs: readonly RunResult[], config: Record<string, unknown> = { name: 'fake' }): SweepResults {
  return {
    scenario: 'fake',
    seed: 42,
    seeds: [42],
    version: '0.1.0',
    digest: 'd',
    config: config as unknown as SweepResults['config'],
    runs,
    points: [],
    wall: { seconds: 1, startedAt: '2026-01-01T00:00:00.000Z' },
  };
}

/** configs/byzantine.yaml's 4-shard run (seed 23): 32 forged, 26 rejected, 6 replays among 8 duplicates. */
const BYZANTINE_4: Faults = {
  silentSlots: 3,
  forgedBatches: { inflate: 6, absent: 5, replay: 6, unfinalized: 6, 'bad-header': 9 },
  rejectedBatchesByReason: { 'wrong-source': 0, 'wrong-destination': 0, malformed: 0, 'bad-proof': 25, 'not-committed': 1 },
  duplicateBatches: 8,
};

const ids = (results: SweepResults): string[] => buildSections(results).map((s) => s.id);
const chartIds = (results: SweepResults): string[] => buildSections(results).flatMap((s) => s.charts.map((c) => c.id));
const numbers = (v: unknown): number[] => (v as Array<number | null>).map((x) => x ?? 0);

describe('scenario sections appear exactly when their data does', () => {
  it('a clean hash-placed sweep has none, and the page carries no sections JSON', () => {
    const results = sweep([cleanRun(1), cleanRun(2), cleanRun(4)]);
    expect(ids(results)).toEqual([]);
    expect(renderSections(results)).toBe('');
    // (a boolean: a failing toContain would print the whole 5 MB page)
    expect(renderReport(results).includes('id="shardsim-sections"')).toBe(false);
  });

  it('faults: only for runs with a fault plan, even one that forged nothing', () => {
    expect(ids(sweep([cleanRun(4, { faults: BYZANTINE_4 })]))).toEqual(['faults']);
    const quiet: Faults = { silentSlots: 2, forgedBatches: {}, rejectedBatchesByReason: {}, duplicateBatches: 3 };
    const section = buildSections(sweep([cleanRun(4, { faults: quiet })]))[0]!;
    expect(section.id).toBe('faults');
    expect(section.html).toContain('No batch was forged and none was rejected.');
    // Nothing forged, nothing to draw.
    expect(section.charts).toEqual([]);
  });

  it('refunds and failures: on a refund, a failure or a drop; rejected receipts only without a fault plan', () => {
    const t = cleanRun(2).transactions;
    expect(ids(sweep([cleanRun(2, { receipts: { ...cleanRun(2).receipts, refunds: 3 } })]))).toEqual(['outcomes']);
    expect(ids(sweep([cleanRun(2, { transactions: { ...t, completedFailed: 5 } })]))).toEqual(['outcomes']);
    expect(ids(sweep([cleanRun(2, { transactions: { ...t, mempoolDropped: 5, submitted: 1195 } })]))).toEqual(['outcomes']);
    expect(ids(sweep([cleanRun(2, { receipts: { ...cleanRun(2).receipts, rejected: 4 } })]))).toEqual(['outcomes']);
    // A faulty run's rejected receipts are forgeries: the Faults section has them.
    expect(ids(sweep([cleanRun(4, { faults: BYZANTINE_4, receipts: { ...cleanRun(4).receipts, rejected: 4995 } })]))).toEqual(['faults']);
  });

  it('protocols: only when a run used a protocol other than receipts; committed and failed stack to throughput', () => {
    const figures = (protocol: string, committedTps: number): NonNullable<RunResult['crossShard']> => ({
      protocol,
      committedTps,
      failedShare: 0,
      messagesPerCrossTx: 1,
      bytesPerCrossTx: 200,
      locks: { aborts: 0, taken: 0, meanHeldSlots: null },
      broker: null,
    });
    const receipts = cleanRun(4, { crossShard: figures('receipts', cleanRun(4).throughputTps) });
    expect(ids(sweep([receipts]))).toEqual([]);
    const locked = cleanRun(4, { crossShard: { ...figures('lock-2pc', 100), failedShare: 0.4 } });
    const sections = buildSections(sweep([receipts, locked]));
    expect(sections.map((x) => x.id)).toEqual(['protocols']);
    const [committed, failed] = sections[0]!.charts[0]!.data as SpecObject[];
    const total = numbers(committed!['y']).map((c, i) => c + numbers(failed!['y'])[i]!);
    expect(total).toEqual([receipts.throughputTps, locked.throughputTps]);
    expect(numbers(committed!['y'])[1]).toBe(100);
    expect(sections[0]!.html).toContain('compare committed TPS');
  });

  it('re-placement: only for runs that moved accounts; one line a run on the whole 0-100% range, each re-placement marked', () => {
    const moving = cleanRun(4, {
      placement: {
        epochs: [
          { slot: 5, moved: 40, windowCrossBefore: 0.8, windowCrossAfter: 0.3 },
          { slot: 10, moved: 12, windowCrossBefore: 0.5, windowCrossAfter: 0.3 },
        ],
        crossShardBySlot: [0.8, 0.8, 0.7, 0.7, 0.7, 0.6, 0.5, 0.5, 0.5, 0.5, 0.4, 0.4],
        accountsMoved: 52,
        accountsArrived: 52,
        movedRefused: 3,
        waitedForState: 7,
        stateBytes: 5_824,
      },
    });
    expect(ids(sweep([cleanRun(4)]))).toEqual([]);
    const section = buildSections(sweep([cleanRun(4), moving]))[0]!;
    expect(section.id).toBe('placement');
    const chart = section.charts[0]!;
    expect(chart.data).toHaveLength(1);
    expect(numbers(chart.data[0]!['y'])[0]).toBeCloseTo(80);
    const layout = chart.layout as SpecObject;
    expect((layout['yaxis'] as SpecObject)['range']).toEqual([0, 100]);
    expect((layout['shapes'] as SpecObject[]).map((sh) => sh['x0'])).toEqual([5, 10]);
  });

  it('by kind: only when runs carry byKind with two kinds or more', () => {
    const two = { transfer: { offered: 100, completed: 90, failed: 0 }, nft: { offered: 50, completed: 40, failed: 10 } };
    expect(ids(sweep([cleanRun(2, { byKind: two })]))).toEqual(['by-kind']);
    expect(ids(sweep([cleanRun(2, { byKind: { transfer: two.transfer } })]))).toEqual([]);
    expect(byKindOf({ ...cleanRun(2), byKind: undefined } as unknown as RunResult)).toBeUndefined();
  });

  it('load balance: when placement is studied or a shard is hot, never for one shard', () => {
    const graph = (shards: number): RunResult => cleanRun(shards, { params: { shards, 'accounts.partition': 'graph' } });
    expect(ids(sweep([graph(2), graph(4)]))).toEqual(['load-balance']);
    expect(ids(sweep([graph(1)]))).toEqual([]);
    const hot = cleanRun(4, { perShard: cleanRun(4).perShard.map((p) => (p.shard === 2 ? { ...p, demand: 1.6 } : p)) });
    expect(hasHotShard(hot)).toBe(true);
    expect(ids(sweep([cleanRun(2), hot]))).toEqual(['load-balance']);
    // Every shard over capacity alike: overload, not imbalance (the overload warning says it).
    const flooded = cleanRun(4, { perShard: cleanRun(4).perShard.map((p) => ({ ...p, demand: 1.3 + p.shard / 100 })) });
    expect(hasHotShard(flooded)).toBe(false);
    expect(ids(sweep([flooded]))).toEqual([]);
    // A network driven to its capacity (--find-max): every shard about 1; 1.03 beside 0.98 is noise, not a hot shard.
    const atCapacity = cleanRun(8, { perShard: cleanRun(8).perShard.map((p) => ({ ...p, demand: p.shard % 2 === 0 ? 1.03 : 0.98 })) });
    expect(hasHotShard(atCapacity)).toBe(false);
    // One shard over capacity is no hot shard either: there is no other.
    expect(ids(sweep([cleanRun(1, { perShard: [{ ...cleanRun(1).perShard[0]!, demand: 3 }] })]))).toEqual([]);
  });

  it('trace replay: for trace runs, warning when rows were skipped', () => {
    const ok = buildSections(sweep([cleanRun(2, { trace: { rows: 1200, skipped: 0, creations: 0 } })]));
    expect(ok.map((s) => s.id)).toEqual(['trace-replay']);
    expect(ok[0]!.html).toContain('class="verdict good"');
    const bad = buildSections(sweep([cleanRun(2, { trace: { rows: 1300, skipped: 7, creations: 100 } })]))[0]!;
    expect(bad.html).toContain('class="verdict warn"');
    expect(bad.html).toContain('<tr class="warn">');
    expect(bad.html).toContain('skipped malformed rows (up to 7)');
  });

  it('says when the runs ended before the trace did', () => {
    const section = buildSections(sweep([cleanRun(2, { trace: { rows: 5000, skipped: 0, creations: 0 } })]))[0]!;
    expect(section.html).toContain('ended before the trace did (2 shards: 1,200 transactions from 5,000 replayable rows)');
  });

  it('keeps page order: faults, outcomes, by kind, load balance, trace', () => {
    const run = cleanRun(4, {
      params: { shards: 4, 'accounts.partition': 'graph' },
      faults: BYZANTINE_4,
      transactions: { ...cleanRun(4).transactions, completedFailed: 3 },
      trace: { rows: 1200, skipped: 0, creations: 0 },
      byKind: { a: { offered: 1, completed: 1, failed: 0 }, b: { offered: 1, completed: 0, failed: 0 } },
    });
    expect(ids(sweep([run]))).toEqual(['faults', 'outcomes', 'by-kind', 'load-balance', 'trace-replay']);
  });
});

describe('fault reconciliation', () => {
  it('reconciles configs/byzantine.yaml at 4 shards: every forgery caught, the rest of the duplicates the plan injected', () => {
    const rec = reconcileFaults(BYZANTINE_4, 0.05);
    expect(rec).toEqual(
      expect.objectContaining({ forged: 32, rejected: 26, duplicates: 8, caught: 32, missing: 0, rejectedAsExpected: 26, replaysDropped: 6 }),
    );
    expect(rec.otherDuplicates).toBe(2);
    expect(rec.unexplainedTotal).toBe(0);
    expect(rec.ok).toBe(true);
    expect(rec.rows.map((r) => [r.forged, r.caught, r.difference])).toEqual([
      [20, { 'bad-proof': 20 }, 0],
      [6, { 'bad-proof': 5, 'not-committed': 1 }, 0],
      [6, { duplicate: 6 }, 0],
    ]);
    expect(faultVerdict(rec)).toBe('All 32 forged batches were caught: 26 rejected (25 bad-proof, 1 not-committed), 6 replays dropped as duplicates.');
  });

  it('flags forgeries no rejection accounts for', () => {
    const rec = reconcileFaults({ ...BYZANTINE_4, rejectedBatchesByReason: { ...BYZANTINE_4.rejectedBatchesByReason, 'bad-proof': 18 } });
    expect(rec.ok).toBe(false);
    // 18 bad-proof cannot cover the 20 inflate/absent/bad-header forgeries; the 6 unfinalized keep only their 1 not-committed.
    expect(rec.rows[0]!.difference).toBe(2);
    expect(rec.rows[1]!.difference).toBe(5);
    expect(rec.missing).toBe(7);
    expect(faultVerdict(rec)).toMatch(/^Discrepancy: 25 of 32 forged batches accounted for; 2 forged batches of kind inflate\/absent\/bad-header not caught/);
  });

  it('flags rejections no forgery explains, and duplicates a plan without duplicates cannot give', () => {
    const rec = reconcileFaults({ ...BYZANTINE_4, rejectedBatchesByReason: { ...BYZANTINE_4.rejectedBatchesByReason, 'wrong-source': 3 } }, 0);
    expect(rec.missing).toBe(0);
    expect(rec.unexplained).toEqual({ 'wrong-source': 3 });
    expect(rec.problems).toEqual([
      '3 rejections no forgery explains (wrong-source 3)',
      '2 duplicates dropped beyond the replays, yet the fault plan delivers no duplicates (duplicateRatio 0)',
    ]);
    expect(faultVerdict(rec)).toMatch(/^Discrepancy: 32 of 32 forged batches accounted for; 3 rejections/);
    // More rejections of a forgery's reason than forgeries: the excess is unexplained, not absorbed.
    const extra = reconcileFaults({ ...BYZANTINE_4, rejectedBatchesByReason: { 'bad-proof': 40, 'not-committed': 1 } });
    expect(extra.unexplained).toEqual({ 'bad-proof': 14 });
    expect(extra.ok).toBe(false);
  });

  it('a kind the forger does not make cannot be reconciled', () => {
    const rec = reconcileFaults({ ...BYZANTINE_4, forgedBatches: { ...BYZANTINE_4.forgedBatches, teleport: 2 } });
    expect(rec.ok).toBe(false);
    expect(rec.rows.at(-1)).toEqual(expect.objectContaining({ forged: 2, difference: 2, expected: 'no rule says how this kind is caught' }));
  });

  it('attributes a replay refused not-committed to the replays, not to the plan duplicates', () => {
    // 20 must-fail + 6 unfinalized all bad-proof; one replay refused unverified; 5 replays and 2 plan copies dropped.
    const rec = reconcileFaults({ ...BYZANTINE_4, rejectedBatchesByReason: { 'bad-proof': 26, 'not-committed': 1 }, duplicateBatches: 7 });
    expect(rec.ok).toBe(true);
    expect(rec.rows[2]!.caught).toEqual({ 'not-committed': 1, duplicate: 5 });
    expect(rec.otherDuplicates).toBe(2);
  });

  it('recovers any honest split of outcomes exactly, and any missing rejection breaks it', () => {
    const counts = fc.record({
      inflate: fc.nat(50),
      absent: fc.nat(50),
      badHeader: fc.nat(50),
      unfinalizedBp: fc.nat(20),
      unfinalizedNc: fc.nat(20),
      replayDup: fc.nat(20),
      replayNc: fc.nat(20),
      planCopies: fc.nat(30),
    });
    fc.assert(
      fc.property(counts, (c) => {
        const faults: Faults = {
          silentSlots: 0,
          forgedBatches: {
            inflate: c.inflate,
            absent: c.absent,
            'bad-header': c.badHeader,
            unfinalized: c.unfinalizedBp + c.unfinalizedNc,
            replay: c.replayDup + c.replayNc,
          },
          rejectedBatchesByReason: {
            'wrong-source': 0,
            'wrong-destination': 0,
            malformed: 0,
            'bad-proof': c.inflate + c.absent + c.badHeader + c.unfinalizedBp,
            'not-committed': c.unfinalizedNc + c.replayNc,
          },
          duplicateBatches: c.replayDup + c.planCopies,
        };
        const rec = reconcileFaults(faults, 0.1);
        expect(rec.ok).toBe(true);
        expect(rec.caught).toBe(rec.forged);
        expect(rec.otherDuplicates).toBe(c.planCopies);
        // Unfinalized take bad-proof before not-committed, replays not-committed before duplicates: the split
        // is not unique when both ends have not-committed, but the totals are.
        expect(rec.rejectedAsExpected + rec.replaysDropped).toBe(rec.forged);
        // One bad-proof fewer is caught, unless the counts can tell the same story another way: an unfinalized
        // forgery refused not-committed instead of a replay, that replay dropped instead of a plan copy.
        const retold = c.unfinalizedBp > 0 && c.replayNc > 0 && c.planCopies > 0;
        if (faults.rejectedBatchesByReason['bad-proof']! > 0 && !retold) {
          const short = reconcileFaults(
            { ...faults, rejectedBatchesByReason: { ...faults.rejectedBatchesByReason, 'bad-proof': faults.rejectedBatchesByReason['bad-proof']! - 1 } },
            0.1,
          );
          expect(short.ok).toBe(false);
          expect(short.missing).toBe(1);
        }
      }),
    );
  });

  it('reads the duplicate share from a sweep axis before the scenario', () => {
    expect(duplicateRatioOf(cleanRun(2, { params: { shards: 2, 'faults.duplicateRatio': 0.2 } }), { faults: { duplicateRatio: 0.05 } })).toBe(0.2);
    expect(duplicateRatioOf(cleanRun(2), { faults: { duplicateRatio: 0.05 } })).toBe(0.05);
    expect(duplicateRatioOf(cleanRun(2), { name: 'x' })).toBeUndefined();
  });

  it('the section shows the verdict, one table per run, and highlights a run that does not reconcile', () => {
    const broken: Faults = { ...BYZANTINE_4, rejectedBatchesByReason: { 'bad-proof': 20, 'not-committed': 0 } };
    const results = sweep([cleanRun(4, { faults: BYZANTINE_4 }), cleanRun(8, { faults: broken })], { name: 'b', faults: { duplicateRatio: 0.05 } });
    const section = buildSections(results)[0]!;
    expect(section.html).toContain('<p class="verdict warn">Discrepancy in 1 of 2 runs (8 shards): see the tables below.</p>');
    expect(section.html.match(/<details/g)).toHaveLength(2);
    expect(section.html).toContain('<tr class="warn">');
    expect(section.html).toContain('6 of them replays and 2 batches the fault plan delivered twice (duplicateRatio 5%)');
    const good = buildSections(sweep([cleanRun(4, { faults: BYZANTINE_4 }), cleanRun(8, { faults: BYZANTINE_4 })]))[0]!;
    expect(good.html).toContain(
      '<p class="verdict good">Every run reconciles: all 64 forged batches of the 2 runs were caught: 52 rejected, 12 replays dropped as duplicates.</p>',
    );
  });

  it('draws forged by kind beside caught by outcome, equal stacks when every forgery is caught', () => {
    const chart = buildSections(sweep([cleanRun(4, { faults: BYZANTINE_4 })]))[0]!.charts[0]!;
    expect(chart.id).toBe('section-faults');
    const x = chart.data[0]!['x'] as string[][];
    expect(x).toEqual([
      ['S=4', 'S=4'],
      ['forged', 'caught'],
    ]);
    const stack = (i: number): number => chart.data.reduce((a, t) => a + numbers(t['y'])[i]!, 0);
    expect(stack(0)).toBe(32);
    expect(stack(1)).toBe(32);
    expect(chart.data.map((t) => t['name'])).toEqual([
      'forged: inflate',
      'forged: absent',
      'forged: replay',
      'forged: unfinalized',
      'forged: bad-header',
      'rejected: bad-proof',
      'rejected: not-committed',
      'replays dropped as duplicates',
    ]);
  });
});

describe('refunds and failures', () => {
  // configs/refunds.yaml at 4 shards.
  const refunds4 = cleanRun(4, {
    transactions: { submitted: 30_000, mempoolDropped: 0, completed: 30_000, completedFailed: 1_512, pending: 0 },
    receipts: { ...cleanRun(4).receipts, refunds: 1_156 },
  });
  const overloaded = cleanRun(1, {
    transactions: { submitted: 29_000, mempoolDropped: 1_000, completed: 24_704, completedFailed: 1_297, pending: 4_296 },
  });

  it('splits every generated transaction into disjoint parts', () => {
    expect(outcomeSegments(refunds4)).toEqual({ ok: 28_488, failed: 356, refunded: 1_156, pending: 0, dropped: 0 });
    const s = outcomeSegments(overloaded);
    expect(s.ok + s.failed + s.refunded + s.pending + s.dropped).toBe(30_000);
    // Refunds still in flight: the refunded part never exceeds the failures.
    const travelling = cleanRun(8, {
      transactions: { submitted: 100, mempoolDropped: 0, completed: 60, completedFailed: 10, pending: 40 },
      receipts: { ...cleanRun(8).receipts, refunds: 25 },
    });
    expect(outcomeSegments(travelling)).toEqual({ ok: 50, failed: 0, refunded: 10, pending: 40, dropped: 0 });
  });

  it('stacks shares that sum to 100% per run, with the counts that sum to the transactions generated', () => {
    const section = buildSections(sweep([overloaded, refunds4]))[0]!;
    expect(section.id).toBe('outcomes');
    const chart = section.charts[0]!;
    expect(chart.id).toBe('section-outcomes');
    for (const i of [0, 1]) {
      expect(chart.data.reduce((a, t) => a + numbers(t['y'])[i]!, 0)).toBeCloseTo(100, 6);
      expect(chart.data.reduce((a, t) => a + numbers(t['customdata'])[i]!, 0)).toBe(30_000);
    }
    expect(section.html).toContain('<td>1,156</td>');
    expect(section.html).toContain('<td>1,512</td>');
    // Under 80% completed ok in the overloaded run: every part is shown.
    expect(chart.data.find((t) => t['name'] === 'completed ok')!['visible']).toBeUndefined();
    expect(chart.data.map((t) => t['name'])).toEqual([
      'completed ok',
      'failed, not refunded',
      'failed, value refunded',
      'pending at the end',
      'dropped (mempool full)',
    ]);
  });

  it('hides completed ok when it dwarfs the failures in every run, and says so', () => {
    const section = buildSections(sweep([refunds4]))[0]!;
    const chart = section.charts[0]!;
    expect(chart.data.find((t) => t['name'] === 'completed ok')!['visible']).toBe('legendonly');
    expect(section.html).toContain('starts hidden');
    // Parts no run has are left out of the legend.
    expect(chart.data.map((t) => t['name'])).toEqual(['completed ok', 'failed, not refunded', 'failed, value refunded']);
  });

  it('explains what fails in the scenario', () => {
    const html = (config: Record<string, unknown>): string => buildSections(sweep([refunds4], config))[0]!.html;
    expect(html({ name: 'r', accounts: { frozenRatio: 0.05 }, workload: { kind: 'transfer' } })).toContain('5% of accounts are frozen');
    expect(html({ name: 'n', workload: { kind: 'nft' } })).toContain('a mint past its collection&#39;s cap fails');
    expect(html({ name: 'd', workload: { kind: 'dao' } })).toContain('a vote after the proposal&#39;s deadline slot');
  });
});

describe('by workload kind', () => {
  const mix = (scale: number): Record<string, KindFigures> => ({
    transfer: { offered: 400 * scale, completed: 380 * scale, failed: 0 },
    nft: { offered: 100 * scale, completed: 90 * scale, failed: 30 * scale },
    dao: { offered: 50 * scale, completed: 20 * scale, failed: 5 * scale },
  });

  it('stacks ok, failed and unfinished per kind and run, summing to each kind offered', () => {
    const runs = [cleanRun(1, { byKind: mix(1) }), cleanRun(4, { byKind: mix(4) })];
    const section = buildSections(sweep(runs))[0]!;
    expect(section.id).toBe('by-kind');
    const chart = section.charts[0]!;
    expect(chart.id).toBe('section-by-kind');
    const [outer, inner] = chart.data[0]!['x'] as string[][];
    expect(outer).toEqual(['dao', 'dao', 'nft', 'nft', 'transfer', 'transfer']);
    expect(inner).toEqual(['S=1', 'S=4', 'S=1', 'S=4', 'S=1', 'S=4']);
    const offered = [50, 200, 100, 400, 400, 1600];
    offered.forEach((n, i) => {
      expect(chart.data.reduce((a, t) => a + numbers(t['customdata'])[i]!, 0)).toBe(n);
      expect(chart.data.reduce((a, t) => a + numbers(t['y'])[i]!, 0)).toBeCloseTo(100, 6);
    });
    expect(chart.data.map((t) => numbers(t['customdata'])[2])).toEqual([60, 30, 10]);
    expect(section.html).toContain('60.0% ok · 30.0% failed of 100');
  });
});

describe('load balance', () => {
  it('draws imbalance against shard count, and the hottest run shard by shard', () => {
    const hot = cleanRun(4, { perShard: cleanRun(4).perShard.map((p) => (p.shard === 2 ? { ...p, demand: 1.6 } : p)) });
    const even = cleanRun(8, { loadImbalance: 1.3 });
    expect(demandRun([cleanRun(2), hot, even])).toBe(hot);
    const section = buildSections(sweep([cleanRun(2), hot, even]))[0]!;
    expect(section.charts.map((c) => c.id)).toEqual(['section-load-imbalance', 'section-load-demand']);
    const demand = section.charts[1]!;
    expect(demand.data).toHaveLength(1);
    expect(demand.data[0]!['y']).toEqual(hot.perShard.map((p) => p.demand));
    // The hot shard in red, the others in blue; the capacity line at 1.
    expect((demand.data[0]!['marker'] as { color: string[] }).color).toEqual(['#2f6fdb', '#2f6fdb', '#c62f3a', '#2f6fdb']);
    expect(demand.layout['shapes']).toEqual([expect.objectContaining({ y0: 1, y1: 1 })]);
    expect(section.html).toContain('<tr class="chosen">');
  });

  it('without a hot shard, draws the least even run; with placement as an axis, its placements side by side', () => {
    const run = (shards: number, partition: string, imbalance: number): RunResult =>
      cleanRun(shards, {
        params: { shards, 'accounts.partition': partition },
        loadImbalance: imbalance,
        perShard: cleanRun(shards).perShard.map((p) => ({ ...p, demand: 0.01 + p.shard / 1000 })),
      });
    const runs = [run(2, 'hash', 1.01), run(8, 'hash', 1.2), run(2, 'graph', 1.08), run(8, 'graph', 1.15)];
    const results = sweep(runs, { name: 't', sweep: { shards: [2, 8], axes: { 'accounts.partition': ['hash', 'graph'] } } });
    expect(demandRun(runs)).toBe(runs[1]);
    const [imbalance, demand] = buildSections(results)[0]!.charts;
    expect(imbalance!.data.map((t) => t['name'])).toEqual(['partition hash', 'partition graph']);
    expect(demand!.data.map((t) => t['name'])).toEqual(['partition hash', 'partition graph']);
    expect(demand!.data.every((t) => (t['x'] as number[]).length === 8)).toBe(true);
    // Far below capacity, no line at 1 to flatten the bars: a note instead.
    expect(demand!.layout['shapes']).toBeUndefined();
    expect(JSON.stringify(demand!.layout['annotations'])).toContain('capacity (1) far above');
  });
});

describe('the page', () => {
  const run = cleanRun(4, {
    params: { shards: 4, 'accounts.partition': 'graph' },
    faults: BYZANTINE_4,
    transactions: { ...cleanRun(4).transactions, completedFailed: 3 },
    byKind: { a: { offered: 1, completed: 1, failed: 0 }, b: { offered: 1, completed: 0, failed: 0 } },
  });
  const results = sweep([cleanRun(2, { params: { shards: 2, 'accounts.partition': 'graph' } }), run]);
  const html = renderReport(results);

  it('gives every chart a div with its stable id and class "chart", once', () => {
    const charts = chartIds(results);
    expect(charts).toEqual(['section-faults', 'section-outcomes', 'section-by-kind', 'section-load-imbalance', 'section-load-demand']);
    for (const id of charts) expect(html.match(new RegExp(`<div id="${id}" class="chart"`, 'g'))).toHaveLength(1);
  });

  it('places the sections after the summary table and before the charts by shard count', () => {
    expect(html.indexOf('<h2>Summary</h2>')).toBeLessThan(html.indexOf('<h2>Faults</h2>'));
    expect(html.indexOf('<section id="load-balance"')).toBeLessThan(html.indexOf('<h2>Charts'));
  });

  it("draws the embedded figures as they are, from the page's own client script", () => {
    const json = /<script type="application\/json" id="shardsim-sections">([\s\S]*?)<\/script>/.exec(html)![1]!;
    const embedded = JSON.parse(json) as SectionsData;
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    const plots: Array<{ id: string; data: SpecObject[]; layout: SpecObject }> = [];
    runInNewContext(scripts.at(-1)!, {
      document: { getElementById: (id: string) => (id === 'shardsim-sections' ? { textContent: json } : null) },
      Plotly: { newPlot: (id: string, data: SpecObject[], layout: SpecObject) => plots.push({ id, data, layout }) },
    });
    expect(plots.map((p) => p.id)).toEqual(embedded.charts.map((c) => c.id));
    expect(plots[0]!.data).toEqual(embedded.charts[0]!.data);
  });

  it('keeps hostile names inert', () => {
    const hostile = '</script><script>alert(1)</script><!--';
    const labelled = (label: string): RunResult =>
      cleanRun(4, { params: { shards: 4, 'workload.label': label, 'accounts.partition': 'hash' }, faults: BYZANTINE_4 });
    const named = sweep([labelled(hostile), labelled('x')], { name: 'h', sweep: { shards: [4], axes: { 'workload.label': [hostile, 'x'] } } });
    const sections = renderSections(named);
    expect(sections).toContain('&lt;/script&gt;');
    expect(sections.match(/<\/script/gi)).toHaveLength(1);
    expect(sections).not.toContain('<!--');
  });
});

describe('run names', () => {
  it('carry the seed when the sweep has several, so runs of one point stay apart', () => {
    const seeded = (shards: number, seed: number): RunResult => cleanRun(shards, { seed, faults: BYZANTINE_4 });
    const results = { ...sweep([seeded(4, 1), seeded(4, 2)]), seeds: [1, 2] };
    const section = buildSections(results)[0]!;
    expect(section.html).toContain('<td class="text">4 shards · seed 1</td>');
    expect(section.html).toContain('<td class="text">4 shards · seed 2</td>');
    expect((section.charts[0]!.data[0]!['x'] as string[][])[0]).toEqual(['S=4 · s1', 'S=4 · s1', 'S=4 · s2', 'S=4 · s2']);
  });
});

describe('end to end: configs/byzantine.yaml, shrunk', () => {
  it('every forged batch is caught, the section says so, and the other duplicates are the plan copies', async () => {
    const shrink = ['workload.rate=600', 'accounts.count=2000', 'slots.measure=4'];
    const scenario = loadScenario('configs/byzantine.yaml', shrink);
    const results = await runSweep(scenario);
    expect(results.runs.map((r) => r.shards)).toEqual([4, 8]);
    for (const run of results.runs) {
      const rec = reconcileFaults(run.faults!, 0.05);
      expect(rec.forged).toBeGreaterThan(0);
      expect(rec.problems).toEqual([]);
      expect(rec.caught).toBe(rec.forged);
      expect(rec.unexplainedTotal).toBe(0);
    }
    const faults = buildSections(results).find((s) => s.id === 'faults')!;
    expect(faults.html).toMatch(/<p class="verdict good">Every run reconciles: all [\d,]+ forged batches of the 2 runs were caught/);
    // The duplicates left after the replays are the plan's own: the same run without forgeries (whose honest
    // batches are the same) drops exactly that many.
    const honest = await runSweep(loadScenario('configs/byzantine.yaml', [...shrink, 'faults.byzantine.ratio=0']));
    results.runs.forEach((run, i) => {
      expect(honest.runs[i]!.faults!.duplicateBatches).toBe(reconcileFaults(run.faults!, 0.05).otherDuplicates);
    });
    expect(honest.runs.some((run) => run.faults!.duplicateBatches > 0)).toBe(true);
  }, 60_000);
});
