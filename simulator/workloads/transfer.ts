/**
 * Native transfers between users, uniform or Zipf-skewed. With a target
 * cross-shard ratio the receiver is chosen relative to the placement (three
 * draws whatever the branch, so streams stay aligned across shard counts).
 */
import { TxKind } from '../../crosslink/tx.js';
import type { AccountMap } from '../../shards/account-map.js';
import type { Scenario } from '../config/schema.js';
import { mix32, type Rng } from '../prng.js';
import { ZipfSampler } from '../zipf.js';
import type { KindGenerator } from './draft.js';

export function transferGenerator(sc: Scenario, users: number, map: AccountMap): KindGenerator {
  const w = sc.workload;
  const pick = userPicker(users, w.distribution === 'zipf' ? w.zipfExponent : 0, sc.seed);
  const amountSpan = w.amount.max - w.amount.min + 1;
  const ratio = w.crossShardRatio;
  const shards = map.shards;
  return {
    next(rng) {
      const from = pick(rng);
      let to: number;
      if (ratio === undefined) {
        to = pick(rng);
        if (to === from) to = (to + 1) % users;
      } else {
        const u = rng.next();
        const a = rng.u32();
        const b = rng.u32();
        const home = map.owner[from]!;
        const dst = shards > 1 && u < ratio ? (home + 1 + (a % (shards - 1))) % shards : home;
        const members = map.members[dst]!;
        to = members[b % members.length]!;
        if (to === from || to >= users) to = members[(b + 1) % members.length]!;
        if (to >= users) to = (from + 1) % users; // a contract account drawn: fall back to a user
      }
      return { kind: TxKind.Transfer, from, to, amount: w.amount.min + rng.int(amountSpan), op: 0, a: 0, b: 0, c: 0 };
    },
  };
}

/**
 * Users by popularity: uniform, or Zipf ranks scattered over the ids by a
 * seeded bijection (so the hot accounts are not ids 0, 1, 2...).
 */
export function userPicker(users: number, exponent: number, seed: number): (rng: Rng) => number {
  if (exponent === 0) return (rng) => rng.int(users);
  const zipf = new ZipfSampler(users, exponent);
  const perm = rankPermutation(users, seed);
  return (rng) => perm(zipf.sample(rng) - 1);
}

export function rankPermutation(n: number, seed: number): (rank: number) => number {
  let mult = (mix32(seed ^ 0x2545_f491) % 0x8_0000) | 1;
  while (gcd(mult, n) !== 1) mult += 2;
  const add = mix32(seed ^ 0x3c6e_f372) % n;
  return (rank) => (rank * mult + add) % n;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}
