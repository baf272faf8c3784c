/**
 * A destination shard's inbox: holds delivered receipt batches until their
 * source block is finalized, verifies them against the crosslinked header,
 * and admits each (source shard, source slot) at most once. Delivery may be
 * at-least-once and in any order; admission is exactly-once and canonical
 * (source slot, then source shard), which is what makes results independent
 * of the transport's timing. Its memory is bounded by the shard count and the
 * batches in flight, never by the run's length (admitted-record.ts).
 *
 * Admission may be capped in bytes a slot (admitReady's byteBudget), as
 * NEAR's bandwidth scheduler caps the receipt bytes a shard receives at a
 * height (near/nearcore runtime/runtime/src/bandwidth_scheduler/scheduler.rs:
 * "Every shard receives at most `max_shard_bandwidth` bytes of receipts at
 * every height"; core/parameters/res/runtime_configs/74.yaml sets
 * max_shard_bandwidth 4_500_000, max_single_grant 4194304, max_allowance
 * 4_500_000, max_base_bandwidth 100_000). A batch is taken whole, as NEAR
 * sends a receipt whole, and the first batch of a slot always goes through,
 * as NEAR keeps a maximum-size receipt sendable whatever else is granted
 * (core/primitives/src/bandwidth_scheduler.rs, BandwidthSchedulerParams::
 * calculate: max_single_grant >= max_receipt_size, base_bandwidth =
 * (max_shard_bandwidth - max_single_grant) / (num_shards - 1)). A verified
 * batch the cap holds back keeps its place: it is admitted by a later slot
 * before anything after it in canonical order.
 */
import { AdmittedRecord, type AdmittedRecordSnapshot } from './admitted-record.js';
import { type ReceiptBatch, verifyBatch } from './batch.js';
import { deliveredBatchBytes } from './batch-bytes.js';
import { CheckpointError } from './common/errors.js';
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

// A batch key is (source slot, source shard) as one integer, slot-major, so
// keys ascend in the canonical admission order.
type BatchKey = number;

/** Everything an inbox holds, as plain data (a shard checkpoint carries it; crosslinks keep their identity). */
export interface InboxSnapshot {
  readonly shardCount: number;
  readonly stats: InboxStats;
  readonly candidates: Map<BatchKey, ReceiptBatch | ReceiptBatch[]>;
  readonly admitted: AdmittedRecordSnapshot;
  readonly awaiting: Crosslink[];
  readonly due: Map<BatchKey, number>;
  readonly finalized: number;
  /** Verified batches the byte cap held back, by key (their proofs the inbox's own). */
  readonly heldBack: Map<BatchKey, ReceiptBatch>;
  /** Bytes the last admitReady admitted. */
  readonly lastAdmittedBytes: number;
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

  /** Delivered batches not admitted yet: the one copy, or every copy once a second arrives. */
  private candidates = new Map<BatchKey, ReceiptBatch | ReceiptBatch[]>();
  /**
   * The receipts root of the newest batch admitted from each source: a later
   * copy is a duplicate only if it proves against the same root. Exactly-once
   * does not rest on it (only an awaited batch is admitted, and admitting it
   * ends the wait); telling a copy from a forgery does.
   */
  private readonly admitted: AdmittedRecord;
  /** Finalized crosslinks that announce a batch for us and are not admitted yet, in canonical (key) order. */
  private awaiting: Crosslink[] = [];
  /** Slot by which a delayed batch counts as arrived (injected delays only). */
  private due = new Map<BatchKey, number>();
  /** Newest source slot whose blocks are all final (-1: none yet). */
  private finalized = -1;
  /** Candidates whose proofs keepHeld has already copied. */
  private owned = new WeakSet<ReceiptBatch>();
  /**
   * Awaited batches already verified that the byte cap held back: the copy
   * accepted, so that it is not verified again and a later copy is counted
   * against it (a duplicate, or a forgery rejected) as before admission.
   */
  private heldBack = new Map<BatchKey, ReceiptBatch>();
  private lastBytes = 0;

  constructor(
    readonly self: number,
    private readonly shardCount: number,
    /** Injected delivery delays (fault-plan.ts): extra slots before a batch counts as arrived. */
    private readonly delayOf: (src: number, srcSlot: number, dst: number) => number = () => 0,
    /**
     * The first slot whose block may admit the batch a crosslink announces, for its transit over the network
     * (shards/consensus/slot-agreement.ts batchDueSlot); none: it is here once its block is final.
     */
    private readonly transitDueOf: ((cl: Crosslink) => number) | null = null,
    /** A verified batch's bytes against the receipt byte cap, given the header that announced it (the protocol sizes its messages). */
    private readonly bytesOf: (batch: ReceiptBatch, header: BlockHeader) => number = deliveredBatchBytes,
  ) {
    this.admitted = new AdmittedRecord(shardCount);
  }

  /** Newest source slot whose blocks are all final (-1: none yet); a batch of a later slot can only wait. */
  get finalizedSlot(): number {
    return this.finalized;
  }

