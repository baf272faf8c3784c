/**
 * Latency over every transaction submitted in the measured window, not only
 * those that finished. A transaction still unfinished when the run ends (in
 * a mempool, a delayed-receipt queue, a batch in flight, or dropped by a full
 * mempool) is a right-censored sample: its latency is at least the time from
 * its submission to the run's end. A percentile that falls among such samples
 * is only a lower bound and is reported as one; a percentile over the
 * finished transactions alone would describe the lucky ones (Kaplan and
 * Meier's point: dropping censored observations biases the estimate low).
 *
 * Which transactions are unfinished comes from two histograms of the same
 * quantity, their age at the window's end (window end - submission, ms): the
 * controller's over every transaction it offered in the window, and the
 * shards' over those that completed. Their difference, bucket by bucket, is
 * the censored ones; it can never be negative (a transaction completing
 * twice, or one never offered, would make it so).
 */
import { InvariantError } from '../crosslink/common/errors.js';
import { bucketLow, bucketWidth, type LatencyHistogram } from '../shards/latency-histogram.js';
import type { LatencySummary } from './results.js';

/** The figures a run reports, in the order the results list them. */
export const LATENCY_FIGURES = ['p50', 'p95', 'p99', 'mean'] as const;
export type LatencyFigure = (typeof LATENCY_FIGURES)[number];

export interface CensoredLatencyInput {
  /** Latency (ms) of the window's transactions that completed, merged over shards. */
  readonly completed: LatencyHistogram;
  /** Their age at the window's end (ms), merged over shards. */
  readonly completedAges: LatencyHistogram;
  /** The age at the window's end (ms) of every transaction offered in the window. */
  readonly offeredAges: LatencyHistogram;
  /** From the window's end to the run's end (the drain), ms. */
  readonly afterWindowMs: number;
  /** The run's last slot, for an invariant error. */
  readonly lastSlot: number;
}

interface Sample {
  /** Milliseconds: a completed bucket's midpoint, or a censored bucket's least latency. */
  readonly ms: number;
  readonly count: number;
  readonly censored: boolean;
}

/** The censored samples: offered minus completed, per age bucket, each at the least latency it can have. */
function censoredSamples(input: CensoredLatencyInput): Sample[] {
  const done = new Map(input.completedAges.toPairs());
  const out: Sample[] = [];
  for (const [b, offered] of input.offeredAges.toPairs()) {
    const left = offered - (done.get(b) ?? 0);
    done.delete(b);
    if (left < 0) {
      throw new InvariantError(
        'exactly-once completion',
        { slot: input.lastSlot },
        `${-left} more transactions completed than were offered at window age ${bucketLow(b)} ms`,
      );
    }
    if (left > 0) out.push({ ms: input.afterWindowMs + bucketLow(b), count: left, censored: true });
  }
  for (const [b, c] of done) {
    throw new InvariantError(
      'exactly-once completion',
      { slot: input.lastSlot },
      `${c} transactions completed at window age ${bucketLow(b)} ms that were never offered`,
    );
  }
  return out;
}

export function censoredLatency(input: CensoredLatencyInput): LatencySummary {
  const completed: Sample[] = input.completed.toPairs().map(([b, c]) => ({ ms: bucketLow(b) + (bucketWidth(b) - 1) / 2, count: c, censored: false }));
  const censored = censoredSamples(input);
  const done = input.completed.total;
  const left = censored.reduce((a, s) => a + s.count, 0);
  const total = done + left;
  // Ties: a finished sample first, so a percentile that a finished transaction reaches is exact.
  const all = [...completed, ...censored].sort((a, b) => a.ms - b.ms || Number(a.censored) - Number(b.censored));
  const lowerBound: LatencyFigure[] = [];
  const quantile = (name: LatencyFigure, q: number): number => {
    if (total === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil(q * total));
    let seen = 0;
    let finishedSeen = 0;
    for (const s of all) {
      seen += s.count;
      if (!s.censored) finishedSeen += s.count;
      if (seen >= rank) {
        // Exact only when `rank` finished transactions are at most this long: a censored one below it may really be longer.
        if (finishedSeen < rank) lowerBound.push(name);
        return s.ms / 1000;
      }
    }
    return Number.NaN;
  };
  const p50 = quantile('p50', 0.5);
  const p95 = quantile('p95', 0.95);
  const p99 = quantile('p99', 0.99);
  const sum = all.reduce((a, s) => a + s.ms * s.count, 0);
  if (left > 0) lowerBound.push('mean');
  return {
    p50,
    p95,
    p99,
    mean: total > 0 ? sum / total / 1000 : Number.NaN,
    samples: total,
    completed: done,
    censored: left,
    completedShare: total > 0 ? done / total : Number.NaN,
    lowerBound,
  };
}
