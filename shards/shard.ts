/**
 * One shard: steps 2 to 4 of the slot protocol (docs/architecture.md, "The
 * slot protocol"). It admits proven receipts from finalized source blocks,
 * builds a block (receipts first, up to their gas share, as NEAR applies
 * delayed receipts before new transactions; then mempool transactions),
 * executes it, commits the state root, and sends its outgoing receipts in
 * one batch per destination. It never knows it is being simulated.
 */
import { type ReceiptBatch, type SealedBatches, sealBatches } from '../crosslink/batch.js';
import { announcedBatchBytes, batchOverheadBytes, deliveredBatchBytes, relayBatchBytes, relayItemBytes } from '../crosslink/batch-bytes.js';
import { CheckpointError } from '../crosslink/common/errors.js';
import type { FaultPlan } from '../crosslink/fault-plan.js';
import { ByteWriter, HASH_BYTES, type Hash, toHex, ZERO_HASH } from '../crosslink/hash.js';
import { type BlockHeader, headerHash } from '../crosslink/header.js';
import { Inbox, type InboxSnapshot } from '../crosslink/inbox.js';
import { leafBuffer, merkleRootOfFlat } from '../crosslink/merkle.js';
import { blockBytes, RECEIPT_BYTES } from '../crosslink/network/message-sizes.js';
import { type Receipt, ReceiptKind } from '../crosslink/receipt.js';
import type { KindOutcomes, ShardCheckpoint, ShardEndpoint, ShardNetwork, ShardSummary, SlotCommand, SlotReport } from '../crosslink/transport.js';
import { TxKind, type UserTx } from '../crosslink/tx.js';
import { type AccountMap, applyMoves, stateSize } from './account-map.js';
import type { ForgerSnapshot } from './byzantine.js';
import type { ConsensusTiming } from './consensus/contract.js';
import { type BlockPlan, SlotAgreement } from './consensus/slot-agreement.js';
import type { ContractSpec } from './contracts/contract.js';
import { CONTRACTS } from './contracts/index.js';
import { BrokerBack, brokerLocal } from './cross-shard.js';
import { appliedBatchBytes, appliedBytes, DelayedReceipts, type DelayedSnapshot, type TakenReceipts } from './delayed-receipts.js';
import { packExecStats } from './executors/exec-stats.js';
import type { BlockExecution, ExecutionLimits, Executor } from './executors/executor.js';
import { kindOfReceipt, kindOfTx } from './kind-of.js';
import { KindTally } from './kind-tally.js';
import { LatencyHistogram } from './latency-histogram.js';
import { ShardFaults } from './shard-faults.js';
import type { ShardSetup } from './shard-setup.js';
import { balanceKey, nonceKey, ShardState, type StateSnapshot } from './state.js';
import { contractLocalOfKey, slotOfKey } from './storage-keys.js';
import { TxPool } from './tx-pool.js';
import { Outcome, receiptGas, type VmContext } from './vm.js';

/** A shard's parameters: the run's shard setup, plus what is built from it for this shard. */
export interface ShardOptions extends Omit<ShardSetup, 'accounts' | 'executor' | 'faults' | 'movable'> {
  readonly shard: number;
  readonly map: AccountMap;
  readonly frozen: Uint8Array | null;
  readonly executor: Executor;
  /** Injected faults (delays, duplicates, silence, forgeries), or none. */
  readonly faults: FaultPlan | null;
}

/**
 * Everything a shard holds between slots (see `Shard.checkpoint`); version 3: the inbox's record of admissions
 * lists the sources admitted from; version 4: the ages of completed window transactions (`completedAges`) and
 * the window's completions by kind (`byKind`); version 5: the inbox holds the proven batches the receipt byte cap
 * held back, and the block plans' guide; version 6: a mempool transaction carries its size in bytes; version 7:
 * a transaction and a delayed action receipt carry their trace's work gas; version 8: the cross-shard protocols'
 * counters (aborts, locks, broker payouts); version 9: a movable map's placement (accounts.repartition); version 10:
 * each delayed receipt's bytes and its batch's, which a block applying it carries.
 */
interface ShardData {
  readonly version: 10;
  readonly state: StateSnapshot;
  readonly stateRoot: Hash;
  readonly parentHash: Hash;
  readonly inbox: InboxSnapshot;
  readonly mempool: UserTx[];
  /** The delayed receipts, each with the slot it was admitted in and its bytes. */
  readonly delayed: DelayedSnapshot;
  readonly delayedValue: number;
  readonly latency: Array<[number, number]>;
  readonly completedAges: Array<[number, number]>;
  readonly byKind: Record<string, KindOutcomes>;
  readonly counters: Shard['c'];
  readonly silentSlots: number;
  readonly forger: ForgerSnapshot | null;
  /** Where the next block plan guesses first (slot-agreement.ts), null without a network. */
  readonly agreementGuide: { a: number; b: number } | null;
  /** accounts.repartition: the account map's epoch and owners, accounts arriving and their parked transactions (null: a fixed map). */
  readonly placement: { epoch: number; owner: Uint16Array; arriving: number[]; parked: UserTx[] } | null;
}

