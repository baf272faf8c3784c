/**
 * A shard's committee agreeing on each of its blocks, in virtual time: which
 * validators it holds, who leads each slot, how long agreement on a block of
 * so many bytes takes (a protocol of this folder over the network model), and
 * so how large a block may be and how much of the slot is left to execute it
 * (docs/network.md, "A slot's time").
 *
 * The network model holds `shardCount × committee` validators placed in
 * regions by the seed; shard i's committee is validators [i·m, (i+1)·m). The
 * leader rotates through the committee slot by slot from a position the seed
 * draws per shard, as a round-robin proposer schedule does (CometBFT's with
 * equal voting power).
 */

import { createNetworkModel } from '../../crosslink/network/create-model.js';
import { chain, DRAW_TAG, seedTag } from '../../crosslink/network/keyed-draw.js';
import { LatencyCache } from '../../crosslink/network/latency-cache.js';
import { VOTE_BYTES } from '../../crosslink/network/message-sizes.js';
import type { NetworkModel } from '../../crosslink/network/model.js';
import { type NetworkTablesJson, tablesFromJson } from '../../crosslink/network/tables.js';
import { type ConsensusProtocol, type ConsensusTiming, type Dissemination, MessageKind, type ProtocolName } from './contract.js';
import { gossipSpread } from './gossip-spread.js';
import { consensusProtocol } from './protocols.js';

/** What a shard needs to time its committee's agreement (JSON: it travels in the shard setup). */
export interface AgreementSetup {
  readonly tables: NetworkTablesJson;
  readonly latency: 'pareto' | 'mean';
  readonly protocol: ProtocolName;
  readonly dissemination: 'direct' | 'gossip';
  /** Members of each shard's committee. */
  readonly committee: number;
  readonly seed: number;
}

/** A block plan: how many of the candidate items (receipts, then transactions) the block holds, and its agreement. */
export interface BlockPlan {
  /** Items of the candidates' prefix the block may hold; 0 with `missed`. */
  readonly items: number;
  /** The agreement on a block of that prefix; null when the slot is missed. */
  readonly timing: ConsensusTiming | null;
  /** Whether agreement cut the block shorter than its candidates. */
  readonly cut: boolean;
}

/** The line of slope `b` through `point`. */
function shiftedLine(b: number, point: { bytes: number; ms: number }): { a: number; b: number } {
  return { a: point.ms - b * point.bytes, b };
}

/** The line through the first and the last of `timed` with different sizes: agreement ms = a + b × bytes; null if there are none. */
function lineThrough(timed: ReadonlyArray<{ bytes: number; ms: number }>): { a: number; b: number } | null {
  const last = timed[timed.length - 1];
  if (last === undefined) return null;
  for (let i = timed.length - 2; i >= 0; i--) {
    const p = timed[i]!;
    if (p.bytes === last.bytes) continue;
    const b = Math.max(0, (last.ms - p.ms) / (last.bytes - p.bytes));
    return { a: last.ms - b * last.bytes, b };
  }
  return null;
}

/** Where shard `shard`'s leader rotation starts, by the seed. */
function leaderStartOf(seed: number, shard: number, m: number): number {
  return chain(seedTag(seed, DRAW_TAG.leader), shard) % m;
}

/** A block plan is close enough once the block that fits leaves less than this share of the slot unused. */
export const PACKED_SHARE = 0.02;

/**
 * One model per setup and shard count, shared by the shards a host runs: a
 * 1,024-shard run's model places 131,072 validators, once, not once a shard.
 */
const models = new WeakMap<AgreementSetup, { shardCount: number; model: NetworkModel }>();

function modelOf(setup: AgreementSetup, shardCount: number): NetworkModel {
  const known = models.get(setup);
  if (known !== undefined && known.shardCount === shardCount) return known.model;
  const model = createNetworkModel(tablesFromJson(setup.tables), shardCount * setup.committee, setup.seed, { latency: setup.latency });
  models.set(setup, { shardCount, model });
  return model;
}

