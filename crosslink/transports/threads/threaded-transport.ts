/**
 * The embedded transport spread over threads of this process. The controller
 * stays on the main thread and runs the first share of the shards there
 * itself (it would only wait while they run); each worker thread hosts
 * another share (thread-shard-host.ts). Per slot the controller sends each
 * worker one message with its shards' commands and gets one back with their
 * reports; shard groups send receipt batches straight to each other over
 * MessageChannel ports. Messages are flat transferred buffers
 * (thread-wire.ts), never cloned object graphs.
 *
 * Results equal the single-thread memory transport's byte for byte: shards
 * admit receipts only from finalized blocks in canonical order (inbox.ts),
 * and a group starts a round only once every batch of earlier rounds has
 * arrived, so neither thread scheduling nor message timing can show.
 *
 * Worker threads are pooled per process: a run that closes cleanly hands its
 * threads back (unreferenced, so an idle pool never keeps the process alive)
 * and the next run takes them up warm, past thread start-up, module loading
 * and JIT warm-up. A failed run's threads are terminated.
 */
import { availableParallelism } from 'node:os';
import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import { TransportError } from '../../common/errors.js';
import type { ShardSummary, SlotCommand, SlotReport, Transport } from '../../transport.js';
import { decodeReports, encodeCommands, transferOf } from '../../wire/thread-wire.js';
import { type FromThread, type ShardFactory, ShardGroup, type ThreadRun, type ToThread } from './thread-shard-host.js';

/** What a thread entry module finds in `workerData`. */
export interface ThreadWorkerData {
  /** Marks the thread as ours: the entry module may be loaded on threads that are not shard hosts. */
  readonly kind: 'shardsim-thread-host';
}

export interface ThreadedTransportOptions {
  /** The thread entry module (shards/hosts/thread-main.js): serves runs with `serveThread`. */
  readonly script: URL;
  readonly shards: number;
  /** Shards of each thread, by thread index. */
  readonly hosts: ReadonlyArray<readonly number[]>;
  readonly setup: unknown;
  readonly blobs: Readonly<Record<string, Uint8Array>>;
  /**
   * Builds shards on this thread: with it, the first host's shards run here,
   * beside the controller, and only the other hosts get worker threads.
   */
  readonly local?: ShardFactory | undefined;
}

/** How long closing waits for threads to say goodbye before terminating them. */
const CLOSE_GRACE_MS = 5_000;

/** What the run that holds a thread hears of it. */
interface ThreadEvents {
  message(m: FromThread): void;
  failed(what: string, cause?: Error): void;
}

/** A worker thread, pooled between runs; events go to the run holding it, if any. */
class ShardThread {
  readonly worker: Worker;
  holder: ThreadEvents | undefined;
  dead = false;

  constructor(readonly script: string) {
    const workerData: ThreadWorkerData = { kind: 'shardsim-thread-host' };
    this.worker = new Worker(new URL(script), { workerData });
    this.worker.on('message', (m: FromThread) => this.holder?.message(m));
    this.worker.on('error', (err) => this.holder?.failed(`failed: ${err.message}`, err));
    this.worker.on('messageerror', (err) => this.holder?.failed(`sent a message that cannot be read: ${err.message}`, err));
    this.worker.on('exit', (code) => {
      this.dead = true;
      dropIdle(this);
      this.holder?.failed(`exited with code ${code}`);
    });
  }
}

/** Idle threads by entry module. */
const idle = new Map<string, ShardThread[]>();
/** Most idle threads kept: enough for the default thread count and a little more. */
const maxIdle = (): number => Math.max(4, availableParallelism());

function takeThreads(script: string, n: number): ShardThread[] {
  const pool = idle.get(script) ?? [];
  const out = pool.splice(0, n);
  while (out.length < n) out.push(new ShardThread(script));
  for (const t of out) t.worker.ref();
  return out;
}

function giveBack(threads: readonly ShardThread[]): void {
  for (const t of threads) {
    t.holder = undefined;
    if (t.dead) continue;
    let pool = idle.get(t.script);
    if (pool === undefined) idle.set(t.script, (pool = []));
    if (pool.length >= maxIdle()) {
      void t.worker.terminate();
      continue;
    }
    t.worker.unref();
    pool.push(t);
  }
}

function dropIdle(t: ShardThread): void {
  const pool = idle.get(t.script);
  const i = pool?.indexOf(t) ?? -1;
  if (i >= 0) pool!.splice(i, 1);
}

