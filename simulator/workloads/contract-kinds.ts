/**
 * The contract workloads: token, amm, nft, dao and payments, each drawing
 * calls of the built-in contracts (shards/contracts/) with its own
 * parameters from the scenario's workload section.
 */
import { TxKind } from '../../crosslink/tx.js';
import { AmmOp } from '../../shards/contracts/amm.js';
import { DaoOp } from '../../shards/contracts/dao.js';
import { NftOp } from '../../shards/contracts/nft.js';
import { TokenOp } from '../../shards/contracts/token.js';
import type { Scenario } from '../config/schema.js';
import { mix32, Rng, Stream } from '../prng.js';
import { type Draft, type KindGenerator, skewedPick } from './draft.js';
import type { ContractLayout } from './layout.js';
import { rankPermutation, userPicker } from './transfer.js';

const call = (from: number, to: number, amount: number, op: number, a: number, b: number, c: number): Draft => ({
  kind: TxKind.Call,
  from,
  to,
  amount,
  op,
  a,
  b,
  c,
});

/** The spender an owner approves: a fixed function, so a later transferFrom by it can succeed. */
const spenderOf = (owner: number, users: number): number => ((mix32(owner ^ 0x68e3_1da4) % (users - 1)) + owner + 1) % users;

export function tokenGenerator(sc: Scenario, layout: ContractLayout): KindGenerator {
  const p = sc.workload.token;
  const users = layout.users;
  const pickToken = skewedPick(layout.tokens.length, p.skew);
  return {
    next(rng) {
      const contract = layout.tokens[pickToken(rng)]!;
      const u = rng.next();
      const x = rng.int(users);
      const y = rng.int(users);
      const amount = 1 + rng.int(1_000);
      if (u < p.approveShare) return call(x, contract, 0, TokenOp.Approve, spenderOf(x, users), amount * 10, 0);
      if (u < p.approveShare + p.transferFromShare) return call(spenderOf(x, users), contract, 0, TokenOp.TransferFrom, x, y, amount);
      return call(x, contract, 0, TokenOp.Transfer, y === x ? (y + 1) % users : y, amount, 0);
    },
  };
}

export function ammGenerator(sc: Scenario, layout: ContractLayout): KindGenerator {
  const p = sc.workload.amm;
  const users = layout.users;
  const pickPool = skewedPick(layout.pools.length, p.skew);
  return {
    next(rng) {
      const pool = layout.pools[pickPool(rng)]!;
      const trader = rng.int(users);
      const u = rng.next();
      const size = 1 + rng.int(10_000);
      if (u < p.liquidityShare / 2) return call(trader, pool, 0, AmmOp.AddLiquidity, size * 10, size * 10, 0);
      if (u < p.liquidityShare) return call(trader, pool, 0, AmmOp.RemoveLiquidity, 1 + rng.int(100), 0, 0);
      return call(trader, pool, 0, AmmOp.Swap, rng.int(2), size, 0);
    },
  };
}

export function nftGenerator(sc: Scenario, layout: ContractLayout): KindGenerator {
  const p = sc.workload.nft;
  const users = layout.users;
  const pickCollection = skewedPick(layout.collections.length, p.skew);
  return {
    next(rng) {
      const collection = layout.collections[pickCollection(rng)]!;
      const who = rng.int(users);
      const u = rng.next();
      const token = rng.int(p.cap);
      const to = rng.int(users);
      if (u < p.transferShare) return call(who, collection, 0, NftOp.Transfer, token, to, 0);
      return call(who, collection, p.price, NftOp.Mint, 0, 0, 0);
    },
  };
}

export function daoGenerator(layout: ContractLayout): KindGenerator {
  return {
    next(rng) {
      const proposal = layout.proposals[rng.int(layout.proposals.length)]!;
      return call(rng.int(layout.users), proposal, 0, DaoOp.Vote, rng.int(2), 0, 0);
    },
  };
}

/**
 * Real-time payments: consumers pay Zipf-popular merchants in a stablecoin;
 * every `payrollEverySlots` slots each employer pays its employees in one
 * batch transfer (a heavy transaction writing many balances).
 */
export function paymentsGenerator(sc: Scenario, layout: ContractLayout): KindGenerator {
  const p = sc.workload.payments;
  const users = layout.users;
  const merchants = Math.min(p.merchants, users - 1);
  const merchantRank = rankPermutation(users, sc.seed ^ 0x51ed_270b);
  const pickMerchant = userPicker(merchants, p.merchantSkew, sc.seed);
  const span = p.amount.max - p.amount.min + 1;
  const employees = Math.min(p.payrollSize, users - 1);
  return {
    next(rng) {
      const coin = layout.stablecoins[rng.int(layout.stablecoins.length)]!;
      const consumer = rng.int(users);
      const merchant = merchantRank(pickMerchant(rng));
      return call(consumer, coin, 0, TokenOp.Transfer, merchant === consumer ? (merchant + 1) % users : merchant, p.amount.min + rng.int(span), 0);
    },
    scheduled(slot) {
      if (p.employers === 0 || slot % p.payrollEverySlots !== 0) return [];
      const rng = new Rng(sc.seed, Stream.Payroll, slot);
      return Array.from({ length: p.employers }, (_, e) => {
        const employer = merchantRank(users - 1 - e);
        const first = rng.int(Math.max(1, users - employees));
        return call(employer, layout.stablecoins[e % layout.stablecoins.length]!, 0, TokenOp.BatchTransfer, first, employees, 1_000);
      });
    },
  };
}
