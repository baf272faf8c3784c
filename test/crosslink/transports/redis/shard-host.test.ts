/**
 * The shard side of the Redis transport, driven directly: what counts as a
 * block's batches having arrived, and what a shard's finish has seen. Both
 * made a faulty run's digest depend on timing (a forged batch stood in for an
 * honest one; the last slot's jobs raced the finish command).
 */
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ReceiptBatch, sealBatches } from '../../../../crosslink/batch.js';
import { ZERO_HASH } from '../../../../crosslink/hash.js';
import type { BlockHeader, Crosslink } from '../../../../crosslink/header.js';
import { type Receipt, ReceiptKind } from '../../../../crosslink/receipt.js';
import type { ShardEndpoint, ShardNetwork, ShardSummary } from '../../../../crosslink/transport.js';
import { ControlKey } from '../../../../crosslink/transports/redis/control-auth.js';
import { type Assignment, type HostCommand, type HostMessage, K, Q, runPrefix } from '../../../../crosslink/transports/redis/names.js';
import { RedisShardHost, RedisShardNetwork } from '../../../../crosslink/transports/redis/shard-host.js';
import { encodeBatch } from '../../../../crosslink/wire/codec.js';
import { PROTOCOL_VERSION } from '../../../../crosslink/wire/control.js';
import { startRedis, type TestRedis } from '../../../helpers/redis.js';

const SRC = 1;
const SECRET = 'a test secret of enough length';
const DST = 0;

function credit(slot: number, index: number): Receipt {
  return {
    kind: ReceiptKind.Credit,
    srcShard: SRC,
    srcSlot: slot,
    index,
    dstShard: DST,
    txId: index,
    from: 0,
    originShard: SRC,
    to: 5,
    amount: 10 + index,
    submitMs: 0,
    op: 0,
    a: 0,
    b: 0,
    c: 0,
    workGas: 0,
  };
}

/** SRC's honest batch for DST at `slot`, and the crosslink a destination awaits it by. */
function block(slot: number): { batch: ReceiptBatch; crosslink: Crosslink } {
  const sealed = sealBatches(SRC, slot, [credit(slot, 0), credit(slot, 1)]);
  const header: BlockHeader = {
    shard: SRC,
    slot,
    parentHash: ZERO_HASH,
    stateRoot: ZERO_HASH,
    txRoot: ZERO_HASH,
    receiptsRoot: sealed.receiptsRoot,
    gasUsed: 0,
    txCount: 0,
    receiptCount: 2,
  };
  return { batch: sealed.batches[0]!, crosslink: { header, count: 2, value: 21 } };
}

/** Lets every pending callback run (no timer: receive's own wait is a second). */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
};

describe('RedisShardNetwork.receive', () => {
  it("does not take a forged batch claiming its sender's next block for that block's arrival", async () => {
    const net = new RedisShardNetwork(DST, [], [0, 0], 64, (op) => op());
    const four = block(4);
    const five = block(5);
    // At slot 4, SRC sends its honest batch and an "unfinalized" forgery claiming slot 5 (one job, ids by send slot).
    net.accept('1-4-0', encodeBatch(four.batch));
    net.accept('1-4-1', encodeBatch({ ...four.batch, srcSlot: 5, receipts: four.batch.receipts.map((r) => ({ ...r, srcSlot: 5 })) }));
    expect((await net.receive([four.crosslink])).map((b) => b.srcSlot)).toEqual([4, 5]);

    // Slot 5 is final: the destination awaits SRC's honest batch of slot 5, which the forgery is not.
    let got: ReceiptBatch[] | undefined;
    const receiving = net.receive([five.crosslink]).then((b) => (got = b));
    await settle();
    expect(got).toBeUndefined();
    net.accept('1-5-0', encodeBatch(five.batch));
    await receiving;
    expect(got!.map((b) => [b.srcSlot, b.receipts.length])).toEqual([[5, 2]]);
  });
});

describe('RedisShardHost finish', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it("counts the batches of receipt jobs its worker has not taken yet (the last slot's)", async () => {
    const prefix = runPrefix(`finish-${process.pid}`);
    const assignment: Assignment = {
      protocol: PROTOCOL_VERSION,
      prefix,
      host: 0,
      shards: [DST],
      epoch: 1,
      checkpointEvery: 0,
      hostOf: [0, 1],
      controller: 'test-controller',
    };
    // The host serves while its controller's heartbeat holds the assignment's id, and takes only signed commands.
    await redis.client.set(K.controller(prefix), assignment.controller, 'PX', 60_000);
    const auth = new ControlKey(SECRET, prefix);
    const receipts = new Queue(Q.receipts(0), { connection: redis.client, prefix });
    const commands = new Queue(Q.host(0, 1), { connection: redis.client, prefix });
    const reports = new Queue(Q.reports, { connection: redis.client, prefix });
    // Its worker takes nothing: the job stands for one added just before the finish command.
    await receipts.pause();
    const late = block(7).batch;
    await receipts.add('batches', { batches: [['1-9-0', encodeBatch(late)]] }, { jobId: '1-9-h0' });

    // A shard whose summary says what its network handed over at the end.
    const factory = (shard: number, net: ShardNetwork): ShardEndpoint => ({
      shard,
      onSlot: () => Promise.reject(new Error('no slots in this test')),
      onFinish: async () => ({ shard, receivedAtFinish: (await net.receive([], 7)).length }) as unknown as ShardSummary,
      checkpoint: () => ({ shard, slot: -1, data: null }),
      restore: () => {},
    });
    const host = await RedisShardHost.connect(redis.url, assignment, SECRET);
    const serving = host.serve(2, factory);
    try {
      await commands.add('finish', auth.seal({ type: 'finish', shard: DST } satisfies HostCommand));
      let summary: HostMessage | undefined;
      for (let i = 0; i < 600 && summary === undefined; i++) {
        summary = (await reports.getJobs(['wait'])).map((j) => auth.open<HostMessage>(j.data)).find((m) => m?.type === 'summary') ?? undefined;
        if (summary === undefined) await new Promise((r) => setTimeout(r, 50));
      }
      expect(summary).toMatchObject({ type: 'summary', shard: DST, summary: { receivedAtFinish: 1 } });
    } finally {
      await commands.add('close', auth.seal({ type: 'close' } satisfies HostCommand));
      await serving;
      await Promise.all([receipts, commands, reports].map((q) => q.close()));
    }
  });
});
