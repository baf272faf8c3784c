import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, ProtocolError } from '../../crosslink/common/errors.js';
import { ZERO_HASH } from '../../crosslink/hash.js';
import { type BlockHeader, type Crosslink, headerHash } from '../../crosslink/header.js';
import { readSlotMetrics, SLOT_METRIC_NUMS } from '../../crosslink/slot-metrics.js';
import { OUTBOUND_NUMS, type SlotReport } from '../../crosslink/transport.js';
import { Beacon } from '../../simulator/beacon.js';
import { delayMean, delayQuantile } from '../../simulator/slot-delays.js';

const METRICS = readSlotMetrics(new Float64Array(SLOT_METRIC_NUMS), 0);

/** What block (shard, slot) sent: (destination, count, value) triples, destinations ascending. */
type Outbound = (shard: number, slot: number) => ReadonlyArray<readonly [number, number, number]>;

const noOutbound: Outbound = () => [];

/** Every shard's chained report for `slots` slots, as a shard would send them (minimal headers). */
function reportsOf(shards: number, slots: number, outbound: Outbound = noOutbound): SlotReport[][] {
  const parents = Array.from({ length: shards }, () => ZERO_HASH);
  const out: SlotReport[][] = [];
  for (let slot = 0; slot < slots; slot++) {
    const row: SlotReport[] = [];
    for (let shard = 0; shard < shards; shard++) {
      const header: BlockHeader = {
        shard,
        slot,
        parentHash: parents[shard]!,
        stateRoot: ZERO_HASH,
        txRoot: ZERO_HASH,
        receiptsRoot: ZERO_HASH,
        gasUsed: slot,
        txCount: 0,
        receiptCount: 0,
      };
      parents[shard] = headerHash(header);
      row.push({ shard, slot, header, outbound: Float64Array.from(outbound(shard, slot).flat()), metrics: METRICS, exec: new Float64Array(0) });
    }
    out.push(row);
  }
  return out;
}

/** The beacon before it had a capacity (simulator/beacon.ts at 52c5e63, chain checks left out): the reference for unlimited capacity. */
class ReferenceBeacon {
  private readonly pending = new Map<number, readonly SlotReport[]>();
  readonly finalizedInbound: Array<{ count: number; value: number }>;
  constructor(
    private readonly shards: number,
    private readonly finalityDelay: number,
  ) {
    this.finalizedInbound = Array.from({ length: shards }, () => ({ count: 0, value: 0 }));
  }
  record(slot: number, reports: readonly SlotReport[]): void {
    this.pending.set(slot, reports);
  }
  finalize(slot: number): { finalizedSlot: number; crosslinks: Crosslink[][] } {
    const crosslinks: Crosslink[][] = Array.from({ length: this.shards }, () => []);
    const src = slot - this.finalityDelay;
    const reports = this.pending.get(src);
    if (reports === undefined) return { finalizedSlot: -1, crosslinks };
    this.pending.delete(src);
    for (const r of reports) {
      for (let i = 0; i < r.outbound.length; i += OUTBOUND_NUMS) {
        const [dst, count, value] = [r.outbound[i]!, r.outbound[i + 1]!, r.outbound[i + 2]!];
        this.finalizedInbound[dst]!.count += count;
        this.finalizedInbound[dst]!.value += value;
        crosslinks[dst]!.push({ header: r.header, count, value });
      }
    }
    return { finalizedSlot: src, crosslinks };
  }
  unfinalized(): { count: number; value: number } {
    let count = 0;
    let value = 0;
    for (const reports of this.pending.values()) {
      for (const r of reports) {
        for (let i = 0; i < r.outbound.length; i += OUTBOUND_NUMS) {
          count += r.outbound[i + 1]!;
          value += r.outbound[i + 2]!;
        }
      }
    }
    return { count, value };
  }
}

type AnyBeacon = Pick<Beacon, 'record' | 'finalize' | 'unfinalized' | 'finalizedInbound'>;

/** The run.ts loop: finalize at the start of each slot, then record its reports; `drain` more slots in which no shard reports (their beacon blocks still crosslink). */
function drive(beacon: AnyBeacon, reports: readonly SlotReport[][], drain = 0) {
  const steps: Array<{ finalizedSlot: number; crosslinks: Crosslink[][]; unfinalized: { count: number; value: number }; inbound: string }> = [];
  for (let slot = 0; slot < reports.length + drain; slot++) {
    const { finalizedSlot, crosslinks } = beacon.finalize(slot);
    beacon.record(slot, reports[slot] ?? []);
    steps.push({ finalizedSlot, crosslinks, unfinalized: beacon.unfinalized(), inbound: JSON.stringify(beacon.finalizedInbound) });
  }
  return steps;
}

