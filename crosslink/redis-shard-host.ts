/**
 * The shard side of the Redis transport: one worker process hosting one or
 * more shards. It takes commands from its host queue (one job per shard and
 * slot, processed one at a time, in order), sends each block's receipt
 * batches straight to the destinations' receipt queues, and reports to the
 * controller. Delivery is at-least-once; the shards' inboxes make
 * application exactly-once.
 */
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { ReceiptBatch } from './batch.js';
import { decodeBatch, decodeCommand, encodeBatch, encodeReport, type WireBatch } from './codec.js';
import { TransportError } from './errors.js';
import { assertRedisReachable, bullConnection, recoversOnItsOwn, redisOptions } from './redis-connection.js';
import { ALIVE_TTL_MS, type Assignment, type HostCommand, type HostMessage, K, Q, RECOVERY } from './redis-names.js';
import type { BatchKey, ShardEndpoint, ShardNetwork } from './transport.js';

const JOB = { removeOnComplete: true, removeOnFail: true, attempts: 1 } as const;
/** A batch announced by a finalized header that takes longer than this to arrive is a failure, not a wait. */
const BATCH_WAIT_MS = 120_000;

const keyOf = (src: number, slot: number): number => src * 0x20_0000 + slot;

/** One hosted shard's mailbox: batches arrive from its receipt queue at any time. */
class RedisShardNetwork implements ShardNetwork {
  private mailbox: ReceiptBatch[] = [];
  private readonly arrived = new Set<number>();
  private wake: (() => void) | undefined;
  private sends = 0;

  constructor(
    private readonly shard: number,
    private readonly receiptQueues: readonly Queue[],
  ) {}

  deliver(batch: ReceiptBatch): void {
    this.mailbox.push(batch);
    this.arrived.add(keyOf(batch.srcShard, batch.srcSlot));
    this.wake?.();
  }

  async send(batches: readonly ReceiptBatch[]): Promise<void> {
    const send = this.sends++;
    // The job id (sender, send, position) makes a retried add idempotent and keeps deliberate copies
    // (injected duplicates, forgeries) apart. A redelivered batch is dropped by the inbox.
    await Promise.all(
      batches.map((b, i) =>
        this.receiptQueues[b.dstShard]!.add('batch', encodeBatch(b), { ...JOB, jobId: `${this.shard}-${send}-${i}` }),
      ),
    );
  }

  async receive(awaited: readonly BatchKey[]): Promise<ReceiptBatch[]> {
    const deadline = Date.now() + BATCH_WAIT_MS;
    for (;;) {
      const missing = awaited.filter((k) => !this.arrived.has(keyOf(k.srcShard, k.srcSlot)));
      if (missing.length === 0) break;
      const left = deadline - Date.now();
      if (left <= 0) {
        const list = missing.slice(0, 5).map((k) => `shard ${k.srcShard} slot ${k.srcSlot}`).join(', ');
        throw new TransportError(`shard ${this.shard}: receipt batches announced by finalized headers never arrived (${list}${missing.length > 5 ? ', ...' : ''})`);
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 1_000));
        this.wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.wake = undefined;
    }
    const box = this.mailbox;
    this.mailbox = [];
    return box;
  }
}

export type ShardFactory = (shard: number, net: ShardNetwork) => ShardEndpoint;

export class RedisShardHost {
  private readonly redis: Redis;
  private readonly reports: Queue;
  private readonly receiptQueues: Queue[] = [];
  private readonly workers: Worker[] = [];
  private heartbeat: NodeJS.Timeout | undefined;

  private constructor(
    private readonly url: string,
    private readonly assignment: Assignment,
  ) {
    // Auto-pipelining folds the many small adds of one block (a batch per destination) into one round trip.
    this.redis = new Redis({ ...redisOptions(url), enableAutoPipelining: true });
    this.redis.on('error', () => {}); // surfaced by failing commands
    this.reports = recoversOnItsOwn(new Queue(Q.reports, { connection: this.redis, prefix: assignment.prefix }));
  }

  static async connect(url: string, assignment: Assignment): Promise<RedisShardHost> {
    await assertRedisReachable(url);
    return new RedisShardHost(url, assignment);
  }

