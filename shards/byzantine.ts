/**
 * What a Byzantine shard sends beside its honest batches: forgeries of each
 * kind the fault plan names. Honest destinations must reject every one (the
 * inbox's proof and finality checks); the forger's own state stays honest,
 * so supply conservation still holds for honest state.
 *  - inflate:     the honest batch with an amount multiplied (breaks the proof)
 *  - absent:      the honest batch with an extra receipt the committed root lacks
 *  - replay:      a batch this shard sent earlier to the same destination, again
 *  - unfinalized: receipts claiming the next, not yet finalized, block
 *  - bad-header:  receipts with a proof that is consistent, but against a receipts
 *                 root other than the crosslinked header's (an equivocating header)
 */
import { type ReceiptBatch, sealBatches } from '../crosslink/batch.js';
import type { FaultPlan, ForgeryKind } from '../crosslink/fault-plan.js';
import type { Receipt } from '../crosslink/receipt.js';

export interface ForgerSnapshot {
  readonly sentBefore: Map<number, ReceiptBatch>;
  readonly forged: Record<ForgeryKind, number>;
}

export class Forger {
  private sentBefore = new Map<number, ReceiptBatch>();
  forged: Record<ForgeryKind, number> = { inflate: 0, absent: 0, replay: 0, unfinalized: 0, 'bad-header': 0 };

  constructor(
    private readonly shard: number,
    private readonly plan: FaultPlan,
  ) {}

  /** Forgeries to send with this slot's honest batches (counted by batch). */
  forge(slot: number, honest: readonly ReceiptBatch[]): ReceiptBatch[] {
    const out: ReceiptBatch[] = [];
    for (const b of honest) {
      const kind = this.plan.forgery(this.shard, slot, b.dstShard);
      const earlier = this.sentBefore.get(b.dstShard);
      this.sentBefore.set(b.dstShard, b);
      if (kind === null) continue;
      const f = this.make(kind, slot, b, earlier);
      if (f === null) continue;
      this.forged[kind]++;
      out.push(f);
    }
    return out;
  }

  /** What the forger remembers, as plain data for a checkpoint. */
  snapshot(): ForgerSnapshot {
    return { sentBefore: this.sentBefore, forged: this.forged };
  }

  restore(s: ForgerSnapshot): void {
    this.sentBefore = s.sentBefore;
    this.forged = s.forged;
  }

  private make(kind: ForgeryKind, slot: number, b: ReceiptBatch, earlier: ReceiptBatch | undefined): ReceiptBatch | null {
    const inflate = (r: Receipt): Receipt => ({ ...r, amount: r.amount * 1_000 + 1 });
    switch (kind) {
      case 'inflate':
        return { ...b, receipts: b.receipts.map((r, i) => (i === 0 ? inflate(r) : r)) };
      case 'absent': {
        const last = b.receipts[b.receipts.length - 1]!;
        return { ...b, receipts: [...b.receipts, { ...last, index: last.index + 1, amount: 1_000_000 }] };
      }
      case 'replay':
        return earlier ?? null;
      case 'unfinalized':
        return { ...b, srcSlot: slot + 1, receipts: b.receipts.map((r) => ({ ...r, srcSlot: slot + 1 })) };
      case 'bad-header': {
        const fake = sealBatches(this.shard, slot, b.receipts.map(inflate));
        return fake.batches[0] ?? null;
      }
    }
  }
}
