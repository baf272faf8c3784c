/**
 * Injected faults, decided by hashing (seed, shard, slot, destination): the
 * same plan on every process and transport, so a faulty run is as
 * reproducible as a clean one. Delivery faults (delay, duplication,
 * reordering) and silent shards test that the protocol loses nothing;
 * Byzantine shards forge receipts that honest destinations must reject.
 */
import { mix32 } from './common/mix32.js';

export type ForgeryKind = 'inflate' | 'absent' | 'replay' | 'unfinalized' | 'bad-header';
export const FORGERY_KINDS: readonly ForgeryKind[] = ['inflate', 'absent', 'replay', 'unfinalized', 'bad-header'];

export interface FaultSettings {
  readonly seed: number;
  /** Slots a run lasts and the beacon's finality delay (forgeries must fall inside the run). */
  readonly totalSlots: number;
  readonly finalityDelaySlots: number;
  /** Shards that produce empty blocks and admit nothing for a while (their mempools still fill). */
  readonly silent: ReadonlyArray<{ readonly shard: number; readonly fromSlot: number; readonly slots: number }>;
  /** Share of batches held back, and by how many slots (uniform in [min, max]). */
  readonly delay: { readonly ratio: number; readonly minSlots: number; readonly maxSlots: number };
  /** Share of batches delivered twice. */
  readonly duplicateRatio: number;
  /** Send each block's batches in a shuffled order. */
  readonly reorder: boolean;
  readonly byzantine: { readonly shards: readonly number[]; readonly ratio: number; readonly kinds: readonly ForgeryKind[] };
}

const unit = (h: number): number => h / 0x1_0000_0000;

export class FaultPlan {
  private readonly byzantine: Set<number>;

  constructor(readonly s: FaultSettings) {
    this.byzantine = new Set(s.byzantine.shards);
  }

  private h(tag: number, a: number, b: number, c: number): number {
    return mix32(mix32(mix32(mix32(this.s.seed ^ tag) ^ a) ^ Math.imul(b, 0x9e37_79b1)) ^ Math.imul(c, 0x85eb_ca6b));
  }

  isSilent(shard: number, slot: number): boolean {
    return this.s.silent.some((x) => x.shard === shard && slot >= x.fromSlot && slot < x.fromSlot + x.slots);
  }

  /** Extra slots, after finality, before the batch (src, srcSlot) -> dst reaches its destination. */
  arrivalDelay(src: number, srcSlot: number, dst: number): number {
    const d = this.s.delay;
    if (d.ratio === 0 || unit(this.h(1, src, srcSlot, dst)) >= d.ratio) return 0;
    return d.minSlots + (this.h(2, src, srcSlot, dst) % (d.maxSlots - d.minSlots + 1));
  }

  /** How many copies of the batch (src, srcSlot) -> dst are delivered. */
  copies(src: number, srcSlot: number, dst: number): number {
    return this.s.duplicateRatio > 0 && unit(this.h(3, src, srcSlot, dst)) < this.s.duplicateRatio ? 2 : 1;
  }

  /** A seeded shuffle key for the send order of a block's batches. */
  orderKey(src: number, srcSlot: number, dst: number): number {
    return this.s.reorder ? this.h(4, src, srcSlot, dst) : dst;
  }

  isByzantine(shard: number): boolean {
    return this.byzantine.has(shard);
  }

  /** The forgery a Byzantine shard adds beside its batch to `dst` at `slot`, if any. */
  forgery(src: number, slot: number, dst: number): ForgeryKind | null {
    const b = this.s.byzantine;
    if (!this.byzantine.has(src) || b.kinds.length === 0 || unit(this.h(5, src, slot, dst)) >= b.ratio) return null;
    const kind = b.kinds[this.h(6, src, slot, dst) % b.kinds.length]!;
    // A claim about a future block must be settled (finalized) before the run ends.
    if (kind === 'unfinalized' && slot + 1 + this.s.finalityDelaySlots >= this.s.totalSlots) return null;
    return kind;
  }
}
