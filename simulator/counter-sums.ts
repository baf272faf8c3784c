/** Shard counters summed over every shard of a run, for the figures that are totals of them. */
import type { ShardCounters, ShardSummary } from '../crosslink/transport.js';

/** The counters that are numbers (not the per-reason records). */
export type NumericCounter = { [K in keyof ShardCounters]: ShardCounters[K] extends number ? K : never }[keyof ShardCounters];

export function sumCounters<K extends NumericCounter>(summaries: readonly ShardSummary[], keys: readonly K[]): Record<K, number> {
  const out = {} as Record<K, number>;
  for (const k of keys) out[k] = 0;
  for (const s of summaries) for (const k of keys) out[k] += s.counters[k];
  return out;
}