/** Random outbound batches: each block sends to a random set of destinations. */
const outboundArb = (shards: number, slots: number) =>
  fc
    .array(fc.array(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: shards, maxLength: shards }), { minLength: shards, maxLength: shards }), {
      minLength: slots,
      maxLength: slots,
    })
    .map(
      (counts): Outbound =>
        (shard, slot) =>
          counts[slot]![shard]!.flatMap((c, dst) => (c > 0 ? [[dst, c, 10 * c + dst] as const] : [])),
    );

const runArb = fc
  .record({ shards: fc.integer({ min: 1, max: 6 }), slots: fc.integer({ min: 1, max: 16 }), delay: fc.integer({ min: 1, max: 4 }) })
  .chain((p) => fc.record({ p: fc.constant(p), outbound: outboundArb(p.shards, p.slots) }));

const sent = (reports: readonly SlotReport[][]) => {
  let count = 0;
  let value = 0;
  for (const row of reports) {
    for (const r of row) {
      for (let i = 0; i < r.outbound.length; i += OUTBOUND_NUMS) {
        count += r.outbound[i + 1]!;
        value += r.outbound[i + 2]!;
      }
    }
  }
  return { count, value };
};

describe('beacon with unlimited capacity', () => {
  it('finalizes exactly what the beacon before capacity did, crosslink lists included', () => {
    fc.assert(
      fc.property(runArb, fc.constantFrom('unlimited', 'exact', 'spare'), ({ p, outbound }, cap) => {
        const reports = reportsOf(p.shards, p.slots, outbound);
        // A capacity of at least the shard count never binds: the same as unlimited.
        const capacity = cap === 'unlimited' ? Number.POSITIVE_INFINITY : cap === 'exact' ? p.shards : p.shards + 3;
        const got = drive(new Beacon(p.shards, p.delay, capacity), reports, p.delay + 1);
        const want = drive(new ReferenceBeacon(p.shards, p.delay), reports, p.delay + 1);
        expect(got).toStrictEqual(want);
      }),
      { numRuns: 150 },
    );
  });

  it('finalizes slot t - d at slot t, and every header waits exactly d slots', () => {
    const reports = reportsOf(4, 12, (shard, slot) => [[(shard + slot) % 4, 1, 1]]);
    const beacon = new Beacon(4, 3);
    const steps = drive(beacon, reports, 3);
    expect(steps.map((s) => s.finalizedSlot)).toEqual(steps.map((_, t) => (t < 3 ? -1 : t - 3)));
    expect(beacon.headerFinality(0, 12)).toEqual({ histogram: [[3, 48]], finalized: 48, unfinalized: 0 });
    expect(beacon.slotFinality(0, 12)).toEqual({ histogram: [[3, 12]], finalized: 12, unfinalized: 0 });
    expect(beacon.load(0, 12)).toEqual({
      slots: 12,
      crosslinksMean: 4,
      crosslinksMax: 4,
      backlogMean: 0,
      backlogMax: 0,
      capacityMin: Number.POSITIVE_INFINITY,
      capacityMean: Number.POSITIVE_INFINITY,
      agreementBytesMean: 0,
    });
  });
});

