/**
 * Wire encoding for what crosses a process boundary. BullMQ stores job data
 * as JSON, where a Buffer would become an array of numbers (about 4 bytes of
 * JSON per byte); so the bulk parts (transactions, receipts, hashes) are
 * fixed-size little-endian binary records carried as one base64 string
 * (4/3 bytes per byte), and the small parts stay plain JSON.
 */
import type { ReceiptBatch } from '../batch.js';
import { HASH_BYTES, type Hash } from '../hash.js';
import type { BlockHeader } from '../header.js';
import type { Receipt, ReceiptKind } from '../receipt.js';
import { readSlotMetrics, slotMetricsArray } from '../slot-metrics.js';
import type { ShardSummary, SlotCommand, SlotReport } from '../transport.js';
import { TX_NUMS, TxRows } from '../tx-rows.js';
import { smallIntOr } from '../common/small-int.js';

const b64 = (u: Uint8Array): string => Buffer.from(u.buffer, u.byteOffset, u.byteLength).toString('base64');
const unb64 = (s: string): Uint8Array => {
  const b = Buffer.from(s, 'base64');
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
};

/** Packs hashes into one base64 string. */
export function encodeHashes(hashes: readonly Hash[]): string {
  const out = new Uint8Array(hashes.length * HASH_BYTES);
  hashes.forEach((h, i) => out.set(h, i * HASH_BYTES));
  return b64(out);
}

export function decodeHashes(s: string): Hash[] {
  const bytes = unb64(s);
  const out: Hash[] = [];
  for (let i = 0; i + HASH_BYTES <= bytes.length; i += HASH_BYTES) out.push(bytes.slice(i, i + HASH_BYTES));
  return out;
}

// Transactions go as their rows (tx-rows.ts), float64s little endian, in base64.
export function encodeTxs(txs: TxRows): string {
  const rows = txs.rows();
  return b64(new Uint8Array(rows.buffer, rows.byteOffset, rows.byteLength));
}

export function decodeTxs(s: string): TxRows {
  const bytes = unb64(s);
  const whole = bytes.byteLength - (bytes.byteLength % (TX_NUMS * 8));
  // Copied into an aligned buffer of its own (the decoded bytes may sit at any offset).
  const rows = new Float64Array(whole / 8);
  new Uint8Array(rows.buffer).set(bytes.subarray(0, whole));
  return TxRows.wrap(rows);
}

// Fixed records. Integers that may exceed 2^32 (ids, amounts, times) are float64.
const RECEIPT_BYTES = 1 + 4 + 4 + 4 + 4 + 8 + 4 + 4 + 4 + 8 + 8 + 4 + 8 + 8 + 8;

export function encodeReceipts(receipts: readonly Receipt[]): string {
  const buf = new ArrayBuffer(receipts.length * RECEIPT_BYTES);
  const v = new DataView(buf);
  let o = 0;
  for (const r of receipts) {
    v.setUint8(o, r.kind);
    v.setUint32(o + 1, r.srcShard, true);
    v.setUint32(o + 5, r.srcSlot, true);
    v.setUint32(o + 9, r.index, true);
    v.setUint32(o + 13, r.dstShard, true);
    v.setFloat64(o + 17, r.txId, true);
    v.setUint32(o + 25, r.from, true);
    v.setUint32(o + 29, r.originShard, true);
    v.setUint32(o + 33, r.to, true);
    v.setFloat64(o + 37, r.amount, true);
    v.setFloat64(o + 45, r.submitMs, true);
    v.setUint32(o + 53, r.op, true);
    v.setFloat64(o + 57, r.a, true);
    v.setFloat64(o + 65, r.b, true);
    v.setFloat64(o + 73, r.c, true);
    o += RECEIPT_BYTES;
  }
  return b64(new Uint8Array(buf));
}

