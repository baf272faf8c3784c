/**
 * Receipt batches in a message: BATCH_FIELDS's numbers, then RECEIPT_NUMS
 * numbers a receipt (RECEIPT_FIELDS's order); the proof's bytes lie in the
 * message's byte buffer. A thread sends a round's batches for a peer thread
 * in one message (encodeBatches), a thread's mailboxes hold them in this
 * form until final (batch-mailbox.ts), and a Redis receipt job carries each
 * batch as one such message in text (encodeBatch).
 */
import type { ReceiptBatch } from '../batch.js';
import { WireFormatError } from '../common/errors.js';
import { smallIntOr } from '../common/small-int.js';
import type { Receipt } from '../receipt.js';
import { alloc, BATCH_FIELDS, BATCH_NUMS, compileRow, fromText, RECEIPT_FIELDS, RECEIPT_NUMS, toText, type Wire, type WireText } from './layout.js';

// Hoisted to module constants: each call site then calls one known function.
const { write: writeReceipt, read: readReceipt } = compileRow<Receipt>(RECEIPT_FIELDS.map(([k]) => k));

/** Numbers batch `b` takes encoded. */
export const batchNums = (b: ReceiptBatch): number => BATCH_NUMS + b.receipts.length * RECEIPT_NUMS;

const SRC_SLOT = BATCH_FIELDS.indexOf('srcSlot');
const DST = BATCH_FIELDS.indexOf('dstShard');
const PROOF_BYTES = BATCH_FIELDS.indexOf('proofBytes');
const RECEIPT_COUNT = BATCH_FIELDS.indexOf('receiptCount');

/** Numbers, proof bytes, source slot and destination of the batch encoded at f[i]. */
export const encodedBatchNums = (f: Float64Array, i: number): number => BATCH_NUMS + f[i + RECEIPT_COUNT]! * RECEIPT_NUMS;
export const encodedProofBytes = (f: Float64Array, i: number): number => f[i + PROOF_BYTES]!;
export const encodedSrcSlot = (f: Float64Array, i: number): number => f[i + SRC_SLOT]!;
export const encodedDst = (f: Float64Array, i: number): number => f[i + DST]!;

/** Encodes `b` at f[i, i + batchNums(b)) (BATCH_FIELDS, then its receipts), its proof at bytes[h, h + proof length); the caller makes the room. */
export function writeBatch(f: Float64Array, i: number, bytes: Uint8Array, h: number, b: ReceiptBatch): void {
  f[i] = b.srcShard;
  f[i + 1] = b.srcSlot;
  f[i + 2] = b.dstShard;
  f[i + 3] = b.leafIndex;
  f[i + 4] = b.leafCount;
  f[i + 5] = b.proof.length;
  f[i + 6] = b.receipts.length;
  bytes.set(b.proof, h);
  i += BATCH_NUMS;
  for (const r of b.receipts) {
    writeReceipt(f, i, r);
    i += RECEIPT_NUMS;
  }
}

/**
 * The batch encoded at f[i] with its proof at bytes[h]. The proof is a view
 * into `bytes`, not a copy: it lives as long as the caller keeps that
 * buffer's contents.
 */
export function readBatch(f: Float64Array, i: number, bytes: Uint8Array, h: number): ReceiptBatch {
  const srcShard = smallIntOr(f[i]!);
  const srcSlot = smallIntOr(f[i + 1]!);
  const dstShard = smallIntOr(f[i + 2]!);
  const leafIndex = smallIntOr(f[i + 3]!);
  const leafCount = smallIntOr(f[i + 4]!);
  const proof = bytes.subarray(h, h + f[i + 5]!);
  const receipts: Receipt[] = new Array(f[i + 6]!);
  i += BATCH_NUMS;
  for (let r = 0; r < receipts.length; r++, i += RECEIPT_NUMS) receipts[r] = readReceipt(f, i);
  return { srcShard, srcSlot, dstShard, receipts, leafIndex, leafCount, proof };
}

/** Receipt batches from one thread's shards to another thread's, one slot's worth, in send order. */
export function encodeBatches(batches: readonly ReceiptBatch[]): Wire {
  let nums = 1;
  let proof = 0;
  for (const b of batches) {
    nums += batchNums(b);
    proof += b.proof.length;
  }
  const w = alloc(nums, proof);
  w.f[0] = batches.length;
  for (let k = 0, i = 1, h = 0; k < batches.length; k++) {
    const b = batches[k]!;
    writeBatch(w.f, i, w.b, h, b);
    i += batchNums(b);
    h += b.proof.length;
  }
  return w;
}

/** Batches an `encodeBatches` message holds; the first starts at number 1 and proof byte 0. */
export const batchCount = (w: Wire): number => w.f[0]!;

/** A batch as a Redis receipt job carries it: the batch's message in text, and its destination (what the receiving host routes by). */
export interface WireBatch extends WireText {
  readonly dst: number;
}

export function encodeBatch(b: ReceiptBatch): WireBatch {
  const w = alloc(batchNums(b), b.proof.length);
  writeBatch(w.f, 0, w.b, 0, b);
  const t = toText(w);
  return { v: t.v, f: t.f, b: t.b, dst: b.dstShard };
}

/** The batch a receipt job carries; throws WireFormatError for another protocol version or a malformed body. */
export function decodeBatch(t: WireBatch): ReceiptBatch {
  const { f, b } = fromText(t, 'a receipt batch');
  if (
    f.length < BATCH_NUMS ||
    !Number.isInteger(f[RECEIPT_COUNT]) ||
    f.length !== encodedBatchNums(f, 0) ||
    b.length !== encodedProofBytes(f, 0) ||
    encodedDst(f, 0) !== t.dst
  ) {
    throw new WireFormatError(`malformed receipt batch: ${f.length} numbers and ${b.length} proof bytes do not make the batch it announces`);
  }
  return readBatch(f, 0, b, 0);
}
