/**
 * What a run's shards need of the scenario's `network` and `consensus`
 * sections: the committee each shard's blocks are agreed by, and how its
 * agreement is timed (shards/consensus/slot-agreement.ts).
 */
import { tablesToJson } from '../crosslink/network/tables.js';
import type { AgreementSetup } from '../shards/consensus/slot-agreement.js';
import type { BeaconCapacitySource } from './beacon.js';
import { BeaconAgreement } from './beacon-capacity.js';
import { isIdealNetwork, NEAR_RECEIPT_BYTES_PER_SLOT, networkTables } from './config/network-schema.js';
import type { Scenario } from './config/schema.js';

/** Members of each shard's committee at `shards` shards: the validators split over the shards, at most consensus.maxCommittee. */
export function committeeSize(sc: Scenario, shards: number): number {
  return Math.min(Math.floor(sc.security.validators / shards), sc.consensus.maxCommittee);
}

/** The dissemination `auto` stands for: gossip over a real network, direct over the ideal one (where it costs nothing). */
export function disseminationOf(sc: Scenario): 'direct' | 'gossip' {
  if (sc.consensus.dissemination !== 'auto') return sc.consensus.dissemination;
  return sc.network.preset === 'ideal' ? 'direct' : 'gossip';
}

/**
 * The network model the shards time receipt batches' transit with and, unless consensus.protocol is ideal,
 * each block's agreement; null on the ideal network, where both take no time.
 */
export function agreementSetup(sc: Scenario, shards: number): AgreementSetup | null {
  if (isIdealNetwork(sc.network)) return null;
  return {
    tables: tablesToJson(networkTables(sc.network)),
    latency: sc.network.latency,
    protocol: sc.consensus.protocol,
    dissemination: disseminationOf(sc),
    committee: Math.max(1, committeeSize(sc, shards)),
    seed: sc.seed,
  };
}

/**
 * Whether agreement is instant: ideal consensus, or any protocol over a network where every message arrives the
 * instant it is sent (every phase then completes at the slot's start, and Tendermint's timeouts never fire).
 */
export function isIdealTime(sc: Scenario): boolean {
  return sc.consensus.protocol === 'ideal' || isIdealNetwork(sc.network);
}

/** Receipt bytes a shard admits a slot, or null for no cap (`auto`: NEAR's 4.5 MB unless time is free). */
export function receiptBytesPerSlotOf(sc: Scenario): number | null {
  const cap = sc.network.receiptBytesPerSlot;
  if (cap === 'unlimited') return null;
  if (cap !== 'auto') return cap;
  return isIdealNetwork(sc.network) ? null : NEAR_RECEIPT_BYTES_PER_SLOT;
}

/**
 * Crosslinks a beacon block holds at `shards` shards (Infinity: no limit). `auto`: unlimited when time is free,
 * else, slot by slot, what the beacon committee can agree on within the slot (beacon-capacity.ts).
 */
export function beaconCapacityOf(sc: Scenario, shards: number): BeaconCapacitySource {
  const cap = sc.beacon.crosslinksPerSlot;
  if (cap === 'unlimited') return Number.POSITIVE_INFINITY;
  if (cap !== 'auto') return cap;
  const setup = agreementSetup(sc, shards);
  if (isIdealTime(sc) || setup === null) return Number.POSITIVE_INFINITY;
  return new BeaconAgreement(setup, {
    committee: beaconCommitteeSize(sc),
    shardCommittee: setup.committee,
    slotMs: sc.slotSeconds * 1000,
  });
}

/** Members of the beacon's committee: drawn from all validators, at most consensus.maxCommittee. */
export function beaconCommitteeSize(sc: Scenario): number {
  return Math.min(sc.security.validators, sc.consensus.maxCommittee);
}