export class SlotAgreement {
  /** The run's model, remembering the current block's latency rows (cleared when the slot changes). */
  private readonly model: LatencyCache;
  private readonly protocol: ConsensusProtocol;
  private readonly dissemination: Dissemination;
  private readonly members: number[];
  private readonly leaderStart: number;
  private readonly seed: number;
  /** Timings of the current slot by block bytes: a plan and its report ask for the same block twice. */
  private memoSlot = -1;
  private readonly memo = new Map<number, ConsensusTiming>();
  /** Agreement time against bytes, as the last plan timed it: where the next plan guesses first. */
  private line: { a: number; b: number } | null = null;

  constructor(
    setup: AgreementSetup,
    shard: number,
    shardCount: number,
    private readonly slotMs: number,
  ) {
    const m = setup.committee;
    this.model = new LatencyCache(modelOf(setup, shardCount));
    this.protocol = consensusProtocol(setup.protocol);
    this.dissemination = setup.dissemination === 'direct' ? 'direct' : gossipSpread(setup.seed);
    this.members = Array.from({ length: m }, (_, i) => shard * m + i);
    this.leaderStart = leaderStartOf(setup.seed, shard, m);
    this.seed = setup.seed;
  }

  /** Shard `shard`'s leader of `slot`, a validator index (every shard's committee has this one's size). */
  private leaderAt(shard: number, slot: number): number {
    const m = this.members.length;
    return shard * m + ((leaderStartOf(this.seed, shard, m) + slot) % m);
  }

  /**
   * The first slot whose block may admit the batch of `bytes` bytes that shard `src`'s block of `srcSlot` sent
   * shard `dst`. The receipts exist once their block has executed, by the end of its slot; the batch then
   * travels from the source's leader to the leader of the destination's next block: its bytes over the link,
   * one latency draw and the processing. A block admits it if it starts at or after the arrival.
   */
  batchDueSlot(src: number, srcSlot: number, bytes: number, dst: number): number {
    const from = this.leaderAt(src, srcSlot);
    const to = this.leaderAt(dst, srcSlot + 1);
    const m = this.model;
    const arrival =
      (srcSlot + 1) * this.slotMs +
      m.transmitMs(from, to, bytes) +
      m.latencyMs(from, to, { slot: srcSlot, kind: MessageKind.receiptBatch, index: dst }) +
      m.processingMs;
    return Math.ceil(arrival / this.slotMs);
  }

  /** What the next plan starts from (a checkpoint carries it: a restored shard must guess as the original did). */
  get guide(): { a: number; b: number } | null {
    return this.line;
  }

  set guide(line: { a: number; b: number } | null) {
    this.line = line === null ? null : { a: line.a, b: line.b };
  }

  /** Forgets the current block's remembered timings and latencies (the shard has moved on to another block). */
  release(): void {
    this.memo.clear();
    this.model.clear();
    this.memoSlot = -1;
  }

  get committee(): number {
    return this.members.length;
  }

  /** The slot's leader, a validator index. */
  leaderOf(slot: number): number {
    return this.members[(this.leaderStart + slot) % this.members.length]!;
  }

  /** The committee's agreement on a block of `blockBytes` in `slot`. */
  timing(slot: number, blockBytes: number): ConsensusTiming {
    if (slot !== this.memoSlot) {
      this.memo.clear();
      this.model.clear();
      this.memoSlot = slot;
    }
    const known = this.memo.get(blockBytes);
    if (known !== undefined) return known;
    const t = this.protocol.agree({
      model: this.model,
      committee: this.members,
      leader: this.leaderOf(slot),
      slot,
      blockBytes,
      voteBytes: VOTE_BYTES,
      dissemination: this.dissemination,
    });
    this.memo.set(blockBytes, t);
    return t;
  }