  private keyOf(cl: Crosslink): BatchKey {
    return cl.header.slot * this.shardCount + cl.header.shard;
  }

  /** Takes a delivered batch (possibly a duplicate, possibly forged). */
  deliver(batch: ReceiptBatch): void {
    const src = batch.srcShard;
    const slot = batch.srcSlot;
    if (!Number.isInteger(src) || src < 0 || src >= this.shardCount || !Number.isInteger(slot) || slot < 0) {
      this.reject(batch, 'wrong-source');
      return;
    }
    const receiptsRoot = this.admitted.rootOf(src, slot);
    if (receiptsRoot !== undefined) {
      // A copy of a remembered admission: a valid one is a duplicate, anything else a forgery.
      const verdict = verifyBatch(batch, { shard: src, slot, receiptsRoot }, this.self);
      if (verdict.ok) this.stats.duplicateBatches++;
      else this.reject(batch, verdict.reason);
      return;
    }
    const key = slot * this.shardCount + src;
    if (slot <= this.finalized && !this.isAwaited(key)) {
      // Its source block is final and announced nothing for us, or its batch was
      // admitted so long ago that the record has forgotten it: no honest copy
      // comes that late (admitted-record.ts), and it cannot be verified any more.
      this.reject(batch, 'not-committed');
      return;
    }
    const held = this.candidates.get(key);
    if (held === undefined) this.candidates.set(key, batch);
    else if (Array.isArray(held)) held.push(batch);
    else this.candidates.set(key, [held, batch]);
  }

  /**
   * Records that every block of `finalizedSlot` is final, `crosslinks` being
   * those that sent us a batch (any order; kept canonical), at slot `now`.
   * Candidates from final blocks that announced nothing for us are forgeries.
   */
  addCrosslinks(finalizedSlot: number, crosslinks: readonly Crosslink[], now = 0): void {
    if (finalizedSlot > this.finalized) this.finalized = finalizedSlot;
    const awaiting = this.awaiting;
    let sorted = true;
    for (const cl of crosslinks) {
      const key = this.keyOf(cl);
      if (awaiting.length > 0 && this.keyOf(awaiting[awaiting.length - 1]!) >= key) sorted = false;
      awaiting.push(cl);
      const delay = this.delayOf(cl.header.shard, cl.header.slot, this.self);
      // Whichever comes later: an injected delay from now, or the batch's arrival over the network.
      const due = Math.max(delay > 0 ? now + delay : 0, this.transitDueOf === null ? 0 : this.transitDueOf(cl));
      if (due > now) this.due.set(key, due);
    }
    if (!sorted) awaiting.sort((a, b) => this.keyOf(a) - this.keyOf(b));
    for (const [key, held] of this.candidates) {
      if (Math.floor(key / this.shardCount) > this.finalized || this.isAwaited(key)) continue;
      if (Array.isArray(held)) for (const b of held) this.reject(b, 'not-committed');
      else this.reject(held, 'not-committed');
      this.candidates.delete(key);
    }
  }

  /** Every batch announced and not admitted yet: not arrived, delayed, or here and held back by the byte cap. */
  unadmitted(): Crosslink[] {
    return this.awaiting.slice();
  }

  /**
   * Batches announced and not admitted, but for those here and held back by
   * the byte cap; with `now`, only those due by then (a transport waits for these).
   */
  awaited(now = Number.POSITIVE_INFINITY): Crosslink[] {
    if (this.due.size === 0 && this.heldBack.size === 0) return this.awaiting.slice();
    return this.awaiting.filter((cl) => {
      const key = this.keyOf(cl);
      return (this.due.get(key) ?? 0) <= now && !this.heldBack.has(key);
    });
  }

