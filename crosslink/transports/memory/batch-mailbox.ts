/**
 * Receipt batches on their way to the shards of one thread, held encoded
 * until their source block is final. A batch cannot be admitted before then,
 * and an object graph that waits a slot or more outlives the young
 * generation: at 1,024 shards a slot's million batches, their receipts and
 * proofs were promoted and marked again and again. Held as numbers and
 * bytes (the batch layout of wire/receipts.ts), a batch becomes objects only when
 * its destination can take it, and those die young.
 *
 * Each destination keeps its batches in segments, one per source slot,
 * written as they arrive (by the sending shard, or copied out of a peer
 * thread's message while it is fresh) and reused once taken. So a
 * destination reads its batches back to back, not scattered over a thousand
 * senders' messages, and a slot allocates no new buffers: at 1,024 shards
 * the messages were half a gigabyte of fresh memory a slot.
 */
import type { ReceiptBatch } from '../../batch.js';
import {
  batchCount,
  batchNums,
  encodedBatchNums,
  encodedDst,
  encodedProofBytes,
  encodedSrcSlot,
  readBatch,
  type Wire,
  writeBatch,
} from '../../wire/thread-wire.js';

/** A destination's batches of one source slot, encoded back to back. */
class Segment {
  f: Float64Array;
  b: Uint8Array;
  nums = 0;
  bytes = 0;
  /** The source slot of its batches; -1 for batches naming no valid slot (they go out at the next take). */
  slot = 0;

  constructor(nums: number, bytes: number) {
    this.f = new Float64Array(nums);
    this.b = new Uint8Array(bytes);
  }

  /** Room for `nums` more numbers and `bytes` more proof bytes. */
  reserve(nums: number, bytes: number): void {
    if (this.nums + nums > this.f.length) {
      const f = new Float64Array(Math.max(this.f.length * 2, this.nums + nums));
      f.set(this.f.subarray(0, this.nums));
      this.f = f;
    }
    if (this.bytes + bytes > this.b.length) {
      const b = new Uint8Array(Math.max(this.b.length * 2, this.bytes + bytes));
      b.set(this.b.subarray(0, this.bytes));
      this.b = b;
    }
  }
}

/** A batch naming no valid source slot is held under this one, so the next take lets it go (to be rejected). */
const slotKey = (slot: number): number => (Number.isInteger(slot) && slot >= 0 ? slot : -1);

export class BatchMailboxes {
  /** Segments by destination shard, in the order their slots first arrived; undefined for a shard not hosted here. */
  private readonly boxes: Array<Segment[] | undefined> = [];
  /** Taken segments, ready for reuse. */
  private readonly free: Segment[] = [];
  /**
   * The size a new segment starts at: about the largest taken lately (decaying),
   * so that a network's segments are cut to its batches' size once and not
   * doubled up to it, a copy each time (at 1,024 shards, a slot's new segments
   * are half a gigabyte).
   */
  private hintNums = 256;
  private hintBytes = 2_048;

  /** Mailboxes for these destination shards; batches for any other shard are dropped (there is nobody to deliver to). */
  constructor(shards: Iterable<number>) {
    for (const s of shards) this.boxes[s] = [];
  }

  /** Holds batches (one block's, or a test's injected ones). */
  post(batches: readonly ReceiptBatch[]): void {
    for (const b of batches) {
      const nums = batchNums(b);
      const seg = this.segmentWithRoom(b.dstShard, b.srcSlot, nums, b.proof.length);
      if (seg === undefined) continue;
      writeBatch(seg.f, seg.nums, seg.b, seg.bytes, b);
      seg.nums += nums;
      seg.bytes += b.proof.length;
    }
  }

  /** Holds every batch of an encoded message (a peer thread's round) for its destination, copied out of it. */
  postWire(w: Wire): void {
    const { f, b } = w;
    for (let k = 0, i = 1, h = 0, count = batchCount(w); k < count; k++) {
      const nums = encodedBatchNums(f, i);
      const bytes = encodedProofBytes(f, i);
      const seg = this.segmentWithRoom(encodedDst(f, i), encodedSrcSlot(f, i), nums, bytes);
      if (seg !== undefined) {
        seg.f.set(f.subarray(i, i + nums), seg.nums);
        seg.b.set(b.subarray(h, h + bytes), seg.bytes);
        seg.nums += nums;
        seg.bytes += bytes;
      }
      i += nums;
      h += bytes;
    }
  }

  /**
   * Decodes and lets go of `shard`'s batches whose source slot is at most
   * `finalized` (slot by slot, in arrival order within one); the rest stay
   * held. A batch naming no valid slot goes out at once, to be rejected where
   * it would have been. The batches' proofs are views into this mailbox's
   * buffers, valid until its next post or take: whoever keeps a batch
   * longer copies its proof (Inbox.keepHeld does).
   */
  take(shard: number, finalized: number): ReceiptBatch[] {
    const box = this.boxOf(shard);
    if (box === undefined) return [];
    const out: ReceiptBatch[] = [];
    let kept = 0;
    for (const seg of box) {
      if (seg.slot > finalized) {
        box[kept++] = seg;
        continue;
      }
      for (let i = 0, h = 0; i < seg.nums; ) {
        out.push(readBatch(seg.f, i, seg.b, h));
        h += encodedProofBytes(seg.f, i);
        i += encodedBatchNums(seg.f, i);
      }
      this.hintNums = Math.max(seg.nums, Math.floor(this.hintNums * 0.9), 256);
      this.hintBytes = Math.max(seg.bytes, Math.floor(this.hintBytes * 0.9), 2_048);
      seg.nums = seg.bytes = 0;
      this.free.push(seg);
    }
    box.length = kept;
    return out;
  }

  private boxOf(shard: number): Segment[] | undefined {
    return Number.isInteger(shard) && shard >= 0 ? this.boxes[shard] : undefined;
  }

  /**
   * The segment for `dst`'s batches of source slot `slot`, opened (reusing a
   * taken one) if there is none yet, with room for one more batch of `nums`
   * numbers and `bytes` proof bytes; undefined if `dst` is not hosted here.
   */
  private segmentWithRoom(dst: number, slot: number, nums: number, bytes: number): Segment | undefined {
    const box = this.boxOf(dst);
    if (box === undefined) return undefined;
    const key = slotKey(slot);
    let seg: Segment | undefined;
    for (let k = box.length - 1; k >= 0 && seg === undefined; k--) if (box[k]!.slot === key) seg = box[k]!;
    if (seg === undefined) {
      seg = this.free.pop() ?? new Segment(this.hintNums, this.hintBytes);
      seg.slot = key;
      box.push(seg);
    }
    seg.reserve(nums, bytes);
    return seg;
  }
}
