/**
 * The controller's side of the Redis transport. Per slot it adds one command
 * job per shard (to the queue of the process hosting it, in one round trip)
 * and waits for one report per shard on the reports queue; shards send their
 * receipt batches to each other directly (redis-shard-host.ts). The
 * controller never sees receipts, only headers, as the beacon would.
 */
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { decodeReport, encodeCommand } from './codec.js';
import { TransportError } from './errors.js';
import { assertRedisReachable, bullConnection, recoversOnItsOwn, redactRedisUrl, redisOptions } from './redis-connection.js';
import { type Assignment, type HostCommand, type HostMessage, K, LOBBY_PREFIX, LOBBY_QUEUE, Q, RECOVERY } from './redis-names.js';
import type { ShardSummary, SlotCommand, SlotReport, Transport } from './transport.js';

export interface RedisTransportOptions {
  readonly url: string;
  readonly prefix: string;
  readonly shards: number;
  /** Shards of each host process, by host index. */
  readonly hosts: ReadonlyArray<readonly number[]>;
  /** Keep the run's keys in Redis after it ends (debugging). */
  readonly keepKeys?: boolean;
}

const JOB = { removeOnComplete: true, removeOnFail: true, attempts: 1 } as const;
/** How long Redis may stay unreachable mid-run (reconnecting) before the run stops. */
const REDIS_GONE_MS = 15_000;

/** Collects one message per shard (or host) for each expected step. */
class Inbox<T> {
  private readonly got = new Map<string, Map<number, T>>();
  private readonly waiters = new Map<string, { need: number; resolve: (v: Map<number, T>) => void; reject: (e: Error) => void }>();
  private failure: Error | undefined;

  put(step: string, who: number, value: T): void {
    let m = this.got.get(step);
    if (m === undefined) this.got.set(step, (m = new Map()));
    m.set(who, value); // a redelivered report replaces its twin
    this.check(step);
  }

  wait(step: string, need: number): Promise<Map<number, T>> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiters.set(step, { need, resolve, reject });
      this.check(step);
    });
  }

  fail(err: Error): void {
    this.failure ??= err;
    for (const w of this.waiters.values()) w.reject(err);
    this.waiters.clear();
  }

  private check(step: string): void {
    const w = this.waiters.get(step);
    const m = this.got.get(step);
    if (w === undefined || m === undefined || m.size < w.need) return;
    this.waiters.delete(step);
    this.got.delete(step);
    w.resolve(m);
  }
}

export class RedisTransport implements Transport {
  readonly name = 'redis';
  private readonly redis: Redis;
  private readonly hostQueues: Queue[];
  private readonly reportsWorker: Worker;
  private readonly messages = new Inbox<HostMessage>();
  private readonly hostOf: Int32Array;
  private liveness: NodeJS.Timeout | undefined;
  private closed = false;
  private disconnectedSince: number | undefined;
  private slot = -1;

  private constructor(private readonly opts: RedisTransportOptions) {
    this.redis = new Redis(redisOptions(opts.url));
    this.redis.on('error', () => {}); // surfaced through failed commands, not as unhandled events
    this.hostQueues = opts.hosts.map((_, h) => recoversOnItsOwn(new Queue(Q.host(h), { connection: this.redis, prefix: opts.prefix })));
    this.hostOf = new Int32Array(opts.shards).fill(-1);
    opts.hosts.forEach((shards, h) => shards.forEach((s) => (this.hostOf[s] = h)));
    this.reportsWorker = new Worker(
      Q.reports,
      async (job) => {
        const m = job.data as HostMessage;
        switch (m.type) {
          case 'ready':
            this.messages.put('ready', m.shard, m);
            break;
          case 'slot':
            this.messages.put(`slot:${m.report.slot}`, m.shard, m);
            break;
          case 'summary':
            this.messages.put('summary', m.shard, m);
            break;
          case 'closed':
            this.messages.put('closed', m.host, m);
            break;
          case 'error':
            this.fail(new TransportError(`shard ${m.shard} failed at slot ${m.slot}: ${m.message}`));
            break;
        }
      },
      { connection: bullConnection(opts.url), prefix: opts.prefix, concurrency: 64, ...RECOVERY },
    );
    // Also transient: a redelivered job already removed when its twin completes.
    recoversOnItsOwn(this.reportsWorker);
  }

