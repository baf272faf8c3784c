/**
 * Wire encoding between threads of one process (the threaded memory
 * transport). Nothing here goes through JSON or structured cloning of object
 * graphs: every message is one Float64Array of numbers plus one Uint8Array of
 * hashes, both transferred (moved, not copied) with postMessage. Numbers stay
 * float64 end to end, so every value round-trips exactly, whatever a forged
 * receipt holds. Decoded objects are built as explicit literals in the field
 * order the producers use (shard.ts, workload.ts): one object shape each.
 */
import type { ReceiptBatch } from './batch.js';
import { HASH_BYTES, type Hash } from './hash.js';
import type { BlockHeader, Crosslink } from './header.js';
import type { Receipt, ReceiptKind } from './receipt.js';
import type { OutboundSummary, SlotCommand, SlotMetrics, SlotReport } from './transport.js';
import type { TxKind, UserTx } from './tx.js';

/** One message: numbers and hashes, each in a buffer of its own, both transferable. */
export interface Wire {
  readonly f: Float64Array;
  readonly b: Uint8Array;
}

/** The buffers a message moves to its receiver (the sender must not touch them afterwards). */
export const transferOf = (w: Wire): ArrayBuffer[] => [w.f.buffer as ArrayBuffer, w.b.buffer as ArrayBuffer];

const HEADER_NUMS = 5;
const HEADER_HASHES = 4;
const TX_NUMS = 12;
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
    return this.w.f[this.i++]!;
  }

  hash(x: Hash): void {
    this.w.b.set(x, this.h);
    this.h += HASH_BYTES;
  }

  /** Raw bytes (a proof), written where the next hash would go. */
  bytes(x: Uint8Array): void {
    this.w.b.set(x, this.h);
    this.h += x.length;
  }

  /**
   * A view of the next `n` raw bytes (a proof). Not a copy: a batch message's
   * byte buffer holds only its batches' proofs, all of one round, which are
   * admitted (and let go) together at finality.
   */
  take(n: number): Uint8Array {
    const out = this.w.b.subarray(this.h, this.h + n);
    this.h += n;
    return out;
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
    for (const t of cmd.txs) {
      c.num(t.kind);
      c.num(t.from);
      c.num(t.to);
      c.num(t.amount);
      c.num(t.op);
      c.num(t.a);
      c.num(t.b);
      c.num(t.c);
      c.num(t.id);
      c.num(t.submitMs);
      c.num(t.toShard);
      c.num(t.gasLimit);
    }
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
    const txs: UserTx[] = new Array(c.next());
    const f = w.f;
    let i = c.i;
    for (let k = 0; k < txs.length; k++, i += TX_NUMS) {
      // The literal of workload.ts envelopeFor, field for field.
      txs[k] = {
        kind: f[i]! as TxKind,
        from: f[i + 1]!,
        to: f[i + 2]!,
        amount: f[i + 3]!,
        op: f[i + 4]!,
        a: f[i + 5]!,
        b: f[i + 6]!,
        c: f[i + 7]!,
        id: f[i + 8]!,
        submitMs: f[i + 9]!,
        toShard: f[i + 10]!,
        gasLimit: f[i + 11]!,
      };
    }
    c.i = i;
    out[s] = { slot, finalizedSlot, crosslinks, txs };
  }
  return out;
}

/** Every key of SlotMetrics, in wire order; the type below fails to compile if one is missing. */
const METRICS = [
  'txIncluded',
  'txFailed',
  'receiptsApplied',
  'receiptsSent',
  'receiptsRejected',
  'gasUsed',
  'makespan',
  'utilisation',
  'mempool',
  'mempoolDropped',
  'delayedReceipts',
  'reexecutions',
  'validations',
  'aborts',
  'estimateWaits',
  'wastedGas',
  'boundRaw',
  'boundAll',
] as const satisfies ReadonlyArray<keyof SlotMetrics>;
const everyMetric: Exclude<keyof SlotMetrics, (typeof METRICS)[number]> extends never ? true : never = true;
void everyMetric;

