/**
 * The shard side of the threaded memory transport: one worker thread hosting
 * some of a run's shards. A thread outlives its run: it waits for a run to
 * open, builds that run's shards, serves it until the controller closes it,
 * and waits for the next (the controller pools threads, so a sweep's runs
 * skip thread start-up, module loading and JIT warm-up). Per round (one slot) it takes its shards' commands
 * from the controller in one message, runs the shards one after another,
 * hands receipt batches to shards of this thread by reference (as the
 * single-thread transport does) and sends every other thread exactly one
 * message with the round's batches for its shards (possibly none), then
 * reports to the controller.
 *
 * Delivery rule: before a round starts, every peer's message of every earlier
 * round has arrived. That is more than `ShardNetwork.receive` asks (only the
 * batches finalized headers announced, which earlier rounds sent) and costs
 * nothing: a peer posts its batches before it reports, and the controller
 * starts the next round only after every report. Being a one-message-per-peer
 * count, it also lets `finish` know that nothing is still in transit.
 */
import type { MessagePort } from 'node:worker_threads';
import type { ReceiptBatch } from './batch.js';
import { decodeBatches, decodeCommands, encodeBatches, encodeReports, transferOf, type Wire } from './thread-wire.js';
import type { ShardEndpoint, ShardNetwork, ShardSummary, SlotReport } from './transport.js';

/** Which shards a thread hosts, and where every shard of the run lives. */
export interface ThreadAssignment {
  readonly thread: number;
  readonly shards: readonly number[];
  /** Shard -> hosting thread, for every shard of the run. */
  readonly threadOf: readonly number[];
}

/** One run as a thread takes it up. */
export interface ThreadRun {
  readonly assignment: ThreadAssignment;
  /** A port to each other thread of the run, by thread index (null at the thread's own). */
  readonly peers: ReadonlyArray<MessagePort | null>;
  /** The run's shard setup (plain data), for the entry module to build shards from. */
  readonly setup: unknown;
  readonly blobs: Readonly<Record<string, Uint8Array>>;
}

/** Controller -> thread. */
export type ToThread =
  | { readonly type: 'open'; readonly run: ThreadRun }
  | { readonly type: 'slot'; readonly wire: Wire }
  | { readonly type: 'finish' }
  | { readonly type: 'close' };

/** Thread -> controller. */
export type FromThread =
  | { readonly type: 'ready' }
  | { readonly type: 'slot'; readonly wire: Wire }
  | { readonly type: 'summary'; readonly summaries: readonly ShardSummary[] }
  | { readonly type: 'error'; readonly shard: number; readonly slot: number; readonly message: string }
  | { readonly type: 'closed' };

/** Thread -> thread: one round's batches. */
interface PeerMessage {
  readonly round: number;
  readonly wire: Wire;
}

export type ShardFactory = (shard: number, net: ShardNetwork) => ShardEndpoint;

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * Serves runs on this thread for as long as it lives: `build` turns a run's
 * setup into the factory of its shards. Commands are handled one at a time,
 * in order, so a shard's slots never overlap.
 */
export function serveThread(controller: MessagePort, build: (run: ThreadRun) => ShardFactory): void {
  let host: ThreadShardHost | undefined;
  let work: Promise<void> = Promise.resolve();
  const post = (m: FromThread) => controller.postMessage(m);
  const dispatch = async (m: ToThread): Promise<void> => {
    if (m.type === 'open') {
      try {
        host = new ThreadShardHost(m.run, controller, build(m.run));
        post({ type: 'ready' });
      } catch (err) {
        post({ type: 'error', shard: -1, slot: -1, message: messageOf(err) });
      }
      return;
    }
    if (host === undefined) {
      post({ type: 'error', shard: -1, slot: -1, message: `got "${m.type}" with no run open` });
      return;
    }
    await host.handle(m);
    if (m.type === 'close') host = undefined;
  };
  controller.on('message', (m: ToThread) => {
    work = work.then(() => dispatch(m));
  });
}

