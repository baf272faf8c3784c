/**
 * Validators 0..n-1 placed in regions by the seed and the regions' shares.
 * Each region receives as close to n × share validators as whole numbers
 * allow (largest-remainder apportionment), and which validators those are is
 * a seeded uniform permutation: validators are ranked by a hash of (seed,
 * validator) and the ranks filled region by region.
 *
 * Committees. security.ts sizes a shard's committee as floor(validators /
 * shards) and treats it as a uniform random sample of the validators (its
 * hypergeometric tail). Under a uniform permutation, any fixed split of
 * 0..n-1 (contiguous, committee i = [i·size, (i+1)·size), or strided,
 * committee i = {v : v mod shards = i}) gives each committee a uniform random
 * sample of the regions: its region mix is hypergeometric around size ×
 * share, the same assumption the security analysis makes. The contiguous
 * split is the one the consensus code is expected to use.
 */
import { InternalError } from '../common/errors.js';
import { chain, DRAW_TAG, seedTag } from './keyed-draw.js';

/**
 * How many of n validators each region receives: floor(n × share), then one
 * more to each of the regions with the largest remainders until n are
 * placed (ties to the lower region index). A region of share 0 receives none.
 */
export function apportion(n: number, shares: readonly number[]): number[] {
  if (!Number.isSafeInteger(n) || n < 0) throw new InternalError(`apportion: the count must be a whole number >= 0, got ${n}`);
  const counts = shares.map((s) => Math.floor(n * s));
  let left = n - counts.reduce((a, b) => a + b, 0);
  // The shares sum to 1 within 1e-9, so 0 <= left <= regions for any realistic n.
  const byRemainder = shares
    .map((s, r) => ({ r, frac: n * s - Math.floor(n * s), s }))
    .filter((x) => x.s > 0)
    .sort((a, b) => b.frac - a.frac || a.r - b.r);
  if (left < 0 || (left > 0 && byRemainder.length === 0) || left > byRemainder.length) {
    throw new InternalError(`apportion: shares ${shares.join(', ')} do not sum to 1`);
  }
  for (let i = 0; left > 0; i++, left--) counts[byRemainder[i]!.r]! += 1;
  return counts;
}

/** The region of each of validators 0..n-1 (an index into `shares`), by `seed`. */
export function assignRegions(n: number, shares: readonly number[], seed: number): Int32Array {
  const counts = apportion(n, shares);
  const tag = seedTag(seed, DRAW_TAG.region);
  const key = new Uint32Array(n);
  for (let v = 0; v < n; v++) key[v] = chain(tag, v);
  const byKey = new Int32Array(n);
  for (let v = 0; v < n; v++) byKey[v] = v;
  // Ties (two equal 32-bit keys) go to the lower validator: the order is total, so the result is too.
  byKey.sort((a, b) => key[a]! - key[b]! || a - b);
  const region = new Int32Array(n);
  let rank = 0;
  counts.forEach((count, r) => {
    for (let i = 0; i < count; i++) region[byKey[rank++]!] = r;
  });
  return region;
}