/** Terminates every idle pooled thread (tests; a host that wants its memory back). */
export async function closeIdleThreads(): Promise<void> {
  const all = [...idle.values()].flat();
  idle.clear();
  await Promise.all(all.map((t) => t.worker.terminate()));
}

/** One expected message from every thread, collected until all are in or something fails. */
interface Step {
  readonly kind: FromThread['type'];
  readonly got: Array<FromThread | undefined>;
  left: number;
  readonly resolve: (got: FromThread[]) => void;
  readonly reject: (err: Error) => void;
}

export class ThreadedTransport implements Transport {
  readonly name = 'memory';
  /** Worker threads, serving hosts `first`, `first + 1`, ... */
  private readonly threads: ShardThread[];
  /** The first host served by a worker thread: 1 when host 0 runs here. */
  private readonly first: number;
  private local: ShardGroup | undefined;
  private step: Step | undefined;
  private failure: Error | undefined;
  private closing = false;
  private slot = -1;

  private constructor(private readonly opts: ThreadedTransportOptions) {
    this.first = opts.local === undefined ? 0 : 1;
    this.threads = takeThreads(opts.script.href, opts.hosts.length - this.first);
    this.threads.forEach((thread, w) => {
      thread.holder = {
        message: (m) => this.onMessage(w, m),
        failed: (what, cause) => {
          if (!this.closing)
            this.fail(new TransportError(`${this.who(w + this.first)} ${what} ${this.when()}; the run is stopped and no results are written`, { cause }));
        },
      };
    });
  }

  /** Starts (or takes from the pool) the worker threads, and resolves once every host has built its shards. */
  static async open(opts: ThreadedTransportOptions): Promise<ThreadedTransport> {
    const t = new ThreadedTransport(opts);
    try {
      await t.collect('ready', () => t.openRun());
    } catch (err) {
      await t.close();
      throw err;
    }
    return t;
  }

  /** Threads the run's shards are spread over (this one included when it hosts shards). */
  get threadCount(): number {
    return this.opts.hosts.length;
  }

  /** The slot under way (-1 before the first): where a failure stopped the run. */
  get currentSlot(): number {
    return this.slot;
  }

  /** The run's worker threads (tests kill one to check that a crash stops the run). */
  get workers(): readonly Worker[] {
    return this.threads.map((t) => t.worker);
  }

  /** Stops every pending and future call with `err`. */
  fail(err: Error): void {
    this.failure ??= err;
    const s = this.step;
    this.step = undefined;
    s?.reject(this.failure);
    this.local?.abort(this.failure);
  }

  async runSlot(commands: readonly SlotCommand[]): Promise<SlotReport[]> {
    this.slot = commands[0]?.slot ?? this.slot + 1;
    const { hosts, shards } = this.opts;
    const remote = this.collect('slot', () =>
      this.threads.forEach((_, w) => {
        const wire = encodeCommands(hosts[w + this.first]!.map((s) => commands[s]!));
        this.send(w, { type: 'slot', wire }, transferOf(wire));
      }),
    );
    const out: SlotReport[] = new Array(shards);
    // The workers run their shards while this thread runs its own.
    for (const r of await this.onLocal(remote, (g) => g.runRound(hosts[0]!.map((s) => commands[s]!)))) out[r.shard] = r;
    (await remote).forEach((m, w) => {
      if (m.type !== 'slot') return;
      for (const r of decodeReports(m.wire, hosts[w + this.first]!.length)) out[r.shard] = r;
    });
    return out;
  }

  async finish(): Promise<ShardSummary[]> {
    const remote = this.collect('summary', () => this.threads.forEach((_, w) => this.send(w, { type: 'finish' })));
    const out: ShardSummary[] = new Array(this.opts.shards);
    for (const s of await this.onLocal(remote, (g) => g.finish())) out[s.shard] = s;
    for (const m of await remote) if (m.type === 'summary') for (const s of m.summaries) out[s.shard] = s;
    return out;
  }

  /**
   * Ends the run on every thread and hands the threads back to the pool; after
   * a failure (or threads that do not answer within a few seconds) terminates them.
   */
  async close(): Promise<void> {
    if (this.closing) return;
    let clean = false;
    if (this.failure === undefined) {
      const bye = this.collect('closed', () => this.threads.forEach((_, w) => this.send(w, { type: 'close' }))).then(
        () => true,
        () => false,
      );
      clean = await Promise.race([bye, new Promise<boolean>((r) => setTimeout(() => r(false), CLOSE_GRACE_MS).unref())]);
    }
    // From here a thread's exit is expected, not a failure.
    this.closing = true;
    this.fail(new TransportError('the threaded transport is closed'));
    this.local?.close();
    if (clean) giveBack(this.threads);
    else await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }

