/**
 * The shard side of the Redis transport: one worker process hosting one or
 * more shards. It takes commands from its host queue (one job per shard and
 * slot; each shard's slots run one at a time, in order), sends each block's
 * receipt batches straight to the destination hosts' receipt queues (one job
 * per destination host), and reports to the controller. Delivery is
 * at-least-once; batches carry deterministic ids, so a copy the transport
 * delivers twice is dropped here, and the shards' inboxes make application
 * exactly-once.
 *
 * Crash recovery: every `checkpointEvery` slots each shard's whole state goes
 * to Redis (node:v8 serialized), and every batch delivered since is logged
 * beside it. A host started for shards with a checkpoint restores them from
 * it and its log, and the controller replays the commands of the slots since.
 */
import { deserialize, serialize } from 'node:v8';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { ReceiptBatch } from '../../batch.js';
import { CheckpointError, FatalTransportError, RedisLostError, TransportError } from '../../common/errors.js';
import type { Crosslink } from '../../header.js';
import type { ShardCheckpoint, ShardEndpoint, ShardNetwork } from '../../transport.js';
import { decodeBatch, decodeCommand, encodeBatch, encodeReport, type WireBatch } from '../../wire/codec.js';
import { assertRedisReachable, bullConnection, recoversOnItsOwn, redactRedisUrl, redisOptions } from './connection.js';
import { ControlKey } from './control-auth.js';
import { DEFAULT_REDIS_TIMEOUT_MS, RedisWatchdog, redisRefusal, retryDropped, within } from './faults.js';
import { type Assignment, aliveTtlMs, type HostCommand, type HostMessage, K, Q, RECOVERY, RUN_KEY_TTL_SECONDS, type SlotJob } from './names.js';

/** A command for one hosted shard: a slot, or its end-of-run summary. */
type ShardCommand = SlotJob | Extract<HostCommand, { type: 'finish' }>;

const JOB = { removeOnComplete: true, removeOnFail: true, attempts: 1 } as const;
/** A batch announced by a finalized header that takes longer than this to arrive is a failure, not a wait. */
const BATCH_WAIT_MS = 120_000;
/**
 * Delivered batch ids are remembered for this many slots behind the newest
 * (at least): a restored sender re-sends at most two checkpoint intervals.
 */
const MIN_SEEN_SLOTS = 64;

const keyOf = (src: number, slot: number): number => src * 0x20_0000 + slot;

/** A batch's id: sender, slot and position, the same whenever the block is (re)built. */
const batchIdOf = (src: number, slot: number, position: number): string => `${src}-${slot}-${position}`;
const slotOfBatchId = (id: string): number => Number(id.split('-')[1]);
const senderOfBatchId = (id: string): number => Number(id.split('-')[0]);
/** A receipt job's id: one per sender, slot and destination host. */
const jobIdOf = (src: number, slot: number, host: number): string => `${src}-${slot}-h${host}`;

/** What a receipt job carries: a block's batches for the shards of one host, each with its id. */
interface ReceiptJob {
  readonly batches: ReadonlyArray<readonly [id: string, batch: WireBatch]>;
}

/** A hosted shard's network state, as plain data for its checkpoint. */
interface NetworkSnapshot {
  readonly mailbox: ReceiptBatch[];
  readonly arrived: Set<number>;
  readonly seen: Map<string, number>;
}

/** What a checkpoint key holds. */
interface StoredCheckpoint {
  readonly shard: ShardCheckpoint;
  readonly net: NetworkSnapshot;
  /** The report of the checkpointed slot, to answer that slot's command again. */
  readonly answer: HostMessage;
}

