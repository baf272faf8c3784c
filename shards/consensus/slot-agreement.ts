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
import type { ConsensusProtocol, ConsensusTiming, Dissemination, ProtocolName } from './contract.js';
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
  /** When the candidates did not all fit: the agreement on an empty block, ms (what bytes do not buy); else null. */
  readonly emptyMs: number | null;
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
  /** Timings of the current slot by block bytes: a plan and its report ask for the same block twice. */
  private memoSlot = -1;
  private readonly memo = new Map<number, ConsensusTiming>();

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
    this.leaderStart = chain(seedTag(setup.seed, DRAW_TAG.leader), shard) % m;
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
   * boundary is bracketed between a prefix that fits and one that does not
   * and narrowed until they are neighbours, each step one exact timing. The
   * guess interpolates the bracket's overruns (agreement grows about linearly
   * with the block's bytes) to aim inside the accepted band; if that does
   * not end the search within a few guesses, halving does. The
   * search also stops once the prefix that fits leaves less than
   * PACKED_SHARE of the slot unused: agreement times wobble by more than that
   * from one byte count to the next (gossip's tree and the uplinks' queues
   * change with the sizes), so a closer search buys noise at the cost of
   * timings. A slot where even the block with no item does not fit is
   * missed.
   */
  plan(slot: number, count: number, bytesOf: (k: number) => number, execMs: (k: number) => number): BlockPlan {
    const overrun = (k: number): { over: number; t: ConsensusTiming } => {
      const t = this.timing(slot, bytesOf(k));
      return { over: t.commitMs + execMs(k) - this.slotMs, t };
    };
    const all = overrun(count);
    if (all.over <= 0) return { items: count, timing: all.t, emptyMs: null };
    const none = overrun(0);
    if (!(none.over <= 0)) return { items: 0, timing: null, emptyMs: none.t.commitMs };
    // Invariant: lo fits (timing `best`, overrun loOver <= 0), hi does not (overrun hiOver > 0).
    let lo = 0;
    let loOver = none.over;
    let best = none.t;
    let hi = count;
    let hiOver = all.over;
    const packed = -PACKED_SHARE * this.slotMs;
    const target = packed / 2;
    for (let guesses = 0; hi - lo > 1 && loOver < packed; guesses++) {
      let mid: number;
      if (guesses < 4 && Number.isFinite(hiOver)) {
        // Where the overrun's straight line reaches the middle of the accepted band.
        const at = lo + Math.floor(((hi - lo) * (target - loOver)) / (hiOver - loOver));
        mid = Math.min(hi - 1, Math.max(lo + 1, at));
      } else mid = lo + Math.floor((hi - lo) / 2);
      const o = overrun(mid);
      if (o.over <= 0) {
        lo = mid;
        loOver = o.over;
        best = o.t;
      } else {
        hi = mid;
        hiOver = o.over;
      }
    }
    return { items: lo, timing: best, emptyMs: none.t.commitMs };
  }
}