  /**
   * The largest prefix of `count` candidate items whose block fits the slot:
   * its agreement plus the least time executing it can take (`execMs(k)`, a
   * lower bound, non-decreasing) within the slot. Both grow with k, so the
   * search keeps the largest prefix timed that fits and the smallest that
   * does not, each step one exact timing, until they are neighbours, the one
   * that fits is the whole list, or it leaves less than PACKED_SHARE of the
   * slot unused: agreement times wobble by more than that from one byte count
   * to the next (gossip's tree and the uplinks' queues change with the
   * sizes), so a closer search buys noise at the cost of timings.
   *
   * Guesses come from a straight line of agreement time against bytes (it
   * grows about linearly with them): the line through this slot's timings
   * once there are two, the previous slot's slope through the one before,
   * the previous slot's line to begin with; a guess aims at the
   * middle of the accepted band. After a few guesses that do not end the
   * search, halving does. A guess never decides the answer, only which
   * prefix is timed next. A slot where even the block with no item does not
   * fit is missed.
   */
  plan(slot: number, count: number, bytesOf: (k: number) => number, execMs: (k: number) => number): BlockPlan {
    const packed = -PACKED_SHARE * this.slotMs;
    const target = packed / 2;
    // The largest prefix timed that fits (lo, -1: none yet) and the smallest that does not (hi, count + 1: none yet).
    let lo = -1;
    let loOver = 0;
    let best: ConsensusTiming | null = null;
    let hi = count + 1;
    const timed: Array<{ bytes: number; ms: number }> = [];
    const time = (k: number): void => {
      const bytes = bytesOf(k);
      const t = this.timing(slot, bytes);
      timed.push({ bytes, ms: t.commitMs });
      const over = t.commitMs + execMs(k) - this.slotMs;
      if (over <= 0) {
        if (k > lo) {
          lo = k;
          loOver = over;
          best = t;
        }
      } else if (k < hi) {
        hi = k;
      }
    };
    /** The prefix where the line's overrun reaches the band's middle (agreement on the line, plus execution). */
    const onLine = (a: number, b: number): number => {
      let l = 0;
      let h = count;
      // The line's overrun is non-decreasing in k: the last prefix at or below the target, by halving.
      while (l < h) {
        const mid = l + Math.ceil((h - l) / 2);
        if (a + b * bytesOf(mid) + execMs(mid) - this.slotMs <= target) l = mid;
        else h = mid - 1;
      }
      return l;
    };
    time(this.line === null ? count : onLine(this.line.a, this.line.b));
    for (let guesses = 0; ; guesses++) {
      if (lo === count || (lo >= 0 && (hi === lo + 1 || loOver > packed))) break;
      if (hi === 0) {
        this.line = null;
        return { items: 0, timing: null, cut: false };
      }
      let next: number;
      // This slot's line; with one timing yet, the previous slot's slope through it.
      const fitted = lineThrough(timed) ?? (this.line === null ? null : shiftedLine(this.line.b, timed[timed.length - 1]!));
      if (guesses < 3 && fitted !== null) next = onLine(fitted.a, fitted.b);
      else if (lo < 0) next = guesses < 3 ? 0 : Math.floor(hi / 2);
      else if (hi > count) next = count;
      else next = lo + Math.floor((hi - lo) / 2);
      // A guess already timed, or outside the bracket, gives way to halving it.
      const floor = Math.max(lo, 0);
      const ceiling = Math.min(hi, count + 1);
      if (next <= lo || next >= hi || timed.some((t) => t.bytes === bytesOf(next))) next = floor + Math.floor((ceiling - floor) / 2);
      if (next <= lo || next >= hi) next = lo < 0 ? 0 : Math.min(count, lo + 1);
      time(next);
    }
    this.line = lineThrough(timed) ?? this.line;
    return { items: lo, timing: best, cut: lo < count };
  }
}
