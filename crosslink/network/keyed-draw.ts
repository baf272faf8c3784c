/**
 * Counter-based draws for the network model: a draw is a hash of the seed,
 * a tag naming what is drawn and the draw's coordinates, never a step of a
 * stream, so its value does not depend on which draws were made before it
 * (the determinism contract; as crosslink/fault-plan.ts decides faults).
 */
import { mix32 } from '../common/mix32.js';

/** Tags keep the draws of different purposes apart under one seed. */
export const DRAW_TAG = {
  region: 0x7265_6731,
  latency: 0x6c61_7431,
  gossip: 0x676f_7331,
  leader: 0x6c64_7231,
  /** The beacon committee's own placement in regions and its proposer rotation. */
  beacon: 0x6263_6e31,
} as const;

/** The start of a chain of draws for one purpose under `seed`. */
export function seedTag(seed: number, tag: number): number {
  return mix32(mix32(seed ^ tag) ^ 0x2545_f491);
}

/** Folds one more coordinate into a chain: mix32 is a bijection, so distinct coordinates after a common prefix give distinct hashes. */
export function chain(h: number, x: number): number {
  return mix32(h ^ x);
}

/** A hash as a uniform draw strictly inside (0, 1): never 0, so a Pareto draw's u^(-1/shape) stays finite. */
export function unitOpen(h: number): number {
  return (h + 0.5) / 0x1_0000_0000;
}
