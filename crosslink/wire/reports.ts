/**
 * Slot reports in a message: per report its shard, slot, header
 * (headers.ts), outbound length and (destination, count, value) numbers,
 * the slot metrics in their table's order (slot-metrics.ts), then the
 * executor's block (its length, then its numbers, which the protocol does
 * not read). A thread sends its shards' reports in one message
 * (encodeReports); a Redis report carries one report's message in text
 * (encodeReport).
 */

import { HASH_BYTES } from '../hash.js';
import { readSlotMetrics, SLOT_METRIC_NUMS, writeSlotMetrics } from '../slot-metrics.js';
import type { SlotReport } from '../transport.js';
import { readHeader, writeHeader } from './headers.js';
import { alloc, Cursor, checkCount, HEADER_HASHES, HEADER_NUMS, type SlotText, slotBodies, type Wire } from './layout.js';

/** The slot reports of one thread's shards, in one message. */
export function encodeReports(reports: readonly SlotReport[]): Wire {
  let blocks = 0;
  for (const r of reports) blocks += r.outbound.length + r.exec.length;
  const w = alloc(reports.length * (4 + HEADER_NUMS + SLOT_METRIC_NUMS) + blocks, reports.length * HEADER_HASHES * HASH_BYTES);
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

/** The reports of `encodeReports`, `count` of them; a malformed message fails with WireFormatError. */
export function decodeReports(w: Wire, count: number): SlotReport[] {
  const c = new Cursor(w);
  const out: SlotReport[] = new Array(count);
  for (let s = 0; s < count; s++) {
    const shard = c.next();
    const slot = c.next();
    const header = readHeader(c);
    const n = checkCount(c.next(), w.f.length - c.i, 'outbound length');
    const outbound = w.f.slice(c.i, c.i + n);
    c.i += n;
    checkCount(SLOT_METRIC_NUMS, w.f.length - c.i, 'slot metrics');
    const metrics = readSlotMetrics(w.f, c.i);
    c.i += SLOT_METRIC_NUMS;
    const e = checkCount(c.next(), w.f.length - c.i, 'executor block length');
    const exec = w.f.slice(c.i, c.i + e);
    c.i += e;
    out[s] = { shard, slot, header, outbound, metrics, exec };
  }
  c.end('slot reports');
  return out;
}

/** A report as a Redis job carries it: the report's message in text, and its slot (what the controller files it under before decoding). */
export type WireReport = SlotText;

const bodies = slotBodies('slot report', encodeReports, decodeReports);
export const encodeReport: (r: SlotReport) => WireReport = bodies.encode;
/** The report a job carries; throws WireFormatError for another protocol version or a malformed body. */
export const decodeReport: (t: WireReport) => SlotReport = bodies.decode;