describe('beacon with a limited capacity', () => {
  it('with k <= c shards, every header and every slot is final exactly d slots after it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 1, max: 5 }), (k, spare, d) => {
        const beacon = new Beacon(k, d, k + spare);
        drive(beacon, reportsOf(k, 10), d);
        expect(beacon.headerFinality(0, 10)).toEqual({ histogram: [[d, 10 * k]], finalized: 10 * k, unfinalized: 0 });
        expect(beacon.slotFinality(0, 10)).toEqual({ histogram: [[d, 10]], finalized: 10, unfinalized: 0 });
      }),
    );
  });

  // Round robin, c of k shards a slot: each shard is crosslinked every P = k/c slots, so a header
  // waits 0..P-1 slots for its shard's turn, each equally often over a window of whole periods,
  // and a slot is final once its last shard's turn came: d + P - 1, within a slot of d + k/c.
  for (const [k, c] of [
    [64, 16],
    [128, 16],
  ] as const) {
    it(`with k = ${k}, c = ${c}: headers wait d + (k/c - 1)/2 on average, slots d + k/c - 1`, () => {
      const d = 2;
      const P = k / c;
      const beacon = new Beacon(k, d, c);
      drive(beacon, reportsOf(k, 100), d + P);
      const from = 2 * P;
      const to = from + 10 * P;
      const headers = beacon.headerFinality(from, to);
      expect(headers.unfinalized).toBe(0);
      expect(headers.histogram).toEqual(Array.from({ length: P }, (_, w) => [d + w, c * (to - from)]));
      expect(delayMean(headers)).toBeCloseTo(d + (P - 1) / 2, 12);
      expect(delayQuantile(headers, 0.99)).toBe(d + P - 1);
      expect(beacon.slotFinality(from, to).histogram).toEqual([[d + P - 1, to - from]]);
      // c crosslinks a block; after it, c shards wait with 1..P-1 headers each (and c with none).
      expect(beacon.load(from, to)).toEqual({
        slots: to - from,
        crosslinksMean: c,
        crosslinksMax: c,
        backlogMean: (c * P * (P - 1)) / 2,
        backlogMax: (c * P * (P - 1)) / 2,
        capacityMin: c,
        capacityMean: c,
        agreementBytesMean: 0,
      });
    });
  }

  it('doubling the shards at a fixed capacity more than doubles the wait beyond d: (2P - 1)/(P - 1)', () => {
    const extra = (k: number) => {
      const beacon = new Beacon(k, 2, 16);
      drive(beacon, reportsOf(k, 96), 12);
      return { header: delayMean(beacon.headerFinality(16, 80)) - 2, slot: delayMean(beacon.slotFinality(16, 80)) - 2 };
    };
    const [a, b] = [extra(64), extra(128)];
    expect(b.header / a.header).toBeCloseTo(7 / 3, 12);
    expect(b.slot / a.slot).toBeCloseTo(7 / 3, 12);
  });

  it('for any k > c, a header waits at most ceil(k/c) - 1 slots past d, and about (k/c - 1)/2 on average', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 2, max: 40 }), fc.integer({ min: 1, max: 3 }), (c, kOver, d) => {
        const k = c + kOver - 1;
        const bound = Math.ceil(k / c) - 1;
        const slots = 30 * Math.ceil(k / c) + 10;
        const beacon = new Beacon(k, d, c);
        drive(beacon, reportsOf(k, slots), d + bound + 1);
        const h = beacon.headerFinality(0, slots);
        expect(h.unfinalized).toBe(0);
        expect(h.histogram[h.histogram.length - 1]![0]).toBeLessThanOrEqual(d + bound);
        // Tolerance: half a slot (uneven turns when c does not divide k, and the start).
        expect(Math.abs(delayMean(beacon.headerFinality(slots / 2, slots)) - (d + (k / c - 1) / 2))).toBeLessThanOrEqual(0.5);
        expect(beacon.load(0, slots).crosslinksMax).toBeLessThanOrEqual(c);
      }),
      { numRuns: 60 },
    );
  });

  it('loses nothing: every header final once, every batch announced once, in canonical order, and receipts always accounted for', () => {
    fc.assert(
      fc.property(runArb, fc.integer({ min: 1, max: 6 }), ({ p, outbound }, capacity) => {
        const reports = reportsOf(p.shards, p.slots, outbound);
        const beacon = new Beacon(p.shards, p.delay, capacity);
        const drain = p.delay + Math.ceil(p.shards / capacity) + 1;
        const steps = drive(beacon, reports, drain);
        const announced = new Map<string, Crosslink>();
        const lastKey = new Array<number>(p.shards).fill(-1);
        let prev = -1;
        for (let t = 0; t < steps.length; t++) {
          const s = steps[t]!;
          expect(s.finalizedSlot).toBeGreaterThanOrEqual(prev);
          expect(s.finalizedSlot).toBeLessThanOrEqual(Math.max(-1, t - p.delay));
          for (let dst = 0; dst < p.shards; dst++) {
            for (const cl of s.crosslinks[dst]!) {
              // Newly final slots only, canonical (slot, then shard) across calls.
              expect(cl.header.slot).toBeGreaterThan(prev);
              expect(cl.header.slot).toBeLessThanOrEqual(s.finalizedSlot);
              const key = cl.header.slot * p.shards + cl.header.shard;
              expect(key).toBeGreaterThan(lastKey[dst]!);
              lastKey[dst] = key;
              const id = `${cl.header.shard}/${cl.header.slot}/${dst}`;
              expect(announced.has(id)).toBe(false);
              announced.set(id, cl);
            }
          }
          prev = s.finalizedSlot;
          // Receipts recorded so far are either announced or held as unfinalized.
          const inbound = JSON.parse(s.inbound) as Array<{ count: number; value: number }>;
          const recorded = sent(reports.slice(0, Math.min(t + 1, reports.length)));
          expect(s.unfinalized.count + inbound.reduce((a, b) => a + b.count, 0)).toBe(recorded.count);
          expect(s.unfinalized.value + inbound.reduce((a, b) => a + b.value, 0)).toBe(recorded.value);
        }
        expect(prev).toBeGreaterThanOrEqual(p.slots - 1);
        expect(beacon.unfinalized()).toEqual({ count: 0, value: 0 });
        expect(beacon.headerFinality(0, p.slots)).toMatchObject({ finalized: p.shards * p.slots, unfinalized: 0 });
        const batches = reports
          .flat()
          .flatMap((r) => outbound(r.shard, r.slot).map(([dst, count, value]) => ({ id: `${r.shard}/${r.slot}/${dst}`, count, value })));
        expect(announced.size).toBe(batches.length);
        for (const b of batches) expect(announced.get(b.id)).toMatchObject({ count: b.count, value: b.value });
      }),
      { numRuns: 150 },
    );
  });

  it('counts headers not final by the run end apart, and reports their receipts as unfinalized', () => {
    const k = 8;
    const reports = reportsOf(k, 10, (shard) => [[(shard + 1) % k, 2, 5]]);
    const beacon = new Beacon(k, 2, 1);
    drive(beacon, reports);
    const h = beacon.headerFinality(0, 10);
    // One shard a slot, blocks 0..7 final by slot 9: 8 crosslinks covering 1+2+...+8 headers, 36 of 80.
    expect(h).toMatchObject({ finalized: 36, unfinalized: 44 });
    expect(beacon.slotFinality(0, 10)).toMatchObject({ finalized: 1, unfinalized: 9 });
    const inbound = beacon.finalizedInbound.reduce((a, b) => a + b.count, 0);
    expect(inbound).toBe(2 * k);
    expect(beacon.unfinalized().count + inbound).toBe(2 * k * 10);
    // Round robin from slot 7 on: after each block, shards wait with 1..7 headers.
    expect(beacon.load(0, 10)).toMatchObject({ crosslinksMax: 1, backlogMax: (7 * 8) / 2 });
  });

  it('is deterministic: the same inputs give the same outputs and figures', () => {
    fc.assert(
      fc.property(runArb, fc.integer({ min: 1, max: 6 }), ({ p, outbound }, capacity) => {
        const run = () => {
          const beacon = new Beacon(p.shards, p.delay, capacity);
          const steps = drive(beacon, reportsOf(p.shards, p.slots, outbound), p.delay);
          return JSON.stringify({ steps, h: beacon.headerFinality(0, p.slots), s: beacon.slotFinality(0, p.slots), l: beacon.load(0, p.slots) });
        };
        expect(run()).toBe(run());
      }),
      { numRuns: 50 },
    );
  });

  it("takes a capacity slot by slot: each block holds at most its slot's, a committee of constant capacity equals the constant, and load reports the least and the mean", () => {
    fc.assert(
      fc.property(runArb, fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 8 }), ({ p, outbound }, caps) => {
        const capAt = (slot: number) => caps[slot % caps.length]!;
        const reports = reportsOf(p.shards, p.slots, outbound);
        const varying = new Beacon(p.shards, p.delay, { capacityAt: capAt, bytesAt: () => 0 });
        drive(varying, reports, p.delay + p.shards + 1);
        const load = varying.load(0, p.slots);
        const window = Array.from({ length: p.slots }, (_, s) => capAt(s));
        expect(load.capacityMin).toBe(Math.min(...window));
        expect(load.capacityMean).toBeCloseTo(window.reduce((a, b) => a + b, 0) / p.slots, 9);
        for (let s = 0; s < p.slots; s++) expect(varying.load(s, s + 1).crosslinksMax).toBeLessThanOrEqual(capAt(s));
        const fixed = caps[0]!;
        const asCommittee = new Beacon(p.shards, p.delay, { capacityAt: () => fixed, bytesAt: () => 0 });
        const asNumber = new Beacon(p.shards, p.delay, fixed);
        expect(JSON.stringify(drive(asCommittee, reports, p.delay + p.shards))).toBe(JSON.stringify(drive(asNumber, reports, p.delay + p.shards)));
      }),
      { numRuns: 60 },
    );
  });

  it('with a timed committee, records what agreeing on each block sent, for the crosslinks it holds', () => {
    const asked: Array<[number, number]> = [];
    const committee = {
      capacityAt: (slot: number) => 1 + (slot % 2),
      bytesAt: (slot: number, crosslinks: number) => {
        asked.push([slot, crosslinks]);
        return 1_000 + 100 * crosslinks;
      },
    };
    const beacon = new Beacon(3, 1, committee);
    drive(beacon, reportsOf(3, 4), 2);
    // Slot 0: 1 of 3 shards fits; slot 1: 2 fit; ...: every block's own count is what was timed.
    expect(asked.slice(0, 4)).toEqual([
      [0, 1],
      [1, 2],
      [2, 1],
      [3, 2],
    ]);
    const load = beacon.load(0, 4);
    expect(load.capacityMin).toBe(1);
    expect(load.agreementBytesMean).toBe(1_000 + (100 * (1 + 2 + 1 + 2)) / 4);
  });

  it('refuses a slot capacity that is not a whole number >= 1, when that slot is built', () => {
    const beacon = new Beacon(2, 1, { capacityAt: (slot) => (slot === 1 ? 0 : 2), bytesAt: () => 0 });
    const reports = reportsOf(2, 2);
    beacon.record(0, reports[0]!);
    expect(() => beacon.record(1, reports[1]!)).toThrow(ConfigError);
  });

  it('takes a slot whose headers arrive in any shard order, and announces them by shard', () => {
    const reports = reportsOf(3, 2, (shard) => [[0, 1, shard]]);
    const beacon = new Beacon(3, 1, 2);
    drive(beacon, [[...reports[0]!].reverse(), reports[1]!], 3);
    const again = new Beacon(3, 1, 2);
    const steps = drive(again, reports, 3);
    expect(steps.flatMap((s) => s.crosslinks[0]!.map((cl) => [cl.header.slot, cl.header.shard]))).toEqual([
      [0, 0],
      [0, 1],
      [0, 2],
      [1, 0],
      [1, 1],
      [1, 2],
    ]);
    expect(beacon.headerFinality(0, 2)).toEqual(again.headerFinality(0, 2));
  });
});

