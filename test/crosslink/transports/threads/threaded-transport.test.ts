import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransportError } from '../../../../crosslink/common/errors.js';
import type { SlotCommand, Transport } from '../../../../crosslink/transport.js';
import { ThreadedTransport } from '../../../../crosslink/transports/threads/threaded-transport.js';
import { TxRows } from '../../../../crosslink/tx-rows.js';
import { threadHostUrl } from '../../../../shards/hosts/thread-main.js';
import { validateScenario } from '../../../../simulator/config/load.js';
import type { Scenario } from '../../../../simulator/config/schema.js';
import { placementFor, runScenario, shardSetup } from '../../../../simulator/run.js';
import { memoryThreadCount, openTransport } from '../../../../simulator/transports.js';
import { frozenAccounts } from '../../../../simulator/workload.js';
import { openWorkloadSource } from '../../../../simulator/workload-source.js';
import { startRedis, type TestRedis } from '../../../helpers/redis.js';
import { tinyScenario } from '../../../helpers/scenario.js';

type Overrides = NonNullable<Parameters<typeof tinyScenario>[0]>;

const scenario = (memoryThreads: number | 'auto', extra: Overrides = {}): Scenario =>
  tinyScenario({ memoryThreads, workload: { rate: 600, crossShardRatio: 0.6 }, accounts: { count: 1_200 }, ...extra });

/** Like configs/byzantine.yaml: forgeries of every kind, late, duplicated and reordered batches, a silent shard. */
const byzantine: Overrides = {
  slots: { warmup: 1, measure: 5, drain: 5 },
  faults: {
    byzantine: { shards: [1, 3], ratio: 0.5 },
    delay: { ratio: 0.2, minSlots: 1, maxSlots: 3 },
    duplicateRatio: 0.1,
    reorder: true,
    silent: [{ shard: 2, fromSlot: 2, slots: 3 }],
  },
};