  /** Checks Redis answers, publishes the run's setup, and starts listening for reports. */
  static async open(opts: RedisTransportOptions, setup: { readonly json: unknown; readonly blobs: Readonly<Record<string, Uint8Array>> }): Promise<RedisTransport> {
    await assertRedisReachable(opts.url);
    const t = new RedisTransport(opts);
    const multi = t.redis.multi().set(K.setup(opts.prefix), JSON.stringify(setup.json));
    for (const [name, bytes] of Object.entries(setup.blobs)) multi.set(K.blob(opts.prefix, name), Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    await multi.exec();
    await t.reportsWorker.waitUntilReady();
    return t;
  }

  /** Offers the hosts' assignments on the lobby, for workers started elsewhere (`shardsim worker`). */
  async offerToExternalWorkers(): Promise<void> {
    const lobby = recoversOnItsOwn(new Queue(LOBBY_QUEUE, { connection: this.redis, prefix: LOBBY_PREFIX }));
    const jobs = this.opts.hosts.map((shards, host) => {
      const data: Assignment = { prefix: this.opts.prefix, host, shards };
      return { name: 'assignment', data, opts: { ...JOB, jobId: `${this.opts.prefix.replace(/[^A-Za-z0-9-]/g, "")}-${host}` } };
    });
    await lobby.addBulk(jobs);
    await lobby.close();
  }

  /** Resolves once every shard's host has built it and listens for commands. */
  async ready(): Promise<void> {
    await this.messages.wait('ready', this.opts.shards);
    this.liveness = setInterval(() => void this.checkAlive(), 1_000);
  }

  /** The slot under way (-1 before the first): where a failure stopped the run. */
  get currentSlot(): number {
    return this.slot;
  }

  /** Stops every pending and future wait with `err` (a host process died, a queue broke). */
  fail(err: Error): void {
    this.messages.fail(err);
  }

  async runSlot(commands: readonly SlotCommand[]): Promise<SlotReport[]> {
    const slot = commands[0]?.slot ?? 0;
    this.slot = slot;
    const byHost = new Map<number, Array<{ name: string; data: HostCommand; opts: typeof JOB }>>();
    commands.forEach((c, shard) => {
      const h = this.hostOf[shard]!;
      let list = byHost.get(h);
      if (list === undefined) byHost.set(h, (list = []));
      list.push({ name: 'slot', data: { type: 'slot', shard, command: encodeCommand(c) }, opts: JOB });
    });
    const arrived = this.messages.wait(`slot:${slot}`, commands.length);
    await Promise.all([...byHost].map(([h, jobs]) => this.hostQueues[h]!.addBulk(jobs)));
    const got = await arrived;
    const out: SlotReport[] = new Array(commands.length);
    for (const [shard, m] of got) if (m.type === 'slot') out[shard] = decodeReport(m.report);
    return out;
  }

  async finish(): Promise<ShardSummary[]> {
    const arrived = this.messages.wait('summary', this.opts.shards);
    await Promise.all(
      this.opts.hosts.map((shards, h) =>
        this.hostQueues[h]!.addBulk(shards.map((shard) => ({ name: 'finish', data: { type: 'finish', shard } as HostCommand, opts: JOB }))),
      ),
    );
    const got = await arrived;
    const out: ShardSummary[] = new Array(this.opts.shards);
    for (const [shard, m] of got) if (m.type === 'summary') out[shard] = m.summary;
    return out;
  }

  /**
   * Tells hosts to stop (waiting briefly for them, then for `hostsGone`, e.g.
   * the exit of spawned processes), closes the queues, and only then removes
   * every key under the run's prefix, so no late write outlives the cleanup.
   */
  async close(hostsGone?: () => Promise<void>): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.liveness !== undefined) clearInterval(this.liveness);
    try {
      const bye = this.messages.wait('closed', this.opts.hosts.length).catch(() => undefined);
      await Promise.all(this.hostQueues.map((q) => q.add('close', { type: 'close' } as HostCommand, JOB)));
      await Promise.race([bye, new Promise((r) => setTimeout(r, 5_000).unref())]);
    } catch {
      // Redis gone or hosts dead: nothing left to tell them.
    }
    await hostsGone?.();
    await this.reportsWorker.close(true).catch(() => undefined);
    await Promise.all(this.hostQueues.map((q) => q.close().catch(() => undefined)));
    if (this.opts.keepKeys !== true) await deleteRunKeys(this.redis, this.opts.prefix).catch(() => undefined);
    this.redis.disconnect();
  }

  private async checkAlive(): Promise<void> {
    if (this.closed) return;
    if (this.redis.status !== 'ready') {
      this.disconnectedSince ??= Date.now();
      if (Date.now() - this.disconnectedSince > REDIS_GONE_MS) {
        this.fail(new TransportError(`lost Redis at ${redactRedisUrl(this.opts.url)} for more than ${REDIS_GONE_MS / 1000} s during slot ${this.slot}`));
      }
      return;
    }
    this.disconnectedSince = undefined;
    try {
      const keys = this.opts.hosts.map((_, h) => K.alive(this.opts.prefix, h));
      const present = await this.redis.exists(...keys);
      if (present < keys.length) {
        for (let h = 0; h < keys.length; h++) {
          if ((await this.redis.exists(keys[h]!)) === 0) {
            this.fail(new TransportError(`the worker hosting shard${this.opts.hosts[h]!.length > 1 ? 's' : ''} ${this.opts.hosts[h]!.join(', ')} stopped responding at slot ${this.slot}`));
            return;
          }
        }
      }
    } catch (err) {
      this.fail(new TransportError(`lost Redis at ${redactRedisUrl(this.opts.url)}: ${(err as Error).message}`));
    }
  }
}

/** Removes every key under a run's prefix (SCAN + UNLINK, never KEYS). */
export async function deleteRunKeys(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let removed = 0;
  const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) removed += await redis.unlink(...keys);
  } while (cursor !== '0');
  return removed;
}