describe('beacon guards', () => {
  it('refuses a capacity or delay that is not a whole number of the right size', () => {
    for (const cap of [0, -1, 1.5, Number.NaN]) expect(() => new Beacon(2, 1, cap)).toThrow(ConfigError);
    expect(() => new Beacon(2, -1)).toThrow(ConfigError);
    expect(() => new Beacon(2, 1, 1)).not.toThrow();
  });

  it('refuses a slot recorded twice or out of order', () => {
    const reports = reportsOf(1, 2);
    const beacon = new Beacon(1, 1);
    beacon.record(
      1,
      [reports[0]![0]!].map((r) => ({ ...r, slot: 1, header: { ...r.header, slot: 1 } })),
    );
    expect(() => beacon.record(0, reports[0]!)).toThrow(ProtocolError);
    expect(() => beacon.record(1, [])).toThrow(ProtocolError);
  });

  it('refuses a header off its shard chain, and a batch for a shard the run does not have', () => {
    const reports = reportsOf(2, 2);
    expect(() => new Beacon(2, 1).record(1, reports[1]!)).toThrow(/crosslinked chain/);
    expect(() => new Beacon(2, 1).record(1, reports[0]!)).toThrow(/reported a header for shard 0 slot 0 in slot 1/);
    const stray = reportsOf(2, 1, (shard) => (shard === 1 ? [[5, 1, 1]] : []));
    const beacon = new Beacon(2, 1);
    beacon.record(0, stray[0]!);
    expect(() => beacon.finalize(1)).toThrow(/which the run does not have/);
  });
});
