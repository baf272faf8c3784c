/**
 * The controller's side of the Redis transport. Per slot it adds one command
 * job per shard (to the queue of the process hosting it, in one round trip)
 * and waits for one report per shard on the reports queue; shards send their
 * receipt batches to each other directly (shard-host.ts). The
 * controller never sees receipts, only headers, as the beacon would.
 *
 * Beside the slot round trip, this folder holds: recovery.ts (a dead host
 * process restarted, its shards restored and replayed: the whole path is
 * walked there), resume.ts (the slot log, and a dead controller resumed from
 * it), liveness.ts (the watch on the hosts' heartbeats), lobby.ts (host
 * processes offered to workers started elsewhere), report-queue.ts (reports
 * collected per awaited step).
 */
import { randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { RedisLostError, ShardsimError, TransportError } from '../../common/errors.js';
import type { Recovery, ShardSummary, SlotCommand, SlotReport, Transport } from '../../transport.js';
import { decodeReport, encodeCommand, type WireCommand, type WireReport } from '../../wire/codec.js';
import { PROTOCOL_VERSION } from '../../wire/control.js';
import { assertRedisReachable, bullConnection, keysStartingWith, recoversOnItsOwn, redactRedisUrl, redisOptions } from './connection.js';
import { ControlKey, type SealedJob } from './control-auth.js';
import { ControllerBeat } from './controller-beat.js';
import { DEFAULT_REDIS_TIMEOUT_MS, isDropped, RedisWatchdog, redisRefusal, retryDropped, within } from './faults.js';
import { LivenessWatch } from './liveness.js';
import { type HostStarter, lobbyStarter } from './lobby.js';
import { type Assignment, type HostCommand, type HostMessage, K, Q, RECOVERY, type SlotJob } from './names.js';
import { HostRecovery, READY_MS, type SlotRecord } from './recovery.js';
import { ReportQueue } from './report-queue.js';
import { appendToSlotLog, holdsResumableRun, readSlotLog } from './resume.js';

export type { HostStarter } from './lobby.js';

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
  /** The secret control messages are signed under (control-auth.ts): random for spawned hosts, shared with external workers. */
  readonly secret: string;
  /** How long Redis may stay silent before the run stops, resumable (`recovery.redisTimeoutSeconds`); hosts wait as long for this controller's heartbeat before they abandon the run. */
  readonly redisTimeoutMs?: number;
}

/** A command job as queued: the command's JSON and its MAC. */
type CommandJob = { name: string; data: SealedJob; opts: JobOpts };

const JOB = { removeOnComplete: true, removeOnFail: true, attempts: 1 } as const;
type JobOpts = typeof JOB & { readonly jobId?: string };

export class RedisTransport implements Transport {
  readonly name = 'redis';
  private readonly redis: Redis;
  private readonly hostQueues: Queue[] = [];
  private readonly reportsWorker: Worker;
  private readonly messages = new ReportQueue<HostMessage>();
  private readonly hostOf: Int32Array;
  private readonly liveness: LivenessWatch;
  private closed = false;
  private readonly watchdog: RedisWatchdog;
  private readonly redisTimeoutMs: number;
  /** Why the run stopped, once it has; every wait and command is abandoned with it. */
  private failure: Error | undefined;
  private rejectFailed: (err: Error) => void = () => {};
  private readonly failed: Promise<never>;
  /** The slot under way (or last run), and whether its reports are still awaited. */
  private slot = -1;
  private inFlight: 'none' | 'slot' | 'finish' = 'none';
  /** The last slot whose reports all came in. */
  private completed = -1;
  /** Per slot: the commands sent and the reports received (JSON, by shard), for replays. */
  private readonly history = new Map<number, SlotRecord>();
  /** Slots before this one may be forgotten (a restored shard never replays them). */
  private retainFrom = Number.POSITIVE_INFINITY;
  /** A resumed run's log: the reports of every slot its first controller completed. */
  private logged: WireReport[][] = [];
  /** Starts, deaths, restarts and replays of host processes (recovery.ts). */
  private readonly restart: HostRecovery;
  private starter: HostStarter | undefined;
  private readonly auth: ControlKey;
  private readonly beat: ControllerBeat;
  /** Messages on the reports queue that were not acted on: unauthenticated, for a slot not yet sent, or conflicting with one received. */
  rejected = 0;
  /** Told of each rejected message (logs). */
  onRejected: ((why: string) => void) | undefined;

