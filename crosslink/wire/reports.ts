/**
 * Slot reports in a message: per report its shard, slot, header
 * (headers.ts), outbound length and (destination, count, value) numbers,
 * then METRICS's values. A thread sends its shards' reports in one message
 * (encodeReports); a Redis report carries one report's message in text
 * (encodeReport).
 */
import type { SlotMetrics, SlotReport } from '../transport.js';
import { HASH_BYTES } from '../hash.js';
import { alloc, checkCount, Cursor, HEADER_HASHES, HEADER_NUMS, METRICS, type SlotText, slotBodies, type Wire } from './layout.js';
import { readHeader, writeHeader } from './headers.js';

/** The slot reports of one thread's shards, in one message. */
export function encodeReports(reports: readonly SlotReport[]): Wire {
  let outbound = 0;
  for (const r of reports) outbound += r.outbound.length;
  const w = alloc(reports.length * (3 + HEADER_NUMS + METRICS.length) + outbound, reports.length * HEADER_HASHES * HASH_BYTES);
  const c = new Cursor(w);
  for (const r of reports) {
    c.num(r.shard);
    c.num(r.slot);
    writeHeader(c, r.header);
    c.num(r.outbound.length);
    w.f.set(r.outbound, c.i);
    c.i += r.outbound.length;
    for (const k of METRICS) c.num(r.metrics[k]);
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
    const metrics = {} as Record<keyof SlotMetrics, number>;
    for (const k of METRICS) metrics[k] = c.next();
    out[s] = { shard, slot, header, outbound, metrics };
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