describe('memory transport on worker threads', () => {
  for (const shards of [2, 3, 5, 8]) {
    it(`gives the single-thread digest at ${shards} shards, on 2, 3 and 4 threads`, async () => {
      const single = await runScenario(scenario(1), shards);
      expect(single.receipts.sent).toBeGreaterThan(0);
      for (const threads of [2, 3, 4]) {
        const run = await runScenario(scenario(threads), shards);
        expect(run.digest, `${threads} threads`).toBe(single.digest);
      }
    });
  }

  it('gives the single-thread digest under Byzantine, late, duplicated and reordered deliveries', async () => {
    for (const shards of [4, 6]) {
      const single = await runScenario(scenario(1, byzantine), shards);
      expect(Object.values(single.faults!.forgedBatches).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
      for (const threads of [2, 3]) {
        const run = await runScenario(scenario(threads, byzantine), shards);
        expect(run.digest, `${shards} shards, ${threads} threads`).toBe(single.digest);
        expect(run.faults).toEqual(single.faults);
        expect(run.byKind).toEqual(single.byKind);
      }
    }
  });

  it('accounts for receipts still in flight when the run stops (no drain, late batches)', async () => {
    const extra: Overrides = { slots: { warmup: 1, measure: 4, drain: 0 }, faults: { delay: { ratio: 0.5, minSlots: 1, maxSlots: 3 } } };
    const single = await runScenario(scenario(1, extra), 4);
    const threaded = await runScenario(scenario(2, extra), 4);
    expect(single.receipts.inFlight).toBeGreaterThan(0);
    expect(threaded.receipts).toEqual(single.receipts);
    expect(threaded.digest).toBe(single.digest);
  });

  it('runs the shipped contract workloads to the same digest and the same figures by kind', async () => {
    const mix = {
      workload: { kind: 'mix' as const, mix: { transfer: 1, token: 1, amm: 1, nft: 1, dao: 1 }, rate: 500, nft: { cap: 40 }, dao: { deadlineSlot: 3 } },
      shard: { executor: 'block-stm' as const, threads: 4 },
    };
    const single = await runScenario(tinyScenario({ ...mix, memoryThreads: 1 }), 4);
    const threaded = await runScenario(tinyScenario({ ...mix, memoryThreads: 2 }), 4);
    expect(threaded.digest).toBe(single.digest);
    expect(Object.keys(single.byKind)).toEqual(['amm', 'dao', 'nft', 'token', 'transfer']);
    expect(single.byKind.nft!.failed + single.byKind.dao!.failed).toBeGreaterThan(0);
    expect(threaded.byKind).toEqual(single.byKind);
  });

  it('`auto` takes one thread per shard up to the CPU count; 1 keeps every shard on the main thread', () => {
    const auto = tinyScenario();
    expect(auto.memoryThreads).toBe('auto');
    expect(memoryThreadCount(auto, 1)).toBe(1);
    expect(memoryThreadCount(auto, 1_000)).toBeGreaterThanOrEqual(1);
    expect(memoryThreadCount(tinyScenario({ memoryThreads: 6 }), 4)).toBe(4);
    expect(memoryThreadCount(tinyScenario({ memoryThreads: 1 }), 16)).toBe(1);
    expect(() => validateScenario({ name: 'x', memoryThreads: 0 }, 'test')).toThrow(/memoryThreads/);
  });
});

describe('a shard thread that fails', () => {
  /** Opens a real run's transport on `threads` threads, without the controller. */
  async function open(threads: number, shards: number): Promise<Transport> {
    const sc = scenario(threads);
    const source = await openWorkloadSource(sc);
    const map = await placementFor(sc, shards, source);
    return openTransport(sc, shardSetup(sc, shards, source), { map, frozen: frozenAccounts(sc, source.accounts) }, {});
  }
  const empty = (slot: number, shards: number): SlotCommand[] =>
    Array.from({ length: shards }, () => ({ slot, finalizedSlot: -1, crosslinks: [], txs: new TxRows() }));

  it('is reported as a TransportError naming its shards and the slot, not a hang', async () => {
    // 3 threads: shards 0 and 3 here beside the controller, 1 and 4 on the first worker, 2 and 5 on the second.
    const transport = await open(3, 6);
    try {
      expect(transport).toBeInstanceOf(ThreadedTransport);
      await transport.runSlot(empty(0, 6));
      const worker = (transport as ThreadedTransport).workers[0]!;
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      await worker.terminate();
      await exited;
      const err = await transport.runSlot(empty(1, 6)).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(TransportError);
      expect((err as Error).message).toMatch(/shard thread hosting shards 1, 4 exited with code \d+ during slot 0/);
      // Every later call fails at once with the same error.
      await expect(transport.finish()).rejects.toBe(err);
    } finally {
      await transport.close();
    }
  });

  it('that cannot build its shards stops the run before the first slot', async () => {
    const opening = ThreadedTransport.open({ script: threadHostUrl(), shards: 2, hosts: [[0], [1]], setup: {}, blobs: {} });
    await expect(opening).rejects.toThrow(TransportError);
    await expect(opening).rejects.toThrow(
      /shard thread hosting shard [01] failed before the first slot: a shard thread got a run without its account placement/,
    );
  });

  it('on this thread (an error in a shard here) fails the run and stops the workers', async () => {
    let built = 0;
    const opening = ThreadedTransport.open({
      script: threadHostUrl(),
      shards: 2,
      hosts: [[0], [1]],
      setup: {},
      blobs: {},
      local: () => {
        built++;
        throw new Error('no shard here');
      },
    });
    await expect(opening).rejects.toThrow('no shard here');
    expect(built).toBe(1);
  });

  it('whose entry module cannot load stops the run', async () => {
    const script = new URL('./no-such-thread-host.js', threadHostUrl());
    await expect(ThreadedTransport.open({ script, shards: 2, hosts: [[0], [1]], setup: {}, blobs: {} })).rejects.toThrow(TransportError);
  });
});

describe('threaded memory transport against redis', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('the same digest with faults: threads, one thread, redis', async () => {
    const threaded = await runScenario(scenario(3, byzantine), 5);
    const single = await runScenario(scenario(1, byzantine), 5);
    const viaRedis = await runScenario(scenario(1, { ...byzantine, transport: 'redis', maxProcesses: 2 }), 5, { redis: { url: redis.url } });
    expect(threaded.digest).toBe(single.digest);
    expect(viaRedis.digest).toBe(single.digest);
    expect(viaRedis.byKind).toEqual(single.byKind);
    expect(threaded.byKind).toEqual(single.byKind);
  });
});
