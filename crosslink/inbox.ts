/**
 * A destination shard's inbox: holds delivered receipt batches until their
 * source block is finalized, verifies them against the crosslinked header,
 * and admits each (source shard, source slot) at most once. Delivery may be
 * at-least-once and in any order; admission is exactly-once and canonical
 * (source slot, then source shard), which is what makes results independent
 * of the transport's timing.
 */
import { type ReceiptBatch, verifyBatch } from './batch.js';
import type { BlockHeader, Crosslink } from './header.js';
import type { Receipt } from './receipt.js';

export type RejectReason = 'wrong-source' | 'wrong-destination' | 'malformed' | 'bad-proof' | 'not-committed';

export interface InboxStats {
  admittedBatches: number;
  admittedReceipts: number;
  /** Re-deliveries of an already admitted batch: dropped, never applied twice. */
  duplicateBatches: number;
  rejectedBatches: number;
  rejectedReceipts: number;
  rejectedByReason: Record<RejectReason, number>;
}

/** A batch the beacon says exists but that has not been admitted yet. */
export interface AwaitedBatch {
  readonly srcShard: number;
  readonly srcSlot: number;
  readonly count: number;
  readonly value: number;
}

// A batch key is (source shard, source slot) in one safe integer; slots stay below 2^21
// (24 simulated days of 1-second slots), which the schema's slot limits guarantee.
const SLOT_SPAN = 0x20_0000;
const batchKey = (shard: number, slot: number): number => shard * SLOT_SPAN + slot;

/** Everything an inbox holds, as plain data (a shard checkpoint carries it; crosslinks keep their identity). */
export interface InboxSnapshot {
  readonly stats: InboxStats;
  readonly candidates: Map<number, ReceiptBatch[]>;
  readonly admitted: Map<number, BlockHeader>;
  readonly awaiting: Crosslink[];
  readonly due: Map<Crosslink, number>;
  readonly finalizedUpTo: Int32Array;
}

export class Inbox {
  stats: InboxStats = {
    admittedBatches: 0,
    admittedReceipts: 0,
    duplicateBatches: 0,
    rejectedBatches: 0,
    rejectedReceipts: 0,
    rejectedByReason: {
      'wrong-source': 0,
      'wrong-destination': 0,
      malformed: 0,
      'bad-proof': 0,
      'not-committed': 0,
    },
  };

  private candidates = new Map<number, ReceiptBatch[]>();
  /** Admitted batches' headers: a later copy is a duplicate only if it proves against the same header. */
  private admitted = new Map<number, BlockHeader>();
  /** Finalized crosslinks that announce a batch for us, in canonical order, with the slot each is due. */
  private awaiting: Crosslink[] = [];
  private due = new Map<Crosslink, number>();
  /** Highest finalized slot per source shard (-1: none yet). */
  private finalizedUpTo: Int32Array;

  constructor(
    readonly self: number,
    shardCount: number,
    /** Injected delivery delays (fault-plan.ts): extra slots before a batch counts as arrived. */
    private readonly delayOf: (src: number, srcSlot: number, dst: number) => number = () => 0,
  ) {
    this.finalizedUpTo = new Int32Array(shardCount).fill(-1);
  }

  /** Takes a delivered batch (possibly a duplicate, possibly forged). */
  deliver(batch: ReceiptBatch): void {
    const key = batchKey(batch.srcShard, batch.srcSlot);
    const admittedHeader = this.admitted.get(key);
    if (admittedHeader !== undefined) {
      // Classified the same whenever it arrives: a valid copy is a duplicate, anything else a forgery.
      const verdict = verifyBatch(batch, admittedHeader, this.self);
      if (verdict.ok) this.stats.duplicateBatches++;
      else this.reject(batch, verdict.reason);
      return;
    }
    const src = batch.srcShard;
    const known = src >= 0 && src < this.finalizedUpTo.length;
    if (!known) {
      this.reject(batch, 'wrong-source');
      return;
    }
    if (batch.srcSlot <= this.finalizedUpTo[src]! && !this.isAwaited(src, batch.srcSlot)) {
      // Its source block is final and announced nothing for us.
      this.reject(batch, 'not-committed');
      return;
    }
    let list = this.candidates.get(key);
    if (list === undefined) this.candidates.set(key, (list = []));
    list.push(batch);
  }

