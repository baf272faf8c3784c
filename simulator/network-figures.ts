/**
 * A run's network, consensus and beacon figures (results.json `network`), and
 * the constraint that binds it (`bottleneck`), decided from the run's own
 * figures by the rules docs/network.md lists.
 */
import { crosslinkBytes } from '../crosslink/network/message-sizes.js';
import type { ShardSummary } from '../crosslink/transport.js';
import type { Beacon } from './beacon.js';
import type { Scenario } from './config/schema.js';
import { committeeSize, disseminationOf, isIdealTime, receiptBytesPerSlotOf } from './network-setup.js';
import type { Stability } from './results.js';
import { delayMean, delayQuantile } from './slot-delays.js';
import type { SlotTotals } from './slot-totals.js';

/** What binds a run: one word a run, decided by bottleneckOf. */
export type Bottleneck = 'load' | 'execution' | 'consensus' | 'bandwidth' | 'beacon' | 'receipts';

/**
 * Where the window's completed transactions spent their time, mean seconds a transaction; the stages sum to
 * their mean latency (shards/shard.ts addStages). The slots of the blocks that executed a transaction are split
 * into agreement and execution by the run's mean agreement share of a slot: apportioned, not timed per
 * transaction.
 */
export interface LatencyBreakdown {
  /** Completed transactions of the window the means are over. */
  readonly completed: number;
  readonly meanSeconds: number;
  readonly mempool: number;
  readonly agreement: number;
  readonly execution: number;
  /** From the end of a receipt's source block to its admission: finality, and any wait at the receipt byte cap. */
  readonly finality: number;
  /** In the destination's delayed-receipt queue. */
  readonly receiptQueue: number;
  /** A two-leg transaction's (a call's result, a refund) outbound leg, whole. */
  readonly outboundLeg: number;
}

export interface NetworkFigures {
  readonly preset: string;
  readonly protocol: string;
  /** How proposals spread (null when agreement is instant: no network time). */
  readonly dissemination: 'direct' | 'gossip' | null;
  /** Members of each shard's committee that vote on its blocks (0 when agreement is instant). */
  readonly committee: number;
  /** Mean time from a slot's start until its block was committed, seconds, and as a share of the slot. */
  readonly agreementSeconds: number;
  readonly agreementShare: number;
  /** Slots of the window with no block: agreement could not finish even on an empty one. */
  readonly missedSlots: number;
  /** Share of the window's blocks cut shorter than their gas allowed because agreement on more bytes would not fit. */
  readonly cutShare: number;
  readonly blockBytesMean: number;
  /** Share of the blocks' bytes that are the numbers and Merkle proofs of the receipt batches they apply (once a batch a block); null in results written before blocks carried them. */
  readonly receiptProofShare: number | null;
  /** Bytes sent per slot over all shards: block dissemination, votes, receipt batches, and headers to the beacon. */
  readonly bytesPerSlot: { readonly proposal: number; readonly votes: number; readonly receipts: number; readonly beacon: number };
  /** The same, per committee member (null when there is no committee). */
  readonly bytesPerValidatorPerSlot: number | null;
  /** The cap on receipt bytes a shard admits a slot (null: none), and the most receipts it left waiting at a slot's end. */
  readonly receiptBytesPerSlot: number | null;
  readonly receiptsHeldBackMax: number;
  readonly beacon: {
    /**
     * Crosslinks a beacon block could hold, the least over the window's beacon blocks (null: unlimited): a
     * fixed figure, or, with \`auto\`, what the beacon committee could agree on in each slot.
     */
    readonly crosslinksPerSlot: number | null;
    /** The same, the mean over the window's beacon blocks. */
    readonly crosslinksPerSlotMean: number | null;
    /** Slots from a window slot to the slot its blocks were all final: the configured delay when the beacon keeps up. */
    readonly finalityDelaySlots: {
      readonly configured: number;
      readonly p50: number | null;
      readonly p99: number | null;
      readonly mean: number | null;
      /** Window slots not final by the run's end. */
      readonly unfinalized: number;
    };
    /** Shard headers waiting for a beacon block, after each block of the window. */
    readonly backlogMean: number;
    readonly backlogMax: number;
  };
  readonly latencyBreakdown: LatencyBreakdown;
}

const orNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** The latency breakdown from the shards' stage sums (ms) over `completed` transactions, with blocks split by `agreementShare`. */
export function latencyBreakdown(summaries: readonly ShardSummary[], completed: number, agreementShare: number): LatencyBreakdown {
  const sum = { mempool: 0, blocks: 0, finality: 0, queue: 0, outbound: 0 };
  for (const { counters: c } of summaries) {
    sum.mempool += c.stageMempoolMs;
    sum.blocks += c.stageBlocksMs;
    sum.finality += c.stageFinalityMs;
    sum.queue += c.stageQueueMs;
    sum.outbound += c.stageOutboundMs;
  }
  const mean = (ms: number): number => (completed > 0 ? ms / 1000 / completed : 0);
  const blocks = mean(sum.blocks);
  const agreement = blocks * Math.min(1, agreementShare);
  return {
    completed,
    meanSeconds: mean(sum.mempool + sum.blocks + sum.finality + sum.queue + sum.outbound),
    mempool: mean(sum.mempool),
    agreement,
    execution: blocks - agreement,
    finality: mean(sum.finality),
    receiptQueue: mean(sum.queue),
    outboundLeg: mean(sum.outbound),
  };
}

