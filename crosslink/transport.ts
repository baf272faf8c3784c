/**
 * The transport contract. A transport carries, per slot, one command to each
 * shard and one report back, and between shards the receipt batches (one per
 * source, destination and slot). It knows nothing of what shards execute.
 * Implementations: transports/memory/ (all shards in this process); the
 * Redis/BullMQ transport implements the same interface across processes.
 */
import type { ReceiptBatch } from './batch.js';
import type { BlockHeader, Crosslink } from './header.js';
import type { SlotMetrics } from './slot-metrics.js';
import type { TxRows } from './tx-rows.js';

export interface SlotCommand {
  readonly slot: number;
  /**
   * The slot whose blocks (every shard's) the beacon finalized with this
   * command, or -1 before the first: the beacon finalizes a slot's headers
   * together, so this is the newest source slot a batch may be admitted from.
   */
  readonly finalizedSlot: number;
  /** Of those blocks, the ones that sent this shard a batch, by ascending source shard. */
  readonly crosslinks: readonly Crosslink[];
  /** User transactions submitted to this shard during the slot, in stream order, as rows. */
  readonly txs: TxRows;
  /** The accounts that move between shards at this slot (accounts.repartition), every shard's; absent: none. */
  readonly moves?: MovePlan;
}

/** One repartition epoch's moves: (account, from shard, to shard) triples in ascending account order. */
export interface MovePlan {
  readonly epoch: number;
  readonly moves: Uint32Array;
}

/**
 * What a block sent each destination, as the beacon records it: one
 * (destination, receipt count, value) triple per batch, in ascending
 * destination order, flat in one array. At 1,024 shards a slot reports a
 * million of them and the beacon holds them until finality: as objects they
 * were promoted and marked with the rest of the heap.
 */
export type OutboundRows = Float64Array;

/** Numbers an outbound triple takes. */
export const OUTBOUND_NUMS = 3;

export type { SlotMetrics } from './slot-metrics.js';

export interface SlotReport {
  readonly shard: number;
  readonly slot: number;
  readonly header: BlockHeader;
  readonly outbound: OutboundRows;
  readonly metrics: SlotMetrics;
  /** What the shard's executor measured of the block: numbers whose meaning the shard side declares, carried and never read here. */
  readonly exec: Float64Array;
}

/** A shard's end-of-run account, used by the controller's invariant check. */
export interface ShardSummary {
  readonly shard: number;
  readonly stateRoot: string;
  /** Sum of all balances the shard holds. */
  readonly balanceSum: number;
  /** Receipts admitted but not applied yet (the delayed-receipt queue). */
  readonly delayed: { readonly count: number; readonly value: number };
  /** Batches announced by finalized headers and not admitted yet. */
  readonly awaited: { readonly count: number; readonly value: number };
  readonly mempool: number;
  readonly counters: ShardCounters;
  /** Per hosted contract and conserved class, the drift from genesis (must be 0), e.g. "token@9998 supply". */
  readonly contractDrift: Readonly<Record<string, number>>;
  /** Injected faults this shard lived through or committed (empty without a fault plan). */
  readonly faults: { readonly silentSlots: number; readonly forged: Readonly<Record<string, number>> };
  /** Latency histogram (sparse [bucket, count] pairs), see shards/latency-histogram.ts. */
  readonly latency: ReadonlyArray<readonly [number, number]>;
  /** Of the window's transactions completed here, the age at the window's end (submission to window end, ms), as the same sparse pairs. */
  readonly completedAges: ReadonlyArray<readonly [number, number]>;
  /** Transactions submitted in the measured window that completed here, by workload kind (shards/kind-of.ts), keys sorted. */
  readonly byKind: Readonly<Record<string, KindOutcomes>>;
}

/** Of one kind's transactions: how many completed, and how many of those as failures. */
export interface KindOutcomes {
  readonly completed: number;
  readonly failed: number;
}