const txWriter = new ByteWriter(64);

/**
 * Root over the leaves of a block's first `count` transactions, hashed
 * straight into a flat tree buffer. A call's leaf also commits to its call
 * data (method and arguments; the kind byte fixes which layout a leaf has),
 * so two blocks that differ only in a call's arguments differ in their root
 * (and to its trace's work gas, when it has one);
 * a transfer, which has none, keeps its one-compression leaf.
 */
export function txRoot(txs: readonly UserTx[], count: number): Hash {
  const nodes = leafBuffer(count);
  for (let i = 0; i < count; i++) {
    const tx = txs[i]!;
    const w = txWriter.reset().u64(tx.id).u8(tx.kind).u32(tx.from).u32(tx.to).u64(tx.amount).u64(tx.gasLimit).u64(tx.submitMs);
    if (tx.kind === TxKind.Call) {
      w.u32(tx.op).u64(tx.a).u64(tx.b).u64(tx.c);
      // A trace's gas for the work, where it gave one (a leaf's length tells the two layouts apart).
      if (tx.workGas !== 0) w.u64(tx.workGas);
    }
    w.leafHashInto(nodes, i * HASH_BYTES);
  }
  return merkleRootOfFlat(nodes, count);
}

/** A block as step 3 leaves it: its candidates, what executed, and its committee's agreement (null: none timed, or the slot missed). */
interface FilledBlock {
  readonly receipts: readonly Receipt[];
  readonly txs: readonly UserTx[];
  readonly limits: ExecutionLimits;
  readonly exec: BlockExecution;
  readonly agreement: ConsensusTiming | null;
  readonly missed: boolean;
  /** Whether agreement cut the block shorter than its candidates. */
  readonly cut: boolean;
  /** What each executed receipt carried in the queue: the slot it was admitted in, its bytes. */
  readonly taken: TakenReceipts;
}

/** Bytes of the batches a block of `txCount` transactions sent, as they travel (proofs included), as the protocol sizes them. */
function sentBatchBytes(batches: readonly ReceiptBatch[], relay: boolean, txCount: number): number {
  let bytes = 0;
  for (const b of batches) bytes += relay ? relayBatchBytes(b, txCount) : deliveredBatchBytes(b);
  return bytes;
}

export class Shard implements ShardEndpoint {
  readonly shard: number;
  private readonly state: ShardState;
  private readonly inbox: Inbox;
  private readonly mempool: TxPool;
  /** Receipts admitted and not applied, with the slot each was admitted in (the latency breakdown's finality and queue stages) and its bytes. */
  private readonly delayed = new DelayedReceipts();
  private readonly ctx: VmContext;
  private readonly latency = new LatencyHistogram();
  /**
   * Of the window's transactions that completed here, the time from their submission to the window's end
   * (ms). The controller histograms the same age of every transaction it offered in the window: the
   * difference is the transactions still unfinished at the end, which censored latency counts
   * (simulator/censored-latency.ts).
   */
  private readonly completedAges = new LatencyHistogram();
  /** The window's transactions completed here, by kind. */
  private readonly byKind = new KindTally();
  private parentHash: Hash = ZERO_HASH;
  private stateRoot: Hash;
  private delayedValue = 0;
  private readonly hosted = new Map<number, ContractSpec>();
  /** accounts.repartition: accounts that moved here whose state has not arrived yet, and their transactions meanwhile. */
  private readonly arriving = new Set<number>();
  private readonly parked = new Map<number, UserTx[]>();
  private parkedCount = 0;
  /** Everything injected faults do to this shard (shard-faults.ts). */
  private readonly faults: ShardFaults;
  /** How long the committee takes to agree on each block, or null for instant agreement. */
  private readonly agreement: SlotAgreement | null;
  /** The last slot this shard executed (-1 before the first). */
  private lastSlot = -1;
  private c = {
    submitted: 0,
    mempoolDropped: 0,
    txCommitted: 0,
    txFailed: 0,
    completed: 0,
    completedInWindow: 0,
    completedCrossInWindow: 0,
    receiptGasAdmittedInWindow: 0,
    completedFailed: 0,
    receiptsEmitted: 0,
    receiptValueEmitted: 0,
    receiptsApplied: 0,
    receiptValueApplied: 0,
    refundsEmitted: 0,
    gasUsed: 0,
    makespan: 0,
    stageMempoolMs: 0,
    stageBlocksMs: 0,
    stageFinalityMs: 0,
    stageQueueMs: 0,
    stageOutboundMs: 0,
    failedInWindow: 0,
    crossSentInWindow: 0,
    /** lock-2pc: transactions refused because their sender was locked; locks taken; slots the released locks were held. */
    lockAborts: 0,
    locksTaken: 0,
    locksReleased: 0,
    lockHeldSlots: 0,
    /** broker: payouts made, attempts that found the broker dry (each retry counts), payouts returned to their sender. */
    brokerPaid: 0,
    brokerDry: 0,
    brokerReturned: 0,
    /** accounts.repartition: accounts sent away and arrived, transactions refused because their sender had left, Migrate receipts sent and applied (forwarded ones too). */
    accountsLeft: 0,
    accountsArrived: 0,
    movedRefused: 0,
    parkedTxs: 0,
    migrateReceiptsEmitted: 0,
    migrateReceiptsApplied: 0,
  };

