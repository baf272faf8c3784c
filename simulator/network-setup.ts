/**
 * What a run's shards need of the scenario's `network` and `consensus`
 * sections: the committee each shard's blocks are agreed by, and how its
 * agreement is timed (shards/consensus/slot-agreement.ts).
 */
import { tablesToJson } from '../crosslink/network/tables.js';
import type { AgreementSetup } from '../shards/consensus/slot-agreement.js';
import { networkTables } from './config/network-schema.js';
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

/** How each block's agreement is timed, or null when agreement is instant (consensus.protocol ideal). */
export function agreementSetup(sc: Scenario, shards: number): AgreementSetup | null {
  if (sc.consensus.protocol === 'ideal') return null;
  return {
    tables: tablesToJson(networkTables(sc.network)),
    latency: sc.network.latency,
    protocol: sc.consensus.protocol,
    dissemination: disseminationOf(sc),
    committee: committeeSize(sc, shards),
    seed: sc.seed,
  };
}
