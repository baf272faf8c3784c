/**
 * What an inbox remembers of the batches it admitted, to tell a late copy of
 * one (a redelivery, a Byzantine replay) from a forgery by its proof: for
 * each source shard, the receipts roots of the newest ROOTS_PER_SOURCE
 * batches (by source slot) admitted from it. An older admission is
 * forgotten: the inbox refuses a copy of it unverified, as it refuses a
 * batch that no final block announced ('not-committed').
 *
 * Bounded by the shard count, not the run's length: a row per source that
 * ever sent this destination a batch, ROOTS_PER_SOURCE x 36 bytes, and 4
 * bytes per shard to find the rows; at most 42 MB over all 1,024
 * destinations of a 1,024-shard run. The header of every admitted batch,
 * kept before, cost about 8 MB a slot at that size.
 *
 * Why the newest is enough: a copy is classified as a record of every
 * admission would classify it unless it arrives after a newer batch from its
 * source was admitted, and no copy a run sends does. Every transport hands a
 * destination a sender's batches in the order sent (mailbox segments by
 * source slot; a host's BullMQ queue, taken in order, and its unfinished jobs
 * first after a crash). The fault plan's duplicates travel with their
 * original. A Byzantine replay resends the batch its sender last sent this
 * destination, beside the sender's next one, which cannot be admitted before
 * it arrives. A batch re-sent by the Redis transport (at-least-once delivery,
 * a restored sender) is dropped by its id before it reaches the inbox, for at
 * least two checkpoint intervals (redis-shard-host.ts). What does come later
 * than that is refused unverified: never admitted twice, never counted a
 * harmless duplicate without its proof checked.
 */
import { HASH_BYTES, type Hash } from './hash.js';

/** Admitted batches remembered per source shard (the newest is enough: see above). */
export const ROOTS_PER_SOURCE = 1;

/** The record as plain data (part of an inbox's, so of a shard's, checkpoint). */
export interface AdmittedRecordSnapshot {
  /** Row of each source shard, or -1 (never admitted from). */
  readonly rowOf: Int32Array;
  readonly rows: number;
  /** Per row, ROOTS_PER_SOURCE source slots (-1: empty) and their receipts roots. */
  readonly slots: Int32Array;
  readonly roots: Uint8Array;
}

const K = ROOTS_PER_SOURCE;

export class AdmittedRecord {
  private rowOf: Int32Array;
  private rows = 0;
  private slots: Int32Array = new Int32Array(0);
  private roots: Uint8Array = new Uint8Array(0);

  constructor(readonly shardCount: number) {
    this.rowOf = new Int32Array(shardCount).fill(-1);
  }

  /** Records the admission of `src`'s batch of `slot` (once per pair), proven against `receiptsRoot`. */
  add(src: number, slot: number, receiptsRoot: Hash): void {
    let row = this.rowOf[src]!;
    if (row < 0) row = this.rowOf[src] = this.newRow();
    // The free place, or the oldest slot's; a batch older than all it would
    // displace (a delayed one, admitted after newer ones) is forgotten at once.
    let at = row * K;
    for (let i = row * K + 1; i < (row + 1) * K && this.slots[at]! >= 0; i++) if (this.slots[i]! < this.slots[at]!) at = i;
    if (this.slots[at]! > slot) return;
    this.slots[at] = slot;
    this.roots.set(receiptsRoot, at * HASH_BYTES);
  }

  /**
   * The receipts root `src`'s admitted batch of `slot` proved against (a view,
   * valid until the next `add`), or undefined: not admitted, or forgotten.
   */
  rootOf(src: number, slot: number): Hash | undefined {
    const row = this.rowOf[src];
    if (row === undefined || row < 0) return undefined;
    for (let i = row * K; i < (row + 1) * K; i++) {
      if (this.slots[i] === slot) return this.roots.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES);
    }
    return undefined;
  }

  /** Source shards with a row: the record's size, which the shard count bounds. */
  get sources(): number {
    return this.rows;
  }

  /** The record by reference: serialize it before the next `add`. */
  snapshot(): AdmittedRecordSnapshot {
    const { rowOf, rows, slots, roots } = this;
    return { rowOf, rows, slots, roots };
  }

  restore(s: AdmittedRecordSnapshot): void {
    if (s.rowOf.length !== this.shardCount) throw new Error(`admitted record is for ${s.rowOf.length} shards, not ${this.shardCount}`);
    this.rowOf = s.rowOf;
    this.rows = s.rows;
    this.slots = s.slots;
    this.roots = s.roots;
  }

  /** A fresh row, the arrays grown by doubling (rows are never freed: at most one per source shard). */
  private newRow(): number {
    const row = this.rows++;
    if (this.rows * K > this.slots.length) {
      const cap = Math.min(this.shardCount, Math.max(4, (this.slots.length / K) * 2));
      const slots = new Int32Array(cap * K).fill(-1);
      slots.set(this.slots);
      const roots = new Uint8Array(cap * K * HASH_BYTES);
      roots.set(this.roots);
      this.slots = slots;
      this.roots = roots;
    }
    return row;
  }
}