  constructor(
    private readonly opts: ShardOptions,
    private readonly net: ShardNetwork,
  ) {
    this.shard = opts.shard;
    this.mempool = new TxPool(opts.mempoolCapacity);
    // Contracts this shard hosts, by local index, for the default value of storage never written.
    const hosted = this.hosted;
    for (const c of opts.contracts) if (opts.map.owner[c.id] === opts.shard) hosted.set(opts.map.local[c.id]!, c);
    const storageDefault = (key: number): number => {
      const spec = hosted.get(contractLocalOfKey(key));
      return spec === undefined ? 0 : CONTRACTS[spec.kind].defaultValue(spec, slotOfKey(key));
    };
    const members = stateSize(opts.map, opts.shard);
    const brokers = opts.crossShard.brokers;
    const movable = opts.map.movable;
    // A movable map gives this shard a place for every account: its own start with the initial balance, the rest empty.
    this.state = new ShardState(members + brokers, movable ? 0 : opts.initialBalance, storageDefault);
    if (movable) for (const id of opts.map.members[opts.shard]!) this.state.write(balanceKey(id), opts.initialBalance);
    // Each broker's account on this shard starts with its liquidity.
    for (let b = 0; b < brokers; b++) this.state.write(balanceKey(brokerLocal(members, b)), opts.crossShard.liquidity);
    this.stateRoot = this.state.commit();
    this.faults = new ShardFaults(opts.shard, opts.faults);
    // The network's model times receipt batches' transit; with a consensus protocol it also times each block's agreement.
    const agreement = opts.agreement === null ? null : new SlotAgreement(opts.agreement, opts.shard, opts.shardCount, opts.slotMs);
    this.agreement = agreement !== null && opts.agreement!.protocol !== 'ideal' ? agreement : null;
    const relay = opts.crossShard.protocol === 'relay';
    this.inbox = new Inbox(
      opts.shard,
      opts.shardCount,
      this.faults.arrivalDelay(),
      agreement === null
        ? null
        : (cl) => agreement.batchDueSlot(cl.header.shard, cl.header.slot, announcedBatchBytes(cl.count, cl.header.txCount, relay), opts.shard),
      relay ? (b, header) => relayBatchBytes(b, header.txCount) : deliveredBatchBytes,
    );
    this.ctx = {
      shard: opts.shard,
      map: opts.map,
      frozen: opts.frozen,
      gas: opts.gas,
      contracts: new Map(opts.contracts.map((c) => [c.id, c])),
      slot: 0,
      cross: opts.crossShard,
      members,
    };
  }

  async onSlot(cmd: SlotCommand): Promise<SlotReport> {
    const slot = cmd.slot;
    this.lastSlot = slot;
    const rejectedBefore = this.inbox.stats.rejectedReceipts;
    // A silent shard (an injected fault) admits and executes nothing: an empty block.
    const silent = this.faults.silentIn(slot);
    const leaving = this.applyMoves(cmd);
    await this.admitReceipts(cmd, silent);
    const dropped = this.admitTxs(cmd);
    const block = this.fillBlock(slot, silent);
    const { outgoing, txFailed } = this.applyOutcomes(slot, block, leaving);
    const { header, sealed } = await this.sealAndSend(slot, block.txs, block.exec, outgoing);
    return this.report(slot, header, sealed, block, txFailed, outgoing, rejectedBefore, dropped);
  }

  /** Step 2: admits proven receipts of finalized source blocks, canonically ordered (none while silent). */
  private async admitReceipts(cmd: SlotCommand, silent: boolean): Promise<void> {
    const slot = cmd.slot;
    this.inbox.addCrosslinks(cmd.finalizedSlot, cmd.crosslinks, slot);
    for (const b of await this.net.receive(this.inbox.awaited(slot), cmd.finalizedSlot)) this.inbox.deliver(b);
    const inWindow = slot >= this.opts.windowFrom && slot < this.opts.windowTo;
    const relay = this.opts.crossShard.protocol === 'relay';
    const admit = (batch: ReceiptBatch, header: BlockHeader): void => {
      const overhead = batchOverheadBytes(batch);
      for (const r of batch.receipts) {
        this.delayed.push(r, slot, relay ? relayItemBytes(r, header.txCount) : RECEIPT_BYTES, overhead);
        this.delayedValue += r.amount;
        // The receipts' share of what this shard is asked for (the run's per-shard demand), at the gas each will cost.
        if (inWindow) this.c.receiptGasAdmittedInWindow += receiptGas(r, this.ctx);
      }
    };
    if (!silent) this.inbox.admitReady(slot, this.opts.receiptBytesPerSlot ?? Number.POSITIVE_INFINITY, admit);
    this.inbox.keepHeld();
  }