  private constructor(private readonly opts: RedisTransportOptions) {
    this.redis = new Redis(redisOptions(opts.url));
    this.redis.on('error', () => {}); // surfaced through failed commands, not as unhandled events
    this.failed = new Promise<never>((_, reject) => (this.rejectFailed = reject));
    this.failed.catch(() => undefined);
    this.redisTimeoutMs = opts.redisTimeoutMs ?? DEFAULT_REDIS_TIMEOUT_MS;
    this.auth = new ControlKey(opts.secret, opts.prefix);
    this.beat = new ControllerBeat(this.redis, opts.prefix, randomUUID(), this.redisTimeoutMs);
    // Every wait of the run ends when Redis stays silent this long, or refuses us.
    this.watchdog = new RedisWatchdog(
      this.redis,
      this.redisTimeoutMs,
      () => this.redis.ping(),
      (silentMs, last) => this.fail(this.lostError(silentMs, last)),
      (why) => this.fail(new TransportError(`Redis at ${redactRedisUrl(opts.url)} refused run ${opts.prefix}${this.whenText()}: ${why}`)),
    ).start();
    this.restart = new HostRecovery({
      hosts: opts.hosts,
      checkpointEvery: opts.checkpointEvery,
      restarts: opts.restarts,
      over: () => this.closed || this.failure !== undefined,
      fail: (err) => this.fail(err),
      whenText: () => this.whenText(),
      slot: () => this.slot,
      completed: () => this.completed,
      guard: (p) => this.guard(p),
      nextEpoch: () => this.command(() => this.redis.incr(K.epoch(this.opts.prefix))),
      openHostQueue: (h, epoch) => this.openHostQueue(h, epoch),
      wait: (step, need) => this.messages.wait(step, need),
      launch: (h, epoch) => this.starter!(this.assignment(h, epoch)),
      past: (slot) => this.history.get(slot),
      sendReplay: (who, commands, step) =>
        this.sendToHosts(
          who.map((shard) => this.slotJob(shard, commands[shard]!, step)),
          who,
        ),
      resendInFlight: (h) => this.resendInFlight(h),
    });
    this.liveness = new LivenessWatch(this.redis, opts.prefix, opts.hosts, {
      closed: () => this.closed,
      starting: (h) => this.restart.starting(h),
      runGone: () =>
        this.fail(
          new TransportError(
            `Redis at ${redactRedisUrl(this.opts.url)} no longer holds run ${this.opts.prefix}${this.whenText()} (restarted without persistence, or its keys were removed); the run cannot continue`,
          ),
        ),
      silent: (h, why) => this.hostDied(h, why, this.restart.epoch(h)),
    });
    this.hostOf = new Int32Array(opts.shards).fill(-1);
    opts.hosts.forEach((shards, h) => shards.forEach((s) => (this.hostOf[s] = h)));
    this.reportsWorker = new Worker(Q.reports, async (job) => this.receive(job.data, job.id), {
      connection: bullConnection(opts.url),
      prefix: opts.prefix,
      concurrency: 64,
      ...RECOVERY,
    });
    // Also transient: a redelivered job already removed when its twin completes.
    recoversOnItsOwn(this.reportsWorker);
  }

  /** Every recovery so far: host processes restarted, and a resume's catch-up. */
  get recoveries(): Recovery[] {
    return this.restart.recoveries;
  }

  /** Told of each recovery as it completes (logs). */
  get onRecovery(): ((r: Recovery) => void) | undefined {
    return this.restart.onRecovery;
  }

