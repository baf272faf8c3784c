/**
 * Per-block output: `replay: each-block` turns every distinct original block
 * into one slot, and blocks.csv / results.json give one row per committed
 * block of the window, with the original block's number.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readSlotMetrics, SLOT_METRIC_NUMS, SLOT_METRICS } from '../../crosslink/slot-metrics.js';
import type { SlotReport } from '../../crosslink/transport.js';
import { EXEC_STAT_NUMS, EXEC_STATS } from '../../shards/executors/exec-stats.js';
import { BlockRecorder, blocksCsv, MAX_BLOCK_ROWS } from '../../simulator/block-figures.js';
import { loadScenario, loadScenarioWithWarnings } from '../../simulator/config/load.js';
import { prettyJson } from '../../simulator/pretty-json.js';
import { blockStats } from '../../simulator/report/sections/blocks-section.js';
import type { SweepResults } from '../../simulator/results.js';
import { runScenario } from '../../simulator/run.js';
import { RunResultSchema } from '../../simulator/run-result-schema.js';
import { ROOT, runCli, tempDir } from '../helpers/cli.js';

/** A trace of six rows in blocks 5, 900 and 1,000,000 (two, three and one rows), and a scenario replaying it block by block. */
function eachBlockScenario(): string {
  const dir = tempDir();
  const rows = [5, 5, 900, 900, 900, 1_000_000].map(
    (block, i) => `${block},0x${(i + 1).toString(16).padStart(40, '0')},0x${(i + 11).toString(16).padStart(40, '0')},5,21000,0x`,
  );
  writeFileSync(join(dir, 't.csv'), `block_number,from_address,to_address,value,gas,input\n${rows.join('\n')}\n`);
  writeFileSync(
    join(dir, 's.yaml'),
    'name: each-block\nsweep: { shards: [1, 2] }\nslots: { warmup: 0, measure: 3, drain: 1 }\nworkload: { kind: trace, trace: { file: t.csv, format: ethereum-etl, replay: each-block } }\n',
  );
  return dir;
}

function report(shard: number, slot: number, metrics: Record<string, number>, exec: Record<string, number> = {}): SlotReport {
  const m = new Float64Array(SLOT_METRIC_NUMS);
  for (const [name, v] of Object.entries(metrics)) m[SLOT_METRICS.findIndex((f) => f.name === name)] = v;
  const e = new Float64Array(EXEC_STAT_NUMS);
  for (const [name, v] of Object.entries(exec)) e[EXEC_STATS.findIndex((f) => f.name === name)] = v;
  return { shard, slot, metrics: readSlotMetrics(m, 0), exec: e } as unknown as SlotReport;
}

