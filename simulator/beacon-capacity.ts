/**
 * How many crosslinks one beacon block can hold (`beacon.crosslinksPerSlot:
 * auto` off the ideal network, with a consensus protocol): as many as its
 * committee can agree on within the slot, through the same network model
 * and protocol as the shards' committees, and as fit in its bytes. A
 * crosslink is a shard header, the aggregate BLS signature of the shard's
 * committee over it, and the bitfield saying who signed.
 *
 * The committee is min(security.validators, consensus.maxCommittee) members
 * (TARGET_COMMITTEE_SIZE by default), validators of its own placed in
 * regions by the seed; its proposer rotates slot by slot from a position the
 * seed draws. A block of k crosslinks carries its header, its proposer's
 * signature and k crosslinks (message-sizes.ts), at most GOSSIP_MAX_SIZE
 * bytes, and every member but the proposer checks the k aggregate
 * signatures before it votes. A slot's capacity is the largest k whose
 * agreement commits within the slot, found by bisection over [1, what fits
 * in the bytes]: agreement time grows with the block's bytes and its check,
 * and the bisection asks nothing of earlier slots, so the answer is a pure
 * function of (config, seed, slot). A slot where even one crosslink does not
 * fit still carries one, as beacon.ts requires.
 *
 * Reference figures (Ethereum consensus-specs, phase 0 unless said):
 * - Ethereum's sharding design planned 64 crosslinks per slot, one per shard:
 *   INITIAL_ACTIVE_SHARDS = 2**6 (specs/sharding/beacon-chain.md; the Aug 2020
 *   phase-1 beacon-chain.md too). That is a chosen shard count, not a
 *   derived bound; nothing here derives it.
 * - TARGET_COMMITTEE_SIZE = 2**7 = 128 (specs/phase0/beacon-chain.md).
 * - GOSSIP_MAX_SIZE = 2**20 bytes, the largest gossip message, so the largest
 *   beacon block (specs/phase0/p2p-interface.md; Bellatrix raised it tenfold
 *   for execution payloads, which a beacon of crosslinks does not carry).
 * - One aggregate verification, with blst: 1.47 ms for 60 signatures of one
 *   message (aggregation of keys and signatures included; nim-blscurve PR
 *   #178 benchmark, "BLS verif of 60 sigs of same msg by 60 pubkeys",
 *   1,469,219 ns/op). Single verifications are 1.1-1.2 ms (herumi/bls
 *   Verify); 1.5 ms leaves room for a 128-member committee's extra additions.
 */
import { createNetworkModel } from '../crosslink/network/create-model.js';
import { chain, DRAW_TAG, seedTag } from '../crosslink/network/keyed-draw.js';
import { LatencyCache } from '../crosslink/network/latency-cache.js';
import { BLS_SIGNATURE_BYTES, crosslinkBytes, HEADER_BYTES, VOTE_BYTES } from '../crosslink/network/message-sizes.js';
import { tablesFromJson } from '../crosslink/network/tables.js';
import type { ConsensusProtocol, ConsensusTiming, Dissemination } from '../shards/consensus/contract.js';
import { gossipSpread } from '../shards/consensus/gossip-spread.js';
import { consensusProtocol } from '../shards/consensus/protocols.js';
import type { AgreementSetup } from '../shards/consensus/slot-agreement.js';

/** GOSSIP_MAX_SIZE, phase 0: the largest beacon block, in bytes. */
export const GOSSIP_MAX_SIZE = 2 ** 20;
/** One crosslink's aggregate signature check, ms (blst figure above, rounded up). */
export const BLS_AGGREGATE_VERIFY_MS = 1.5;

export interface BeaconAgreementParams {
  /** Members of the beacon committee. */
  readonly committee: number;
  /** Members of each shard's committee: a crosslink's bitfield has a bit each. */
  readonly shardCommittee: number;
  readonly slotMs: number;
  /** Bytes a beacon block may have (default GOSSIP_MAX_SIZE). */
  readonly maxBlockBytes?: number;
  /** Time to check one crosslink's aggregate signature, ms (default BLS_AGGREGATE_VERIFY_MS). */
  readonly verifyMsPerCrosslink?: number;
}

