/** Quantiles of samples, linearly interpolated between neighbours: the bench's summary statistics. */
export function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const at = q * (s.length - 1);
  const lo = Math.floor(at);
  return lo + 1 < s.length ? s[lo]! + (at - lo) * (s[lo + 1]! - s[lo]!) : s[lo]!;
}

/** The median of a non-empty list of samples (the mean of the middle two for an even count). */
export const median = (xs: readonly number[]): number => quantile(xs, 0.5);
