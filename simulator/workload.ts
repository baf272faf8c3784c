/**
 * The user transaction stream: one global stream fixed by (config, seed).
 * Slot s draws from its own seeded stream, so a slot can be generated without
 * the ones before it (a resumed or distributed controller gets the same
 * transactions). Every transaction consumes the same number of draws
 * whatever the shard count; only the account-to-shard mapping changes.
 */
import type { AccountMap } from '../shards/account-map.js';
import { TxKind, type UserTx } from '../crosslink/tx.js';
import type { Scenario } from './config/schema.js';
import { Rng, Stream, mix32 } from './prng.js';
import { ZipfSampler } from './zipf.js';

export interface Workload {
  /** Transactions submitted during `slot`, in stream order (ids ascending). */
  generate(slot: number): UserTx[];
  /** Offered transactions per slot (exact for saturate; average for a rate). */
  readonly perSlot: number;
}

/** Transactions per slot the whole network can include, by gas, at best (local transfers, ideal parallelism). */
export function blockCapacityTx(sc: Scenario): number {
  const timeGas = sc.shard.gasPerSecondPerThread * sc.shard.threads * sc.slotSeconds;
  return Math.floor(Math.min(sc.shard.blockGasLimit, timeGas) / sc.gas.transfer);
}

export function createWorkload(sc: Scenario, map: AccountMap): Workload {
  const n = sc.accounts.count;
  const shards = map.shards;
  const slotMs = sc.slotSeconds * 1000;
  const w = sc.workload;
  const saturate = w.rate === 'saturate';
  const satPerSlot = Math.ceil(w.saturation * shards * blockCapacityTx(sc));
  const ratePerSlot = saturate ? 0 : (w.rate as number) * sc.slotSeconds;
  const amountSpan = w.amount.max - w.amount.min + 1;
  const zipf = w.distribution === 'zipf' ? new ZipfSampler(n, w.zipfExponent) : null;
  const perm = rankPermutation(n, sc.seed);
  const ratio = w.crossShardRatio;
  const gasLocal = sc.gas.transfer;
  const gasCross = sc.gas.transfer + sc.gas.receiptSend;

  const pick = (rng: Rng): number => (zipf === null ? rng.int(n) : perm(zipf.sample(rng) - 1));

  const countAndFirst = (slot: number): [number, number] => {
    if (saturate) return [satPerSlot, slot * satPerSlot];
    const first = Math.floor(slot * ratePerSlot);
    return [Math.floor((slot + 1) * ratePerSlot) - first, first];
  };

  return {
    perSlot: saturate ? satPerSlot : ratePerSlot,
    generate(slot: number): UserTx[] {
      const [count, firstId] = countAndFirst(slot);
      const rng = new Rng(sc.seed, Stream.Workload, slot);
      const out: UserTx[] = new Array(count);
      for (let i = 0; i < count; i++) {
        const from = pick(rng);
        let to: number;
        if (ratio === undefined) {
          to = pick(rng);
          if (to === from) to = (to + 1) % n;
        } else {
          // Three draws whatever the branch, so streams align across shard counts.
          const u = rng.next();
          const a = rng.u32();
          const b = rng.u32();
          const home = map.owner[from]!;
          const cross = shards > 1 && u < ratio;
          const dst = cross ? (home + 1 + (a % (shards - 1))) % shards : home;
          const members = map.members[dst]!;
          to = members[b % members.length]!;
          if (to === from) to = members[(b + 1) % members.length]!;
        }
        const amount = w.amount.min + rng.int(amountSpan);
        const toShard = map.owner[to]!;
        out[i] = {
          id: firstId + i,
          kind: TxKind.Transfer,
          from,
          to,
          amount,
          gasLimit: toShard === map.owner[from] ? gasLocal : gasCross,
          submitMs: slot * slotMs + Math.floor(((i + 0.5) * slotMs) / count),
          toShard,
        };
      }
      return out;
    },
  };
}

/**
 * A seeded bijection of [0, n): rank -> account id, so that Zipf's hot
 * ranks are scattered over the id space instead of being accounts 0, 1, 2...
 */
function rankPermutation(n: number, seed: number): (rank: number) => number {
  let mult = (mix32(seed ^ 0x2545_f491) % 0x8_0000) | 1;
  while (gcd(mult, n) !== 1) mult += 2;
  const add = mix32(seed ^ 0x3c6e_f372) % n;
  return (rank) => (rank * mult + add) % n;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** Accounts that refuse incoming value, chosen by seed: a freeze list. */
export function frozenAccounts(sc: Scenario): Uint8Array | null {
  const ratio = sc.accounts.frozenRatio;
  if (ratio === 0) return null;
  const n = sc.accounts.count;
  const out = new Uint8Array(n);
  const threshold = ratio * 2 ** 32;
  const salt = mix32(sc.seed ^ (Stream.Frozen * 0x9e37_79b9));
  for (let id = 0; id < n; id++) if (mix32(id ^ salt) < threshold) out[id] = 1;
  return out;
}