  set onRecovery(f: ((r: Recovery) => void) | undefined) {
    this.restart.onRecovery = f;
  }

  /** Acts on a reports job only if it is authentic and consistent with what was sent and received. */
  private receive(data: unknown, id: string | undefined): void {
    const m = this.auth.open<HostMessage>(data);
    if (m === null) {
      this.reject(`job ${id ?? '?'} on the reports queue is not signed with this run's key (a forgery, or a process of another run)`);
      return;
    }
    const why = m.type === 'answers' ? m.messages.map((one) => this.inconsistency(one)).find((w) => w !== undefined) : this.inconsistency(m);
    if (why !== undefined) {
      this.reject(`job ${id ?? '?'} on the reports queue: ${why}`);
      return;
    }
    this.hear(m);
  }

  private reject(why: string): void {
    this.rejected++;
    this.onRejected?.(why);
  }

  /**
   * Why an authentic slot report cannot be taken: its slot was not sent yet,
   * or it differs from the report of the same shard and slot received before.
   * A report equal to the earlier one is a harmless redelivery.
   */
  private inconsistency(m: HostMessage): string | undefined {
    if (m.type !== 'slot' || m.replay !== undefined) return undefined;
    const slot = m.report.slot;
    if (slot > this.slot) return `a report of shard ${m.shard} for slot ${slot}, which was not sent yet (slot ${this.slot} is under way)`;
    const text = JSON.stringify(m.report);
    const before = this.history.get(slot)?.reports?.[m.shard];
    const pending = this.messages.peek(`slot:${slot}`, m.shard);
    const earlier = before ?? (pending?.type === 'slot' ? JSON.stringify(pending.report) : undefined);
    if (earlier !== undefined && earlier !== text) return `a report of shard ${m.shard} for slot ${slot} that differs from the one received before`;
    return undefined;
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
    const bound = opts.redisTimeoutMs ?? DEFAULT_REDIS_TIMEOUT_MS;
    // Keys a crashed attempt left under this prefix would be taken for this run's checkpoints.
    if (!resume) await withRedis(opts.url, bound, (r) => deleteRunKeys(r, opts.prefix));
    const t = new RedisTransport(opts);
    try {
      // Beating before reading the log: the hosts of the controller this one resumes see the new id and let go of the run.
      await t.guard(t.beat.start());
      if (resume) t.logged = await t.guard(readSlotLog(t.redis, opts, JSON.stringify(setup.json)));
      else {
        await t.command(() => {
          const multi = t.redis.multi().set(K.setup(opts.prefix), JSON.stringify(setup.json));
          for (const [name, bytes] of Object.entries(setup.blobs))
            multi.set(K.blob(opts.prefix, name), Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
          return multi.exec();
        });
      }
      await t.guard(t.reportsWorker.waitUntilReady());
      await t.guard(t.beat.sweep());
    } catch (err) {
      t.closed = true;
      t.watchdog.stop();
      await t.beat.stop(false);
      await t.disconnect(() => t.redis.del(K.controller(opts.prefix)));
      throw t.explain(err);
    }
    return t;
  }

  /** Whether Redis holds a resumable run under `prefix` (its setup and its log). */
  static async canResume(url: string, prefix: string, boundMs = DEFAULT_REDIS_TIMEOUT_MS): Promise<boolean> {
    await assertRedisReachable(url);
    return withRedis(url, boundMs, (r) => holdsResumableRun(r, prefix));
  }

  /**
   * Starts every host (through `starter`, also used for restarts) and
   * resolves once each has built its shards and listens for commands. A
   * process that dies or is not ready within `readyMs` is replaced like any
   * dead process (while restarts are left).
   */
  async start(starter: HostStarter, resume = false, readyMs = READY_MS): Promise<void> {
    this.starter = starter;
    // One host out of restarts stops the others' starts too.
    const restored = await this.guard(this.restart.startAll(readyMs)).catch((err: unknown) => {
      throw this.explain(err);
    });
    if (resume) {
      // Shards come back from their checkpoints; after the fast-forward over the log they are replayed up to its end.
      this.restart.catchUpLater(restored);
      this.retainFrom = Math.min(...restored.values()) + 1;
    }
    this.liveness.start();
  }

  /** Offers the hosts' assignments on the lobby, for workers started elsewhere (`shardsim worker`). */
  static externalStarter(url: string): HostStarter {
    return lobbyStarter(url);
  }

  private assignment(h: number, epoch: number): Assignment {
    return {
      protocol: PROTOCOL_VERSION,
      prefix: this.opts.prefix,
      host: h,
      shards: this.opts.hosts[h]!,
      epoch,
      checkpointEvery: this.opts.checkpointEvery,
      hostOf: [...this.hostOf],
      redisTimeoutMs: this.redisTimeoutMs,
      controller: this.beat.id,
    };
  }

  private openHostQueue(h: number, epoch: number): void {
    void this.hostQueues[h]?.close().catch(() => undefined);
    this.hostQueues[h] = recoversOnItsOwn(new Queue(Q.host(h, epoch), { connection: this.redis, prefix: this.opts.prefix }));
  }

  /** The slot under way (-1 before the first): where a failure stopped the run. */
  get currentSlot(): number {
    return this.slot;
  }

  /** Stops every pending and future wait with `err` (a host process died, a queue broke, Redis is gone). */
  fail(err: Error): void {
    this.failure ??= err;
    this.messages.fail(this.failure);
    this.rejectFailed(this.failure);
  }

  /** `p`, unless the run fails first: nothing the run awaits outlives its failure. */
  private guard<T>(p: Promise<T>): Promise<T> {
    p.catch(() => undefined); // its late rejection, once the run has failed, is nobody's concern
    return Promise.race([p, this.failed]);
  }

  /**
   * An idempotent Redis command: sent again across a reconnect (a Redis
   * restart cuts transactions and pipelines in half), abandoned when the run
   * fails, a refusal (out of memory...) turned into a message naming it.
   */
  private command<T>(op: () => Promise<T>): Promise<T> {
    return this.guard(
      retryDropped(op, this.redisTimeoutMs, () => this.failure !== undefined).catch((err: unknown) => {
        throw this.explain(err);
      }),
    );
  }

  /** A Redis error as the run's failure: a refusal names its cause, a drop that outlasted the bound is a lost Redis. */
  private explain(err: unknown): Error {
    const why = err instanceof ShardsimError ? undefined : redisRefusal(err);
    const e =
      err instanceof ShardsimError
        ? err
        : why !== undefined
          ? new TransportError(`Redis at ${redactRedisUrl(this.opts.url)} refused run ${this.opts.prefix}${this.whenText()}: ${why}`, { cause: err })
          : isDropped(err)
            ? this.lostError(this.redisTimeoutMs, err instanceof Error ? err : undefined)
            : err instanceof Error
              ? err
              : new TransportError(String(err));
    this.fail(e);
    return this.failure ?? e;
  }

  private whenText(): string {
    return this.slot < 0 ? ' (before the first slot)' : ` during slot ${this.slot}`;
  }

  private lostError(silentMs: number, last: Error | undefined): RedisLostError {
    const s = Math.round(this.redisTimeoutMs / 1000);
    return new RedisLostError(
      `lost Redis at ${redactRedisUrl(this.opts.url)}: no answer for ${Math.max(s, Math.round(silentMs / 1000))} s ` +
        `(recovery.redisTimeoutSeconds: ${s})${last === undefined ? '' : `, last error: ${last.message}`}; run ${this.opts.prefix} stopped${this.whenText()} ` +
        `with ${this.completed + 1} slot${this.completed === 0 ? '' : 's'} done. Its shard processes are stopped; its checkpoints and slot log are left in Redis`,
      this.slot,
    );
  }

  /**
   * A host process died: starts it again if restarts are left (its shards
   * recover from their checkpoints), or stops the run with `why`. `epoch`
   * names the process; the death of one already replaced is ignored. A
   * `fatal` death (its successor would fail the same way) stops the run.
   * How it comes back: recovery.ts.
   */
  hostDied(h: number, why: string, epoch?: number, fatal = false): void {
    this.restart.hostDied(h, why, epoch, fatal);
  }

  /** What was in flight when host `h`'s process died, sent again to its successor. */
  private async resendInFlight(h: number): Promise<void> {
    const shards = this.opts.hosts[h]!;
    if (this.inFlight === 'slot') {
      const sent = this.history.get(this.slot)!;
      const jobs = shards.map((shard) => this.slotJob(shard, sent.commands[shard]!));
      await this.command(() => this.hostQueues[h]!.addBulk(jobs));
    } else if (this.inFlight === 'finish') {
      const jobs = shards.map((shard) => this.commandJob('finish', { type: 'finish', shard }, `f-${shard}`));
      await this.command(() => this.hostQueues[h]!.addBulk(jobs));
    }
  }

  /**
   * A shard's command for a slot. Its job id makes an add sent again after a
   * dropped connection the same job (queues are per host and epoch, so ids
   * never collide across restarts).
   */
  private slotJob(shard: number, command: WireCommand, replay?: string): CommandJob {
    const jobId = replay === undefined ? `s${command.slot}-${shard}` : `r${replay.replace(/:/g, '.')}-${shard}`;
    return this.commandJob('slot', replay === undefined ? { type: 'slot', shard, command } : { type: 'slot', shard, command, replay }, jobId);
  }

  /** A command signed for the hosts, which drop any job that is not; `jobId` makes a re-sent add the same job. */
  private commandJob(name: string, c: HostCommand, jobId?: string): CommandJob {
    return { name, data: this.auth.seal(c), opts: jobId === undefined ? JOB : { ...JOB, jobId } };
  }

  /** Adds jobs for `shards` (in the same order) to their hosts' queues, one round trip per host. */
  private async sendToHosts(jobs: readonly CommandJob[], shards: readonly number[]): Promise<void> {
    const byHost = new Map<number, CommandJob[]>();
    jobs.forEach((job, i) => {
      const h = this.hostOf[shards[i]!]!;
      let list = byHost.get(h);
      if (list === undefined) byHost.set(h, (list = []));
      list.push(job);
    });
    await Promise.all([...byHost].map(([h, list]) => this.command(() => this.hostQueues[h]!.addBulk(list))));
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
      // Resuming: this slot's reports are in the log; the shards are not asked (resume.ts).
      const reports = this.logged[slot]!;
      this.history.get(slot)!.reports = reports.map((r) => JSON.stringify(r));
      this.slot = this.completed = slot;
      return reports.map(decodeReport);
    }
    await this.catchUp();
    await this.guard(this.restart.underWay());
    this.slot = slot;
    this.inFlight = 'slot';
    const arrived = this.messages.wait(`slot:${slot}`, commands.length);
    await Promise.all(
      this.opts.hosts.map((shards, h) => {
        const jobs = shards.map((shard): SlotJob => ({ type: 'slot', shard, command: wire[shard]! }));
        const c = this.commandJob('slots', { type: 'slots', jobs }, `slots${slot}`);
        return this.command(() => this.hostQueues[h]!.add(c.name, c.data, c.opts));
      }),
    );
    const got = await this.guard(arrived);
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
    if (this.opts.checkpointEvery > 0) await this.command(() => appendToSlotLog(this.redis, this.opts.prefix, slot, texts));
    return out;
  }

