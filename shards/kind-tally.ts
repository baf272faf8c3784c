/**
 * A shard's count of the transactions submitted in the measured window that
 * complete on it, by workload kind (kind-of.ts): completed, and of those the
 * failures. Its record form (keys sorted, as results enter digests) is both
 * what the summary carries and what a checkpoint keeps.
 */
import type { KindOutcomes } from '../crosslink/transport.js';

export class KindTally {
  private counts = new Map<string, { completed: number; failed: number }>();

  add(kind: string, failed: boolean): void {
    let c = this.counts.get(kind);
    if (c === undefined) this.counts.set(kind, (c = { completed: 0, failed: 0 }));
    c.completed++;
    if (failed) c.failed++;
  }

  /** The counts as a fresh record, keys sorted. */
  toRecord(): Record<string, KindOutcomes> {
    const out: Record<string, KindOutcomes> = {};
    for (const k of [...this.counts.keys()].sort()) out[k] = { ...this.counts.get(k)! };
    return out;
  }

  /** Replaces the counts with a record's (restoring a checkpoint). */
  reset(record: Readonly<Record<string, KindOutcomes>>): void {
    this.counts = new Map(Object.entries(record).map(([k, v]) => [k, { completed: v.completed, failed: v.failed }]));
  }
}