  /**
   * Admits every awaited batch that has a candidate proving against its
   * header, in canonical order, and returns their receipts in that order.
   * Candidates that fail are rejected and counted; a batch with no valid
   * candidate stays awaited (an honest copy may still arrive).
   *
   * With a `byteBudget`, admission stops at the first verified batch whose
   * bytes (batch-bytes.ts) would take the call past it, the call's first
   * batch excepted (admitted whatever its size, so every call with a batch
   * ready makes progress). That batch and every verified one after it stay
   * awaited, their accepted copy kept, for a later call. Every candidate
   * ready is still verified now, so rejections and duplicates are counted
   * when they would be without a cap.
   *
   * `onBatch` sees each admitted batch with the header that announced it, in
   * order, before its receipts join the result (what a block applying them
   * carries depends on the batch: shards/delayed-receipts.ts).
   */
  admitReady(now = Number.POSITIVE_INFINITY, byteBudget = Number.POSITIVE_INFINITY, onBatch?: (batch: ReceiptBatch, header: BlockHeader) => void): Receipt[] {
    if (!(byteBudget >= 0)) throw new RangeError(`byte budget ${byteBudget}: not a number of bytes`);
    const out: Receipt[] = [];
    const still: Crosslink[] = [];
    let spent = 0;
    let admittedHere = 0;
    let full = false;
    for (const cl of this.awaiting) {
      const key = this.keyOf(cl);
      if (this.due.size > 0 && (this.due.get(key) ?? 0) > now) {
        still.push(cl); // delayed in transit: not here yet, whatever the transport did
        continue;
      }
      const held = this.candidates.get(key);
      let accepted: ReceiptBatch | undefined = this.heldBack.size > 0 ? this.heldBack.get(key) : undefined;
      if (held !== undefined) {
        const copies = Array.isArray(held) ? held.length : 1;
        for (let i = 0; i < copies; i++) {
          const b = Array.isArray(held) ? held[i]! : held;
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
      const bytes = this.bytesOf(accepted, cl.header);
      if (full || (admittedHere > 0 && spent + bytes > byteBudget)) {
        // Held back by the cap: and so is everything after it, so that it goes before them.
        full = true;
        // Its own proof: the transport may reuse the buffer it came in after this slot.
        if (!this.heldBack.has(key)) this.heldBack.set(key, this.own(accepted));
        still.push(cl);
        continue;
      }
      this.heldBack.delete(key);
      this.admitted.add(cl.header.shard, cl.header.slot, cl.header.receiptsRoot);
      this.due.delete(key);
      this.stats.admittedBatches++;
      this.stats.admittedReceipts += accepted.receipts.length;
      onBatch?.(accepted, cl.header);
      for (const r of accepted.receipts) out.push(r);
      spent += bytes;
      admittedHere++;
    }
    this.awaiting = still;
    this.lastBytes = spent;
    return out;
  }

  /** Bytes (batch-bytes.ts) of the batches the last admitReady admitted. */
  get lastAdmittedBytes(): number {
    return this.lastBytes;
  }

  /** Verified batches the byte cap holds back (the backlog), by count. */
  get heldBackBatches(): number {
    return this.heldBack.size;
  }

  /** Receipts in the batches the byte cap holds back. */
  get heldBackReceipts(): number {
    let n = 0;
    for (const b of this.heldBack.values()) n += b.receipts.length;
    return n;
  }

  /** Bytes (batch-bytes.ts) of the batches the byte cap holds back. */
  get heldBackBytes(): number {
    let n = 0;
    for (const b of this.heldBack.values()) n += deliveredBatchBytes(b);
    return n;
  }

  /**
   * Copies the proofs of the batches still held out of the buffers they were
   * delivered in: a transport may reuse those once the slot's admission is
   * done (batch-mailbox.ts). Normally nothing is left by then; a silent slot,
   * a delayed delivery or a batch not final yet leaves some.
   */
  keepHeld(): void {
    for (const [key, held] of this.candidates) {
      if (Array.isArray(held)) for (let i = 0; i < held.length; i++) held[i] = this.own(held[i]!);
      else this.candidates.set(key, this.own(held));
    }
  }

  /** `b` with a proof of its own (`b` itself once it has one). */
  private own(b: ReceiptBatch): ReceiptBatch {
    if (this.owned.has(b)) return b;
    const copy = { ...b, proof: b.proof.slice() };
    this.owned.add(copy);
    return copy;
  }

  /** The inbox's whole state, by reference: serialize it before the next slot changes it. */
  snapshot(): InboxSnapshot {
    const { shardCount, stats, candidates, awaiting, due, finalized, heldBack } = this;
    return { shardCount, stats, candidates, admitted: this.admitted.snapshot(), awaiting, due, finalized, heldBack, lastAdmittedBytes: this.lastBytes };
  }

  /** Takes over a snapshot's state (of an inbox of the same shard and shard count). */
  restore(s: InboxSnapshot): void {
    if (s.shardCount !== this.shardCount) throw new CheckpointError(`inbox snapshot is for ${s.shardCount} shards, not ${this.shardCount}`);
    if (!(s.heldBack instanceof Map) || typeof s.lastAdmittedBytes !== 'number')
      throw new CheckpointError('inbox snapshot lacks the batches its byte cap held back (taken before the cap existed?)');
    this.stats = s.stats;
    this.candidates = s.candidates;
    this.admitted.restore(s.admitted);
    this.awaiting = s.awaiting;
    this.due = s.due;
    this.finalized = s.finalized;
    this.heldBack = s.heldBack;
    this.lastBytes = s.lastAdmittedBytes;
  }

  /**
   * What the inbox holds beyond the batches in flight: source shards it
   * remembers admissions from (at most the shard count, whatever the run's length).
   */
  get rememberedSources(): number {
    return this.admitted.sources;
  }

  /** Whether a finalized header announced batch `key` and it is not admitted yet (awaiting is in key order). */
  private isAwaited(key: BatchKey): boolean {
    const a = this.awaiting;
    let lo = 0;
    let hi = a.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.keyOf(a[mid]!) < key) lo = mid + 1;
      else hi = mid;
    }
    return lo < a.length && this.keyOf(a[lo]!) === key;
  }

  private reject(batch: ReceiptBatch, reason: RejectReason): void {
    this.stats.rejectedBatches++;
    this.stats.rejectedReceipts += batch.receipts.length;
    this.stats.rejectedByReason[reason]++;
  }
}