/** The slot reports of one thread's shards, in one message. */
export function encodeReports(reports: readonly SlotReport[]): Wire {
  let outbound = 0;
  for (const r of reports) outbound += r.outbound.length;
  const w = alloc(reports.length * (3 + HEADER_NUMS + METRICS.length) + outbound * 3, reports.length * HEADER_HASHES);
  const c = new Cursor(w);
  for (const r of reports) {
    c.num(r.shard);
    c.num(r.slot);
    writeHeader(c, r.header);
    c.num(r.outbound.length);
    for (const o of r.outbound) {
      c.num(o.dst);
      c.num(o.count);
      c.num(o.value);
    }
    for (const k of METRICS) c.num(r.metrics[k]);
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
    const outbound: OutboundSummary[] = new Array(c.next());
    for (let k = 0; k < outbound.length; k++) outbound[k] = { dst: c.next(), count: c.next(), value: c.next() };
    const metrics = {} as Record<keyof SlotMetrics, number>;
    for (const k of METRICS) metrics[k] = c.next();
    out[s] = { shard, slot, header, outbound, metrics };
  }
  return out;
}

/** Receipt batches from one thread's shards to another thread's, one slot's worth, in send order. */
export function encodeBatches(batches: readonly ReceiptBatch[]): Wire {
  let receipts = 0;
  let proof = 0;
  for (const b of batches) {
    receipts += b.receipts.length;
    proof += b.proof.length;
  }
  const w = alloc(1 + batches.length * BATCH_NUMS + receipts * RECEIPT_NUMS, 0, proof);
  const c = new Cursor(w);
  c.num(batches.length);
  for (const b of batches) {
    c.num(b.srcShard);
    c.num(b.srcSlot);
    c.num(b.dstShard);
    c.num(b.leafIndex);
    c.num(b.leafCount);
    c.num(b.proof.length);
    c.num(b.receipts.length);
    c.bytes(b.proof);
    for (const r of b.receipts) {
      c.num(r.kind);
      c.num(r.srcShard);
      c.num(r.srcSlot);
      c.num(r.index);
      c.num(r.dstShard);
      c.num(r.txId);
      c.num(r.from);
      c.num(r.originShard);
      c.num(r.to);
      c.num(r.amount);
      c.num(r.submitMs);
      c.num(r.op);
      c.num(r.a);
      c.num(r.b);
      c.num(r.c);
    }
  }
  return w;
}

export function decodeBatches(w: Wire): ReceiptBatch[] {
  const c = new Cursor(w);
  const out: ReceiptBatch[] = new Array(c.next());
  for (let k = 0; k < out.length; k++) {
    const srcShard = c.next();
    const srcSlot = c.next();
    const dstShard = c.next();
    const leafIndex = c.next();
    const leafCount = c.next();
    const proofLength = c.next();
    const receipts: Receipt[] = new Array(c.next());
    const proof = c.take(proofLength);
    const f = w.f;
    let i = c.i;
    for (let r = 0; r < receipts.length; r++, i += RECEIPT_NUMS) {
      // The literal of shard.ts, field for field.
      receipts[r] = {
        kind: f[i]! as ReceiptKind,
        srcShard: f[i + 1]!,
        srcSlot: f[i + 2]!,
        index: f[i + 3]!,
        dstShard: f[i + 4]!,
        txId: f[i + 5]!,
        from: f[i + 6]!,
        originShard: f[i + 7]!,
        to: f[i + 8]!,
        amount: f[i + 9]!,
        submitMs: f[i + 10]!,
        op: f[i + 11]!,
        a: f[i + 12]!,
        b: f[i + 13]!,
        c: f[i + 14]!,
      };
    }
    c.i = i;
    out[k] = { srcShard, srcSlot, dstShard, receipts, leafIndex, leafCount, proof };
  }
  return out;
}