  /**
   * A repartition epoch's moves (accounts.repartition), applied to the account map unless another holder of it
   * applied them first: the accounts arriving here wait for their state, and those leaving are returned for
   * this slot's block to send on (docs/workloads.md, "Re-placement").
   */
  private applyMoves(cmd: SlotCommand): number[] {
    const plan = cmd.moves;
    if (plan === undefined) return [];
    applyMoves(this.opts.map, plan);
    const leaving: number[] = [];
    const m = plan.moves;
    for (let i = 0; i < m.length; i += 3) {
      if (m[i + 1] === this.shard) leaving.push(m[i]!);
      else if (m[i + 2] === this.shard) this.arriving.add(m[i]!);
    }
    return leaving;
  }

  /** Takes the slot's transactions into the mempool (those of an account whose state is still on its way wait beside it); returns how many were dropped. */
  private admitTxs(cmd: SlotCommand): number {
    const o = this.opts;
    // Beyond the mempool's capacity, the rest of the slot's transactions are dropped.
    const admitted = Math.max(0, Math.min(cmd.txs.length, o.mempoolCapacity - this.mempool.length));
    if (this.arriving.size === 0) this.mempool.pushRows(cmd.txs, admitted);
    else this.park(cmd.txs, admitted);
    const dropped = cmd.txs.length - admitted;
    this.c.submitted += cmd.txs.length - dropped;
    this.c.mempoolDropped += dropped;
    return dropped;
  }

  /** The first `count` transactions of `rows` into the mempool, those of an arriving account parked until its state is here. */
  private park(rows: SlotCommand['txs'], count: number): void {
    for (let i = 0; i < count; i++) {
      const tx = rows.at(i);
      if (!this.arriving.has(tx.from)) {
        this.mempool.push(tx);
        continue;
      }
      this.parkOne(tx);
      this.c.parkedTxs++;
    }
  }

  /** Holds `tx` beside its arriving sender's others, in order. */
  private parkOne(tx: UserTx): void {
    const list = this.parked.get(tx.from);
    if (list === undefined) this.parked.set(tx.from, [tx]);
    else list.push(tx);
    this.parkedCount++;
  }

  /**
   * The accounts leaving this shard at this slot: each one's balance and nonce go to its new shard in a Migrate
   * receipt of this block (value in flight, as a credit's), and its place here is emptied. An account that left
   * before its state got here sends on what it has; its state follows it when it arrives.
   */
  private migrateOut(slot: number, leaving: readonly number[]): Receipt[] {
    const out: Receipt[] = [];
    const map = this.opts.map;
    for (const account of leaving) {
      if (this.arriving.has(account)) this.arrived(account);
      const local = map.local[account]!;
      const amount = this.state.read(balanceKey(local));
      const nonce = this.state.read(nonceKey(local));
      this.state.write(balanceKey(local), 0);
      this.state.write(nonceKey(local), 0);
      out.push({
        kind: ReceiptKind.Migrate,
        srcShard: this.shard,
        srcSlot: slot,
        index: out.length,
        dstShard: map.owner[account]!,
        txId: 0,
        from: account,
        originShard: this.shard,
        to: account,
        amount,
        submitMs: slot * this.opts.slotMs,
        op: 0,
        a: nonce,
        b: 0,
        c: 0,
        workGas: 0,
      });
      this.c.accountsLeft++;
      this.c.migrateReceiptsEmitted++;
      this.c.receiptsEmitted++;
      this.c.receiptValueEmitted += amount;
    }
    return out;
  }

  /** An account's state has arrived: its parked transactions join the mempool. */
  private arrived(account: number): void {
    this.arriving.delete(account);
    const list = this.parked.get(account);
    if (list === undefined) return;
    this.parked.delete(account);
    this.parkedCount -= list.length;
    for (const tx of list) this.mempool.push(tx);
  }

  /**
   * Step 3: chooses the block's receipts and transactions (none while silent or when the slot is missed) and
   * executes them. With a network, the block is the largest that its committee can agree on and execute within
   * the slot, and executing it may take what agreement leaves (docs/network.md, "A slot's time").
   */
  private fillBlock(slot: number, silent: boolean): FilledBlock {
    const o = this.opts;
    // Candidates. Receipts up to their gas share (the first one always, so a
    // large action cannot wait forever), then transactions up to the gas limit.
    this.ctx.slot = slot;
    const candidates = silent ? { receipts: 0, txs: 0 } : o.crossShard.protocol === 'relay' ? this.relayCandidates() : this.receiptCandidates();
    let receipts = this.delayed.peek(candidates.receipts);
    let txCount = candidates.txs;
    let timeBudget = o.slotMs / 1000;
    let agreement: ConsensusTiming | null = null;
    let missed = false;
    let cut = false;
    if (this.agreement !== null) {
      const plan = this.planBlock(slot, receipts, txCount);
      missed = plan.timing === null;
      cut = plan.cut && plan.timing !== null;
      if (plan.items < receipts.length + txCount) {
        txCount = Math.max(0, plan.items - receipts.length);
        receipts = receipts.slice(0, Math.min(receipts.length, plan.items));
      }
      if (plan.timing !== null) timeBudget = (o.slotMs - plan.timing.commitMs) / 1000;
      agreement = plan.timing;
    }
    const txs = this.mempool.peek(txCount);
    const limits = {
      gasLimit: o.blockGasLimit,
      timeBudget,
      gasPerSecondPerThread: o.gasPerSecondPerThread,
      threads: o.threads,
    };
    const exec = o.executor.execute({ receipts, txs }, this.state, this.ctx, limits);
    const taken = this.delayed.take(exec.receiptsIncluded);
    this.mempool.drop(exec.txsIncluded);
    // What the committee agreed on is the block as executed, which the time left may have cut shorter than planned.
    if (this.agreement !== null && agreement !== null && exec.receiptsIncluded + exec.txsIncluded < receipts.length + txs.length) {
      agreement = this.agreement.timing(slot, this.blockBytes(receipts, taken, txs, exec));
    }
    this.agreement?.release();
    return { receipts, txs, limits, exec, agreement, missed, cut, taken };
  }