/** One hosted shard's mailbox: batches arrive from its host's receipt queue at any time (exported for tests). */
export class RedisShardNetwork implements ShardNetwork {
  private mailbox: ReceiptBatch[] = [];
  /**
   * (sender, sending slot) of every delivery: what the transport saw, never
   * what a batch claims. A forged batch claiming a later block of its sender
   * (an "unfinalized" forgery) marked that block arrived before its honest
   * batch had, so `receive` stopped waiting for it and the honest batch was
   * admitted a slot later or not, by timing. A sender's batches of one slot
   * for one host travel in one job and are accepted together, so the block's
   * honest batch is here whenever anything that sender sent then is.
   */
  private arrived = new Set<number>();
  /** Batch ids delivered, with their source slot (for pruning). */
  private seen = new Map<string, number>();
  private wake: (() => void) | undefined;
  /** The slot being executed: batch and receipt job ids are built from it. */
  slot = 0;

  constructor(
    private readonly shard: number,
    /** Receipt queues by destination host, and the host of every shard. */
    private readonly receiptQueues: readonly Queue[],
    private readonly hostOf: readonly number[],
    private readonly seenSlots: number,
    /** Runs an idempotent Redis write, again across a dropped connection. */
    private readonly retry: <T>(op: () => Promise<T>) => Promise<T>,
  ) {}

  /** Takes a delivered batch; false if it was delivered before (a transport re-delivery, dropped). */
  accept(batchId: string, wire: WireBatch): boolean {
    if (this.seen.has(batchId)) return false;
    // Decoded first: a body that cannot be read (another protocol version, malformed) must not take the id of a batch still to come.
    const batch = decodeBatch(wire);
    const sentAt = slotOfBatchId(batchId);
    this.seen.set(batchId, sentAt);
    this.mailbox.push(batch);
    this.arrived.add(keyOf(senderOfBatchId(batchId), sentAt));
    this.wake?.();
    return true;
  }

  async send(batches: readonly ReceiptBatch[]): Promise<void> {
    // One job per destination host: at 16 shards on 2 processes, 2 jobs a block
    // instead of 16 (each job costs BullMQ three Lua scripts). The ids make a
    // re-sent batch (a retried add, a restored shard replaying its slot) the same
    // batch, while deliberate copies (injected duplicates, forgeries) differ.
    const byHost = new Map<number, Array<readonly [string, WireBatch]>>();
    batches.forEach((b, i) => {
      const h = this.hostOf[b.dstShard];
      if (h === undefined) throw new TransportError(`shard ${this.shard} sent a batch to shard ${b.dstShard}, which the run does not have`);
      let list = byHost.get(h);
      if (list === undefined) byHost.set(h, (list = []));
      list.push([batchIdOf(this.shard, this.slot, i), encodeBatch(b)]);
    });
    await Promise.all(
      // The job id makes an add sent again the same job.
      [...byHost].map(([h, list]) =>
        this.retry(() => this.receiptQueues[h]!.add('batches', { batches: list } satisfies ReceiptJob, { ...JOB, jobId: jobIdOf(this.shard, this.slot, h) })),
      ),
    );
  }

