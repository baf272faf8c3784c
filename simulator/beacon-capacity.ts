/**
 * How many crosslinks one beacon block can hold: the lesser of what fits in
 * its bytes and what its committee can verify in the time a slot gives it,
 * never below one. A crosslink is a shard header, the aggregate BLS signature
 * of the shard's committee over it, and the bitfield saying who signed.
 *
 * Reference figures (Ethereum consensus-specs, phase 0 unless said):
 * - Ethereum's sharding design planned 64 crosslinks per slot, one per shard:
 *   INITIAL_ACTIVE_SHARDS = 2**6 (specs/sharding/beacon-chain.md; the Aug 2020
 *   phase-1 beacon-chain.md too). That is a chosen shard count, not a
 *   derived bound; the defaults below do NOT give 64 (see DEFAULT_CAPACITY).
 * - BLSSignature is Bytes96 (specs/phase0/beacon-chain.md, custom types).
 * - TARGET_COMMITTEE_SIZE = 2**7 = 128 (specs/phase0/beacon-chain.md).
 * - GOSSIP_MAX_SIZE = 2**20 bytes, the largest gossip message, so the largest
 *   beacon block (specs/phase0/p2p-interface.md; Bellatrix raised it tenfold
 *   for execution payloads, which a beacon of crosslinks does not carry).
 * - MAX_ATTESTATIONS = 2**7 = 128 per block (specs/phase0/beacon-chain.md),
 *   the per-block budget of the operations crosslinks rode in during phase 1.
 * - Attesters act once the block arrives or a third of the slot has passed,
 *   SECONDS_PER_SLOT / 3 = 4 s of a 12 s slot (specs/phase0/validator.md):
 *   the time a committee has to receive and check a block.
 * - One aggregate verification, with blst: 1.47 ms for 60 signatures of one
 *   message (aggregation of keys and signatures included; nim-blscurve PR
 *   #178 benchmark, "BLS verif of 60 sigs of same msg by 60 pubkeys",
 *   1,469,219 ns/op). Single verifications are 1.1-1.2 ms (herumi/bls
 *   Verify); 1.5 ms leaves room for a 128-member committee's extra additions.
 */
import { ConfigError } from '../crosslink/common/errors.js';
import { BLS_SIGNATURE_BYTES, crosslinkBytes, HEADER_BYTES } from '../crosslink/network/message-sizes.js';

/** Ethereum's planned crosslinks per slot: one per shard, INITIAL_ACTIVE_SHARDS = 64. For comparison; nothing here derives it. */
export const ETH_SHARDING_CROSSLINKS_PER_SLOT = 64;
/** TARGET_COMMITTEE_SIZE, phase 0. */
export const TARGET_COMMITTEE_SIZE = 128;
/** GOSSIP_MAX_SIZE, phase 0: the largest beacon block, in bytes. */
export const GOSSIP_MAX_SIZE = 2 ** 20;
/** MAX_ATTESTATIONS, phase 0. */
export const MAX_ATTESTATIONS = 128;
/**
 * The largest phase-0 Attestation in SSZ: a 4-byte offset, AttestationData
 * (slot 8 + index 8 + root 32 + two checkpoints of 40 = 128), the 96-byte
 * signature and a Bitlist[MAX_VALIDATORS_PER_COMMITTEE = 2048] (256 bytes and
 * a delimiter byte): 485 bytes.
 */
export const MAX_ATTESTATION_BYTES = 4 + 128 + BLS_SIGNATURE_BYTES + 2048 / 8 + 1;
/** The bytes phase 0 lets a block spend on attestations: 128 x 485 = 62,080. */
export const ATTESTATIONS_BLOCK_BYTES = MAX_ATTESTATIONS * MAX_ATTESTATION_BYTES;
/** A third of a 12 s slot, in ms: when attesters must have checked the block. */
export const ATTESTATION_DEADLINE_MS = 12_000 / 3;
/** One crosslink's aggregate signature check, ms (blst figure above, rounded up). */
export const BLS_AGGREGATE_VERIFY_MS = 1.5;

export interface BeaconCapacityParams {
  /** Bytes a beacon block may spend on crosslinks. */
  readonly blockBytes: number;
  /** Bytes of one shard header as a crosslink carries it. */
  readonly headerBytes: number;
  /** Members of the committee signing a crosslink: its participation bitfield has a bit each. */
  readonly committeeSize: number;
  /** Time a slot gives the beacon committee to verify a block's crosslinks, ms. */
  readonly verifyBudgetMs: number;
  /** Time to verify one crosslink's aggregate signature, ms. */
  readonly verifyMsPerCrosslink: number;
}

/** The default set: a whole phase-0 block of crosslinks, checked before the attestation deadline. */
export const DEFAULT_CAPACITY_PARAMS: BeaconCapacityParams = {
  blockBytes: GOSSIP_MAX_SIZE,
  headerBytes: HEADER_BYTES,
  committeeSize: TARGET_COMMITTEE_SIZE,
  verifyBudgetMs: ATTESTATION_DEADLINE_MS,
  verifyMsPerCrosslink: BLS_AGGREGATE_VERIFY_MS,
};

export interface BeaconCapacity {
  /** Bytes of one crosslink: header + signature + ceil(committee / 8). */
  readonly crosslinkBytes: number;
  /** Crosslinks that fit in the block's bytes. */
  readonly byBytes: number;
  /** Crosslinks the committee can verify in its time. */
  readonly byTime: number;
  /** min(byBytes, byTime), at least 1: a beacon block always carries one crosslink. */
  readonly capacity: number;
}

/**
 * Crosslinks per beacon block. With the defaults: a crosslink is
 * 168 + 96 + 16 = 280 bytes (message-sizes.ts), 2^20 / 280 = 3,744 fit;
 * 4,000 ms / 1.5 ms = 2,666 can be verified; so 2,666, verification-bound,
 * far above 64. With only the attestations' share of a block
 * (ATTESTATIONS_BLOCK_BYTES) it is 62,080 / 280 = 221, byte-bound. With a
 * 1 s slot (a third of it to verify), 333 ms / 1.5 ms = 222, time-bound.
 */
export function beaconCapacity(p: BeaconCapacityParams = DEFAULT_CAPACITY_PARAMS): BeaconCapacity {
  for (const key of ['headerBytes', 'committeeSize'] as const) {
    if (!Number.isInteger(p[key]) || p[key] < 0) throw new ConfigError(`beacon.${key}`, `must be a whole number >= 0, not ${p[key]}`);
  }
  for (const key of ['blockBytes', 'verifyBudgetMs', 'verifyMsPerCrosslink'] as const) {
    if (!Number.isFinite(p[key]) || p[key] <= 0) throw new ConfigError(`beacon.${key}`, `must be a finite number > 0, not ${p[key]}`);
  }
  const bytes = crosslinkBytes(p.committeeSize, p.headerBytes);
  const byBytes = Math.floor(p.blockBytes / bytes);
  const byTime = Math.floor(p.verifyBudgetMs / p.verifyMsPerCrosslink);
  return { crosslinkBytes: bytes, byBytes, byTime, capacity: Math.max(1, Math.min(byBytes, byTime)) };
}

/** The default set's capacity: 2,666 crosslinks per slot (see beaconCapacity). */
export const DEFAULT_CAPACITY = beaconCapacity().capacity;