  /**
   * A block's candidates under receipts: receipts up to their gas share (the first one always, so a large action
   * cannot wait forever), then the mempool's prefix that fits the gas left, counted on its rows (only the
   * transactions the block may hold become objects).
   */
  private receiptCandidates(): { receipts: number; txs: number } {
    const o = this.opts;
    const receiptBudget = o.blockGasLimit * o.receiptGasShare;
    let receiptGasUsed = 0;
    let receiptCount = 0;
    for (let r = this.delayed.at(0); r !== undefined; r = this.delayed.at(receiptCount)) {
      const g = receiptGas(r, this.ctx);
      if (receiptGasUsed + g > (receiptCount === 0 ? o.blockGasLimit : receiptBudget)) break;
      receiptGasUsed += g;
      receiptCount++;
    }
    const gasLeft = o.blockGasLimit - receiptGasUsed;
    return { receipts: receiptCount, txs: this.mempool.fitByGas(Math.ceil(gasLeft / Math.max(1, o.gas.transfer)), gasLeft) };
  }

  /**
   * A block's candidates under relay: relayed transactions join the transaction queue as they arrive (at the
   * start of the slot that admitted them), with no share kept for them, as BlockEmulator's Relay adds them to
   * the destination's pool; the block takes both queues in order of arrival while they fit its gas. What is not
   * a relayed transaction (a refund, a call's result, a moving account's state) goes as soon as it reaches the
   * front. Each queue is first in, first out, so what the block takes is a prefix of each.
   */
  private relayCandidates(): { receipts: number; txs: number } {
    const o = this.opts;
    const pool = this.mempool;
    let left = o.blockGasLimit;
    let r = 0;
    let t = 0;
    for (;;) {
      const relay = this.delayed.at(r);
      const haveTx = t < pool.length;
      if (relay === undefined && !haveTx) break;
      const relayed = relay !== undefined && (relay.kind === ReceiptKind.Credit || relay.kind === ReceiptKind.Action);
      const relayFirst = relay !== undefined && (!haveTx || !relayed || this.delayed.admittedAt(r) * o.slotMs <= pool.submitMsAt(t));
      const gas = relayFirst ? receiptGas(relay, this.ctx) : pool.gasAt(t);
      if (gas > left) break;
      left -= gas;
      if (relayFirst) r++;
      else t++;
    }
    return { receipts: r, txs: t };
  }

  /** The largest prefix of the candidates (receipts, then the mempool's first `txCount`) a block can hold and agree on within the slot. */
  private planBlock(slot: number, receipts: readonly Receipt[], txCount: number): BlockPlan {
    const o = this.opts;
    const n = receipts.length + txCount;
    // Bytes and gas of each prefix; the least time executing a prefix takes is its gas on every thread at once.
    const bytes = new Float64Array(n + 1);
    const gas = new Float64Array(n + 1);
    bytes[0] = blockBytes(0, 0);
    for (let i = 0; i < receipts.length; i++) {
      bytes[i + 1] = bytes[i]! + this.delayed.blockBytesAt(i);
      gas[i + 1] = gas[i]! + receiptGas(receipts[i]!, this.ctx);
    }
    this.mempool.sumGasAndBytes(txCount, gas, bytes, receipts.length);
    const msPerGas = 1000 / (o.gasPerSecondPerThread * o.threads);
    return this.agreement!.plan(
      slot,
      n,
      (k) => bytes[k]!,
      (k) => gas[k]! * msPerGas,
    );
  }

  /** Bytes of the block `exec` executed: its receipts (taken from the queue) and the transactions of `txs` it included. */
  private blockBytes(receipts: readonly Receipt[], taken: TakenReceipts, txs: readonly UserTx[], exec: BlockExecution): number {
    let bytes = 0;
    for (let i = 0; i < exec.txsIncluded; i++) bytes += txs[i]!.bytes;
    return blockBytes(bytes, appliedBytes(receipts, taken, exec.receiptsIncluded));
  }