  async receive(awaited: readonly Crosslink[]): Promise<ReceiptBatch[]> {
    const deadline = Date.now() + BATCH_WAIT_MS;
    for (;;) {
      const missing = awaited.filter((cl) => !this.arrived.has(keyOf(cl.header.shard, cl.header.slot)));
      if (missing.length === 0) break;
      const left = deadline - Date.now();
      if (left <= 0) {
        const list = missing
          .slice(0, 5)
          .map((cl) => `shard ${cl.header.shard} slot ${cl.header.slot}`)
          .join(', ');
        throw new TransportError(
          `shard ${this.shard}: receipt batches announced by finalized headers never arrived (${list}${missing.length > 5 ? ', ...' : ''})`,
        );
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

  /** The network state (by reference: serialize it at once), after forgetting ids too old to come back. */
  snapshot(): NetworkSnapshot {
    const floor = this.slot - this.seenSlots;
    for (const [id, slot] of this.seen) if (slot < floor) this.seen.delete(id);
    return { mailbox: this.mailbox, arrived: this.arrived, seen: this.seen };
  }

  restore(s: NetworkSnapshot): void {
    this.mailbox = s.mailbox;
    this.arrived = s.arrived;
    this.seen = s.seen;
  }
}

/** How often a host checks its controller's heartbeat. */
const WATCH_MS = 1_000;

/**
 * Calls `gone` once when the run's controller heartbeat no longer holds
 * `controller` (expired, or another controller's). A failed read (Redis
 * away) says nothing about the controller and is not acted on.
 */
export function watchController(redis: Redis, prefix: string, controller: string, gone: (why: string) => void): NodeJS.Timeout {
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    redis
      .get(K.controller(prefix))
      .then((now) => {
        if (now === controller) return;
        clearInterval(timer);
        gone(now === null ? 'its controller stopped beating (dead, or cut off from Redis)' : 'another controller took it over (--resume)');
      })
      .catch(() => undefined)
      .finally(() => (busy = false));
  }, WATCH_MS);
  return timer;
}

export type ShardFactory = (shard: number, net: ShardNetwork) => ShardEndpoint;

/** A shard this process hosts, with what it keeps between commands. */
interface HostedShard {
  readonly ep: ShardEndpoint;
  readonly net: RedisShardNetwork;
  /** The last slot carried out and its answer (none for a slot restored from a checkpoint's genesis). */
  answered: { slot: number; message: HostMessage | null };
  /** The checkpoint slot whose delivery log new batches go to (-1: since genesis). */
  logSlot: number;
  /** Its commands so far, chained: each runs after the ones before. */
  lane: Promise<unknown>;
}

export class RedisShardHost {
  private readonly redis: Redis;
  private readonly reports: Queue;
  private readonly receiptQueues: Queue[] = [];
  private readonly workers: Worker[] = [];
  private readonly auth: ControlKey;
  /** Command jobs dropped because they were not signed with the run's key. */
  rejected = 0;
  private readonly watchdog: RedisWatchdog;
  private readonly boundMs: number;
  /** Rejects when Redis stays silent past the bound or refuses this process: the run is given up. */
  private readonly gone: Promise<never>;
  private giveUp: (err: Error) => void = () => {};
  private lost: Error | undefined;
  /** The assigned shards, once built. */
  private readonly hosted = new Map<number, HostedShard>();
  /** Ends serving (the controller said close, or the run is given up or abandoned). */
  private closing: () => void = () => {};

  private constructor(
    private readonly url: string,
    private readonly assignment: Assignment,
    secret: string,
  ) {
    this.auth = new ControlKey(secret, assignment.prefix);
    // Auto-pipelining folds the many small adds of one block (a batch per destination) into one round trip.
    this.redis = new Redis({ ...redisOptions(url), enableAutoPipelining: true });
    this.redis.on('error', () => {}); // surfaced by failing commands
    this.reports = recoversOnItsOwn(new Queue(Q.reports, { connection: this.redis, prefix: assignment.prefix }));
    this.boundMs = assignment.redisTimeoutMs ?? DEFAULT_REDIS_TIMEOUT_MS;
    this.gone = new Promise<never>((_, reject) => (this.giveUp = reject));
    this.gone.catch(() => undefined);
    const who = `shard process ${process.pid} (host ${assignment.host} of run ${assignment.prefix})`;
    // The heartbeat is the probe: a write, so a Redis that refuses writes (out of memory) is seen within a second.
    this.watchdog = new RedisWatchdog(
      this.redis,
      this.boundMs,
      () => this.redis.set(K.alive(assignment.prefix, assignment.host), String(process.pid), 'PX', aliveTtlMs(this.boundMs)),
      (silentMs) =>
        this.abandon(
          new RedisLostError(`${who}: lost Redis at ${redactRedisUrl(url)}: no answer for ${Math.round(silentMs / 1000)} s; the run is given up`, -1),
        ),
      (why) => this.abandon(new FatalTransportError(`${who}: Redis at ${redactRedisUrl(url)} refused a write: ${why}`)),
    ).start();
  }