/** A beacon block's bytes with `k` crosslinks: its own header and proposer signature, then the crosslinks. */
export function beaconBlockBytes(k: number, shardCommittee: number): number {
  return HEADER_BYTES + BLS_SIGNATURE_BYTES + k * crosslinkBytes(shardCommittee);
}

export class BeaconAgreement {
  private readonly model: LatencyCache;
  private readonly protocol: ConsensusProtocol;
  private readonly dissemination: Dissemination;
  private readonly members: number[];
  private readonly leaderStart: number;
  private readonly maxBytes: number;
  private readonly verifyMs: number;
  /** Crosslinks that fit in a block's bytes: the bisection's upper end. */
  readonly byBytes: number;
  /** The slot whose latency rows the model holds (-1: none): a slot's capacity and its block's bytes time the same slot. */
  private heldSlot = -1;

  constructor(
    setup: AgreementSetup,
    private readonly p: BeaconAgreementParams,
  ) {
    const tag = seedTag(setup.seed, DRAW_TAG.beacon);
    this.model = new LatencyCache(createNetworkModel(tablesFromJson(setup.tables), p.committee, tag, { latency: setup.latency }));
    this.protocol = consensusProtocol(setup.protocol);
    this.dissemination = setup.dissemination === 'direct' ? 'direct' : gossipSpread(tag);
    this.members = Array.from({ length: p.committee }, (_, i) => i);
    this.leaderStart = chain(tag, DRAW_TAG.leader) % p.committee;
    this.maxBytes = p.maxBlockBytes ?? GOSSIP_MAX_SIZE;
    this.verifyMs = p.verifyMsPerCrosslink ?? BLS_AGGREGATE_VERIFY_MS;
    this.byBytes = Math.max(1, Math.floor((this.maxBytes - beaconBlockBytes(0, p.shardCommittee)) / crosslinkBytes(p.shardCommittee)));
  }

  /** When the committee commits slot `slot`'s beacon block of `k` crosslinks, ms from the slot's start. */
  commitMs(slot: number, k: number): number {
    return this.timing(slot, k).commitMs;
  }

  /** Bytes the committee sends agreeing on slot `slot`'s block of `k` crosslinks: the block's spread and every vote. */
  bytesAt(slot: number, k: number): number {
    const t = this.timing(slot, k);
    this.release();
    return t.proposal.bytes + t.votes.bytes;
  }

  /** Forgets the rows the model holds (a block's figures never depend on them: LatencyCache's are the model's, bit for bit). */
  private release(): void {
    this.model.clear();
    this.heldSlot = -1;
  }

  private timing(slot: number, k: number): ConsensusTiming {
    // One slot's rows at a time; kept from capacityAt to bytesAt, which times a block of the same slot after it.
    if (slot !== this.heldSlot) {
      this.model.clear();
      this.heldSlot = slot;
    }
    return this.protocol.agree({
      model: this.model,
      committee: this.members,
      leader: this.members[(this.leaderStart + slot) % this.members.length]!,
      slot,
      blockBytes: beaconBlockBytes(k, this.p.shardCommittee),
      voteBytes: VOTE_BYTES,
      dissemination: this.dissemination,
      checkMs: k * this.verifyMs,
    });
  }

  /** Crosslinks slot `slot`'s beacon block holds: the largest count whose agreement fits the slot (at least one). */
  capacityAt(slot: number): number {
    // A block cannot commit before its members have checked it: a quorum holds members other than the
    // proposer, who vote only after checking all k signatures. So a block whose check alone overruns the
    // slot does not fit, and needs no timing: the bisection asks the same questions, gets the same answers.
    const fits = (k: number): boolean => k * this.verifyMs <= this.p.slotMs && this.commitMs(slot, k) <= this.p.slotMs;
    let lo = 1;
    let hi = this.byBytes;
    if (fits(hi)) return hi;
    // Invariant: hi does not fit; lo fits, or is 1 (the floor).
    while (hi - lo > 1) {
      const mid = lo + Math.floor((hi - lo) / 2);
      if (fits(mid)) lo = mid;
      else hi = mid;
    }
    return lo;
  }
}