  /** Step 4: accounts for each outcome, numbering outgoing receipts in block order. */
  private applyOutcomes(slot: number, block: FilledBlock, leaving: readonly number[]): { outgoing: Receipt[]; txFailed: number } {
    const { receipts, txs, exec } = block;
    const o = this.opts;
    const inWindow = slot >= o.windowFrom && slot < o.windowTo;
    const doneMs = (slot + 1) * o.slotMs;
    const winFromMs = o.windowFrom * o.slotMs;
    const winToMs = o.windowTo * o.slotMs;
    const outgoing: Receipt[] = this.migrateOut(slot, leaving);
    const locking = o.crossShard.protocol === 'lock-2pc';
    let txFailed = 0;
    for (let i = 0; i < exec.results.length; i++) {
      const res = exec.results[i]!;
      const isReceipt = i < exec.receiptsIncluded;
      const submitMs = isReceipt ? receipts[i]!.submitMs : txs[i - exec.receiptsIncluded]!.submitMs;
      if (res.outcome === Outcome.BrokerDry) {
        // The broker here cannot pay yet: the receipt goes back to the end of the queue, admitted as it was.
        this.delayed.push(receipts[i]!, block.taken.admitted[i]!, block.taken.bytes[i]!, block.taken.batchBytes[i]!);
        this.c.brokerDry++;
        continue;
      }
      if (isReceipt) {
        const r = receipts[i]!;
        if (r.kind === ReceiptKind.Migrate) this.c.migrateReceiptsApplied++;
        this.delayedValue -= r.amount;
        this.c.receiptsApplied++;
        // A refused credit is applied too: its value leaves again as a refund receipt.
        this.c.receiptValueApplied += r.amount;
      } else if (res.outcome === Outcome.Failed || res.outcome === Outcome.Aborted) {
        txFailed++;
      } else {
        this.c.txCommitted++;
      }
      let done = false;
      let failed = false;
      switch (res.outcome) {
        case Outcome.LocalDone:
          done = true;
          break;
        case Outcome.Aborted:
          this.c.lockAborts++;
          done = true;
          failed = true;
          break;
        case Outcome.Failed:
          done = true;
          failed = true;
          break;
        case Outcome.RefundDone:
        case Outcome.DataFailed:
          done = true;
          failed = true;
          if (inWindow) this.c.completedCrossInWindow++;
          break;
        case Outcome.CreditDone:
        case Outcome.DataDone:
        case Outcome.CommitDone:
          done = true;
          if (inWindow) this.c.completedCrossInWindow++;
          break;
        case Outcome.Moved:
          this.c.movedRefused++;
          done = true;
          failed = true;
          break;
        case Outcome.Migrated:
          this.c.accountsArrived++;
          this.arrived(receipts[i]!.to);
          break;
        case Outcome.Forwarded:
          break;
        case Outcome.BrokerPaid:
          done = true;
          this.c.brokerPaid++;
          if (inWindow) this.c.completedCrossInWindow++;
          break;
        case Outcome.SentCredit:
        case Outcome.SentAction:
        case Outcome.SentBroker:
          if (locking) this.c.locksTaken++;
          if (inWindow) this.c.crossSentInWindow++;
          break;
        case Outcome.CreditRefused:
        case Outcome.ActionDone:
        case Outcome.CreditCommitted:
        case Outcome.BrokerBounced:
          break;
      }
      // What comes back to a locked sender releases its lock (the commit, a refund, a call's result).
      if (done && isReceipt && locking) {
        this.c.locksReleased++;
        this.c.lockHeldSlots += slot - receipts[i]!.c;
      }
      if (done && isReceipt && receipts[i]!.kind === ReceiptKind.BrokerBack) this.c.brokerReturned++;
      if (failed) this.c.completedFailed++;
      if (done) {
        this.c.completed++;
        if (inWindow) this.c.completedInWindow++;
        if (inWindow && failed) this.c.failedInWindow++;
        if (submitMs >= winFromMs && submitMs < winToMs) {
          this.latency.record(doneMs - submitMs);
          this.completedAges.record(winToMs - submitMs);
          const oneHop = res.outcome === Outcome.CreditDone || res.outcome === Outcome.BrokerPaid;
          if (isReceipt) this.addStages(slot, submitMs, receipts[i]!, block.taken.admitted[i]!, oneHop);
          else this.addStages(slot, submitMs, null, slot, false);
        }
      }
      if (done && submitMs >= winFromMs && submitMs < winToMs) {
        // Under the kind the completing item names (kind-of.ts); the failed outcomes are those counted in completedFailed.
        const kind = isReceipt ? kindOfReceipt(receipts[i]!, this.ctx.contracts) : kindOfTx(txs[i - exec.receiptsIncluded]!, this.ctx.contracts);
        this.byKind.add(kind, failed);
      }
      if (res.emit !== null) {
        const e = res.emit;
        e.index = outgoing.length;
        outgoing.push(e);
        this.c.receiptsEmitted++;
        this.c.receiptValueEmitted += e.amount;
        // Value sent back to a sender: a refused credit, a failed call's attached value, or a payout a broker returns.
        if (res.outcome === Outcome.CreditRefused || res.outcome === Outcome.BrokerBounced || (res.outcome === Outcome.ActionDone && e.amount > 0)) {
          this.c.refundsEmitted++;
        }
        if (res.outcome === Outcome.BrokerBounced && e.op === BrokerBack.Dry) this.c.brokerDry++;
        if (e.kind === ReceiptKind.Migrate) this.c.migrateReceiptsEmitted++;
      }
    }
    this.c.txFailed += txFailed;
    this.c.gasUsed += exec.gasUsed;
    this.c.makespan += exec.makespan;
    return { outgoing, txFailed };
  }