  /** Gives the run up: every wait of this host ends with `err`. */
  private abandon(err: Error): void {
    if (this.lost !== undefined) return;
    this.lost = err;
    this.watchdog.stop();
    this.giveUp(err);
  }

  /** `p`, unless the run is given up first. */
  private guard<T>(p: Promise<T>): Promise<T> {
    p.catch(() => undefined);
    return Promise.race([p, this.gone]);
  }

  /** An idempotent write, sent again across a dropped connection; a refusal gives the run up. */
  private retry<T>(op: () => Promise<T>): Promise<T> {
    return this.guard(
      retryDropped(op, this.boundMs, () => this.lost !== undefined).catch((err: unknown) => {
        const why = redisRefusal(err);
        if (why !== undefined)
          this.abandon(new FatalTransportError(`shard process ${process.pid}: Redis at ${redactRedisUrl(this.url)} refused a write: ${why}`));
        throw this.lost ?? err;
      }),
    );
  }

  static async connect(url: string, assignment: Assignment, secret: string): Promise<RedisShardHost> {
    await assertRedisReachable(url);
    return new RedisShardHost(url, assignment, secret);
  }

  /** The run's setup: its JSON part and the named binary parts. */
  async readSetup(blobs: readonly string[]): Promise<{ json: unknown; blobs: Record<string, Uint8Array | null> }> {
    return this.guard(this.readSetupNow(blobs));
  }

