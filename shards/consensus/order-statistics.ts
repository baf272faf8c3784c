/**
 * The k-th smallest of n numbers, in place and in O(n) on average
 * (Hoare's selection with a median-of-three pivot, deterministic): the
 * quorum times are order statistics of arrival times, computed per member
 * per phase, so this is the consensus timings' inner loop.
 */

/**
 * The k-th smallest (1-based) of `values[start..end)`. Reorders those
 * entries. k must be in 1..end - start; NaN is not allowed (Infinity is: a
 * vote that never comes).
 */
export function kthSmallest(values: Float64Array, start: number, end: number, k: number): number {
  let lo = start;
  let hi = end - 1;
  const target = start + k - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    // Median of three as the pivot, so sorted and reversed rows stay linear.
    const pivot = medianOf3(values[lo]!, values[mid]!, values[hi]!);
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const t = values[i]!;
        values[i] = values[j]!;
        values[j] = t;
        i++;
        j--;
      }
    }
    // Now [lo, j] <= pivot <= [i, hi], and entries between j and i equal the pivot.
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return values[target]!;
  }
  return values[target]!;
}

function medianOf3(a: number, b: number, c: number): number {
  return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
}
