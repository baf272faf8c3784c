/**
 * Where every account lives: global account id -> (owning shard, index inside
 * that shard). Built once per run from a placement function; the shard side
 * never decides placement, it only looks it up.
 */
export interface AccountMap {
  readonly accounts: number;
  readonly shards: number;
  /** Owning shard of each global account id. */
  readonly owner: Uint16Array;
  /** Index of each global account id inside its owning shard. */
  readonly local: Uint32Array;
  /** Per shard, its accounts' global ids in ascending order (local index -> global id). */
  readonly members: readonly Uint32Array[];
}

export function buildAccountMap(accounts: number, shards: number, shardOf: (id: number) => number): AccountMap {
  const owner = new Uint16Array(accounts);
  const counts = new Uint32Array(shards);
  for (let id = 0; id < accounts; id++) {
    const s = shardOf(id);
    owner[id] = s;
    counts[s]!++;
  }
  const members = Array.from(counts, (c) => new Uint32Array(c));
  const fill = new Uint32Array(shards);
  const local = new Uint32Array(accounts);
  for (let id = 0; id < accounts; id++) {
    const s = owner[id]!;
    const i = fill[s]!++;
    members[s]![i] = id;
    local[id] = i;
  }
  return { accounts, shards, owner, local, members };
}
