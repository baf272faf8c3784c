/**
 * What injected faults (crosslink/fault-plan.ts) do to one shard: slots in
 * which it is silent, batches held back on their way to its inbox, and its
 * outgoing batches duplicated, reordered and (a byzantine shard's) joined by
 * forgeries. The shard asks here and knows nothing of the plan; without a
 * plan every answer is the honest one.
 */
import type { ReceiptBatch } from '../crosslink/batch.js';
import type { FaultPlan } from '../crosslink/fault-plan.js';
import { Forger, type ForgerSnapshot } from './byzantine.js';

export class ShardFaults {
  private readonly forger: Forger | null;
  /** Slots this shard was silent in. */
  silentSlots = 0;

  constructor(
    private readonly shard: number,
    private readonly plan: FaultPlan | null,
  ) {
    this.forger = plan?.isByzantine(shard) ? new Forger(shard, plan) : null;
  }

  /** How long a batch is held back before the inbox sees it, or undefined without a plan. */
  arrivalDelay(): ((src: number, srcSlot: number, dst: number) => number) | undefined {
    const plan = this.plan;
    return plan === null ? undefined : (src, srcSlot, dst) => plan.arrivalDelay(src, srcSlot, dst);
  }

  /** Whether the shard is silent in `slot` (it admits and executes nothing: an empty block); counted. */
  silentIn(slot: number): boolean {
    const silent = this.plan?.isSilent(this.shard, slot) === true;
    if (silent) this.silentSlots++;
    return silent;
  }

  /** The honest batches as the fault plan delivers them: duplicated, reordered, with forgeries beside. */
  outgoing(slot: number, batches: ReceiptBatch[]): ReceiptBatch[] {
    const plan = this.plan;
    if (plan === null) return batches;
    const out: ReceiptBatch[] = [];
    for (const b of batches) for (let c = plan.copies(this.shard, slot, b.dstShard); c > 0; c--) out.push(b);
    if (this.forger !== null) out.push(...this.forger.forge(slot, batches));
    const key = (b: ReceiptBatch) => plan.orderKey(this.shard, slot, b.dstShard);
    return out.sort((a, b) => key(a) - key(b));
  }

  /** The forger's memory, for a checkpoint (null: not a byzantine shard). */
  forgerSnapshot(): ForgerSnapshot | null {
    return this.forger?.snapshot() ?? null;
  }

  restore(silentSlots: number, forger: ForgerSnapshot | null): void {
    this.silentSlots = silentSlots;
    if (forger !== null) this.forger?.restore(forger);
  }

  /** Forgeries sent, by kind (none for an honest shard). */
  forged(): Record<string, number> {
    return this.forger === null ? {} : { ...this.forger.forged };
  }
}