export interface ShardCounters {
  /** User transactions accepted into the mempool. */
  readonly submitted: number;
  /** Refused because the mempool was full (never entered the system). */
  readonly mempoolDropped: number;
  readonly txCommitted: number;
  readonly txFailed: number;
  /** Transactions whose effect ended on this shard (local, credit or refund), in and out of the window. */
  readonly completed: number;
  readonly completedInWindow: number;
  readonly completedCrossInWindow: number;
  /** Gas the receipts admitted during the window will cost to apply here (an action receipt: its call too). */
  readonly receiptGasAdmittedInWindow: number;
  /** Of those completed, how many ended as failures (including refunded credits). */
  readonly completedFailed: number;
  readonly receiptsEmitted: number;
  readonly receiptValueEmitted: number;
  readonly receiptsApplied: number;
  readonly receiptValueApplied: number;
  readonly refundsEmitted: number;
  readonly admittedBatches: number;
  readonly admittedReceipts: number;
  readonly duplicateBatches: number;
  readonly rejectedBatches: number;
  readonly rejectedReceipts: number;
  readonly rejectedByReason: Readonly<Record<string, number>>;
  readonly gasUsed: number;
  readonly makespan: number;
  /**
   * The window's completed transactions' latency by stage, summed, ms (shards/shard.ts addStages): waiting in
   * the mempool, the slots of the blocks that executed them, waiting for a source block to be final and the
   * receipt admitted, waiting in the delayed-receipt queue, and a two-leg transaction's outbound leg.
   */
  readonly stageMempoolMs: number;
  readonly stageBlocksMs: number;
  readonly stageFinalityMs: number;
  readonly stageQueueMs: number;
  readonly stageOutboundMs: number;
  /** Of the window's completions here, those that ended as failures (failedInWindow ≤ completedInWindow). */
  readonly failedInWindow: number;
  /** Transactions the window's blocks here sent on to another shard (their first cross-shard message). */
  readonly crossSentInWindow: number;
  /** The cross-shard protocols (docs/protocols.md): lock-2pc aborts and locks, and broker payouts. */
  readonly lockAborts: number;
  readonly locksTaken: number;
  readonly locksReleased: number;
  /** Slots the released locks were held, summed. */
  readonly lockHeldSlots: number;
  readonly brokerPaid: number;
  /** Payout attempts that found their broker dry (a waiting payout counts again each block it retries). */
  readonly brokerDry: number;
  /** Payouts a broker returned to their sender (a refused receiver, or a dry broker under fallback `refund`). */
  readonly brokerReturned: number;
  /** accounts.repartition: accounts this shard sent away and took in, transactions it refused because their sender had left. */
  readonly accountsLeft: number;
  readonly accountsArrived: number;
  readonly movedRefused: number;
  /** Transactions that reached an account's new shard before its state and waited for it. */
  readonly parkedTxs: number;
  /** Migrate receipts (an account's state in flight) sent and applied here, forwarded ones included: they carry no transaction. */
  readonly migrateReceiptsEmitted: number;
  readonly migrateReceiptsApplied: number;
}

/** What a shard implements; the transport calls it. */
export interface ShardEndpoint {
  readonly shard: number;
  onSlot(command: SlotCommand): Promise<SlotReport>;
  onFinish(): Promise<ShardSummary>;
  /**
   * The shard's whole state after its last slot, as structured-cloneable data
   * (node:v8 serializes it into a checkpoint). Valid until the next slot.
   */
  checkpoint(): ShardCheckpoint;
  /** Takes over a checkpoint's state (on a shard freshly built from the same setup). */
  restore(checkpoint: ShardCheckpoint): void;
}

/** A shard's checkpoint: opaque to transports beyond the slot it was taken after. */
export interface ShardCheckpoint {
  readonly shard: number;
  readonly slot: number;
  readonly data: unknown;
}

/** A shard's window on the network. */
export interface ShardNetwork {
  /** Sends this slot's outgoing batches (each to its destination's inbox); resolves once they are handed over. */
  send(batches: readonly ReceiptBatch[]): Promise<void>;
  /**
   * Every batch delivered to this shard since the last call, in arrival order,
   * once at least one copy of each `awaited` batch has arrived. Waiting for
   * what finalized headers announced, never for a timer, is what keeps
   * results independent of delivery timing. A network may hold back batches
   * from source slots after `finalizedSlot` (blocks not final yet, whose
   * batches the inbox could not admit) until a later call. A batch's proof
   * may be a view into the network's own buffers, valid until its next send
   * or receive for any shard it hosts (the memory transports run their
   * shards one at a time, so that is after this shard's admission): the
   * inbox copies what it keeps (Inbox.keepHeld).
   */
  receive(awaited: readonly Crosslink[], finalizedSlot: number): Promise<ReceiptBatch[]>;
}

/** One recovery, as measured: wall time from a shard process's death (or a resume) to its shards being back in step. */
export interface Recovery {
  /** The host process restarted (-1: a resume, which restores every shard). */
  readonly host: number;
  readonly shards: readonly number[];
  /** The slot under way when the process died (or the last logged slot, resuming). */
  readonly slot: number;
  readonly replayedSlots: number;
  readonly wallSeconds: number;
}

/** The controller's side of a transport. */
export interface Transport {
  readonly name: string;
  /** Restarts and resumes this run lived through (a transport that recovers from crashes). */
  readonly recoveries?: readonly Recovery[];
  /**
   * Runs one slot on every shard; reports come back indexed by shard. The
   * commands' transaction rows are the caller's again once this resolves (it
   * refills them for the next slot): copy what must outlive it.
   */
  runSlot(commands: readonly SlotCommand[]): Promise<SlotReport[]>;
  /** Collects every shard's end-of-run summary, indexed by shard. */
  finish(): Promise<ShardSummary[]>;
  /** Releases everything the transport holds (processes, connections, keys). */
  close(): Promise<void>;
}
