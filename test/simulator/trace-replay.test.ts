import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { signedTxBytes, TRANSFER_TX_BYTES } from '../../crosslink/network/message-sizes.js';
import { loadScenario, validateScenario } from '../../simulator/config/load.js';
import { runScenario } from '../../simulator/run.js';
import { scanTrace, traceSlots } from '../../simulator/workloads/trace-replay.js';
import { ROOT, runCli, tempDir } from '../helpers/cli.js';
import { ETHERSCAN_EXTRACT, sharedFileOrSkip } from '../helpers/shared-data.js';

const config = join(ROOT, 'configs', 'trace-communities.yaml');

describe('trace replay', () => {
  it('graph placement cuts the cross-shard ratio on the shipped community trace, where hash cuts almost every edge', async () => {
    const hash = await runScenario(loadScenario(config, ['accounts.partition=hash']), 8);
    const graph = await runScenario(loadScenario(config, ['accounts.partition=graph']), 8);
    expect(hash.crossShardRatio).toBeGreaterThan(0.8); // about 1 - 1/8
    expect(graph.crossShardRatio).toBeLessThan(0.4);
    expect(graph.trace).toEqual({ rows: 5_000, skipped: 0, creations: 0 });
    expect(graph.loadImbalance).toBeLessThan(1.5);
  });

  it('graph placement learns from the rows of the first partitionSampleSlots slots, by blocks or at a rate', async () => {
    const dir = tempDir();
    const file = join(dir, 'sample.csv');
    const addr = (n: number): string => `0x${n.toString(16).padStart(40, '0')}`;
    // Blocks 100..109, 3 rows each.
    const rows = Array.from({ length: 30 }, (_, i) => `${100 + Math.floor(i / 3)},${addr(i + 1)},${addr(i + 100)},1,21000,0x`);
    writeFileSync(file, `block_number,from_address,to_address,value,gas,input\n${rows.join('\n')}\n`);
    const at = (over: string[]) => loadScenario(config, [`workload.trace.file=${file}`, ...over]);
    expect((await scanTrace(at(['workload.trace.blocksPerSlot=2']), 3)).sample.length).toBe(18);
    expect((await scanTrace(at(['workload.trace.replay=each-block']), 3)).sample.length).toBe(9);
    expect((await scanTrace(at(['workload.trace.replay=rate', 'workload.rate=4']), 2)).sample.length).toBe(8);
  });

  it('replays every row once: the same history whatever the shard count', async () => {
    const sc = loadScenario(config, ['slots.measure=10']);
    const [a, b] = [await runScenario(sc, 1), await runScenario(sc, 4)];
    expect(b.transactions.submitted + b.transactions.mempoolDropped).toBe(a.transactions.submitted + a.transactions.mempoolDropped);
  });

  it('a malformed row stops the run with the file and line, exit 2', () => {
    const dir = tempDir();
    const lines = readFileSync(join(ROOT, 'configs/traces/communities-etl.csv'), 'utf8').split('\n');
    lines[7] = lines[7]!.replace(/,0x[0-9a-f]{40},/, ',0xNOTANADDRESS,');
    const trace = join(dir, 'bad.csv');
    writeFileSync(trace, lines.join('\n'));
    const res = runCli(['run', 'configs/trace-communities.yaml', '--shards', '2', '--set', `workload.trace.file=${trace}`, '--out', join(dir, 'out')]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('bad.csv:8');
    expect(res.stderr).not.toMatch(/\n\s+at /);
  });

  it('with onBadRow: skip, malformed rows are counted in the results', async () => {
    const dir = tempDir();
    const lines = readFileSync(join(ROOT, 'configs/traces/communities-etl.csv'), 'utf8').split('\n');
    lines[3] = 'garbage,row';
    lines[9] = lines[9]!.replace(/,0x[0-9a-f]{40},/, ',0xZZ,');
    const trace = join(dir, 'skip.csv');
    writeFileSync(trace, lines.join('\n'));
    const run = await runScenario(loadScenario(config, [`workload.trace.file=${trace}`, 'workload.trace.onBadRow=skip', 'slots.measure=5']), 2);
    expect(run.trace).toEqual({ rows: 4_998, skipped: 2, creations: 0 });
  });

  it('replays real Ethereum calls (Etherscan export): star-shaped, so calls pile onto a few contracts', async ({ skip }) => {
    const real = sharedFileOrSkip(ETHERSCAN_EXTRACT, skip);
    const sc = loadScenario(config, [
      `workload.trace.file=${real}`,
      'workload.trace.format=etherscan',
      'workload.trace.maxRows=3000',
      'workload.trace.replay=rate',
      'workload.rate=300',
      'slots.measure=6',
      'sweep.axes={}',
    ]);
    const run = await runScenario(sc, 4);
    expect(run.trace?.rows).toBe(3_000);
    expect(run.transactions.completed).toBeGreaterThan(0);
  });

  it('a row is as large as its call data makes it: blocks of long inputs carry and agree on more bytes', async () => {
    const etl = 'block_number,from_address,to_address,value,gas,input\n';
    const file = (input: string) => {
      const dir = tempDir();
      const rows = Array.from(
        { length: 60 },
        (_, i) => `${100 + Math.floor(i / 20)},0x${(i + 1).toString(16).padStart(40, '0')},0x${(i + 7).toString(16).padStart(40, '0')},5,90000,${input}\n`,
      );
      writeFileSync(join(dir, 't.csv'), etl + rows.join(''));
      return join(dir, 't.csv');
    };
    const scenario = (input: string) =>
      validateScenario(
        {
          name: 'sizes',
          workload: { kind: 'trace', trace: { file: file(input), format: 'ethereum-etl' } },
          network: { preset: 'global-2019' },
          consensus: { protocol: 'pbft' },
          security: { validators: 32 },
          slots: { warmup: 0, measure: 3, drain: 1 },
        },
        'test',
      );
    const long = `0x${'ab'.repeat(2_000)}`;
    const slots = traceSlots(scenario(long), await scanTrace(scenario(long), 100));
    const drafts = await slots.next(0);
    await slots.close();
    expect(drafts.length).toBe(20);
    for (const { draft } of drafts) expect(draft.bytes).toBe(signedTxBytes(2_000));
    const [plain, heavy] = [await runScenario(scenario('0x'), 2), await runScenario(scenario(long), 2)];
    expect(plain.network!.blockBytesMean).toBeGreaterThan(0);
    // 20 transactions a slot over 2 shards, each 2,000 bytes heavier.
    expect(heavy.network!.blockBytesMean - plain.network!.blockBytesMean).toBeCloseTo(10 * (signedTxBytes(2_000) - TRANSFER_TX_BYTES), -2);
    expect(heavy.network!.agreementSeconds).toBeGreaterThan(plain.network!.agreementSeconds);
  });
});
