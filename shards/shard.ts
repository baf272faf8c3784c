/**
 * One shard: the slot protocol of DESIGN.md section 2, steps 2 to 4. It
 * admits proven receipts from finalized source blocks, builds a block
 * (receipts first, up to their gas share, as NEAR applies delayed receipts
 * before new transactions; then mempool transactions), executes it, commits
 * the state root, and sends its outgoing receipts in one batch per
 * destination. It never knows it is being simulated.
 */
import { batchValue, sealBatches } from '../crosslink/batch.js';
import { ByteWriter, type Hash, toHex, ZERO_HASH } from '../crosslink/hash.js';
import { headerHash, type BlockHeader } from '../crosslink/header.js';
import { Inbox } from '../crosslink/inbox.js';
import { merkleRoot } from '../crosslink/merkle.js';
import type { Receipt } from '../crosslink/receipt.js';
import type {
  OutboundSummary,
  ShardEndpoint,
  ShardNetwork,
  ShardSummary,
  SlotCommand,
  SlotReport,
} from '../crosslink/transport.js';
import type { UserTx } from '../crosslink/tx.js';
import type { AccountMap } from './account-map.js';
import type { Executor } from './executors/executor.js';
import { Fifo } from './fifo.js';
import type { GasSchedule } from './gas.js';
import { LatencyHistogram } from './latency-histogram.js';
import { ShardState } from './state.js';
import { Outcome, receiptGas, type VmContext } from './vm.js';

export interface ShardOptions {
  readonly shard: number;
  readonly shardCount: number;
  readonly map: AccountMap;
  readonly frozen: Uint8Array | null;
  readonly initialBalance: number;
  readonly gas: GasSchedule;
  readonly blockGasLimit: number;
  /** Share of the block gas limit receipts may use; the rest of them wait. */
  readonly receiptGasShare: number;
  readonly mempoolCapacity: number;
  readonly gasPerSecondPerThread: number;
  readonly threads: number;
  readonly slotMs: number;
  /** Measured window [from, to) in slots: throughput and latency count only there. */
  readonly windowFrom: number;
  readonly windowTo: number;
  readonly executor: Executor;
}

const txWriter = new ByteWriter(64);

function txLeaf(tx: UserTx): Hash {
  return txWriter
    .reset()
    .u64(tx.id)
    .u8(tx.kind)
    .u32(tx.from)
    .u32(tx.to)
    .u64(tx.amount)
    .u64(tx.gasLimit)
    .u64(tx.submitMs)
    .leafHash();
}

export class Shard implements ShardEndpoint {
  readonly shard: number;
  private readonly state: ShardState;
  private readonly inbox: Inbox;
  private readonly mempool = new Fifo<UserTx>();
  private readonly delayed = new Fifo<Receipt>();
  private readonly ctx: VmContext;
  private readonly latency = new LatencyHistogram();
  private parentHash: Hash = ZERO_HASH;
  private stateRoot: Hash;
  private delayedValue = 0;
  private readonly c = {
    submitted: 0,
    mempoolDropped: 0,
    txCommitted: 0,
    txFailed: 0,
    completed: 0,
    completedInWindow: 0,
    completedCrossInWindow: 0,
    completedFailed: 0,
    receiptsEmitted: 0,
    receiptValueEmitted: 0,
    receiptsApplied: 0,
    receiptValueApplied: 0,
    refundsEmitted: 0,
    gasUsed: 0,
    makespan: 0,
  };

  constructor(
    private readonly opts: ShardOptions,
    private readonly net: ShardNetwork,
  ) {
    this.shard = opts.shard;
    this.state = new ShardState(opts.map.members[opts.shard]!.length, opts.initialBalance);
    this.stateRoot = this.state.commit();
    this.inbox = new Inbox(opts.shard, opts.shardCount);
    this.ctx = { shard: opts.shard, map: opts.map, frozen: opts.frozen, gas: opts.gas };
  }

