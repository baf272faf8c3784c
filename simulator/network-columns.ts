/**
 * The network figures a sweep's summary shows (docs/network.md "Figures and
 * the bottleneck"): whether any run is off the ideal network at all (on it
 * the figures are zeros and the summary stays as it was), the finality delay
 * against the configured one, and the word that binds a point run with
 * several seeds.
 */
import type { Bottleneck, NetworkFigures } from './network-figures.js';
import type { RunResult } from './results.js';

/** The bottleneck words in the order network-figures.ts and the results schema list them: how ties between seeds are broken. */
export const BOTTLENECK_ORDER: readonly Bottleneck[] = ['load', 'execution', 'consensus', 'bandwidth', 'beacon', 'receipts'];

/** A run's network figures; undefined for hand-made and older results without them. */
export function networkOf(run: RunResult): NetworkFigures | undefined {
  const value: unknown = run.network;
  return value !== undefined && value !== null && typeof value === 'object' ? run.network : undefined;
}

/** Off the ideal network: another preset, or a committee that votes (agreement takes time). */
export function offIdeal(run: RunResult): boolean {
  const n = networkOf(run);
  return n !== undefined && (n.preset !== 'ideal' || n.committee > 0);
}

/** Whether the summary and the report show the network figures: some run of the sweep is off the ideal network. */
export function networkShown(runs: readonly RunResult[]): boolean {
  return runs.some(offIdeal);
}

/** The beacon fell behind: a window slot's median finality delay beyond the configured delay (network-figures.ts bottleneckOf's test). */
export function finalityBehind(run: RunResult): boolean {
  const f = networkOf(run)?.beacon.finalityDelaySlots;
  return f !== undefined && f.p50 !== null && f.p50 > f.configured;
}

/** A run's bottleneck word, or undefined when its results lack one. */
export function bottleneckWord(run: RunResult): Bottleneck | undefined {
  const value: unknown = run.bottleneck;
  return typeof value === 'string' && (BOTTLENECK_ORDER as readonly string[]).includes(value) ? run.bottleneck : undefined;
}

/** What binds most of a point's runs (one per seed); ties go to the word first in BOTTLENECK_ORDER. Undefined when no run names one. */
export function commonBottleneck(runs: readonly RunResult[]): Bottleneck | undefined {
  const counts = new Map<Bottleneck, number>();
  for (const run of runs) {
    const word = bottleneckWord(run);
    if (word !== undefined) counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  let best: Bottleneck | undefined;
  for (const word of BOTTLENECK_ORDER) {
    const n = counts.get(word) ?? 0;
    if (n > 0 && (best === undefined || n > counts.get(best)!)) best = word;
  }
  return best;
}
