/**
 * The controller's side of the Redis transport. Per slot it adds one command
 * job per shard (to the queue of the process hosting it, in one round trip)
 * and waits for one report per shard on the reports queue; shards send their
 * receipt batches to each other directly (redis-shard-host.ts). The
 * controller never sees receipts, only headers, as the beacon would.
 *
 * Recovery (with checkpoints on): a host process that dies is started again
 * (up to `restarts` times); its shards come back from their checkpoints and
 * the controller replays them the commands of every slot since, checking each
 * replayed report against the original, then re-sends what was in flight.
 * Every completed slot's reports are logged in Redis, so a controller that
 * died can be resumed: it re-derives its own state from the log without
 * running the shards (fast-forward), then replays the restored shards the
 * same way and carries on.
 */
import { performance } from 'node:perf_hooks';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { decodeReport, encodeCommand, type WireCommand, type WireReport } from './codec.js';
import { ConfigError, InvariantError, TransportError } from './errors.js';
import { assertRedisReachable, bullConnection, recoversOnItsOwn, redactRedisUrl, redisOptions } from './redis-connection.js';
import { type Assignment, type HostCommand, type HostMessage, K, LOBBY_PREFIX, LOBBY_QUEUE, Q, RECOVERY, type SlotJob } from './redis-names.js';
import type { Recovery, ShardSummary, SlotCommand, SlotReport, Transport } from './transport.js';

export interface RedisTransportOptions {
  readonly url: string;
  readonly prefix: string;
  readonly shards: number;
  /** Shards of each host process, by host index. */
  readonly hosts: ReadonlyArray<readonly number[]>;
  /** Keep the run's keys in Redis after it ends (debugging). */
  readonly keepKeys?: boolean;
  /** Shards checkpoint every this many slots (0: never, and a dead process stops the run). */
  readonly checkpointEvery: number;
  /** How many times dead host processes may be started again, in all. */
  readonly restarts: number;
}

const JOB = { removeOnComplete: true, removeOnFail: true, attempts: 1 } as const;
/** How long Redis may stay unreachable mid-run (reconnecting) before the run stops. */
const REDIS_GONE_MS = 15_000;
/** How long a resumed run waits for the processes of the controller that died to be gone. */
const OLD_HOSTS_GONE_MS = 40_000;

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
    const p =
      this.failure !== undefined
        ? Promise.reject(this.failure)
        : new Promise<Map<number, T>>((resolve, reject) => {
            this.waiters.set(step, { need, resolve, reject });
            this.check(step);
          });
    // A wait is created before the jobs it awaits are sent and awaited after: a
    // failure in between (a host dying mid-send) must not count as unhandled.
    p.catch(() => undefined);
    return p;
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

/** Starts a host process for an assignment (spawned here, or offered to external workers). */
export type HostStarter = (assignment: Assignment) => void;

export class RedisTransport implements Transport {
  readonly name = 'redis';
  private readonly redis: Redis;
  private readonly hostQueues: Queue[] = [];
  private readonly reportsWorker: Worker;
  private readonly messages = new Inbox<HostMessage>();
  private readonly hostOf: Int32Array;
  private liveness: NodeJS.Timeout | undefined;
  private closed = false;
  private disconnectedSince: number | undefined;
  /** The slot under way (or last run), and whether its reports are still awaited. */
  private slot = -1;
  private inFlight: 'none' | 'slot' | 'finish' = 'none';
  /** The last slot whose reports all came in. */
  private completed = -1;
  /** Per slot: the commands sent and the reports received (JSON, by shard), for replays. */
  private readonly history = new Map<number, { commands: WireCommand[]; reports: string[] | null }>();
  /** Slots before this one may be forgotten (a restored shard never replays them). */
  private retainFrom = Number.POSITIVE_INFINITY;
  /** A resumed run's log: the reports of every slot its first controller completed. */
  private logged: WireReport[][] = [];
  /** Shards restored by a resume, waiting to be replayed up to the log's end: slot of each checkpoint. */
  private toCatchUp: Map<number, number> | null = null;
  private recovery: Promise<void> = Promise.resolve();
  private restartsLeft: number;
  private readonly hostsRecovering = new Set<number>();
  readonly recoveries: Recovery[] = [];
  /** Told of each recovery as it completes (logs). */
  onRecovery: ((r: Recovery) => void) | undefined;
  private starter: HostStarter | undefined;
  private started = false;