  /** The run's setup: its JSON part and the named binary parts. */
  async readSetup(blobs: readonly string[]): Promise<{ json: unknown; blobs: Record<string, Uint8Array | null> }> {
    const p = this.assignment.prefix;
    const text = await this.redis.get(K.setup(p));
    if (text === null) throw new TransportError(`run ${p} has no setup in Redis (did its controller stop?)`);
    const out: Record<string, Uint8Array | null> = {};
    for (const name of blobs) {
      const b = await this.redis.getBuffer(K.blob(p, name));
      out[name] = b === null ? null : new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    }
    return { json: JSON.parse(text) as unknown, blobs: out };
  }

  /** Builds the assigned shards and serves them until the controller says close. */
  async serve(shardCount: number, factory: ShardFactory): Promise<void> {
    const { prefix, host, shards } = this.assignment;
    for (let d = 0; d < shardCount; d++) this.receiptQueues.push(recoversOnItsOwn(new Queue(Q.receipts(d), { connection: this.redis, prefix })));
    const endpoints = new Map<number, ShardEndpoint>();
    const alive = async () => {
      await this.redis.set(K.alive(prefix, host), '1', 'PX', ALIVE_TTL_MS);
    };
    await alive();
    this.heartbeat = setInterval(() => void alive().catch(() => undefined), 1_000);

    for (const shard of shards) {
      const net = new RedisShardNetwork(shard, this.receiptQueues);
      endpoints.set(shard, factory(shard, net));
      const w = new Worker(Q.receipts(shard), async (job) => net.deliver(decodeBatch(job.data as WireBatch)), {
        connection: bullConnection(this.url),
        prefix,
        concurrency: 16,
        ...RECOVERY,
      });
      this.workers.push(recoversOnItsOwn(w));
    }

    let closing: () => void = () => {};
    const closed = new Promise<void>((resolve) => (closing = resolve));
    const send = (m: HostMessage) => this.reports.add(m.type, m, JOB);
    const answered = new Map<number, { slot: number; message: HostMessage }>();
    const commands = new Worker(
      Q.host(host),
      async (job) => {
        const c = job.data as HostCommand;
        if (c.type === 'close') {
          await send({ type: 'closed', host });
          closing();
          return;
        }
        const ep = endpoints.get(c.shard);
        if (ep === undefined) throw new TransportError(`host ${host} got a command for shard ${c.shard}, which it does not host`);
        const slot = c.type === 'slot' ? c.command.slot : Number.MAX_SAFE_INTEGER;
        // BullMQ may run a job again (a stalled job after a dropped connection): a command
        // already carried out is answered from the cache, never executed twice.
        const done = answered.get(c.shard);
        if (done !== undefined && slot <= done.slot) {
          if (slot === done.slot) await send(done.message);
          return;
        }
        try {
          const message: HostMessage =
            c.type === 'slot'
              ? { type: 'slot', shard: c.shard, report: encodeReport(await ep.onSlot(decodeCommand(c.command))) }
              : { type: 'summary', shard: c.shard, summary: await ep.onFinish() };
          answered.set(c.shard, { slot, message });
          await send(message);
        } catch (err) {
          await send({ type: 'error', shard: c.shard, slot, message: err instanceof Error ? err.message : String(err) });
        }
      },
      // The controller sends a shard its next command only after every report of the
      // slot before, so a shard never has two commands queued: hosted shards' commands
      // may run side by side (one shard's Redis round trips overlap another's work)
      // while each shard's slots stay in order. A command that stalls (its lock lost
      // with a dropped connection) runs again, answered from the cache.
      { connection: bullConnection(this.url), prefix, concurrency: shards.length, ...RECOVERY, lockDuration: 30_000 },
    );
    this.workers.push(recoversOnItsOwn(commands));
    await Promise.all(this.workers.map((w) => w.waitUntilReady()));
    for (const shard of shards) await send({ type: 'ready', shard, host });
    await closed;
    await this.shutdown();
  }

  async shutdown(): Promise<void> {
    if (this.heartbeat !== undefined) clearInterval(this.heartbeat);
    await this.redis.del(K.alive(this.assignment.prefix, this.assignment.host)).catch(() => undefined);
    await Promise.all(this.workers.map((w) => w.close().catch(() => undefined)));
    await Promise.all([this.reports, ...this.receiptQueues].map((q) => q.close().catch(() => undefined)));
    await this.redis.quit().catch(() => undefined);
  }
}