export function decodeReceipts(s: string): Receipt[] {
  const bytes = unb64(s);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Math.floor(bytes.byteLength / RECEIPT_BYTES);
  const out: Receipt[] = new Array(n);
  for (let i = 0, o = 0; i < n; i++, o += RECEIPT_BYTES) {
    out[i] = {
      kind: v.getUint8(o) as ReceiptKind,
      srcShard: v.getUint32(o + 1, true),
      srcSlot: v.getUint32(o + 5, true),
      index: v.getUint32(o + 9, true),
      dstShard: v.getUint32(o + 13, true),
      txId: smallIntOr(v.getFloat64(o + 17, true)),
      from: v.getUint32(o + 25, true),
      originShard: v.getUint32(o + 29, true),
      to: v.getUint32(o + 33, true),
      amount: smallIntOr(v.getFloat64(o + 37, true)),
      submitMs: smallIntOr(v.getFloat64(o + 45, true)),
      op: v.getUint32(o + 53, true),
      a: smallIntOr(v.getFloat64(o + 57, true)),
      b: smallIntOr(v.getFloat64(o + 65, true)),
      c: smallIntOr(v.getFloat64(o + 73, true)),
    };
  }
  return out;
}

export interface WireBatch {
  readonly src: number;
  readonly slot: number;
  readonly dst: number;
  readonly leafIndex: number;
  readonly leafCount: number;
  readonly proof: string;
  readonly receipts: string;
}

export function encodeBatch(b: ReceiptBatch): WireBatch {
  return {
    src: b.srcShard,
    slot: b.srcSlot,
    dst: b.dstShard,
    leafIndex: b.leafIndex,
    leafCount: b.leafCount,
    proof: b64(b.proof),
    receipts: encodeReceipts(b.receipts),
  };
}

export function decodeBatch(w: WireBatch): ReceiptBatch {
  return {
    srcShard: w.src,
    srcSlot: w.slot,
    dstShard: w.dst,
    leafIndex: w.leafIndex,
    leafCount: w.leafCount,
    proof: unb64(w.proof).slice(),
    receipts: decodeReceipts(w.receipts),
  };
}

type WireHeader = Omit<BlockHeader, 'parentHash' | 'stateRoot' | 'txRoot' | 'receiptsRoot'> & { readonly roots: string };

export function encodeHeader(h: BlockHeader): WireHeader {
  const { parentHash, stateRoot, txRoot, receiptsRoot, ...rest } = h;
  return { ...rest, roots: encodeHashes([parentHash, stateRoot, txRoot, receiptsRoot]) };
}

export function decodeHeader(w: WireHeader): BlockHeader {
  const [parentHash, stateRoot, txRoot, receiptsRoot] = decodeHashes(w.roots);
  const { roots: _roots, ...rest } = w;
  return { ...rest, parentHash: parentHash!, stateRoot: stateRoot!, txRoot: txRoot!, receiptsRoot: receiptsRoot! };
}

export interface WireCommand {
  readonly slot: number;
  readonly finalizedSlot: number;
  readonly crosslinks: ReadonlyArray<{ readonly header: WireHeader; readonly count: number; readonly value: number }>;
  readonly txs: string;
}

export function encodeCommand(c: SlotCommand): WireCommand {
  return {
    slot: c.slot,
    finalizedSlot: c.finalizedSlot,
    crosslinks: c.crosslinks.map((cl) => ({ header: encodeHeader(cl.header), count: cl.count, value: cl.value })),
    txs: encodeTxs(c.txs),
  };
}

export function decodeCommand(w: WireCommand): SlotCommand {
  return {
    slot: w.slot,
    finalizedSlot: w.finalizedSlot,
    crosslinks: w.crosslinks.map((cl) => ({ header: decodeHeader(cl.header), count: cl.count, value: cl.value })),
    txs: decodeTxs(w.txs),
  };
}

/** A report as JSON: its header encoded, its outbound triples, figures (slot-metrics.ts order) and executor block plain arrays. */
export type WireReport = Omit<SlotReport, 'header' | 'outbound' | 'metrics' | 'exec'> & {
  readonly header: WireHeader;
  readonly outbound: readonly number[];
  readonly metrics: readonly number[];
  readonly exec: readonly number[];
};

export function encodeReport(r: SlotReport): WireReport {
  return { ...r, header: encodeHeader(r.header), outbound: Array.from(r.outbound), metrics: slotMetricsArray(r.metrics), exec: Array.from(r.exec) };
}

export function decodeReport(w: WireReport): SlotReport {
  return { ...w, header: decodeHeader(w.header), outbound: Float64Array.from(w.outbound), metrics: readSlotMetrics(w.metrics, 0), exec: Float64Array.from(w.exec) };
}

/** Summaries are small and plain: JSON as they are. */
export type WireSummary = ShardSummary;
