/**
 * Account placement: which shard owns each account. The workload never
 * depends on it; only this mapping changes with the shard count.
 */
import { type AccountMap, buildAccountMap } from '../shards/account-map.js';
import { mix32 } from './prng.js';

export type PartitionKind = 'hash' | 'range';

export function partitionAccounts(kind: PartitionKind, accounts: number, shards: number): AccountMap {
  switch (kind) {
    case 'hash':
      // By a hash of the id, as address-prefix sharding does: balanced, locality-blind.
      return buildAccountMap(accounts, shards, (id) => mix32(id ^ 0x5bd1_e995) % shards);
    case 'range':
      return buildAccountMap(accounts, shards, (id) => Math.floor((id * shards) / accounts));
  }
}
