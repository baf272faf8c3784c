/**
 * Where a scenario's contracts live: the last accounts of the population,
 * in a fixed order (tokens, stablecoins, pools, NFT collections, DAO
 * proposals), so users are accounts 0 .. users-1 and the placement treats
 * contracts like any account (graph placement pulls users towards them).
 */
import { ConfigError } from '../../crosslink/common/errors.js';
import type { ContractSpec } from '../../shards/contracts/contract.js';
import type { Scenario } from '../config/schema.js';

export interface ContractLayout {
  readonly specs: readonly ContractSpec[];
  /** Accounts 0 .. users-1 are users; the rest are contracts. */
  readonly users: number;
  readonly tokens: readonly number[];
  readonly stablecoins: readonly number[];
  readonly pools: readonly number[];
  readonly collections: readonly number[];
  readonly proposals: readonly number[];
}

type Kind = 'transfer' | 'token' | 'amm' | 'nft' | 'dao' | 'payments';

/** The kinds a scenario's stream draws from, with their weights. */
export function kindWeights(sc: Scenario): Array<[Kind, number]> {
  const w = sc.workload;
  if (w.kind === 'trace') return [];
  if (w.kind !== 'mix') return [[w.kind, 1]];
  return (Object.entries(w.mix) as Array<[Kind, number | undefined]>).filter(([, v]) => (v ?? 0) > 0).map(([k, v]) => [k, v!]);
}

export function contractLayout(sc: Scenario): ContractLayout {
  const used = new Set(kindWeights(sc).map(([k]) => k));
  const w = sc.workload;
  const counts = {
    tokens: used.has('token') ? w.token.contracts : 0,
    stablecoins: used.has('payments') ? w.payments.stablecoins : 0,
    pools: used.has('amm') ? w.amm.pools : 0,
    collections: used.has('nft') ? w.nft.collections : 0,
    proposals: used.has('dao') ? w.dao.proposals : 0,
  };
  const total = counts.tokens + counts.stablecoins + counts.pools + counts.collections + counts.proposals;
  const users = sc.accounts.count - total;
  if (users < 2) {
    throw new ConfigError('accounts.count', `${sc.accounts.count} accounts leave ${users} users once ${total} contracts are deployed; raise accounts.count`);
  }
  let next = users;
  const take = (n: number): number[] => Array.from({ length: n }, () => next++);
  const tokens = take(counts.tokens);
  const stablecoins = take(counts.stablecoins);
  const pools = take(counts.pools);
  const collections = take(counts.collections);
  const proposals = take(counts.proposals);
  const specs: ContractSpec[] = [
    ...tokens.map((id) => ({ id, kind: 'token' as const, initialBalance: w.token.initialBalance })),
    // Consumers and employers start with enough stablecoin for a long run of payments.
    ...stablecoins.map((id) => ({ id, kind: 'token' as const, initialBalance: 1_000_000_000 })),
    ...pools.map((id) => ({ id, kind: 'amm' as const, reserve: w.amm.reserve, initialBalance: w.amm.initialBalance })),
    ...collections.map((id) => ({ id, kind: 'nft' as const, cap: w.nft.cap })),
    ...proposals.map((id) => ({ id, kind: 'dao' as const, deadlineSlot: w.dao.deadlineSlot })),
  ];
  return { specs, users, tokens, stablecoins, pools, collections, proposals };
}
