/**
 * What a workload kind decides about one transaction: who, what, how much.
 * The stream wrapper (../workload.ts) adds the id, submission time, gas and
 * destination shard. Kinds draw only from the slot's seeded stream and never
 * look at the placement, so the stream is the same at every shard count.
 */
import type { TxKind } from '../../crosslink/tx.js';
import type { Rng } from '../prng.js';

export interface Draft {
  readonly kind: TxKind;
  readonly from: number;
  readonly to: number;
  readonly amount: number;
  readonly op: number;
  readonly a: number;
  readonly b: number;
  readonly c: number;
  /** Its size when a trace says (its call data's length); else its kind's. */
  readonly bytes?: number;
  /** Gas of its contract work when a trace says (UserTx.workGas); else its contract's price. */
  readonly workGas?: number;
}

export interface KindGenerator {
  /** One transaction from the slot's stream. */
  next(rng: Rng): Draft;
  /** Transactions due at the start of `slot` whatever the load (payroll runs), drawn from their own stream. */
  scheduled?(slot: number): Draft[];
}

/** Picks among n items with Zipf popularity `exponent` (0: uniform), item 0 the most popular. */
export function skewedPick(n: number, exponent: number): (rng: Rng) => number {
  if (n === 1) return () => 0;
  if (exponent === 0) return (rng) => rng.int(n);
  // Small n (contracts, pools): an exact cumulative table.
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let k = 0; k < n; k++) cdf[k] = sum += 1 / (k + 1) ** exponent;
  return (rng) => {
    const u = rng.next() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}