  async onSlot(cmd: SlotCommand): Promise<SlotReport> {
    const o = this.opts;
    const slot = cmd.slot;
    const rejectedBefore = this.inbox.stats.rejectedReceipts;

    // Step 2: admit proven receipts of finalized source blocks, canonically ordered.
    this.inbox.addCrosslinks(cmd.crosslinks);
    for (const b of await this.net.receive(this.inbox.awaited())) this.inbox.deliver(b);
    for (const r of this.inbox.admitReady()) {
      this.delayed.push(r);
      this.delayedValue += r.amount;
    }

    let dropped = 0;
    for (const tx of cmd.txs) {
      if (this.mempool.length >= o.mempoolCapacity) {
        dropped++;
        continue;
      }
      this.mempool.push(tx);
    }
    this.c.submitted += cmd.txs.length - dropped;
    this.c.mempoolDropped += dropped;

    // Step 3: candidates. Receipts up to their gas share, then transactions up to the gas limit.
    const perReceipt = receiptGas(this.ctx);
    const receiptCap = Math.floor((o.blockGasLimit * o.receiptGasShare) / perReceipt);
    const receipts = this.delayed.peek(receiptCap);
    let gasLeft = o.blockGasLimit - receipts.length * perReceipt;
    let fit = 0;
    const head = this.mempool.peek(Math.ceil(gasLeft / Math.max(1, o.gas.transfer)));
    for (const tx of head) {
      if (tx.gasLimit > gasLeft) break;
      gasLeft -= tx.gasLimit;
      fit++;
    }
    const txs = fit === head.length ? head : head.slice(0, fit);
    const limits = {
      gasLimit: o.blockGasLimit,
      timeBudget: o.slotMs / 1000,
      gasPerSecondPerThread: o.gasPerSecondPerThread,
      threads: o.threads,
    };
    const exec = o.executor.execute({ receipts, txs }, this.state, this.ctx, limits);
    this.delayed.drop(exec.receiptsIncluded);
    this.mempool.drop(exec.txsIncluded);

    // Step 4: account for outcomes, number outgoing receipts in block order, commit.
    const inWindow = slot >= o.windowFrom && slot < o.windowTo;
    const doneMs = (slot + 1) * o.slotMs;
    const winFromMs = o.windowFrom * o.slotMs;
    const winToMs = o.windowTo * o.slotMs;
    const outgoing: Receipt[] = [];
    let txFailed = 0;
    for (let i = 0; i < exec.results.length; i++) {
      const res = exec.results[i]!;
      const isReceipt = i < exec.receiptsIncluded;
      const submitMs = isReceipt ? receipts[i]!.submitMs : txs[i - exec.receiptsIncluded]!.submitMs;
      if (isReceipt) {
        const r = receipts[i]!;
        this.delayedValue -= r.amount;
        this.c.receiptsApplied++;
        // A refused credit is applied too: its value leaves again as a refund receipt.
        this.c.receiptValueApplied += r.amount;
      } else if (res.outcome === Outcome.Failed) {
        txFailed++;
      } else {
        this.c.txCommitted++;
      }
      let done = false;
      switch (res.outcome) {
        case Outcome.LocalDone:
          done = true;
          break;
        case Outcome.Failed:
        case Outcome.RefundDone:
          done = true;
          this.c.completedFailed++;
          break;
        case Outcome.CreditDone:
          done = true;
          if (inWindow) this.c.completedCrossInWindow++;
          break;
        case Outcome.SentCredit:
        case Outcome.CreditRefused:
          break;
      }
      if (done) {
        this.c.completed++;
        if (inWindow) this.c.completedInWindow++;
        if (submitMs >= winFromMs && submitMs < winToMs) this.latency.record(doneMs - submitMs);
      }
      if (res.emit !== null) {
        const e = res.emit;
        outgoing.push({ ...e, srcShard: this.shard, srcSlot: slot, index: outgoing.length });
        this.c.receiptsEmitted++;
        this.c.receiptValueEmitted += e.amount;
        if (res.outcome === Outcome.CreditRefused) this.c.refundsEmitted++;
      }
    }
    this.c.txFailed += txFailed;
    this.c.gasUsed += exec.gasUsed;
    this.c.makespan += exec.makespan;

    this.stateRoot = this.state.commit();
    const sealed = sealBatches(this.shard, slot, outgoing);
    const header: BlockHeader = {
      shard: this.shard,
      slot,
      parentHash: this.parentHash,
      stateRoot: this.stateRoot,
      txRoot: merkleRoot(txs.slice(0, exec.txsIncluded).map(txLeaf)),
      receiptsRoot: sealed.receiptsRoot,
      gasUsed: exec.gasUsed,
      txCount: exec.txsIncluded,
      receiptCount: outgoing.length,
    };
    this.parentHash = headerHash(header);
    await this.net.send(sealed.batches);

    const outbound: OutboundSummary[] = sealed.batches.map((b) => ({
      dst: b.dstShard,
      count: b.receipts.length,
      value: batchValue(b.receipts),
    }));
    const budget = limits.timeBudget;
    return {
      shard: this.shard,
      slot,
      header,
      outbound,
      metrics: {
        txIncluded: exec.txsIncluded,
        txFailed,
        receiptsApplied: exec.receiptsIncluded,
        receiptsSent: outgoing.length,
        receiptsRejected: this.inbox.stats.rejectedReceipts - rejectedBefore,
        gasUsed: exec.gasUsed,
        makespan: exec.makespan,
        utilisation: Math.max(exec.gasUsed / o.blockGasLimit, exec.makespan / budget),
        mempool: this.mempool.length,
        mempoolDropped: dropped,
        delayedReceipts: this.delayed.length,
        reexecutions: exec.stats.reexecutions,
        validations: exec.stats.validations,
        aborts: exec.stats.aborts,
        estimateWaits: exec.stats.estimateWaits,
        wastedGas: exec.stats.wastedGas,
        boundRaw: exec.stats.boundRaw,
        boundAll: exec.stats.boundAll,
      },
    };
  }

  async onFinish(): Promise<ShardSummary> {
    for (const b of await this.net.receive([])) this.inbox.deliver(b);
    let awaitedCount = 0;
    let awaitedValue = 0;
    for (const a of this.inbox.awaited()) {
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
      mempool: this.mempool.length,
      counters: {
        ...this.c,
        admittedBatches: s.admittedBatches,
        admittedReceipts: s.admittedReceipts,
        duplicateBatches: s.duplicateBatches,
        rejectedBatches: s.rejectedBatches,
        rejectedReceipts: s.rejectedReceipts,
        rejectedByReason: { ...s.rejectedByReason },
      },
      latency: this.latency.toPairs(),
    };
  }
}