  private async readSetupNow(blobs: readonly string[]): Promise<{ json: unknown; blobs: Record<string, Uint8Array | null> }> {
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

  /** Builds the assigned shards (from their checkpoints where there are some) and serves them until the controller says close. */
  async serve(shardCount: number, factory: ShardFactory): Promise<void> {
    return this.guard(this.serveNow(shardCount, factory));
  }

  private async serveNow(shardCount: number, factory: ShardFactory): Promise<void> {
    const { prefix, host, shards, epoch, checkpointEvery, hostOf } = this.assignment;
    if (hostOf.length !== shardCount) throw new TransportError(`host ${host} was given a placement of ${hostOf.length} shards for a run of ${shardCount}`);
    const hosts = Math.max(...hostOf) + 1;
    for (let h = 0; h < hosts; h++) this.receiptQueues.push(recoversOnItsOwn(new Queue(Q.receipts(h), { connection: this.redis, prefix })));
    // Beats at once (the watchdog beats every second after).
    await this.retry(() => this.redis.set(K.alive(prefix, host), String(process.pid), 'PX', aliveTtlMs(this.boundMs)));
    for (const shard of shards) await this.build(shard, factory);
    // Jobs a dead predecessor had taken stay locked until BullMQ finds them
    // stalled (lockDuration, 10 s); taking them now spares the run that wait,
    // and their redelivery is then dropped as seen.
    if (epoch > 1 && checkpointEvery > 0) {
      for (const job of await this.receiptQueues[host]!.getActive()) await this.take(job.data as ReceiptJob);
    }
    this.workers.push(
      recoversOnItsOwn(
        new Worker(Q.receipts(host), async (job) => this.take(job.data as ReceiptJob), {
          connection: bullConnection(this.url),
          prefix,
          concurrency: 16,
          ...RECOVERY,
        }),
      ),
    );

    const closed = new Promise<void>((resolve) => (this.closing = resolve));
    // A run given up (Redis lost or refusing) ends serving too: a long-lived `shardsim worker` must not keep its watch and shards.
    this.gone.catch(() => this.closing());
    // The controller gone (its heartbeat ran out) or replaced (a --resume took over): nothing more will come, and the run's successor needs these shards' heartbeats gone.
    let abandoned: string | undefined;
    const watchdog = watchController(this.redis, prefix, this.assignment.controller, (why) => {
      abandoned = why;
      this.closing();
    });
    const commands = new Worker(
      Q.host(host, epoch),
      async (job) => this.onCommand(job.data, job.id),
      // Hosted shards' commands may run side by side (one shard's Redis round trips
      // overlap another's work) while each shard's slots stay in order (its lane).
      // A command that stalls (its lock lost with a dropped connection) runs again,
      // answered from the cache.
      { connection: bullConnection(this.url), prefix, concurrency: shards.length, ...RECOVERY, lockDuration: 30_000 },
    );
    this.workers.push(recoversOnItsOwn(commands));
    await Promise.all(this.workers.map((w) => w.waitUntilReady()));
    for (const shard of shards) await this.send({ type: 'ready', shard, host, epoch, restored: this.hosted.get(shard)!.answered.slot });
    await closed;
    clearInterval(watchdog);
    // Abandoning: a command may be waiting on batches that will never come; it is not waited for.
    await this.shutdown(abandoned !== undefined);
    if (abandoned !== undefined) throw new TransportError(`abandoned run ${prefix}: ${abandoned}`);
  }

  /** A message to the controller, signed once: a retry sends the same signed job. */
  private send(m: HostMessage): Promise<unknown> {
    const sealed = this.auth.seal(m);
    return this.retry(() => this.reports.add(m.type, sealed, JOB));
  }

  /** Builds one assigned shard, restored from its checkpoint when checkpoints are on and it has one. */
  private async build(shard: number, factory: ShardFactory): Promise<void> {
    const { hostOf, checkpointEvery } = this.assignment;
    const net = new RedisShardNetwork(shard, this.receiptQueues, hostOf, Math.max(MIN_SEEN_SLOTS, 2 * checkpointEvery + 4), (op) => this.retry(op));
    const ep = factory(shard, net);
    let restored: { slot: number; answer: HostMessage | null } = { slot: -1, answer: null };
    if (checkpointEvery > 0) {
      try {
        restored = await this.restore(shard, ep, net);
      } catch (err) {
        // Told to the controller too (a worker started elsewhere has no exit code it could see).
        if (err instanceof FatalTransportError) await within(this.send({ type: 'error', shard, slot: -1, message: err.message }), 2_000);
        throw err;
      }
    }
    this.hosted.set(shard, { ep, net, answered: { slot: restored.slot, message: restored.answer }, logSlot: restored.slot, lane: Promise.resolve() });
  }

  /** Takes a receipt job's batches, each for the hosted shard it is addressed to. */
  private async take(job: ReceiptJob): Promise<void> {
    await Promise.all(
      job.batches.map(([id, wire]) => {
        const s = this.hosted.get(wire.dst);
        if (s === undefined) throw new TransportError(`host ${this.assignment.host} got a receipt batch for shard ${wire.dst}, which it does not host`);
        return this.takeBatch(wire.dst, s, id, wire);
      }),
    );
  }

  /** Takes one delivered batch for a hosted shard (logged first, when checkpoints are on). */
  private async takeBatch(shard: number, s: HostedShard, id: string, wire: WireBatch): Promise<void> {
    // Logged before the job completes: a batch taken by a process that dies
    // before this is acknowledged is delivered again to its successor.
    if (s.net.accept(id, wire) && this.assignment.checkpointEvery > 0) {
      // Sent again after a dropped connection, a batch may be logged twice; a restore drops the copy by its id.
      const key = K.deliveries(this.assignment.prefix, shard, s.logSlot);
      await this.retry(() => this.redis.rpush(key, JSON.stringify([id, wire])));
    }
  }

  /**
   * Takes every receipt job still queued for this host, ahead of the worker.
   * A shard's summary counts what arrived for final blocks (a late
   * duplicate, a replayed batch), and the last slot's jobs were all added
   * before its reports reached the controller but may not have been taken
   * yet: without this the counts (and the digest) depended on which of the
   * two queues this process served first. Waiting jobs are read before
   * active ones, so a job moving between them is read once at least; the
   * worker's later copy is dropped as seen.
   */
  private async takeQueued(): Promise<void> {
    const q = this.receiptQueues[this.assignment.host]!;
    // A job the worker would fail (a forged one naming a shard not hosted here) is passed over here as there, not fatal.
    const takeOne = (data: unknown): Promise<void> => this.take(data as ReceiptJob).catch(() => undefined);
    for (const job of await q.getJobs(['wait', 'prioritized', 'delayed'])) await takeOne(job.data);
    for (const job of await q.getActive()) await takeOne(job.data);
  }

  /** Acts on one job of this host's command queue, if it is signed with the run's key. */
  private async onCommand(data: unknown, id: string | undefined): Promise<void> {
    const { host, prefix } = this.assignment;
    const c = this.auth.open<HostCommand>(data);
    if (c === null) {
      this.rejected++;
      process.stderr.write(`shardsim host ${host}: dropped command job ${id ?? '?'}: not signed with run ${prefix}'s key\n`);
      return;
    }
    if (c.type === 'close') {
      await this.send({ type: 'closed', host });
      this.closing();
      return;
    }
    if (c.type === 'slots') {
      const messages = (await Promise.all(c.jobs.map((one) => this.answer(one)))).filter((m): m is HostMessage => m !== null);
      if (messages.length > 0) await this.send({ type: 'answers', messages });
      return;
    }
    const m = await this.answer(c);
    if (m !== null) await this.send(m);
  }

  /** One shard's command after its earlier ones (its lane); a failure becomes the answer. */
  private answer(c: ShardCommand): Promise<HostMessage | null> {
    const s = this.hosted.get(c.shard);
    if (s === undefined) throw new TransportError(`host ${this.assignment.host} got a command for shard ${c.shard}, which it does not host`);
    return this.inLane(s, () =>
      this.carryOut(c, s).catch((err: unknown): HostMessage => {
        const slot = c.type === 'slot' ? c.command.slot : Number.MAX_SAFE_INTEGER;
        // A write Redis refused (a checkpoint's EXECABORT under maxmemory) is named by its cause; the run is given up.
        const why = redisRefusal(err);
        if (why !== undefined)
          this.abandon(
            new FatalTransportError(`shard process ${process.pid}: Redis at ${redactRedisUrl(this.url)} refused a write of shard ${c.shard}: ${why}`),
          );
        return { type: 'error', shard: c.shard, slot, message: why ?? (err instanceof Error ? err.message : String(err)) };
      }),
    );
  }

  /** Runs `work` after every earlier command of the same shard. */
  private inLane<T>(s: HostedShard, work: () => Promise<T>): Promise<T> {
    const next = s.lane.then(work);
    s.lane = next.catch(() => undefined);
    return next;
  }

  /** Carries out one shard's command; returns its answer (none for a stale command from before a restart). */
  private async carryOut(c: ShardCommand, s: HostedShard): Promise<HostMessage | null> {
    const { ep, net } = s;
    const done = s.answered;
    if (c.type === 'finish') {
      await this.takeQueued();
      return { type: 'summary', shard: c.shard, summary: await ep.onFinish() };
    }
    const slot = c.command.slot;
    // BullMQ may run a job again (a stalled job after a dropped connection), and a
    // restored shard may be asked for a slot its checkpoint covers: a slot already
    // carried out is answered from the cache, never executed twice. A slot beyond
    // the next is a stale command from before a restart: the controller replays.
    if (slot <= done.slot) {
      return slot === done.slot && done.message !== null ? ({ ...done.message, ...(c.replay === undefined ? {} : { replay: c.replay }) } as HostMessage) : null;
    }
    if (slot > done.slot + 1) return null;
    net.slot = slot;
    const message: HostMessage = { type: 'slot', shard: c.shard, report: encodeReport(await ep.onSlot(decodeCommand(c.command))) };
    if (this.assignment.checkpointEvery > 0 && (slot + 1) % this.assignment.checkpointEvery === 0) {
      await this.checkpoint(c.shard, s, message);
    }
    s.answered = { slot, message };
    return c.replay === undefined ? message : { ...message, replay: c.replay };
  }

  /**
   * Writes a shard's checkpoint after `message`'s slot and starts its next
   * delivery log, dropping the previous checkpoint's log in the same
   * transaction. The snapshot is taken and the log switched synchronously: a
   * batch delivered before is in the snapshot, one delivered after is logged
   * under the new slot (on the same connection, so after this transaction).
   */
  private async checkpoint(shard: number, s: HostedShard, answer: HostMessage): Promise<void> {
    const p = this.assignment.prefix;
    const cp = s.ep.checkpoint();
    const stored: StoredCheckpoint = { shard: cp, net: s.net.snapshot(), answer };
    const bytes = serialize(stored);
    const previous = s.logSlot;
    s.logSlot = cp.slot;
    // Idempotent, so sent again when a Redis restart cuts the transaction off. SET drops a key's expiry: it is given again here, not left to the controller's next sweep (a controller killed before it leaves the run's largest keys for good).
    await this.retry(() =>
      this.redis
        .multi()
        .set(K.checkpoint(p, shard), bytes, 'EX', RUN_KEY_TTL_SECONDS)
        .del(K.deliveries(p, shard, previous))
        .exec(),
    );
  }

  /** Restores a shard from its latest checkpoint and delivery log, if it has one; returns the checkpoint's slot (-1: none). */
  private async restore(shard: number, ep: ShardEndpoint, net: RedisShardNetwork): Promise<{ slot: number; answer: HostMessage | null }> {
    const p = this.assignment.prefix;
    const key = K.checkpoint(p, shard);
    const bytes = await this.redis.getBuffer(key);
    let slot = -1;
    let answer: HostMessage | null = null;
    if (bytes !== null) {
      try {
        const stored = deserialize(bytes) as StoredCheckpoint;
        if (typeof stored !== 'object' || stored === null || typeof stored.shard?.slot !== 'number' || !(stored.net?.seen instanceof Map))
          throw new CheckpointError('not a shard checkpoint');
        ep.restore(stored.shard);
        net.restore(stored.net);
        net.slot = stored.shard.slot;
        slot = stored.shard.slot;
        answer = stored.answer;
      } catch (err) {
        // Every successor would read the same bytes: not a death to restart from.
        throw new FatalTransportError(
          `shard ${shard}: its checkpoint ${key} cannot be restored (${err instanceof Error ? err.message : String(err)}); the run cannot continue from it. Start it again without --resume`,
          { cause: err },
        );
      }
    }
    for (const entry of await this.redis.lrange(K.deliveries(p, shard, slot), 0, -1)) {
      const [id, wire] = JSON.parse(entry) as [string, WireBatch];
      net.accept(id, wire);
    }
    return { slot, answer };
  }

  /**
   * Stops serving: the heartbeat key goes, workers and queues close, the
   * connection ends. Bounded: with Redis gone none of it could complete, so
   * what does not within a few seconds is dropped. `force`: a run given up,
   * whose commands may wait on batches that never come, is not waited for.
   */
  async shutdown(force = false): Promise<void> {
    this.watchdog.stop();
    const talk = this.lost === undefined;
    if (talk) await within(this.redis.del(K.alive(this.assignment.prefix, this.assignment.host)), 2_000);
    await within(Promise.all(this.workers.map((w) => w.close(force || !talk))), talk ? 10_000 : 1_000);
    await within(Promise.all([this.reports, ...this.receiptQueues].map((q) => q.close())), 2_000);
    await within(Promise.all(this.workers.map((w) => w.disconnect())), 1_000);
    if (talk) await within(this.redis.quit(), 2_000);
    this.redis.disconnect();
  }
}
