import type { MovePlan } from '../crosslink/transport.js';

/**
 * Where every account lives: global account id -> (owning shard, index inside
 * that shard). Built once per run from a placement function; the shard side
 * never decides placement, it only looks it up.
 *
 * A movable map (accounts.repartition) gives every account its global id as
 * its index on every shard, so any shard's state can take any account in and
 * an account moves by changing its owner alone; the moves of each
 * repartition epoch are applied once to a map, whoever applies them first
 * (the controller and the shards of one process share it).
 */
export interface AccountMap {
  readonly accounts: number;
  readonly shards: number;
  /** Owning shard of each global account id (changes only by applyMoves). */
  readonly owner: Uint16Array;
  /** Index of each global account id inside its owning shard (the id itself when movable). */
  readonly local: Uint32Array;
  /** Per shard, its accounts' global ids at genesis in ascending order (local index -> global id unless movable). */
  readonly members: readonly Uint32Array[];
  /** Whether accounts can move between shards (accounts.repartition). */
  readonly movable: boolean;
  /** The last repartition epoch whose moves this map holds; 0 at genesis. */
  epoch: number;
}

export function buildAccountMap(accounts: number, shards: number, shardOf: (id: number) => number, movable = false): AccountMap {
  const owner = new Uint16Array(accounts);
  for (let id = 0; id < accounts; id++) owner[id] = shardOf(id);
  return accountMapFromOwners(owner, shards, movable);
}

/**
 * The map of a placement held as an owner array (a shard host's copy of the controller's placement, or what
 * buildAccountMap's callback gave): read straight from the array, a 1M-account map costs a shard thread's setup
 * about half what a callback per account would. Keeps `owner` as the map's owner array: pass a copy the caller
 * does not use otherwise.
 */
export function accountMapFromOwners(owner: Uint16Array, shards: number, movable = false): AccountMap {
  const accounts = owner.length;
  const counts = new Uint32Array(shards);
  for (let id = 0; id < accounts; id++) counts[owner[id]!]!++;
  const members = Array.from(counts, (c) => new Uint32Array(c));
  const fill = new Uint32Array(shards);
  const local = new Uint32Array(accounts);
  for (let id = 0; id < accounts; id++) {
    const s = owner[id]!;
    const i = fill[s]!++;
    members[s]![i] = id;
    local[id] = movable ? id : i;
  }
  return { accounts, shards, owner, local, members, movable, epoch: 0 };
}

/** Accounts a shard's state holds: every account when the map is movable, else its own. */
export function stateSize(map: AccountMap, shard: number): number {
  return map.movable ? map.accounts : map.members[shard]!.length;
}

/** Applies an epoch's moves unless the map already holds them; true when it applied them. */
export function applyMoves(map: AccountMap, plan: MovePlan): boolean {
  if (!map.movable || plan.epoch <= map.epoch) return false;
  const m = plan.moves;
  for (let i = 0; i < m.length; i += 3) map.owner[m[i]!] = m[i + 2]!;
  map.epoch = plan.epoch;
  return true;
}