  /**
   * Splits a completed window transaction's latency (done at the end of `slot`) into stages that sum to it
   * exactly. A block of slot s takes the transactions submitted up to the end of s and completes at that end, so
   * a transaction waits in the mempool for whole slots from its submission to the start of its including block's
   * slot (none if its own slot's block took it) and spends the rest of that slot (up to one) in the block. One
   * completed by a receipt `r` admitted at `admitted` also waited for its source block to be final and the
   * receipt admitted (`finality`: from the end of the source block to the admission) and in the delayed-receipt
   * queue (`queue`: admission to this block), then this block's slot. A one-hop credit's source block is its
   * including block; a two-leg transaction (a call's result, a refund) has its outbound leg, up to the end of
   * the block that sent the receipt back, as one stage.
   */
  private addStages(slot: number, submitMs: number, r: Receipt | null, admitted: number, oneHop: boolean): void {
    const slotMs = this.opts.slotMs;
    const c = this.c;
    const included = (inclSlot: number): void => {
      const waited = Math.max(0, inclSlot * slotMs - submitMs);
      c.stageMempoolMs += waited;
      c.stageBlocksMs += (inclSlot + 1) * slotMs - submitMs - waited;
    };
    if (r === null) {
      included(slot);
      return;
    }
    if (oneHop) included(r.srcSlot);
    else c.stageOutboundMs += (r.srcSlot + 1) * slotMs - submitMs;
    c.stageBlocksMs += slotMs;
    c.stageFinalityMs += (admitted - r.srcSlot - 1) * slotMs;
    c.stageQueueMs += (slot - admitted) * slotMs;
  }

  /** Commits the state, seals the block's header and batches, and sends the batches (as the fault plan delivers them). */
  private async sealAndSend(
    slot: number,
    txs: readonly UserTx[],
    exec: BlockExecution,
    outgoing: readonly Receipt[],
  ): Promise<{ header: BlockHeader; sealed: SealedBatches }> {
    this.stateRoot = this.state.commit();
    const sealed = sealBatches(this.shard, slot, outgoing);
    const header: BlockHeader = {
      shard: this.shard,
      slot,
      parentHash: this.parentHash,
      stateRoot: this.stateRoot,
      txRoot: txRoot(txs, exec.txsIncluded),
      receiptsRoot: sealed.receiptsRoot,
      gasUsed: exec.gasUsed,
      txCount: exec.txsIncluded,
      receiptCount: outgoing.length,
    };
    this.parentHash = headerHash(header);
    await this.net.send(this.faults.outgoing(slot, sealed.batches));
    return { header, sealed };
  }

  /** The slot's report to the beacon: the header, what was sent where, and the metrics. */
  private report(
    slot: number,
    header: BlockHeader,
    sealed: SealedBatches,
    block: FilledBlock,
    txFailed: number,
    outgoing: readonly Receipt[],
    rejectedBefore: number,
    dropped: number,
  ): SlotReport {
    const o = this.opts;
    const { exec, limits, agreement } = block;
    const budget = limits.timeBudget;
    return {
      shard: this.shard,
      slot,
      header,
      outbound: sealed.outbound,
      metrics: {
        txIncluded: exec.txsIncluded,
        txFailed,
        receiptsApplied: exec.receiptsIncluded,
        receiptsSent: outgoing.length,
        receiptsRejected: this.inbox.stats.rejectedReceipts - rejectedBefore,
        gasUsed: exec.gasUsed,
        makespan: exec.makespan,
        utilisation: Math.max(exec.gasUsed / o.blockGasLimit, exec.makespan / budget),
        mempool: this.mempool.length + this.parkedCount,
        mempoolDropped: dropped,
        delayedReceipts: this.delayed.length,
        agreement: agreement === null ? 0 : agreement.commitMs / 1000,
        missedSlots: block.missed ? 1 : 0,
        blockBytes: this.agreement === null ? 0 : this.blockBytes(block.receipts, block.taken, block.txs, exec),
        receiptProofBytes: this.agreement === null ? 0 : appliedBatchBytes(block.receipts, block.taken, exec.receiptsIncluded),
        proposalBytes: agreement === null ? 0 : agreement.proposal.bytes,
        voteBytes: agreement === null ? 0 : agreement.votes.bytes,
        receiptBytes: sentBatchBytes(sealed.batches, o.crossShard.protocol === 'relay', exec.txsIncluded),
        blocksCut: block.cut ? 1 : 0,
        proposal: agreement === null ? 0 : agreement.proposalMs / 1000,
        receiptBytesAdmitted: this.inbox.lastAdmittedBytes,
        receiptsHeldBack: this.inbox.heldBackReceipts,
      },
      exec: packExecStats(exec.stats),
    };
  }

