/**
 * One message's propagation latency: a Pareto draw whose mean is the mean of
 * the sender's and receiver's region pair, as SimBlock draws it
 * (dsg-titech/simblock, simulator/src/main/java/simblock/simulator/Network.java,
 * getLatency): for a mean of m ms, shape α = 0.2·m and scale x_m = m − 5, and
 * the latency is x_m / U^(1/α) for a uniform U. Its mean α·x_m/(α − 1) is m
 * exactly, and its tail is heavy: a few messages are very late.
 *
 * Two departures, both where SimBlock's rule gives no usable answer or loses
 * precision:
 * - Below a mean of 10 ms SimBlock's shape falls under 2, at 5 ms its shape
 *   reaches 1 (an infinite mean) and its scale 0, and below it the scale
 *   turns negative (a negative latency). Here the shape is held at 2 below 10 ms and the scale is
 *   m·(α − 1)/α, which equals SimBlock's m − 5 wherever α = 0.2·m: the same
 *   draws at 10 ms and above, the table's mean at every mean, continuous at
 *   10 ms.
 * - SimBlock rounds each draw to whole milliseconds; here it is not rounded
 *   (virtual time is continuous), so the draws' mean is the table's.
 */
import { chain, unitOpen } from './keyed-draw.js';
import type { MessageKey } from './model.js';

/** The smallest shape used: SimBlock's own at a 10 ms mean (any shape above 1 keeps the mean finite; 2 keeps the tail no heavier than SimBlock's at 10 ms). */
export const MIN_PARETO_SHAPE = 2;

/** SimBlock's shape per ms of mean latency (its "20% variance"). */
const SHAPE_PER_MS = 0.2;

export interface ParetoParameters {
  /** α: the tail index. */
  readonly shape: number;
  /** x_m, ms: the smallest latency a draw can give. */
  readonly scaleMs: number;
}

/** The Pareto distribution whose mean is `meanMs` (a degenerate one at 0 for a zero mean). */
export function paretoFor(meanMs: number): ParetoParameters {
  const shape = Math.max(SHAPE_PER_MS * meanMs, MIN_PARETO_SHAPE);
  return { shape, scaleMs: (meanMs * (shape - 1)) / shape };
}

/** The latency, ms, at uniform draw `u` in (0, 1) of the distribution `p`: the inverse of its CDF at 1 − u. */
export function paretoLatencyMs(p: ParetoParameters, u: number): number {
  return p.scaleMs === 0 ? 0 : p.scaleMs * u ** (-1 / p.shape);
}

/**
 * The uniform draw in (0, 1) of message `key` from validator `from` to `to`,
 * under the chain `latencyTag` (keyed-draw.ts's seedTag(seed, DRAW_TAG.latency)):
 * a hash of all of them, so the same message always draws the same latency.
 */
export function latencyUnit(latencyTag: number, from: number, to: number, key: MessageKey): number {
  return latencyUnitFrom(senderLatencyTag(latencyTag, from), to, key);
}

/** The part of latencyUnit's hash that depends on the sender alone: computed once for a sender's whole fan-out. */
export function senderLatencyTag(latencyTag: number, from: number): number {
  return chain(latencyTag, from);
}

/** latencyUnit(latencyTag, from, to, key), given `senderTag` = senderLatencyTag(latencyTag, from). */
export function latencyUnitFrom(senderTag: number, to: number, key: MessageKey): number {
  return unitOpen(latencyHashFrom(senderTag, to, key));
}

/** The 32-bit hash latencyUnitFrom turns into its uniform draw (unitOpen). */
export function latencyHashFrom(senderTag: number, to: number, key: MessageKey): number {
  return chain(chain(chain(chain(senderTag, to), key.slot), key.kind), key.index);
}