  /** Records crosslinks finalized at slot `now` (any order; kept canonical). */
  addCrosslinks(crosslinks: readonly Crosslink[], now = 0): void {
    for (const cl of crosslinks) {
      const { shard, slot } = cl.header;
      if (slot > this.finalizedUpTo[shard]!) this.finalizedUpTo[shard] = slot;
      if (cl.inbound !== null) {
        this.awaiting.push(cl);
        const delay = this.delayOf(shard, slot, this.self);
        if (delay > 0) this.due.set(cl, now + delay);
      } else {
        const key = batchKey(shard, slot);
        const forged = this.candidates.get(key);
        if (forged !== undefined) {
          for (const b of forged) this.reject(b, 'not-committed');
          this.candidates.delete(key);
        }
      }
    }
    this.awaiting.sort((a, b) => a.header.slot - b.header.slot || a.header.shard - b.header.shard);
  }

  /** Batches announced and not admitted; with `now`, only those due by then (a transport waits for these). */
  awaited(now = Number.POSITIVE_INFINITY): AwaitedBatch[] {
    return this.awaiting.filter((cl) => (this.due.get(cl) ?? 0) <= now).map((cl) => ({
      srcShard: cl.header.shard,
      srcSlot: cl.header.slot,
      count: cl.inbound!.count,
      value: cl.inbound!.value,
    }));
  }

  /**
   * Admits every awaited batch that has a candidate proving against its
   * header, in canonical order, and returns their receipts in that order.
   * Candidates that fail are rejected and counted; a batch with no valid
   * candidate stays awaited (an honest copy may still arrive).
   */
  admitReady(now = Number.POSITIVE_INFINITY): Receipt[] {
    const out: Receipt[] = [];
    const still: Crosslink[] = [];
    for (const cl of this.awaiting) {
      if ((this.due.get(cl) ?? 0) > now) {
        still.push(cl); // delayed in transit: not here yet, whatever the transport did
        continue;
      }
      const key = batchKey(cl.header.shard, cl.header.slot);
      const list = this.candidates.get(key);
      let accepted: ReceiptBatch | undefined;
      if (list !== undefined) {
        for (const b of list) {
          const verdict = verifyBatch(b, cl.header, this.self);
          if (!verdict.ok) this.reject(b, verdict.reason);
          else if (accepted === undefined) accepted = b;
          else this.stats.duplicateBatches++; // a second valid copy: redelivery
        }
        this.candidates.delete(key);
      }
      if (accepted === undefined) {
        still.push(cl);
        continue;
      }
      this.admitted.set(key, cl.header);
      this.due.delete(cl);
      this.stats.admittedBatches++;
      this.stats.admittedReceipts += accepted.receipts.length;
      for (const r of accepted.receipts) out.push(r);
    }
    this.awaiting = still;
    return out;
  }

  /** The inbox's whole state, by reference: serialize it before the next slot changes it. */
  snapshot(): InboxSnapshot {
    const { stats, candidates, admitted, awaiting, due, finalizedUpTo } = this;
    return { stats, candidates, admitted, awaiting, due, finalizedUpTo };
  }

  /** Takes over a snapshot's state (of an inbox of the same shard and shard count). */
  restore(s: InboxSnapshot): void {
    if (s.finalizedUpTo.length !== this.finalizedUpTo.length) throw new Error(`inbox snapshot is for ${s.finalizedUpTo.length} shards, not ${this.finalizedUpTo.length}`);
    this.stats = s.stats;
    this.candidates = s.candidates;
    this.admitted = s.admitted;
    this.awaiting = s.awaiting;
    this.due = s.due;
    this.finalizedUpTo = s.finalizedUpTo;
  }

  private isAwaited(src: number, slot: number): boolean {
    return this.awaiting.some((cl) => cl.header.shard === src && cl.header.slot === slot);
  }

  private reject(batch: ReceiptBatch, reason: RejectReason): void {
    this.stats.rejectedBatches++;
    this.stats.rejectedReceipts += batch.receipts.length;
    this.stats.rejectedByReason[reason]++;
  }
}
