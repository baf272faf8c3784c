/**
 * Account placement: which shard owns each account. The workload never
 * depends on it; only this mapping changes with the shard count.
 *  - hash:  by a hash of the id, as address-prefix sharding does: balanced, locality-blind.
 *  - range: contiguous id ranges.
 *  - graph: accounts that transact together on one shard (partition-graph.ts),
 *           learned from a sample of the workload.
 *  - a partition file: a precomputed assignment (account -> group; groups fold onto shards modulo the count).
 */
import { type AccountMap, buildAccountMap } from '../shards/account-map.js';
import { graphPartition, type TxGraphSample } from './partition-graph.js';
import { mix32 } from './prng.js';

export type PartitionKind = 'hash' | 'range' | 'graph';

export interface PlacementInput {
  readonly kind: PartitionKind;
  readonly accounts: number;
  readonly shards: number;
  /** Required by `graph`: transactions from the start of the workload. */
  readonly sample?: TxGraphSample | undefined;
  /** `graph`: a shard's largest share of the sample's transactions, as a multiple of the mean (default 1.1). */
  readonly imbalance?: number | undefined;
  /** A precomputed assignment (group per account, -1 for unlisted); overrides `kind` where listed. */
  readonly groups?: Int32Array | undefined;
  /** Accounts will move (accounts.repartition): a movable map. */
  readonly movable?: boolean;
}

export function placeAccounts(p: PlacementInput): AccountMap {
  const { accounts, shards } = p;
  const hashed = (id: number): number => mix32(id ^ 0x5bd1_e995) % shards;
  let base: (id: number) => number;
  switch (p.kind) {
    case 'hash':
      base = hashed;
      break;
    case 'range':
      base = (id) => Math.floor((id * shards) / accounts);
      break;
    case 'graph': {
      const sample = p.sample ?? { from: new Uint32Array(0), to: new Uint32Array(0), length: 0 };
      const owner = graphPartition(accounts, shards, sample, p.imbalance === undefined ? {} : { imbalance: p.imbalance });
      base = (id) => owner[id]!;
      break;
    }
  }
  const groups = p.groups;
  const shardOf = groups === undefined ? base : (id: number) => (groups[id]! >= 0 ? groups[id]! % shards : base(id));
  return buildAccountMap(accounts, shards, shardOf, p.movable === true);
}

/** Compatibility shorthand for placements that need no sample. */
export function partitionAccounts(kind: 'hash' | 'range', accounts: number, shards: number): AccountMap {
  return placeAccounts({ kind, accounts, shards });
}
