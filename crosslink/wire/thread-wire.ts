/**
 * Wire encoding between threads of one process (the threaded memory
 * transport). Nothing here goes through JSON or structured cloning of object
 * graphs: every message is one Float64Array of numbers plus one Uint8Array of
 * hashes, both transferred (moved, not copied) with postMessage. Numbers stay
 * float64 end to end, so every value round-trips exactly, whatever a forged
 * receipt holds. Decoded objects are built as explicit literals in the field
 * order the producers use (vm.ts, workload.ts): one object shape each.
 */
import type { ReceiptBatch } from '../batch.js';
import { HASH_BYTES, type Hash } from '../hash.js';
import type { BlockHeader, Crosslink } from '../header.js';
import type { Receipt, ReceiptKind } from '../receipt.js';
import { readSlotMetrics, SLOT_METRIC_NUMS, writeSlotMetrics } from '../slot-metrics.js';
import type { SlotCommand, SlotReport } from '../transport.js';
import { TX_NUMS, TxRows } from '../tx-rows.js';
import { smallIntOr } from '../common/small-int.js';

/** One message: numbers and hashes, each in a buffer of its own, both transferable. */
export interface Wire {
  readonly f: Float64Array;
  readonly b: Uint8Array;
}

/** The buffers a message moves to its receiver (the sender must not touch them afterwards). */
export const transferOf = (w: Wire): ArrayBuffer[] => [w.f.buffer as ArrayBuffer, w.b.buffer as ArrayBuffer];

const HEADER_NUMS = 5;
const HEADER_HASHES = 4;
const RECEIPT_NUMS = 15;
const BATCH_NUMS = 7;

/** Where the next number and hash go (writing) or come from (reading). */
class Cursor {
  i = 0;
  h = 0;
  constructor(readonly w: Wire) {}

  num(x: number): void {
    this.w.f[this.i++] = x;
  }

  next(): number {
    return smallIntOr(this.w.f[this.i++]!);
  }

  hash(x: Hash): void {
    this.w.b.set(x, this.h);
    this.h += HASH_BYTES;
  }

  /** `n` hashes copied out together: views into one small buffer, so a kept hash never pins a whole message. */
  hashes(n: number): Hash[] {
    const bytes = this.w.b.slice(this.h, this.h + n * HASH_BYTES);
    this.h += n * HASH_BYTES;
    const out: Hash[] = new Array(n);
    for (let k = 0; k < n; k++) out[k] = bytes.subarray(k * HASH_BYTES, (k + 1) * HASH_BYTES);
    return out;
  }
}

const alloc = (nums: number, hashes: number, bytes = 0): Wire => ({ f: new Float64Array(nums), b: new Uint8Array(hashes * HASH_BYTES + bytes) });

function writeHeader(c: Cursor, h: BlockHeader): void {
  c.num(h.shard);
  c.num(h.slot);
  c.num(h.gasUsed);
  c.num(h.txCount);
  c.num(h.receiptCount);
  c.hash(h.parentHash);
  c.hash(h.stateRoot);
  c.hash(h.txRoot);
  c.hash(h.receiptsRoot);
}

function readHeader(c: Cursor): BlockHeader {
  const shard = c.next();
  const slot = c.next();
  const gasUsed = c.next();
  const txCount = c.next();
  const receiptCount = c.next();
  const [parentHash, stateRoot, txRoot, receiptsRoot] = c.hashes(HEADER_HASHES);
  return { shard, slot, parentHash: parentHash!, stateRoot: stateRoot!, txRoot: txRoot!, receiptsRoot: receiptsRoot!, gasUsed, txCount, receiptCount };
}

/**
 * The slot commands of the shards one thread hosts, in one message. The
 * beacon hands every destination the same header objects, so headers are
 * written once (deduplicated by identity) and each crosslink refers to one
 * by index; the receiving thread shares the decoded headers among its shards
 * as the single-thread transport shares the originals.
 */
export function encodeCommands(commands: readonly SlotCommand[]): Wire {
  const headers = new Map<BlockHeader, number>();
  let links = 0;
  let txs = 0;
  for (const cmd of commands) {
    for (const cl of cmd.crosslinks) if (!headers.has(cl.header)) headers.set(cl.header, headers.size);
    links += cmd.crosslinks.length;
    txs += cmd.txs.length;
  }
  const w = alloc(1 + headers.size * HEADER_NUMS + commands.length * 4 + links * 3 + txs * TX_NUMS, headers.size * HEADER_HASHES);
  const c = new Cursor(w);
  c.num(headers.size);
  for (const h of headers.keys()) writeHeader(c, h);
  for (const cmd of commands) {
    c.num(cmd.slot);
    c.num(cmd.finalizedSlot);
    c.num(cmd.crosslinks.length);
    for (const cl of cmd.crosslinks) {
      c.num(headers.get(cl.header)!);
      c.num(cl.count);
      c.num(cl.value);
    }
    c.num(cmd.txs.length);
    w.f.set(cmd.txs.rows(), c.i);
    c.i += cmd.txs.length * TX_NUMS;
  }
  return w;
}

