/**
 * The cross-shard protocols end to end (docs/protocols.md): every shipped config runs under each with its
 * invariants (supply, exactly-once, nothing lost) checked, and the shapes the protocols are compared by hold.
 */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../simulator/config/load.js';
import type { Scenario } from '../../simulator/config/schema.js';
import { runScenario } from '../../simulator/run.js';
import { ROOT } from '../helpers/cli.js';
import { tinyScenario } from '../helpers/scenario.js';

const configs = join(ROOT, 'configs');
const shipped = [...readdirSync(configs).filter((f) => f.endsWith('.yaml')), ...readdirSync(join(configs, 'tour')).map((f) => `tour/${f}`)].sort();

describe('every shipped config under every protocol keeps its invariants', () => {
  for (const protocol of ['relay', 'broker', 'lock-2pc']) {
    it(`${protocol}: each config at 2 shards, a short window`, async () => {
      for (const file of shipped) {
        const sets = [`crossShard.protocol=${protocol}`, 'slots.warmup=1', 'slots.measure=2', 'slots.drain=2'];
        // Accounts cannot move under lock-2pc: the file is refused, saying so (repartition.test.ts).
        if (protocol === 'lock-2pc' && loadScenario(join(configs, file)).accounts.repartition !== undefined) {
          expect(() => loadScenario(join(configs, file), sets)).toThrow(/cannot move under crossShard.protocol lock-2pc/);
          continue;
        }
        // runScenario checks the invariants at the end and throws an InvariantError naming the one that broke.
        const sc = loadScenario(join(configs, file), sets);
        const r = await runScenario(sc, 2);
        expect(r.crossShard!.protocol, file).toBe(protocol);
      }
    }, 600_000);
  }
});

type Protocol = Scenario['crossShard']['protocol'];

const run = (protocol: Protocol, over: Parameters<typeof tinyScenario>[0] = {}, shards = 4) =>
  runScenario(
    tinyScenario({ slots: { warmup: 2, measure: 8, drain: 6 }, workload: { rate: 200, crossShardRatio: 0.5 }, crossShard: { protocol }, ...over }),
    shards,
  );

/**
 * A hub-and-spoke history: 400 senders pay one address (an exchange's deposit address), 40 payments a block. On
 * two shards, half the payments cross into the hub's shard, and nothing flows back out of it to refill a broker.
 */
function hubTrace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'shardsim-hub-'));
  const rows = ['block,from,to,value'];
  for (let k = 0; k < 16 * 40; k++) {
    const sender = ((k * 7_919) % 400) + 1;
    rows.push(`${Math.floor(k / 40)},0x${sender.toString(16).padStart(40, '0')},0x${'f'.repeat(40)},${10 + (k % 50)}000000000000`);
  }
  writeFileSync(join(dir, 'hub.csv'), `${rows.join('\n')}\n`);
  return join(dir, 'hub.csv');
}

const onHub = (file: string, protocol: Protocol, liquidity = 0, fallback: 'wait' | 'refund' = 'wait') =>
  runScenario(
    tinyScenario({
      slots: { warmup: 2, measure: 10, drain: 4 },
      workload: { kind: 'trace', trace: { file, format: 'custom', columns: { block: 'block', from: 'from', to: 'to', value: 'value' } } },
      crossShard: { protocol, broker: { count: 2, liquidity, fallback } },
    }),
    2,
  );

describe('the shapes the protocols are compared by', () => {
  it('relay and receipts agree on the ideal network below capacity', async () => {
    const receipts = await run('receipts');
    const relay = await run('relay');
    expect(receipts.stability.stable).toBe(true);
    expect(relay.throughputTps).toBe(receipts.throughputTps);
    expect(relay.latency).toEqual(receipts.latency);
    // Relayed transactions travel whole, with their own inclusion proofs: more bytes a cross-shard transaction.
    expect(relay.crossShard!.bytesPerCrossTx).toBeGreaterThan(2 * receipts.crossShard!.bytesPerCrossTx);
    expect(relay.crossShard!.messagesPerCrossTx).toBe(receipts.crossShard!.messagesPerCrossTx);
  });

  it('relayed transactions queue behind a transaction backlog; receipts keep their share of the block', async () => {
    const over = { workload: { rate: 1_500, crossShardRatio: 0.5 } };
    const receipts = await run('receipts', over, 2);
    const relay = await run('relay', over, 2);
    expect(receipts.stability.stable).toBe(false);
    expect(relay.throughputTps).toBeLessThan(0.75 * receipts.throughputTps);
  });

  it('broker throughput falls once broker liquidity runs out, and the run says so', async () => {
    const file = hubTrace();
    const ample = await onHub(file, 'broker', 100_000_000);
    const short = await onHub(file, 'broker', 2_000);
    const dry = await onHub(file, 'broker', 200);
    expect(ample.crossShardRatio).toBeGreaterThan(0.3);
    expect(ample.crossShard!.broker!.dry).toBe(0);
    expect(short.crossShard!.broker!.dry).toBeGreaterThan(0);
    expect(short.throughputTps).toBeLessThan(ample.throughputTps);
    expect(dry.throughputTps).toBeLessThan(short.throughputTps);
    expect(dry.stability.stable).toBe(false);
    // Ample brokers deliver what receipts do: a payout is one hop, as a credit is.
    const receipts = await onHub(file, 'receipts');
    expect(ample.throughputTps).toBe(receipts.throughputTps);
  });

  it('brokers that run dry under fallback `refund` return the value: failures, not waits', async () => {
    const dry = await onHub(hubTrace(), 'broker', 200, 'refund');
    const b = dry.crossShard!.broker!;
    expect(b.dry).toBeGreaterThan(0);
    expect(b.returned).toBeGreaterThan(0);
    expect(dry.crossShard!.failedShare).toBeGreaterThan(0.2);
    expect(dry.crossShard!.committedTps).toBeLessThan(dry.throughputTps);
  });

  it('lock-2pc aborts spends from locked senders: committed throughput below receipts on the same workload', async () => {
    const over = { accounts: { count: 60, initialBalance: 10_000 } };
    const receipts = await run('receipts', over);
    const locked = await run('lock-2pc', over);
    expect(locked.crossShard!.locks.aborts).toBeGreaterThan(0);
    expect(locked.crossShard!.locks.meanHeldSlots).toBeGreaterThanOrEqual(2 * 2); // two finality delays at least
    expect(locked.crossShard!.committedTps).toBeLessThan(receipts.crossShard!.committedTps);
    // The decision travels back: two messages a transfer where receipts send one.
    expect(locked.crossShard!.messagesPerCrossTx).toBeGreaterThan(1.5 * receipts.crossShard!.messagesPerCrossTx);
  });
});
