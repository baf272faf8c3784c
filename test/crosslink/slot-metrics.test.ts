import { describe, expect, it } from 'vitest';
import { HASH_BYTES } from '../../crosslink/hash.js';
import { readSlotMetrics, SLOT_METRIC_NUMS, SLOT_METRICS, type SlotMetrics, slotMetricsArray, writeSlotMetrics } from '../../crosslink/slot-metrics.js';
import type { SlotReport } from '../../crosslink/transport.js';
import { decodeReport, encodeReport, type WireReport } from '../../crosslink/wire/codec.js';
import { decodeReports, encodeReports } from '../../crosslink/wire/thread-wire.js';

// A value of its own for every field (fractions, values past 2^32, a negative), so a field read from another's place shows.
function metricsOf(seed: number): SlotMetrics {
  return Object.fromEntries(
    SLOT_METRICS.map((f, k) => [f.name, seed * 1000 + k + (k % 2 === 1 ? 0.25 : 0) + (k % 3 === 0 ? 2 ** 40 : 0) - (k === 4 ? 5e6 : 0)]),
  ) as SlotMetrics;
}

const hash = (b: number): Uint8Array => new Uint8Array(HASH_BYTES).fill(b);

function report(shard: number, execLength: number): SlotReport {
  return {
    shard,
    slot: 7,
    header: { shard, slot: 7, parentHash: hash(1), stateRoot: hash(2), txRoot: hash(3), receiptsRoot: hash(4), gasUsed: 21_000, txCount: 3, receiptCount: 2 },
    outbound: Float64Array.of(1, 2, 300, 3, 1, 1e15),
    metrics: metricsOf(shard + 1),
    // Opaque to the protocol: any length, any numbers.
    exec: Float64Array.from({ length: execLength }, (_, k) => shard * 100 + k / 3),
  };
}

describe('slot figures on the wires', () => {
  it('lays figures out one number each, in table order', () => {
    const m = metricsOf(3);
    const f = new Float64Array(SLOT_METRIC_NUMS + 2);
    writeSlotMetrics(m, f, 2);
    SLOT_METRICS.forEach((field, k) => expect(f[2 + k]).toBe(m[field.name]));
    expect(slotMetricsArray(m)).toEqual(Array.from(f.subarray(2)));
    expect(readSlotMetrics(f, 2)).toEqual(m);
    expect(Object.keys(readSlotMetrics(f, 2))).toEqual(SLOT_METRICS.map((field) => field.name));
  });

  it('carries every figure and the executor block through the thread wire', () => {
    const reports = [report(0, 7), report(1, 0), report(2, 3)];
    const back = decodeReports(encodeReports(reports), reports.length);
    expect(back).toHaveLength(reports.length);
    back.forEach((r, i) => {
      const sent = reports[i]!;
      for (const f of SLOT_METRICS) expect(r.metrics[f.name]).toBe(sent.metrics[f.name]);
      expect(Array.from(r.exec)).toEqual(Array.from(sent.exec));
      expect(Array.from(r.outbound)).toEqual(Array.from(sent.outbound));
      expect(r.header).toEqual(sent.header);
    });
  });

  it('carries every figure and the executor block through the Redis job JSON', () => {
    for (const sent of [report(0, 7), report(5, 0)]) {
      const r = decodeReport(JSON.parse(JSON.stringify(encodeReport(sent))) as WireReport);
      for (const f of SLOT_METRICS) expect(r.metrics[f.name]).toBe(sent.metrics[f.name]);
      expect(r.exec).toBeInstanceOf(Float64Array);
      expect(Array.from(r.exec)).toEqual(Array.from(sent.exec));
      expect(r.header).toEqual(sent.header);
    }
  });
});
