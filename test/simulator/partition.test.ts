import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../crosslink/common/errors.js';
import { placeAccounts } from '../../simulator/partition.js';
import { loadPartitionFile } from '../../simulator/partition-file.js';
import { crossShardShare, graphPartition, type TxGraphSample } from '../../simulator/partition-graph.js';
import { Rng } from '../../simulator/prng.js';
import { tempDir } from '../helpers/cli.js';

/** Transactions inside communities of `size` accounts, with `crossShare` of them between communities. */
function communities(accounts: number, size: number, txs: number, crossShare: number, seed = 1): TxGraphSample {
  const rng = new Rng(seed);
  const from = new Uint32Array(txs);
  const to = new Uint32Array(txs);
  const groups = Math.ceil(accounts / size);
  for (let i = 0; i < txs; i++) {
    const a = rng.int(accounts);
    const g = rng.next() < crossShare ? rng.int(groups) : Math.floor(a / size);
    from[i] = a;
    to[i] = Math.min(accounts - 1, g * size + rng.int(size));
  }
  return { from, to, length: txs };
}

describe('graph placement', () => {
  it('cuts far fewer transactions than hash placement on a graph with communities', () => {
    const sample = communities(4_000, 100, 40_000, 0.05);
    const hash = placeAccounts({ kind: 'hash', accounts: 4_000, shards: 8 });
    const graph = placeAccounts({ kind: 'graph', accounts: 4_000, shards: 8, sample });
    const hashCross = crossShardShare(hash.owner, sample);
    const graphCross = crossShardShare(graph.owner, sample);
    expect(hashCross).toBeGreaterThan(0.8); // about 1 - 1/8
    expect(graphCross).toBeLessThan(0.35);
  });

  it('keeps every shard within the load cap (10% above the mean)', () => {
    const sample = communities(2_000, 50, 20_000, 0.1, 7);
    const owner = graphPartition(2_000, 4, sample);
    const load = new Float64Array(4);
    for (let i = 0; i < sample.length; i++) {
      load[owner[sample.from[i]!]!]!++;
      load[owner[sample.to[i]!]!]!++;
    }
    const mean = (2 * sample.length) / 4;
    for (const l of load) expect(l).toBeLessThanOrEqual(1.1 * mean + 1);
  });

  it('on a hub-and-spoke graph, a hub may take its spokes up to the bound over its own load: hash cut halved at a bound of 2', () => {
    // 4 hubs (accounts 0-3) taking 40/30/20/10% of the spokes; each spoke calls its hub 3 times.
    const spokes = 4_000;
    const from = new Uint32Array(3 * spokes);
    const to = new Uint32Array(3 * spokes);
    const hubOf = (i: number): number => (i < 0.4 * spokes ? 0 : i < 0.7 * spokes ? 1 : i < 0.9 * spokes ? 2 : 3);
    for (let i = 0; i < spokes; i++) for (let k = 0; k < 3; k++) [from[3 * i + k], to[3 * i + k]] = [4 + i, hubOf(i)];
    const sample = { from, to, length: from.length };
    // Each account's load: the transactions it takes part in (a hub's: its spokes' calls).
    const degree = new Float64Array(4 + spokes);
    for (let i = 0; i < sample.length; i++) {
      degree[from[i]!]!++;
      degree[to[i]!]!++;
    }
    const loads = (owner: ArrayLike<number>) => {
      const load = new Float64Array(8);
      const heaviest = new Float64Array(8);
      for (let v = 0; v < 4 + spokes; v++) {
        load[owner[v]!]! += degree[v]!;
        heaviest[owner[v]!] = Math.max(heaviest[owner[v]!]!, degree[v]!);
      }
      return { load, heaviest };
    };
    const hashOwner = placeAccounts({ kind: 'hash', accounts: 4 + spokes, shards: 8 }).owner;
    const start = loads(hashOwner);
    const cut = (imbalance: number): number => {
      const owner = graphPartition(4 + spokes, 8, sample, { imbalance });
      const { load } = loads(owner);
      // Moves never take a shard past the bound over the mean, or over its heaviest account (a hub alone outweighs
      // the mean's); a shard hash placement left above it only loses load.
      const mean = (2 * sample.length) / 8;
      for (let s = 0; s < 8; s++) expect(load[s]).toBeLessThanOrEqual(Math.max(imbalance * Math.max(mean, start.heaviest[s]!), start.load[s]!));
      return crossShardShare(owner, sample);
    };
    const hash = crossShardShare(hashOwner, sample);
    expect(hash).toBeGreaterThan(0.8);
    // At 10% no hub's shard has room for its spokes; at 2 each hub can take as many spokes as its own load.
    expect(cut(1.1)).toBeGreaterThan(0.7);
    expect(cut(2)).toBeLessThan(hash / 2);
    expect(cut(4)).toBeLessThan(0.05);
  });

  it('assigns every account exactly one shard, deterministically', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 300 }), fc.integer({ min: 1, max: 16 }), fc.integer({ min: 0, max: 2000 }), (accounts, shards, txs) => {
        const sample = communities(accounts, 10, txs, 0.2, accounts + shards);
        const a = placeAccounts({ kind: 'graph', accounts, shards, sample });
        const b = placeAccounts({ kind: 'graph', accounts, shards, sample });
        expect(a.owner).toEqual(b.owner);
        const seen = new Uint8Array(accounts);
        for (const members of a.members) for (const id of members) seen[id]!++;
        expect([...seen].every((c) => c === 1)).toBe(true);
        for (let id = 0; id < accounts; id++) expect(a.owner[id]).toBeLessThan(shards);
      }),
      { numRuns: 60 },
    );
  });
});

describe('partition files', () => {
  it('place listed accounts by group modulo the shard count; the rest follow the partitioner', () => {
    const file = join(tempDir(), 'groups.csv');
    writeFileSync(file, 'account,group\n0,5\n1,6\n# a comment\n2,7\n');
    const groups = loadPartitionFile(file, 10);
    const map = placeAccounts({ kind: 'hash', accounts: 10, shards: 4, groups });
    expect([map.owner[0], map.owner[1], map.owner[2]]).toEqual([1, 2, 3]);
    expect(groups[3]).toBe(-1);
  });

  it('name the file and line of a bad entry', () => {
    const file = join(tempDir(), 'bad.csv');
    writeFileSync(file, '0,1\n1,x\n');
    expect(() => loadPartitionFile(file, 10)).toThrow(ConfigError);
    expect(() => loadPartitionFile(file, 10)).toThrow(/bad\.csv:2/);
    writeFileSync(file, '0,1\n99,1\n');
    expect(() => loadPartitionFile(file, 10)).toThrow(/bad\.csv:2: account 99 is outside/);
  });
});