  /**
   * Runs `work` on this thread's shards (none: nothing) while the workers'
   * answers are awaited in `remote`. A failure here fails the run; a worker's
   * failure meanwhile stops the wait here (ShardGroup.abort), never a hang.
   */
  private async onLocal<T>(remote: Promise<unknown>, work: (g: ShardGroup) => Promise<T[]>): Promise<T[]> {
    remote.catch(() => undefined); // awaited by the caller; not an unhandled rejection meanwhile
    if (this.local === undefined) return [];
    try {
      return await work(this.local);
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      this.fail(e);
      throw this.failure ?? e;
    }
  }

  /** Builds this thread's shards and sends every worker its part of the run: assignment, ports to the other hosts, setup. */
  private openRun(): void {
    const { hosts, shards, setup, blobs } = this.opts;
    const n = hosts.length;
    const threadOf: number[] = new Array<number>(shards).fill(-1);
    hosts.forEach((list, t) => list.forEach((s) => (threadOf[s] = t)));
    // One channel per pair of hosts: batches go thread to thread.
    const ports: Array<Array<MessagePort | null>> = Array.from({ length: n }, () => new Array<MessagePort | null>(n).fill(null));
    for (let a = 0; a < n; a++) {
      for (let b = a + 1; b < n; b++) {
        const ch = new MessageChannel();
        ports[a]![b] = ch.port1;
        ports[b]![a] = ch.port2;
      }
    }
    // The workers first: they build their shards while this thread builds its own (posted after, each waited
    // for the other: a 64-shard run's setup took both halves end to end).
    this.threads.forEach((_, w) => {
      const t = w + this.first;
      const peers = ports[t]!;
      const run: ThreadRun = { assignment: { thread: t, shards: hosts[t]!, threadOf }, peers, setup, blobs };
      this.send(
        w,
        { type: 'open', run },
        peers.filter((p): p is MessagePort => p !== null),
      );
    });
    if (this.opts.local !== undefined) this.local = new ShardGroup({ thread: 0, shards: hosts[0]!, threadOf }, ports[0]!, this.opts.local);
  }

  /** Sends with `post`, then waits for one message of `kind` from every worker thread. */
  private collect(kind: FromThread['type'], post: () => void): Promise<FromThread[]> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.step !== undefined) return Promise.reject(new TransportError(`threaded transport: "${kind}" asked while "${this.step.kind}" is under way`));
    let step: Step | undefined;
    const done = new Promise<FromThread[]>((resolve, reject) => {
      step = { kind, got: new Array(this.threads.length), left: this.threads.length, resolve, reject };
    });
    this.step = step;
    try {
      post();
    } catch (err) {
      this.fail(err instanceof Error ? err : new Error(String(err))); // rejects `done`
    }
    if (this.step === step && this.threads.length === 0) {
      this.step = undefined;
      step!.resolve([]);
    }
    return done;
  }

  private onMessage(w: number, m: FromThread): void {
    if (m.type === 'error') {
      const where = m.shard >= 0 ? `shard ${m.shard}` : this.who(w + this.first);
      this.fail(new TransportError(`${where} failed${m.slot >= 0 ? ` at slot ${m.slot}` : ` ${this.when()}`}: ${m.message}`));
      return;
    }
    const s = this.step;
    if (s === undefined || s.kind !== m.type || s.got[w] !== undefined) {
      this.fail(new TransportError(`${this.who(w + this.first)} sent "${m.type}" ${this.when()}, which nothing asked for`));
      return;
    }
    s.got[w] = m;
    if (--s.left === 0) {
      this.step = undefined;
      s.resolve(s.got as FromThread[]);
    }
  }

  private send(w: number, m: ToThread, transfer: Array<ArrayBuffer | MessagePort> = []): void {
    this.threads[w]!.worker.postMessage(m, transfer);
  }

  private who(host: number): string {
    const shards = this.opts.hosts[host]!;
    return `the shard thread hosting shard${shards.length > 1 ? 's' : ''} ${shards.join(', ')}`;
  }

  private when(): string {
    return this.slot < 0 ? 'before the first slot' : `during slot ${this.slot}`;
  }
}