/** One run's shards on this thread. */
class ThreadShardHost {
  private readonly endpoints: ShardEndpoint[] = [];
  /** Batches delivered to each hosted shard since its last receive, by shard id. */
  private readonly mailboxes = new Map<number, ReceiptBatch[]>();
  /** This round's batches for each other thread. */
  private outgoing: ReceiptBatch[][];
  /** Messages received from each peer thread (one per round). */
  private readonly heard: Int32Array;
  private round = 0;
  private wake: (() => void) | undefined;
  private readonly assignment: ThreadAssignment;
  private readonly peers: ReadonlyArray<MessagePort | null>;

  constructor(
    run: ThreadRun,
    private readonly controller: MessagePort,
    factory: ShardFactory,
  ) {
    this.assignment = run.assignment;
    this.peers = run.peers;
    this.outgoing = this.peers.map(() => []);
    this.heard = new Int32Array(this.peers.length);
    for (const shard of this.assignment.shards) {
      this.mailboxes.set(shard, []);
      this.endpoints.push(factory(shard, this.networkFor(shard)));
    }
    this.peers.forEach((port, p) => port?.on('message', (m: PeerMessage) => this.fromPeer(p, m)));
  }

  private networkFor(shard: number): ShardNetwork {
    const { threadOf, thread } = this.assignment;
    return {
      send: async (batches) => {
        for (const b of batches) {
          const t = threadOf[b.dstShard];
          if (t === undefined) continue; // no such shard: nobody to deliver to, as in the single-thread transport
          if (t === thread) this.mailboxes.get(b.dstShard)!.push(b);
          else this.outgoing[t]!.push(b);
        }
      },
      // The round's barrier (see the file comment) already holds every batch of earlier rounds.
      receive: async () => {
        const box = this.mailboxes.get(shard)!;
        this.mailboxes.set(shard, []);
        return box;
      },
    };
  }

  private fromPeer(peer: number, m: PeerMessage): void {
    for (const b of decodeBatches(m.wire)) this.mailboxes.get(b.dstShard)?.push(b);
    this.heard[peer]!++;
    this.wake?.();
  }

  /** Resolves once every peer's messages of rounds before `round` are in. */
  private async heardAll(round: number): Promise<void> {
    const missing = () => this.peers.some((port, p) => port !== null && this.heard[p]! < round);
    while (missing()) {
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }

  async handle(m: Exclude<ToThread, { type: 'open' }>): Promise<void> {
    let current = -1;
    let slot = -1;
    try {
      switch (m.type) {
        case 'slot': {
          const commands = decodeCommands(m.wire, this.endpoints.length);
          slot = commands[0]?.slot ?? -1;
          await this.heardAll(this.round);
          const reports: SlotReport[] = [];
          for (let i = 0; i < this.endpoints.length; i++) {
            current = this.endpoints[i]!.shard;
            reports.push(await this.endpoints[i]!.onSlot(commands[i]!));
          }
          this.flush();
          const wire = encodeReports(reports);
          this.controller.postMessage({ type: 'slot', wire } satisfies FromThread, transferOf(wire));
          return;
        }
        case 'finish': {
          await this.heardAll(this.round);
          const summaries: ShardSummary[] = [];
          for (const ep of this.endpoints) {
            current = ep.shard;
            summaries.push(await ep.onFinish());
          }
          this.post({ type: 'summary', summaries });
          return;
        }
        case 'close':
          for (const port of this.peers) port?.close();
          this.post({ type: 'closed' });
          return;
      }
    } catch (err) {
      this.post({ type: 'error', shard: current, slot, message: messageOf(err) });
    }
  }

  /** Sends each peer its one message of this round, batches or not, and starts the next round. */
  private flush(): void {
    const round = this.round++;
    this.peers.forEach((port, p) => {
      if (port === null) return;
      const wire = encodeBatches(this.outgoing[p]!);
      port.postMessage({ round, wire } satisfies PeerMessage, transferOf(wire));
    });
    this.outgoing = this.peers.map(() => []);
  }

  private post(m: FromThread): void {
    this.controller.postMessage(m);
  }
}