describe('each-block replay and per-block figures', () => {
  it('replays blocks 5, 900 and 1,000,000 in three consecutive slots; blocks.csv has a row per block with its source number', () => {
    const dir = eachBlockScenario();
    const res = runCli(['sweep', join(dir, 's.yaml'), '--out', join(dir, 'out'), '--quiet']);
    expect(res.code, res.stderr).toBe(0);
    const csv = readFileSync(join(dir, 'out', 'blocks.csv'), 'utf8')
      .trim()
      .split('\r\n');
    expect(csv[0]).toBe('run,shard,slot,source_block,transactions,gas,makespan_s,speedup_x,aborts,bound_threads');
    const oneShard = csv.slice(1).filter((l) => l.startsWith('1,'));
    expect(oneShard.map((l) => l.split(',').slice(1, 6).join(','))).toEqual(['0,0,5,2,42000', '0,1,900,3,63000', '0,2,1000000,1,21000']);
    // Two shards: a row per shard and slot, every slot's original block named.
    const twoShards = csv.slice(1).filter((l) => l.startsWith('2,'));
    expect(twoShards.map((l) => l.split(',').slice(1, 4).join(','))).toEqual(['0,0,5', '1,0,5', '0,1,900', '1,1,900', '0,2,1000000', '1,2,1000000']);
    const results = JSON.parse(readFileSync(join(dir, 'out', 'results.json'), 'utf8')) as SweepResults;
    expect(results.files?.blocks).toBe('blocks.csv');
    expect(results.runs[0]!.blocks).toMatchObject({ total: 3, sourceBlock: [5, 900, 1_000_000], transactions: [2, 3, 1] });
    expect(results.runs[1]!.blocks!.total).toBe(6);
    // The run's transactions are the blocks' sum.
    const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
    expect(sum(results.runs[1]!.blocks!.transactions)).toBe(6);
  });

  it('warns that blocksPerSlot does nothing with each-block', () => {
    const dir = eachBlockScenario();
    writeFileSync(join(dir, 'w.yaml'), readFileSync(join(dir, 's.yaml'), 'utf8').replace('replay: each-block', 'replay: each-block, blocksPerSlot: 2'));
    const { warnings } = loadScenarioWithWarnings(join(dir, 'w.yaml'));
    expect(warnings.join('\n')).toMatch(/workload\.trace\.blocksPerSlot .*with workload\.trace\.replay: each-block/);
  });

  it('records blocks in (slot, shard) order, a speedup only where there was execution, and keeps the first MAX_BLOCK_ROWS', () => {
    const rec = new BlockRecorder(1_000);
    rec.addSlot([report(1, 0, { txIncluded: 2, gasUsed: 2_000, makespan: 0.5 }, { aborts: 3, boundRaw: 1.5 }), report(0, 0, {})], 7);
    const t = rec.table();
    expect(t).toEqual({
      total: 2,
      shard: [0, 1],
      slot: [0, 0],
      sourceBlock: [7, 7],
      transactions: [0, 2],
      gas: [0, 2_000],
      makespanSeconds: [0, 0.5],
      speedup: [null, 4],
      aborts: [0, 3],
      bound: [0, 1.5],
    });
    const many = new BlockRecorder(1_000);
    for (let slot = 0; slot < 5; slot++)
      many.addSlot(
        Array.from({ length: 1_000 }, (_, s) => report(s, slot, { gasUsed: 1 })),
        null,
      );
    const kept = many.table();
    expect(kept.total).toBe(5_000);
    expect(kept.shard.length).toBe(MAX_BLOCK_ROWS);
    expect(
      blocksCsv([{ blocks: kept }])
        .trim()
        .split('\r\n').length,
    ).toBe(1 + MAX_BLOCK_ROWS);
  });

  it('the results schema refuses block columns of different lengths, or more blocks than the total', () => {
    const blocks = {
      total: 1,
      shard: [0],
      slot: [0],
      sourceBlock: [null],
      transactions: [1],
      gas: [1],
      makespanSeconds: [1],
      speedup: [1],
      aborts: [0],
      bound: [1],
    };
    const blocksOf = RunResultSchema.shape.blocks;
    expect(blocksOf.safeParse(blocks).success).toBe(true);
    expect(blocksOf.safeParse({ ...blocks, gas: [1, 2] }).success).toBe(false);
    expect(blocksOf.safeParse({ ...blocks, total: 0 }).success).toBe(false);
  });

  it('results.json keeps flat arrays on one line and parses to what JSON.stringify gives', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(JSON.parse(prettyJson(v))).toEqual(JSON.parse(JSON.stringify(v)));
      }),
    );
    expect(prettyJson({ a: [1, null, 'x'], b: [{ c: [] }] })).toBe('{\n  "a": [1,null,"x"],\n  "b": [\n    {\n      "c": []\n    }\n  ]\n}');
    expect(prettyJson({ n: Number.NaN, u: undefined })).toBe(JSON.stringify({ n: Number.NaN, u: undefined }, null, 2));
  });

  it("the mainnet-like study: one slot a block, the report's Blocks section, and per-block figures below the bound", () => {
    const out = tempDir();
    const res = runCli(['sweep', 'configs/parallel-mainnet.yaml', '--set', 'sweep.axes={}', '--set', 'shard.threads=8', '--out', out, '--quiet']);
    expect(res.code, res.stderr).toBe(0);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as SweepResults;
    const b = results.runs[0]!.blocks!;
    expect(b.total).toBe(40);
    expect(b.sourceBlock).toEqual(Array.from({ length: 40 }, (_, i) => 15_000_000 + i));
    expect(b.transactions.every((n) => n === 150)).toBe(true);
    const stats = blockStats(b)!;
    expect(stats.blocks).toBe(40);
    // With what Block-STM costs, a block stays below its dependency bound.
    b.speedup.forEach((s, i) => expect(s!).toBeLessThanOrEqual(b.bound[i]! + 1e-9));
    expect(stats.meanSpeedup).toBeLessThan(stats.meanBound);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<section id="blocks" class="scenario">');
    // One thread count: no chart against threads, the block-by-block one.
    expect(html).not.toContain('id="section-blocks-speedup"');
    expect(html).toContain('id="section-blocks-each"');
    // A sequential replay has nothing to show there.
    const seq = tempDir();
    expect(
      runCli([
        'sweep',
        'configs/parallel-mainnet.yaml',
        '--set',
        'sweep.axes={}',
        '--set',
        'shard.executor=sequential',
        '--set',
        'shard.threads=1',
        '--out',
        seq,
        '--quiet',
      ]).code,
    ).toBe(0);
    expect(readFileSync(join(seq, 'report.html'), 'utf8')).not.toContain('<section id="blocks"');
  });

  it('the real blocks: each block replays with its own transactions and gas, and its heaviest transaction caps its bound', async () => {
    const lines = gunzipSync(readFileSync(join(ROOT, 'configs', 'traces', 'mainnet-blocks.csv.gz')))
      .toString('utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    const real = new Map<number, { txs: number; gas: number; heaviest: number }>();
    for (const f of lines) {
      const b = real.get(Number(f[0])) ?? { txs: 0, gas: 0, heaviest: 0 };
      const used = Number(f[6]);
      real.set(Number(f[0]), { txs: b.txs + 1, gas: b.gas + used, heaviest: Math.max(b.heaviest, used) });
    }
    const run = await runScenario(loadScenario(join(ROOT, 'configs', 'parallel-real-blocks.yaml'), ['sweep.axes={}', 'shard.threads=32']), 1);
    const b = run.blocks!;
    expect(b.sourceBlock).toEqual([...real.keys()]);
    b.sourceBlock.forEach((n, i) => {
      const r = real.get(n!)!;
      expect(b.transactions[i]).toBe(r.txs);
      // Every call costs the gas its row used; a few plain transfers that used more than 21,000 cost 21,000.
      expect(Math.abs(b.gas[i]! - r.gas) / r.gas).toBeLessThan(0.001);
      expect(b.bound[i]!).toBeLessThanOrEqual(b.gas[i]! / r.heaviest + 1e-9);
    });
    // Block 12,775,690: one transaction burns 44% of its gas.
    expect(b.bound[0]).toBeCloseTo(14_954_445 / 6_538_592, 6);
  });

  it('block statistics count each block once, over blocks that executed anything', () => {
    const t = {
      total: 3,
      shard: [0, 0, 0],
      slot: [0, 1, 2],
      sourceBlock: [1, 2, 3],
      transactions: [1, 0, 3],
      gas: [1, 0, 3],
      makespanSeconds: [1, 0, 1],
      speedup: [0.5, null, 3],
      aborts: [0, 0, 0],
      bound: [1, 1, 4],
    };
    expect(blockStats(t)).toEqual({ blocks: 2, meanSpeedup: 1.75, medianSpeedup: 1.75, meanBound: 2.5, slower: 0.5 });
    expect(blockStats({ ...t, speedup: [null, null, null] })).toBeNull();
    expect(blockStats(undefined)).toBeNull();
  });
});
