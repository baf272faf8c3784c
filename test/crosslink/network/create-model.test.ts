import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InternalError } from '../../../crosslink/common/errors.js';
import { createNetworkModel } from '../../../crosslink/network/create-model.js';
import { LATENCY_ESTIMATE_ERROR } from '../../../crosslink/network/model.js';
import { DATACENTER, GLOBAL_2019, IDEAL } from '../../../crosslink/network/presets.js';
import { assignRegions } from '../../../crosslink/network/region-assignment.js';

describe('createNetworkModel', () => {
  it('places validators as assignRegions does for the seed and the shares', () => {
    const model = createNetworkModel(GLOBAL_2019, 777, 42);
    const expected = assignRegions(777, GLOBAL_2019.shares, 42);
    expect(model.validators).toBe(777);
    for (let v = 0; v < 777; v++) expect(model.regionOf(v)).toBe(expected[v]);
    expect(model.processingMs).toBe(2);
  });

  it('transmits bytes × 8 / min(upload of the sender’s region, download of the receiver’s)', () => {
    const model = createNetworkModel(GLOBAL_2019, 2000, 5);
    fc.assert(
      fc.property(fc.nat(1999), fc.nat(1999), fc.nat(10_000_000), (from, to, bytes) => {
        fc.pre(from !== to);
        const mbps = Math.min(GLOBAL_2019.uploadMbps[model.regionOf(from)]!, GLOBAL_2019.downloadMbps[model.regionOf(to)]!);
        expect(model.transmitMs(from, to, bytes)).toBeCloseTo(((bytes * 8) / (mbps * 1e6)) * 1000, 9);
      }),
    );
    // North America (19.2 Mbit/s up) to Europe (40 down): one MB takes 8e6 / 19.2e6 s.
    const na = [...Array(2000).keys()].find((v) => model.regionOf(v) === 0)!;
    const eu = [...Array(2000).keys()].find((v) => model.regionOf(v) === 1)!;
    expect(model.transmitMs(na, eu, 1_000_000)).toBeCloseTo(416.6667, 3);
    // Europe (20.7 up) to North America (52 down).
    expect(model.transmitMs(eu, na, 1_000_000)).toBeCloseTo(8e6 / 20.7e3, 6);
  });

  it('transmits in no time with unlimited bandwidth, or to oneself; 10 Gbit/s in the datacenter', () => {
    const ideal = createNetworkModel(IDEAL, 10, 1);
    expect(ideal.transmitMs(0, 1, 1e9)).toBe(0);
    const dc = createNetworkModel(DATACENTER, 10, 1);
    expect(dc.transmitMs(3, 3, 1e9)).toBe(0);
    // 1.25 MB is 10 Mbit: 1 ms at 10 Gbit/s.
    expect(dc.transmitMs(0, 1, 1_250_000)).toBeCloseTo(1, 12);
  });

  it('answers batch latencies exactly as latencyMs does, message by message, with draws and mean-only', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('pareto', 'mean'),
        fc.nat({ max: 2 ** 31 - 1 }),
        fc.nat(299),
        fc.array(fc.nat(299), { maxLength: 130 }),
        fc.record({ slot: fc.nat(), kind: fc.nat(20), index: fc.nat(70) }),
        (latency, seed, from, to, key) => {
          const model = createNetworkModel(GLOBAL_2019, 300, seed, { latency });
          const out = new Float64Array(to.length + 1).fill(-1);
          model.latenciesMs!(from, to, to.length, key, out);
          to.forEach((v, i) => expect(Object.is(out[i], model.latencyMs(from, v, key))).toBe(true));
          expect(out[to.length]).toBe(-1);
        },
      ),
    );
  });

  it('estimates latencies within LATENCY_ESTIMATE_ERROR of latencyMs (exactly where nothing is drawn)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('pareto', 'mean'),
        fc.nat({ max: 2 ** 31 - 1 }),
        fc.nat(299),
        fc.array(fc.nat(299), { maxLength: 130 }),
        fc.record({ slot: fc.nat(), kind: fc.nat(20), index: fc.nat(70) }),
        (latency, seed, from, to, key) => {
          const model = createNetworkModel(GLOBAL_2019, 300, seed, { latency });
          const out = new Float64Array(to.length);
          model.estimateLatenciesMs!(from, to, to.length, key, out);
          to.forEach((v, i) => {
            const exact = model.latencyMs(from, v, key);
            if (latency === 'mean' || v === from) expect(out[i]).toBe(exact);
            else expect(Math.abs(out[i]! - exact)).toBeLessThanOrEqual(LATENCY_ESTIMATE_ERROR * exact);
          });
        },
      ),
    );
  });

  it('refuses a validator it does not hold, and a validator count below 1', () => {
    const model = createNetworkModel(DATACENTER, 10, 1);
    for (const v of [-1, 10, 1.5, Number.NaN]) {
      expect(() => model.regionOf(v)).toThrow(InternalError);
      expect(() => model.latencyMs(0, v, { slot: 0, kind: 0, index: 0 })).toThrow(InternalError);
      expect(() => model.transmitMs(v, 0, 1)).toThrow(InternalError);
      expect(() => model.latenciesMs!(0, [v], 1, { slot: 0, kind: 0, index: 0 }, new Float64Array(1))).toThrow(InternalError);
    }
    expect(() => createNetworkModel(DATACENTER, 0, 1)).toThrow(InternalError);
    expect(() => createNetworkModel(DATACENTER, 2.5, 1)).toThrow(InternalError);
  });
});
