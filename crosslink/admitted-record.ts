/**
 * What an inbox remembers of the batches it admitted, to tell a late copy of
 * one (a redelivery, a Byzantine replay) from a forgery by its proof: for
 * each source shard, the source slot and receipts root of the newest batch
 * admitted from it. An older admission is forgotten: the inbox refuses a
 * copy of it unverified, as it refuses a batch that no final block announced
 * ('not-committed').
 *
 * Sized by the shard count, not the run's length, and allocated whole at the
 * start: 36 bytes per source shard, 36 KB per destination and 38 MB over all
 * 1,024 destinations of a 1,024-shard run, so a long run's memory is its
 * first slots' (bench/long-run-memory.ts). Keeping the header of every
 * admitted batch cost about 8 MB a slot at that size. A checkpoint carries
 * only the sources admitted from.
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
 * least two checkpoint intervals (transports/redis/shard-host.ts). What does come later
 * than that is refused unverified: never admitted twice, never counted a
 * harmless duplicate without its proof checked.
 */

import { CheckpointError } from './common/errors.js';
import { HASH_BYTES, type Hash } from './hash.js';

/** The record as plain data (part of an inbox's, so of a shard's, checkpoint): the sources admitted from, ascending. */
export interface AdmittedRecordSnapshot {
  readonly sources: Int32Array;
  /** Per listed source, the source slot of its newest admitted batch and that batch's receipts root. */
  readonly slots: Int32Array;
  readonly roots: Uint8Array;
}

export class AdmittedRecord {
  /** Per source shard: the slot of its newest admitted batch (-1: none), and that batch's receipts root. */
  private readonly slots: Int32Array;
  private readonly roots: Uint8Array;
  private count = 0;

  constructor(readonly shardCount: number) {
    this.slots = new Int32Array(shardCount).fill(-1);
    this.roots = new Uint8Array(shardCount * HASH_BYTES);
  }

  /** Records the admission of `src`'s batch of `slot` (once per pair), proven against `receiptsRoot`. */
  add(src: number, slot: number, receiptsRoot: Hash): void {
    const newest = this.slots[src]!;
    // A batch older than the newest admitted (a delayed one) is forgotten at once.
    if (newest > slot) return;
    if (newest < 0) this.count++;
    this.slots[src] = slot;
    this.roots.set(receiptsRoot, src * HASH_BYTES);
  }

  /**
   * The receipts root `src`'s admitted batch of `slot` proved against (a view,
   * valid until the next `add`), or undefined: not admitted, or forgotten.
   */
  rootOf(src: number, slot: number): Hash | undefined {
    if (slot < 0 || this.slots[src] !== slot) return undefined;
    return this.roots.subarray(src * HASH_BYTES, (src + 1) * HASH_BYTES);
  }

  /** Source shards admitted from: the record's use, which the shard count bounds. */
  get sources(): number {
    return this.count;
  }

  /** A copy of the rows in use. */
  snapshot(): AdmittedRecordSnapshot {
    const sources = new Int32Array(this.count);
    const slots = new Int32Array(this.count);
    const roots = new Uint8Array(this.count * HASH_BYTES);
    for (let src = 0, i = 0; src < this.shardCount; src++) {
      if (this.slots[src]! < 0) continue;
      sources[i] = src;
      slots[i] = this.slots[src]!;
      roots.set(this.roots.subarray(src * HASH_BYTES, (src + 1) * HASH_BYTES), i * HASH_BYTES);
      i++;
    }
    return { sources, slots, roots };
  }

  restore(s: AdmittedRecordSnapshot): void {
    this.slots.fill(-1);
    this.count = 0;
    for (let i = 0; i < s.sources.length; i++) {
      const src = s.sources[i]!;
      if (!(src >= 0 && src < this.shardCount)) throw new CheckpointError(`admitted record names source shard ${src} of a ${this.shardCount}-shard run`);
      this.add(src, s.slots[i]!, s.roots.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES));
    }
  }
}