/** The commands of `encodeCommands`, `count` of them, in the order they were written. */
export function decodeCommands(w: Wire, count: number): SlotCommand[] {
  const c = new Cursor(w);
  const headers: BlockHeader[] = new Array(c.next());
  for (let k = 0; k < headers.length; k++) headers[k] = readHeader(c);
  const out: SlotCommand[] = new Array(count);
  for (let s = 0; s < count; s++) {
    const slot = c.next();
    const finalizedSlot = c.next();
    const crosslinks: Crosslink[] = new Array(c.next());
    for (let k = 0; k < crosslinks.length; k++) {
      const header = headers[c.next()]!;
      const count = c.next();
      crosslinks[k] = { header, count, value: c.next() };
    }
    const count = c.next();
    // Copied out: a shard's mempool keeps rows, and must not pin the whole message.
    const txs = TxRows.wrap(w.f.slice(c.i, c.i + count * TX_NUMS));
    c.i += count * TX_NUMS;
    out[s] = { slot, finalizedSlot, crosslinks, txs };
  }
  return out;
}

/** The slot reports of one thread's shards, in one message. */
export function encodeReports(reports: readonly SlotReport[]): Wire {
  let blocks = 0;
  for (const r of reports) blocks += r.outbound.length + r.exec.length;
  const w = alloc(reports.length * (4 + HEADER_NUMS + SLOT_METRIC_NUMS) + blocks, reports.length * HEADER_HASHES);
  const c = new Cursor(w);
  for (const r of reports) {
    c.num(r.shard);
    c.num(r.slot);
    writeHeader(c, r.header);
    c.num(r.outbound.length);
    w.f.set(r.outbound, c.i);
    c.i += r.outbound.length;
    writeSlotMetrics(r.metrics, w.f, c.i);
    c.i += SLOT_METRIC_NUMS;
    c.num(r.exec.length);
    w.f.set(r.exec, c.i);
    c.i += r.exec.length;
  }
  return w;
}

export function decodeReports(w: Wire, count: number): SlotReport[] {
  const c = new Cursor(w);
  const out: SlotReport[] = new Array(count);
  for (let s = 0; s < count; s++) {
    const shard = c.next();
    const slot = c.next();
    const header = readHeader(c);
    const n = c.next();
    const outbound = w.f.slice(c.i, c.i + n);
    c.i += n;
    const metrics = readSlotMetrics(w.f, c.i);
    c.i += SLOT_METRIC_NUMS;
    const e = c.next();
    const exec = w.f.slice(c.i, c.i + e);
    c.i += e;
    out[s] = { shard, slot, header, outbound, metrics, exec };
  }
  return out;
}

/** Receipt batches from one thread's shards to another thread's, one slot's worth, in send order. */
export function encodeBatches(batches: readonly ReceiptBatch[]): Wire {
  let nums = 1;
  let proof = 0;
  for (const b of batches) {
    nums += batchNums(b);
    proof += b.proof.length;
  }
  const w = alloc(nums, 0, proof);
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

// An encoded batch: BATCH_NUMS numbers (source shard, source slot,
// destination, leaf index, leaf count, proof length, receipt count), then
// RECEIPT_NUMS a receipt; its proof's bytes lie in a byte buffer of their own.

/** Numbers batch `b` takes encoded. */
export const batchNums = (b: ReceiptBatch): number => BATCH_NUMS + b.receipts.length * RECEIPT_NUMS;

/** Numbers, proof bytes, source slot and destination of the batch encoded at f[i]. */
export const encodedBatchNums = (f: Float64Array, i: number): number => BATCH_NUMS + f[i + 6]! * RECEIPT_NUMS;
export const encodedProofBytes = (f: Float64Array, i: number): number => f[i + 5]!;
export const encodedSrcSlot = (f: Float64Array, i: number): number => f[i + 1]!;
export const encodedDst = (f: Float64Array, i: number): number => f[i + 2]!;

/** Encodes `b` at f[i, i + batchNums(b)), its proof at bytes[h, h + proof length); the caller makes the room. */
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
    f[i] = r.kind;
    f[i + 1] = r.srcShard;
    f[i + 2] = r.srcSlot;
    f[i + 3] = r.index;
    f[i + 4] = r.dstShard;
    f[i + 5] = r.txId;
    f[i + 6] = r.from;
    f[i + 7] = r.originShard;
    f[i + 8] = r.to;
    f[i + 9] = r.amount;
    f[i + 10] = r.submitMs;
    f[i + 11] = r.op;
    f[i + 12] = r.a;
    f[i + 13] = r.b;
    f[i + 14] = r.c;
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
  for (let r = 0; r < receipts.length; r++, i += RECEIPT_NUMS) {
    // The literal of vm.ts's emission, field for field.
    receipts[r] = {
      kind: smallIntOr(f[i]!) as ReceiptKind,
      srcShard: smallIntOr(f[i + 1]!),
      srcSlot: smallIntOr(f[i + 2]!),
      index: smallIntOr(f[i + 3]!),
      dstShard: smallIntOr(f[i + 4]!),
      txId: smallIntOr(f[i + 5]!),
      from: smallIntOr(f[i + 6]!),
      originShard: smallIntOr(f[i + 7]!),
      to: smallIntOr(f[i + 8]!),
      amount: smallIntOr(f[i + 9]!),
      submitMs: smallIntOr(f[i + 10]!),
      op: smallIntOr(f[i + 11]!),
      a: smallIntOr(f[i + 12]!),
      b: smallIntOr(f[i + 13]!),
      c: smallIntOr(f[i + 14]!),
    };
  }
  return { srcShard, srcSlot, dstShard, receipts, leafIndex, leafCount, proof };
}