export function networkFigures(
  sc: Scenario,
  shards: number,
  totals: SlotTotals,
  beacon: Beacon,
  summaries: readonly ShardSummary[],
  completed: number,
): NetworkFigures {
  const from = sc.slots.warmup;
  const to = from + sc.slots.measure;
  const measure = sc.slots.measure;
  const instant = isIdealTime(sc);
  const committee = instant ? 0 : committeeSize(sc, shards);
  const blocks = Math.max(1, totals.blocks);
  const load = beacon.load(from, to);
  const bytesPerSlot = {
    proposal: totals.sum('proposalBytes') / measure,
    votes: totals.sum('voteBytes') / measure,
    receipts: totals.sum('receiptBytes') / measure,
    // Each shard sends its signed header to the beacon every slot; the beacon's committee then agrees on its block.
    beacon: instant ? 0 : shards * crosslinkBytes(committee) + load.agreementBytesMean,
  };
  const perSlot = bytesPerSlot.proposal + bytesPerSlot.votes + bytesPerSlot.receipts + bytesPerSlot.beacon;
  const finality = beacon.slotFinality(from, to);
  return {
    preset: sc.network.preset,
    protocol: sc.consensus.protocol,
    dissemination: instant ? null : disseminationOf(sc),
    committee,
    agreementSeconds: totals.total('agreement'),
    agreementShare: totals.total('agreement') / sc.slotSeconds,
    missedSlots: totals.sum('missedSlots'),
    cutShare: totals.sum('blocksCut') / blocks,
    blockBytesMean: totals.sum('blockBytes') / blocks,
    receiptProofShare: totals.sum('blockBytes') > 0 ? totals.sum('receiptProofBytes') / totals.sum('blockBytes') : 0,
    bytesPerSlot,
    bytesPerValidatorPerSlot: committee > 0 ? perSlot / (shards * committee) : null,
    receiptBytesPerSlot: receiptBytesPerSlotOf(sc),
    receiptsHeldBackMax: totals.total('receiptsHeldBack'),
    beacon: {
      crosslinksPerSlot: Number.isFinite(load.capacityMin) ? load.capacityMin : null,
      crosslinksPerSlotMean: Number.isFinite(load.capacityMean) ? load.capacityMean : null,
      finalityDelaySlots: {
        configured: sc.finalityDelaySlots,
        p50: orNull(delayQuantile(finality, 0.5)),
        p99: orNull(delayQuantile(finality, 0.99)),
        mean: orNull(delayMean(finality)),
        unfinalized: finality.unfinalized,
      },
      backlogMean: load.backlogMean,
      backlogMax: load.backlogMax,
    },
    latencyBreakdown: latencyBreakdown(summaries, completed, totals.total('agreement') / sc.slotSeconds),
  };
}

/**
 * Proofs of receipt batches that take this share of blocks cut short by agreement bind the run: without them the
 * same blocks would hold half as much again.
 */
export const PROOF_BOUND = 1 / 3;

/**
 * The constraint that binds a run, from its own figures:
 * - a stable run (it kept up with its offered load) is bound by `load`,
 *   unless the beacon fell behind (finality p50 beyond the configured delay):
 *   `beacon`, which then sets its cross-shard latency;
 * - an overloaded run is bound by what stopped its blocks: `receipts` when
 *   the receipt byte cap left proven receipts waiting; else, when most of the
 *   window's blocks were cut short (or missed) by agreement, `receipts` if
 *   the receipt batches' proofs took at least PROOF_BOUND of the blocks'
 *   bytes, else `bandwidth` if spreading the blocks to a quorum took longer
 *   than the voting rounds after it, else `consensus`; else `execution` (the
 *   gas limit or the execution time filled the blocks).
 */
export function bottleneckOf(stability: Stability, n: NetworkFigures, totals: SlotTotals): Bottleneck {
  const f = n.beacon.finalityDelaySlots;
  if (stability.stable) return f.p50 !== null && f.p50 > f.configured ? 'beacon' : 'load';
  if (n.receiptsHeldBackMax > 0) return 'receipts';
  const blocks = Math.max(1, totals.blocks);
  if ((totals.sum('blocksCut') + totals.sum('missedSlots')) / blocks >= 0.5) {
    if ((n.receiptProofShare ?? 0) >= PROOF_BOUND) return 'receipts';
    // Spreading the block (its bytes through the uplinks) against the voting rounds after it (latency).
    const spread = totals.total('proposal');
    return spread > n.agreementSeconds - spread ? 'bandwidth' : 'consensus';
  }
  return 'execution';
}
