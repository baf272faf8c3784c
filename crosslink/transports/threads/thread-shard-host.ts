/**
 * The shard side of the threaded memory transport. A ShardGroup is one run's
 * shards on one thread (a worker, or the controller's own): per round (one
 * slot) it runs its shards one after another, hands receipt batches to
 * shards of the group by reference (as the single-thread transport does),
 * and sends every other group exactly one message with the round's batches
 * for its shards (possibly none). `serveThread` is a worker's loop: it
 * outlives runs, building each run's group when the controller opens it.
 *
 * Delivery rule: before a round starts, every peer's message of every earlier
 * round has arrived. That is more than `ShardNetwork.receive` asks (only the
 * batches finalized headers announced, which earlier rounds sent) and costs
 * nothing: a peer posts its batches before it reports, and the controller
 * starts the next round only after every report. Being a one-message-per-peer
 * count, it also lets `finish` know that nothing is still in transit, so
 * end-of-run accounting sees every batch, as on the single-thread transport.
 */
import type { MessagePort } from 'node:worker_threads';
import type { ReceiptBatch } from '../../batch.js';
import { ProtocolError } from '../../common/errors.js';
import type { ShardEndpoint, ShardNetwork, ShardSummary, SlotCommand, SlotReport } from '../../transport.js';
import { decodeCommands, encodeBatches, encodeReports, transferOf, type Wire } from '../../wire/thread-wire.js';
import { BatchMailboxes } from '../memory/batch-mailbox.js';

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
  let group: ShardGroup | undefined;
  let work: Promise<void> = Promise.resolve();
  const post = (m: FromThread, transfer: ArrayBuffer[] = []) => controller.postMessage(m, transfer);
  const dispatch = async (m: ToThread): Promise<void> => {
    let slot = -1;
    try {
      switch (m.type) {
        case 'open':
          group = new ShardGroup(m.run.assignment, m.run.peers, build(m.run));
          post({ type: 'ready' });
          return;
        case 'slot': {
          if (group === undefined) throw new ProtocolError('a slot command came with no run open');
          const commands = decodeCommands(m.wire, group.size);
          slot = commands[0]?.slot ?? -1;
          const wire = encodeReports(await group.runRound(commands));
          post({ type: 'slot', wire }, transferOf(wire));
          return;
        }
        case 'finish':
          if (group === undefined) throw new ProtocolError('finish came with no run open');
          post({ type: 'summary', summaries: await group.finish() });
          return;
        case 'close':
          group?.close();
          group = undefined;
          post({ type: 'closed' });
          return;
      }
    } catch (err) {
      post({ type: 'error', shard: group?.current ?? -1, slot, message: messageOf(err) });
    }
  };
  controller.on('message', (m: ToThread) => {
    work = work.then(() => dispatch(m));
  });
}

/**
 * One run's shards on one thread (a worker, or the main thread itself): runs
 * them round by round and moves their receipt batches, by reference between
 * shards of the group and over the peer ports to the other groups.
 */
export class ShardGroup {
  private readonly endpoints: ShardEndpoint[] = [];
  /** Batches delivered to the hosted shards and not taken yet, held encoded until final. */
  private readonly mailboxes: BatchMailboxes;
  /** This round's batches for each other thread. */
  private outgoing: ReceiptBatch[][];
  /** Messages received from each peer thread (one per round). */
  private readonly heard: Int32Array;
  private round = 0;
  private wake: (() => void) | undefined;
  private aborted: Error | undefined;
  /** The shard running now (-1: none), for error messages. */
  current = -1;

  constructor(
    private readonly assignment: ThreadAssignment,
    /** A port to each other group of the run, by thread index (null at this group's own). */
    private readonly peers: ReadonlyArray<MessagePort | null>,
    factory: ShardFactory,
  ) {
    this.outgoing = peers.map(() => []);
    this.heard = new Int32Array(peers.length);
    this.mailboxes = new BatchMailboxes(assignment.shards);
    for (const shard of assignment.shards) this.endpoints.push(factory(shard, this.networkFor(shard)));
    peers.forEach((port, p) => port?.on('message', (m: PeerMessage) => this.fromPeer(p, m)));
  }

  /** Shards in the group. */
  get size(): number {
    return this.endpoints.length;
  }

  /** Runs one slot on every shard of the group (commands in assignment order); reports in the same order. */
  async runRound(commands: readonly SlotCommand[]): Promise<SlotReport[]> {
    await this.heardAll(this.round);
    const reports: SlotReport[] = new Array(this.endpoints.length);
    for (let i = 0; i < this.endpoints.length; i++) {
      const ep = this.endpoints[i]!;
      this.current = ep.shard;
      reports[i] = await ep.onSlot(commands[i]!);
    }
    this.current = -1;
    this.flush();
    return reports;
  }

  async finish(): Promise<ShardSummary[]> {
    await this.heardAll(this.round);
    const out: ShardSummary[] = [];
    for (const ep of this.endpoints) {
      this.current = ep.shard;
      out.push(await ep.onFinish());
    }
    this.current = -1;
    return out;
  }

  close(): void {
    for (const port of this.peers) port?.close();
  }

  /** Stops a wait for peers that will never answer (one of them died): the wait throws `err`. */
  abort(err: Error): void {
    this.aborted ??= err;
    this.wake?.();
  }

  private networkFor(shard: number): ShardNetwork {
    const { threadOf, thread } = this.assignment;
    return {
      send: async (batches) => {
        const local: ReceiptBatch[] = [];
        for (const b of batches) {
          const t = threadOf[b.dstShard];
          if (t === undefined) continue; // no such shard: nobody to deliver to, as in the single-thread transport
          if (t === thread) local.push(b);
          else this.outgoing[t]!.push(b);
        }
        this.mailboxes.post(local);
      },
      // The round's barrier (see the file comment) already holds every batch of earlier rounds.
      receive: async (_awaited, finalizedSlot) => this.mailboxes.take(shard, finalizedSlot),
    };
  }

  private fromPeer(peer: number, m: PeerMessage): void {
    this.mailboxes.postWire(m.wire);
    this.heard[peer]!++;
    this.wake?.();
  }

  /** Resolves once every peer's messages of rounds before `round` are in. */
  private async heardAll(round: number): Promise<void> {
    const missing = () => this.peers.some((port, p) => port !== null && this.heard[p]! < round);
    while (missing()) {
      if (this.aborted !== undefined) throw this.aborted;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
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
}
