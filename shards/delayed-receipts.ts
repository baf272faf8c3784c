/**
 * A shard's delayed receipts: proven receipts admitted and not applied yet,
 * first in, first out, each with the slot it was admitted in and what it
 * weighs in a block that applies it.
 *
 * A block's committee must check every receipt it applies against its source
 * block, so a block carries, besides each receipt, the numbers and Merkle
 * proof of every batch it applies receipts of: once a batch a block, as
 * NEAR's chunk validators receive one receipt proof per source chunk
 * (near/nearcore core/primitives/src/stateless_validation/state_witness.rs,
 * ChunkStateWitness.source_receipt_proofs). The more source shards a block
 * hears from, the more proofs it carries for the same receipts.
 */
import type { Receipt } from '../crosslink/receipt.js';
import { Fifo } from './fifo.js';

/** The queue as plain data (a shard checkpoint carries it), item by item in queue order. */
export interface DelayedSnapshot {
  readonly receipts: Receipt[];
  /** The slot each receipt was admitted in. */
  readonly admitted: number[];
  /** Each receipt's own bytes in a block. */
  readonly bytes: number[];
  /** The bytes of each receipt's batch beside its receipts (numbers and proof), carried once by each block applying it. */
  readonly batchBytes: number[];
}

/** What a block took from the front of the queue, item by item. */
export interface TakenReceipts {
  readonly admitted: readonly number[];
  readonly bytes: readonly number[];
  readonly batchBytes: readonly number[];
}

/** Whether `a` and `b` came in one batch: a batch is one source block's receipts for one destination. */
function sameBatch(a: Receipt, b: Receipt): boolean {
  return a.srcShard === b.srcShard && a.srcSlot === b.srcSlot;
}

/** Of the bytes a block carries for the first `n` of `receipts`, those of their batches (numbers and proofs, `taken.batchBytes`): once a batch. */
export function appliedBatchBytes(receipts: readonly Receipt[], taken: TakenReceipts, n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) if (i === 0 || !sameBatch(receipts[i - 1]!, receipts[i]!)) sum += taken.batchBytes[i]!;
  return sum;
}

/** The bytes a block carries for the first `n` of `receipts`: each one's own (`taken.bytes`), and their batches'. */
export function appliedBytes(receipts: readonly Receipt[], taken: TakenReceipts, n: number): number {
  let sum = appliedBatchBytes(receipts, taken, n);
  for (let i = 0; i < n; i++) sum += taken.bytes[i]!;
  return sum;
}

export class DelayedReceipts {
  private readonly receipts = new Fifo<Receipt>();
  private readonly admitted = new Fifo<number>();
  private readonly bytes = new Fifo<number>();
  private readonly batchBytes = new Fifo<number>();

  get length(): number {
    return this.receipts.length;
  }

  push(r: Receipt, admittedSlot: number, bytes: number, batchBytes: number): void {
    this.receipts.push(r);
    this.admitted.push(admittedSlot);
    this.bytes.push(bytes);
    this.batchBytes.push(batchBytes);
  }

  /** Receipt `i` from the front (0 is the oldest); undefined past the end. */
  at(i: number): Receipt | undefined {
    return this.receipts.at(i);
  }

  /** The slot receipt `i` from the front was admitted in. */
  admittedAt(i: number): number {
    return this.admitted.at(i)!;
  }

  /** The first `n` receipts (or fewer), oldest first, without removing them. */
  peek(n: number): Receipt[] {
    return this.receipts.peek(n);
  }

  /**
   * The bytes item `i` adds to a block that applies the queue's first `i + 1`
   * receipts: its own, and its batch's numbers and proof when it is the
   * block's first receipt of that batch.
   */
  blockBytesAt(i: number): number {
    const r = this.receipts.at(i)!;
    const own = this.bytes.at(i)!;
    return i > 0 && sameBatch(this.receipts.at(i - 1)!, r) ? own : own + this.batchBytes.at(i)!;
  }

  /** Removes the first `n` items and returns what each carried but the receipt (the block holds those already). */
  take(n: number): TakenReceipts {
    const taken = { admitted: this.admitted.peek(n), bytes: this.bytes.peek(n), batchBytes: this.batchBytes.peek(n) };
    this.receipts.drop(n);
    this.admitted.drop(n);
    this.bytes.drop(n);
    this.batchBytes.drop(n);
    return taken;
  }

  snapshot(): DelayedSnapshot {
    return { receipts: this.receipts.toArray(), admitted: this.admitted.toArray(), bytes: this.bytes.toArray(), batchBytes: this.batchBytes.toArray() };
  }

  reset(s: DelayedSnapshot): void {
    this.receipts.reset(s.receipts);
    this.admitted.reset(s.admitted);
    this.bytes.reset(s.bytes);
    this.batchBytes.reset(s.batchBytes);
  }
}
