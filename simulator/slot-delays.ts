/**
 * Delays counted in whole slots (how long a shard header, or a source slot,
 * waited for finality), as an exact histogram: slots are few and delays
 * small, so every delay keeps its own bucket and quantiles are exact.
 */

/** `[delay in slots, how many]` pairs by ascending delay, and what never got one. */
export interface SlotDelays {
  readonly histogram: ReadonlyArray<readonly [delay: number, count: number]>;
  /** Items that got a delay (the histogram's total). */
  readonly finalized: number;
  /** Items of the window that had not become final when asked (censored: not in the histogram). */
  readonly unfinalized: number;
}

/** Adds `count` items of delay `delay` to dense counts (index = delay). */
export function addDelay(counts: number[], delay: number, count = 1): void {
  while (counts.length <= delay) counts.push(0);
  counts[delay]! += count;
}

/** Dense counts summed over several (index = delay), as sorted sparse pairs. */
export function delaysOf(countsList: Iterable<readonly number[]>, unfinalized: number): SlotDelays {
  const sum: number[] = [];
  for (const counts of countsList) for (let d = 0; d < counts.length; d++) if (counts[d]! > 0) addDelay(sum, d, counts[d]!);
  const histogram: Array<readonly [number, number]> = [];
  let finalized = 0;
  for (let d = 0; d < sum.length; d++) {
    if (sum[d]! === 0) continue;
    histogram.push([d, sum[d]!]);
    finalized += sum[d]!;
  }
  return { histogram, finalized, unfinalized };
}

/** The q-quantile (0..1) by nearest rank: the smallest delay with at least ceil(q·n) items at or below it; NaN when empty. */
export function delayQuantile(d: SlotDelays, q: number): number {
  if (d.finalized === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil(q * d.finalized));
  let seen = 0;
  for (const [delay, count] of d.histogram) {
    seen += count;
    if (seen >= rank) return delay;
  }
  return d.histogram[d.histogram.length - 1]![0];
}

/** The mean delay of the finalized items; NaN when none. */
export function delayMean(d: SlotDelays): number {
  if (d.finalized === 0) return Number.NaN;
  let sum = 0;
  for (const [delay, count] of d.histogram) sum += delay * count;
  return sum / d.finalized;
}