  private constructor(private readonly opts: RedisTransportOptions) {
    this.redis = new Redis(redisOptions(opts.url));
    this.redis.on('error', () => {}); // surfaced through failed commands, not as unhandled events
    this.restartsLeft = opts.checkpointEvery > 0 ? opts.restarts : 0;
    this.hostOf = new Int32Array(opts.shards).fill(-1);
    opts.hosts.forEach((shards, h) => shards.forEach((s) => (this.hostOf[s] = h)));
    this.reportsWorker = new Worker(
      Q.reports,
      async (job) => this.hear(job.data as HostMessage),
      { connection: bullConnection(opts.url), prefix: opts.prefix, concurrency: 64, ...RECOVERY },
    );
    // Also transient: a redelivered job already removed when its twin completes.
    recoversOnItsOwn(this.reportsWorker);
  }

  private hear(m: HostMessage): void {
    switch (m.type) {
      case 'ready':
        this.messages.put(`ready@${m.epoch}:${m.host}`, m.shard, m);
        break;
      case 'slot':
        this.messages.put(m.replay === undefined ? `slot:${m.report.slot}` : `replay:${m.replay}`, m.shard, m);
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
      case 'answers':
        for (const one of m.messages) this.hear(one);
        break;
    }
  }

  /**
   * Checks Redis answers and publishes the run's setup (or, resuming, checks
   * the stored setup is this one and reads the log), then starts listening.
   */
  static async open(
    opts: RedisTransportOptions,
    setup: { readonly json: unknown; readonly blobs: Readonly<Record<string, Uint8Array>> },
    resume = false,
  ): Promise<RedisTransport> {
    await assertRedisReachable(opts.url);
    // Keys a crashed attempt left under this prefix would be taken for this run's checkpoints.
    if (!resume) await withRedis(opts.url, (r) => deleteRunKeys(r, opts.prefix));
    const t = new RedisTransport(opts);
    try {
      if (resume) await t.readLog(JSON.stringify(setup.json));
      else {
        const multi = t.redis.multi().set(K.setup(opts.prefix), JSON.stringify(setup.json));
        for (const [name, bytes] of Object.entries(setup.blobs)) multi.set(K.blob(opts.prefix, name), Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
        await multi.exec();
      }
      await t.reportsWorker.waitUntilReady();
    } catch (err) {
      await t.reportsWorker.close(true).catch(() => undefined);
      t.redis.disconnect();
      throw err;
    }
    return t;
  }

  /** Whether Redis holds a resumable run under `prefix` (its setup and its log). */
  static async canResume(url: string, prefix: string): Promise<boolean> {
    await assertRedisReachable(url);
    return withRedis(url, async (r) => (await r.exists(K.setup(prefix), K.slotLog(prefix))) === 2);
  }

  private async readLog(setupJson: string): Promise<void> {
    const p = this.opts.prefix;
    const stored = await this.redis.get(K.setup(p));
    if (stored === null) throw new TransportError(`Redis at ${redactRedisUrl(this.opts.url)} holds no run ${p} to resume (it finished, or its keys were removed)`);
    if (stored !== setupJson) throw new ConfigError('--resume', `the scenario differs from the one run ${p} started with; resume with the same file, --set and --seed options`);
    this.logged = (await this.redis.lrange(K.slotLog(p), 0, -1)).map((e) => JSON.parse(e) as WireReport[]);
    await this.awaitOldHostsGone();
  }

  /**
   * The dying controller's processes follow it within a second or two, but
   * one in the middle of a slot finishes that first. A host is alive while its
   * heartbeat key keeps being refreshed; its successor must not start before.
   */
  private async awaitOldHostsGone(): Promise<void> {
    const keys = this.opts.hosts.map((_, h) => K.alive(this.opts.prefix, h));
    const deadline = Date.now() + OLD_HOSTS_GONE_MS;
    for (;;) {
      const before = await Promise.all(keys.map((k) => this.redis.pttl(k)));
      if (before.every((ms) => ms < 0)) break;
      await new Promise((r) => setTimeout(r, 2_500));
      const after = await Promise.all(keys.map((k) => this.redis.pttl(k)));
      // Refreshed every second: a key that only ran down for 2.5 s has nobody behind it.
      if (after.every((ms, i) => ms < 0 || ms < before[i]! - 2_000)) break;
      if (Date.now() > deadline) throw new TransportError(`run ${this.opts.prefix} still has live shard processes; is its first controller still running?`);
    }
    if (keys.length > 0) await this.redis.del(...keys);
  }

  /**
   * Starts every host (through `starter`, also used for restarts) and
   * resolves once each has built its shards and listens for commands.
   */
  async start(starter: HostStarter, resume = false): Promise<void> {
    this.starter = starter;
    const epoch = await this.redis.incr(K.epoch(this.opts.prefix));
    this.opts.hosts.forEach((_, h) => this.openHostQueue(h, epoch));
    const readies = this.opts.hosts.map((shards, h) => this.messages.wait(`ready@${epoch}:${h}`, shards.length));
    for (let h = 0; h < this.opts.hosts.length; h++) starter(this.assignment(h, epoch));
    const restored = new Map<number, number>();
    for (const ready of await Promise.all(readies)) for (const [shard, m] of ready) if (m.type === 'ready') restored.set(shard, m.restored);
    if (resume) {
      // Shards come back from their checkpoints; after the fast-forward over the log they are replayed up to its end.
      this.toCatchUp = restored;
      this.retainFrom = Math.min(...restored.values()) + 1;
    }
    this.started = true;
    this.liveness = setInterval(() => void this.checkAlive(), 1_000);
  }

  /** Offers the hosts' assignments on the lobby, for workers started elsewhere (`shardsim worker`). */
  static externalStarter(url: string): HostStarter {
    return (a) => {
      const redis = new Redis(redisOptions(url));
      redis.on('error', () => {});
      const lobby = recoversOnItsOwn(new Queue(LOBBY_QUEUE, { connection: redis, prefix: LOBBY_PREFIX }));
      void lobby
        .add('assignment', a, { ...JOB, jobId: `${a.prefix.replace(/[^A-Za-z0-9-]/g, '')}-${a.host}-${a.epoch}` })
        .finally(() => lobby.close().then(() => redis.disconnect()));
    };
  }

  private assignment(h: number, epoch: number): Assignment {
    return { prefix: this.opts.prefix, host: h, shards: this.opts.hosts[h]!, epoch, checkpointEvery: this.opts.checkpointEvery, hostOf: [...this.hostOf] };
  }

  private openHostQueue(h: number, epoch: number): void {
    void this.hostQueues[h]?.close().catch(() => undefined);
    this.hostQueues[h] = recoversOnItsOwn(new Queue(Q.host(h, epoch), { connection: this.redis, prefix: this.opts.prefix }));
  }

  /** The slot under way (-1 before the first): where a failure stopped the run. */
  get currentSlot(): number {
    return this.slot;
  }

  /** Stops every pending and future wait with `err` (a host process died, a queue broke). */
  fail(err: Error): void {
    this.messages.fail(err);
  }

  /**
   * A host process died: starts it again if restarts are left (its shards
   * recover from their checkpoints), or stops the run with `why`.
   */
  hostDied(h: number, why: string): void {
    if (this.closed) return;
    if (this.restartsLeft <= 0 || !this.started) {
      const when = this.slot < 0 ? 'before the first slot' : `during slot ${this.slot}`;
      const reason = this.opts.checkpointEvery === 0 ? 'checkpoints are off (recovery.checkpointEvery: 0)' : `no restarts left (recovery.restarts: ${this.opts.restarts})`;
      this.fail(new TransportError(`${why} ${when}; ${reason}, so the run is stopped and no results are written`));
      return;
    }
    this.restartsLeft--;
    this.hostsRecovering.add(h);
    const died = performance.now();
    const slot = this.slot;
    this.recovery = this.recovery
      .then(() => this.restartHost(h, died, slot))
      .catch((err: unknown) => this.fail(err instanceof Error ? err : new TransportError(String(err))));
  }

  private async restartHost(h: number, died: number, slot: number): Promise<void> {
    const shards = this.opts.hosts[h]!;
    const epoch = await this.redis.incr(K.epoch(this.opts.prefix));
    this.openHostQueue(h, epoch);
    const ready = this.messages.wait(`ready@${epoch}:${h}`, shards.length);
    this.starter!(this.assignment(h, epoch));
    const restored = new Map<number, number>();
    for (const [shard, m] of await ready) if (m.type === 'ready') restored.set(shard, m.restored);
    const replayed = await this.replay(restored, `${epoch}`);
    // What was in flight when the process died goes to its successor again.
    if (this.inFlight === 'slot') {
      const sent = this.history.get(this.slot)!;
      await this.hostQueues[h]!.addBulk(shards.map((shard) => this.slotJob(shard, sent.commands[shard]!)));
    } else if (this.inFlight === 'finish') {
      await this.hostQueues[h]!.addBulk(shards.map((shard) => ({ name: 'finish', data: { type: 'finish', shard } as HostCommand, opts: JOB })));
    }
    this.hostsRecovering.delete(h);
    this.recovered({ host: h, shards, slot, replayedSlots: replayed, wallSeconds: (performance.now() - died) / 1000 });
  }

  /**
   * Brings restored shards (shard -> slot of its checkpoint) up to the last
   * completed slot, one slot at a time, each replayed report checked against
   * the original. Returns how many slots were replayed.
   */
  private async replay(restored: ReadonlyMap<number, number>, tag: string): Promise<number> {
    const from = Math.min(...restored.values()) + 1;
    for (let slot = from; slot <= this.completed; slot++) {
      const who = [...restored].filter(([, at]) => at < slot).map(([shard]) => shard);
      const past = this.history.get(slot);
      if (past === undefined || past.reports === null) throw new TransportError(`cannot replay slot ${slot} to shards ${who.join(', ')}: the controller no longer holds its commands`);
      const step = `${tag}:${slot}`;
      const arrived = this.messages.wait(`replay:${step}`, who.length);
      await this.sendToHosts(who.map((shard) => this.slotJob(shard, past.commands[shard]!, step)), who);
      for (const [shard, m] of await arrived) {
        if (m.type !== 'slot' || JSON.stringify(m.report) !== past.reports[shard]) {
          throw new InvariantError(
            'deterministic recovery',
            { shard, slot },
            `restored from its checkpoint of slot ${restored.get(shard)}, the shard reported this slot differently than before the crash`,
          );
        }
      }
    }
    return Math.max(0, this.completed - from + 1);
  }

  private recovered(r: Recovery): void {
    this.recoveries.push(r);
    this.onRecovery?.(r);
  }

  private slotJob(shard: number, command: WireCommand, replay?: string): { name: string; data: HostCommand; opts: typeof JOB } {
    return { name: 'slot', data: replay === undefined ? { type: 'slot', shard, command } : { type: 'slot', shard, command, replay }, opts: JOB };
  }

  /** Adds jobs for `shards` (in the same order) to their hosts' queues, one round trip per host. */
  private async sendToHosts(jobs: ReadonlyArray<{ name: string; data: HostCommand; opts: typeof JOB }>, shards: readonly number[]): Promise<void> {
    const byHost = new Map<number, Array<{ name: string; data: HostCommand; opts: typeof JOB }>>();
    jobs.forEach((job, i) => {
      const h = this.hostOf[shards[i]!]!;
      let list = byHost.get(h);
      if (list === undefined) byHost.set(h, (list = []));
      list.push(job);
    });
    await Promise.all([...byHost].map(([h, list]) => this.hostQueues[h]!.addBulk(list)));
  }

  private remember(slot: number, commands: WireCommand[]): void {
    this.history.set(slot, { commands, reports: null });
    // A shard restores from a checkpoint at most one interval (plus the slot that was writing one) behind.
    const keep = this.opts.checkpointEvery + 2;
    for (const s of this.history.keys()) if (s < Math.min(slot - keep, this.retainFrom)) this.history.delete(s);
  }

  async runSlot(commands: readonly SlotCommand[]): Promise<SlotReport[]> {
    const slot = commands[0]?.slot ?? 0;
    const wire = commands.map(encodeCommand);
    this.remember(slot, wire);
    if (slot < this.logged.length) {
      // Resuming: this slot's reports are in the log; the shards are not asked.
      const reports = this.logged[slot]!;
      this.history.get(slot)!.reports = reports.map((r) => JSON.stringify(r));
      this.slot = this.completed = slot;
      return reports.map(decodeReport);
    }
    await this.catchUp();
    await this.recovery;
    this.slot = slot;
    this.inFlight = 'slot';
    const arrived = this.messages.wait(`slot:${slot}`, commands.length);
    await Promise.all(
      this.opts.hosts.map((shards, h) => {
        const jobs = shards.map((shard): SlotJob => ({ type: 'slot', shard, command: wire[shard]! }));
        return this.hostQueues[h]!.add('slots', { type: 'slots', jobs } satisfies HostCommand, JOB);
      }),
    );
    const got = await arrived;
    const out: SlotReport[] = new Array(commands.length);
    const texts: string[] = new Array(commands.length);
    const logged: WireReport[] = new Array(commands.length);
    for (const [shard, m] of got) {
      if (m.type !== 'slot') continue;
      out[shard] = decodeReport(m.report);
      texts[shard] = JSON.stringify(m.report);
      logged[shard] = m.report;
    }
    this.history.get(slot)!.reports = texts;
    this.inFlight = 'none';
    this.completed = slot;
    // Logged before the next slot's commands go out: a resumed controller never finds shards ahead of its log by more than one slot.
    if (this.opts.checkpointEvery > 0) await this.redis.rpush(K.slotLog(this.opts.prefix), `[${texts.join(',')}]`);
    return out;
  }

  /** After a resume's fast-forward: replays every restored shard up to the last logged slot. */
  private async catchUp(): Promise<void> {
    const restored = this.toCatchUp;
    if (restored === null) return;
    this.toCatchUp = null;
    const t0 = performance.now();
    const replayed = await this.replay(restored, 'resume');
    this.retainFrom = Number.POSITIVE_INFINITY;
    this.recovered({ host: -1, shards: [...restored.keys()], slot: this.completed, replayedSlots: replayed, wallSeconds: (performance.now() - t0) / 1000 });
  }

  async finish(): Promise<ShardSummary[]> {
    await this.catchUp();
    await this.recovery;
    this.inFlight = 'finish';
    const arrived = this.messages.wait('summary', this.opts.shards);
    const shards = this.opts.hosts.flat();
    await this.sendToHosts(shards.map((shard) => ({ name: 'finish', data: { type: 'finish', shard } as HostCommand, opts: JOB })), shards);
    const got = await arrived;
    this.inFlight = 'none';
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
      for (let h = 0; h < this.opts.hosts.length; h++) {
        if (this.hostsRecovering.has(h)) continue;
        if ((await this.redis.exists(K.alive(this.opts.prefix, h))) === 0 && !this.hostsRecovering.has(h)) {
          this.fail(new TransportError(`the worker hosting shard${this.opts.hosts[h]!.length > 1 ? 's' : ''} ${this.opts.hosts[h]!.join(', ')} stopped responding at slot ${this.slot}`));
          return;
        }
      }
    } catch (err) {
      this.fail(new TransportError(`lost Redis at ${redactRedisUrl(this.opts.url)}: ${(err as Error).message}`));
    }
  }
}

/** Runs `work` on a connection of its own, closed after. */
async function withRedis<T>(url: string, work: (r: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(redisOptions(url));
  redis.on('error', () => {});
  try {
    return await work(redis);
  } finally {
    redis.disconnect();
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
