/**
 * Receipt batches on their way to the shards of one thread, held encoded
 * (thread-wire.ts) until their source block is final. A batch cannot be
 * admitted before then, and an object graph that waits a slot or more
 * outlives the young generation: at 1,024 shards a slot's million batches,
 * their receipts, receipt arrays and proof views were promoted and marked
 * again and again, most of a run's garbage-collection time. Held as the
 * sending block's one message (numbers and proof bytes in two buffers, out of
 * the collector's way), a batch becomes objects only when its destination
 * can take it, and those die young.
 */
import type { ReceiptBatch } from './batch.js';
import { batchDstAt, batchPositions, batchSrcSlotAt, decodeBatchAt, encodeBatches, type Wire } from './thread-wire.js';

/**
 * Where each held batch lies (its message, its first number and proof byte)
 * and its source slot, kept here so that a batch not final yet is passed
 * over without touching its message: at 1,024 shards a destination holds
 * some three thousand, each in another sender's message (no difference
 * measurable in the bench's noise, but two thirds of those reads gone).
 */
interface Held {
  wires: Wire[];
  nums: number[];
  bytes: number[];
  slots: number[];
}

export class BatchMailboxes {
  private readonly boxes = new Map<number, Held>();

  /** Mailboxes for these destination shards; batches for any other shard are dropped (there is nobody to deliver to). */
  constructor(shards: Iterable<number>) {
    for (const s of shards) this.boxes.set(s, { wires: [], nums: [], bytes: [], slots: [] });
  }

  /** Holds batches (one block's, or a test's injected ones), encoded together in one message. */
  post(batches: readonly ReceiptBatch[]): void {
    if (batches.length > 0) this.postWire(encodeBatches(batches));
  }

  /** Holds every batch of an encoded message (a peer thread's round) for its destination. */
  postWire(w: Wire): void {
    const at = batchPositions(w);
    for (let k = 0; k < at.nums.length; k++) {
      const box = this.boxes.get(batchDstAt(w, at.nums[k]!));
      if (box === undefined) continue;
      box.wires.push(w);
      box.nums.push(at.nums[k]!);
      box.bytes.push(at.bytes[k]!);
      box.slots.push(batchSrcSlotAt(w, at.nums[k]!));
    }
  }

  /**
   * Decodes and lets go of `shard`'s batches whose source slot is at most
   * `finalized`, in arrival order; the rest stay held. A batch naming no
   * valid slot goes out at once, to be rejected where it would have been.
   */
  take(shard: number, finalized: number): ReceiptBatch[] {
    const box = this.boxes.get(shard);
    if (box === undefined) return [];
    const out: ReceiptBatch[] = [];
    let kept = 0;
    for (let k = 0; k < box.wires.length; k++) {
      const slot = box.slots[k]!;
      if (Number.isInteger(slot) && slot > finalized) {
        box.wires[kept] = box.wires[k]!;
        box.nums[kept] = box.nums[k]!;
        box.bytes[kept] = box.bytes[k]!;
        box.slots[kept++] = slot;
      } else {
        out.push(decodeBatchAt(box.wires[k]!, box.nums[k]!, box.bytes[k]!));
      }
    }
    box.wires.length = kept;
    box.nums.length = kept;
    box.bytes.length = kept;
    box.slots.length = kept;
    return out;
  }
}