  /** After a resume's fast-forward: replays every restored shard up to the last logged slot (recovery.ts). */
  private async catchUp(): Promise<void> {
    if (await this.restart.catchUp()) this.retainFrom = Number.POSITIVE_INFINITY;
  }

  async finish(): Promise<ShardSummary[]> {
    await this.catchUp();
    await this.guard(this.restart.underWay());
    this.inFlight = 'finish';
    const arrived = this.messages.wait('summary', this.opts.shards);
    const shards = this.opts.hosts.flat();
    await this.sendToHosts(
      shards.map((shard) => this.commandJob('finish', { type: 'finish', shard }, `f-${shard}`)),
      shards,
    );
    const got = await this.guard(arrived);
    this.inFlight = 'none';
    const out: ShardSummary[] = new Array(this.opts.shards);
    for (const [shard, m] of got) if (m.type === 'summary') out[shard] = m.summary;
    return out;
  }

  /**
   * Tells hosts to stop (waiting briefly for them, then for `hostsGone`, e.g.
   * the exit of spawned processes; told whether the run failed), closes the
   * queues, and only then removes every key under the run's prefix, so no
   * late write outlives the cleanup. With Redis lost, none of that can be
   * said to Redis: the processes are stopped, the connections dropped, and
   * the keys left for a resume. Every step is bounded.
   */
  async close(hostsGone?: (failed: boolean) => Promise<void>): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.liveness.stop();
    this.watchdog.stop();
    // No beat may recreate the heartbeat after the keys are removed below.
    await this.beat.stop(false);
    const lost = this.failure instanceof RedisLostError;
    if (!lost) {
      const bye = this.messages.wait('closed', this.opts.hosts.length).catch(() => undefined);
      const close = this.commandJob('close', { type: 'close' });
      const told = Promise.all(this.hostQueues.map((q) => q.add(close.name, close.data, close.opts)));
      // Spawned processes of a failed run are killed next: their goodbye is not worth waiting for.
      const wait = this.failure === undefined || hostsGone === undefined;
      // Redis gone or hosts dead: nothing left to tell them.
      if (
        (await within(
          told.then(() => true),
          5_000,
        )) === true &&
        wait
      )
        await within(bye, 5_000);
    }
    await within(hostsGone?.(this.failure !== undefined) ?? Promise.resolve(), 15_000);
    // A lost Redis keeps the run's keys for --resume; --keep-redis keeps them expiring like an interrupted run's, counted from now.
    const keep = async (): Promise<void> => {
      await this.beat.sweep();
      await this.redis.del(K.controller(this.opts.prefix));
    };
    await this.disconnect(lost ? undefined : this.opts.keepKeys === true ? keep : () => deleteRunKeys(this.redis, this.opts.prefix));
  }

  /** Closes the workers and queues (bounded; then dropped), runs `last` on the connection, and drops it. */
  private async disconnect(last?: () => Promise<unknown>): Promise<void> {
    await within(this.reportsWorker.close(true), 3_000);
    await within(Promise.all(this.hostQueues.map((q) => q.close())), 3_000);
    await within(this.reportsWorker.disconnect(), 1_000);
    if (last !== undefined) await within(last(), this.redisTimeoutMs);
    this.redis.disconnect();
  }
}

/** Runs `work` on a connection of its own, closed after; a Redis silent for `boundMs` is a lost one. */
async function withRedis<T>(url: string, boundMs: number, work: (r: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(redisOptions(url));
  redis.on('error', () => {});
  let timer: NodeJS.Timeout | undefined;
  const silent = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(new RedisLostError(`lost Redis at ${redactRedisUrl(url)}: no answer within ${Math.round(boundMs / 1000)} s (recovery.redisTimeoutSeconds)`, -1)),
      boundMs,
    );
  });
  try {
    return await Promise.race([work(redis), silent]);
  } catch (err) {
    const why = redisRefusal(err);
    throw why === undefined ? err : new TransportError(`Redis at ${redactRedisUrl(url)} refused a command: ${why}`, { cause: err });
  } finally {
    clearTimeout(timer);
    redis.disconnect();
  }
}

/** Removes every key under a run's prefix (SCAN + UNLINK, never KEYS). */
export async function deleteRunKeys(redis: Redis, prefix: string): Promise<number> {
  let removed = 0;
  for await (const keys of keysStartingWith(redis, prefix)) if (keys.length > 0) removed += await redis.unlink(...keys);
  return removed;
}