  async onFinish(): Promise<ShardSummary> {
    // What can still change the counters: batches of final blocks (a late
    // forgery or duplicate). One of a later block would only wait, so it is
    // left undecoded (at 1,024 shards, some three million).
    for (const b of await this.net.receive([], this.inbox.finalizedSlot)) this.inbox.deliver(b);
    let awaitedCount = 0;
    let awaitedValue = 0;
    // Held-back batches are announced and not admitted: the end-of-run accounts count them awaited.
    for (const a of this.inbox.unadmitted()) {
      awaitedCount += a.count;
      awaitedValue += a.value;
    }
    const s = this.inbox.stats;
    return {
      shard: this.shard,
      stateRoot: toHex(this.stateRoot),
      balanceSum: this.state.balanceSum(),
      delayed: { count: this.delayed.length, value: this.delayedValue },
      awaited: { count: awaitedCount, value: awaitedValue },
      // Parked transactions (their account's state on its way here) are accepted and waiting, as the mempool's are.
      mempool: this.mempool.length + this.parkedCount,
      counters: {
        ...this.c,
        admittedBatches: s.admittedBatches,
        admittedReceipts: s.admittedReceipts,
        duplicateBatches: s.duplicateBatches,
        rejectedBatches: s.rejectedBatches,
        rejectedReceipts: s.rejectedReceipts,
        rejectedByReason: { ...s.rejectedByReason },
      },
      contractDrift: this.contractDrift(),
      faults: { silentSlots: this.faults.silentSlots, forged: this.faults.forged() },
      latency: this.latency.toPairs(),
      completedAges: this.completedAges.toPairs(),
      byKind: this.byKind.toRecord(),
    };
  }

  checkpoint(): ShardCheckpoint {
    const data: ShardData = {
      version: 10,
      state: this.state.snapshot(),
      stateRoot: this.stateRoot,
      parentHash: this.parentHash,
      inbox: this.inbox.snapshot(),
      mempool: this.mempool.toArray(),
      delayed: this.delayed.snapshot(),
      delayedValue: this.delayedValue,
      latency: this.latency.toPairs(),
      completedAges: this.completedAges.toPairs(),
      byKind: this.byKind.toRecord(),
      counters: this.c,
      silentSlots: this.faults.silentSlots,
      forger: this.faults.forgerSnapshot(),
      agreementGuide: this.agreement?.guide ?? null,
      placement: this.opts.map.movable
        ? {
            epoch: this.opts.map.epoch,
            owner: this.opts.map.owner.slice(),
            arriving: [...this.arriving],
            parked: [...this.parked.values()].flat(),
          }
        : null,
    };
    return { shard: this.shard, slot: this.lastSlot, data };
  }

  restore(checkpoint: ShardCheckpoint): void {
    const d = checkpoint.data as ShardData;
    if (checkpoint.shard !== this.shard || d?.version !== 10)
      throw new CheckpointError(`not a checkpoint of shard ${this.shard} (shard ${checkpoint.shard}, version ${String(d?.version)}, not 10)`);
    const root = this.state.restore(d.state);
    // The rebuilt commitment must be the one the shard had: anything else is a corrupt or foreign checkpoint.
    if (toHex(root) !== toHex(d.stateRoot))
      throw new CheckpointError(`shard ${this.shard}: the checkpoint of slot ${checkpoint.slot} rebuilds state root ${toHex(root)}, not ${toHex(d.stateRoot)}`);
    this.stateRoot = d.stateRoot;
    this.parentHash = d.parentHash;
    this.inbox.restore(d.inbox);
    this.mempool.reset(d.mempool);
    this.delayed.reset(d.delayed);
    this.delayedValue = d.delayedValue;
    this.latency.reset(d.latency);
    this.completedAges.reset(d.completedAges);
    this.byKind.reset(d.byKind);
    this.c = d.counters;
    this.faults.restore(d.silentSlots, d.forger);
    if (this.agreement !== null) this.agreement.guide = d.agreementGuide;
    if (d.placement !== null) this.restorePlacement(d.placement);
    this.lastSlot = checkpoint.slot;
  }

  /** A checkpoint's placement: the map (unless this process's map is already as new), arrivals and parked transactions. */
  private restorePlacement(p: NonNullable<ShardData['placement']>): void {
    const map = this.opts.map;
    if (p.epoch > map.epoch) {
      map.owner.set(p.owner);
      map.epoch = p.epoch;
    }
    this.arriving.clear();
    for (const a of p.arriving) this.arriving.add(a);
    this.parked.clear();
    this.parkedCount = 0;
    for (const tx of p.parked) this.parkOne(tx);
  }

  /** Sum of weight x (value - genesis value) per conserved class of each hosted contract. */
  private contractDrift(): Record<string, number> {
    const drift: Record<string, number> = {};
    for (const [key, value] of this.state.writtenStorage()) {
      const spec = this.hosted.get(contractLocalOfKey(key));
      if (spec === undefined) continue;
      const slot = slotOfKey(key);
      const logic = CONTRACTS[spec.kind];
      const c = logic.conserved(slot);
      if (c === null) continue;
      const name = `${spec.kind}@${spec.id} ${c[0]}`;
      drift[name] = (drift[name] ?? 0) + c[1] * (value - logic.defaultValue(spec, slot));
    }
    return drift;
  }
}
