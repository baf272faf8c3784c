import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createNetworkModel } from '../../../crosslink/network/create-model.js';
import { LATENCY_ESTIMATE_ERROR, type MessageKey, type NetworkModel } from '../../../crosslink/network/model.js';
import { GLOBAL_2019, IDEAL } from '../../../crosslink/network/presets.js';
import { arrivalMs, sendInRotation, sendInTurn, uplinkArrivals } from '../../../crosslink/network/uplink.js';
import { jitteredNetwork } from '../../helpers/fixed-network.js';
import { oneRegion } from './one-region.js';

const key: MessageKey = { slot: 3, kind: 1, index: 0 };
const range = (a: number, b: number): number[] => Array.from({ length: b - a }, (_, i) => a + i);

describe('uplinkArrivals', () => {
  it('closed form: one region, latency L, bandwidth B, processing p: the k-th of m recipients holds it at t0 + k·S·8/B + L + p', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 0, max: 2_000_000 }),
        fc.double({ min: 1, max: 100_000, noNaN: true }),
        fc.double({ min: 0, max: 500, noNaN: true }),
        fc.double({ min: 0, max: 10, noNaN: true }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        (m, bytes, mbps, latency, processing, t0) => {
          const model = createNetworkModel(oneRegion(latency, mbps, processing), m + 1, 1, { latency: 'mean' });
          const arrival = uplinkArrivals(model, 0, range(1, m + 1), bytes, t0, key);
          const perCopy = (bytes * 8) / (mbps * 1000);
          arrival.forEach((at, i) => {
            const k = i + 1;
            const expected = t0 + k * perCopy + latency + processing;
            expect(Math.abs(at - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, expected));
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a leader sending 1 MB to 127 members at 100 Mbit/s: the last leaves after 127 × 80 ms', () => {
    const model = createNetworkModel(oneRegion(20, 100, 2), 128, 9, { latency: 'mean' });
    const arrival = uplinkArrivals(model, 0, range(1, 128), 1_000_000, 0, key);
    expect(arrival[0]).toBeCloseTo(80 + 20 + 2, 9);
    expect(arrival[126]).toBeCloseTo(127 * 80 + 20 + 2, 9);
  });

  it('pays each recipient’s own link: transmissions accumulate per recipient’s region, latencies are the model’s draws', () => {
    const model = createNetworkModel(GLOBAL_2019, 300, 4);
    const recipients = range(1, 40);
    const arrival = uplinkArrivals(model, 0, recipients, 50_000, 10, key);
    let sent = 10;
    recipients.forEach((to, k) => {
      sent += model.transmitMs(0, to, 50_000);
      expect(arrival[k]).toBe(sent + model.latencyMs(0, to, key) + model.processingMs);
    });
  });

  it('the sender among its recipients holds it at t0 and spends no transmission on itself', () => {
    const model = createNetworkModel(oneRegion(10, 8, 0), 4, 1, { latency: 'mean' });
    // 1000 bytes at 8 Mbit/s: 1 ms a copy.
    expect(Array.from(uplinkArrivals(model, 1, [0, 1, 2, 3], 1000, 5, key))).toEqual([16, 5, 17, 18]);
  });

  it('ideal: everyone holds it at t0', () => {
    const model = createNetworkModel(IDEAL, 128, 1);
    expect(Array.from(uplinkArrivals(model, 0, range(1, 128), 1e7, 0, key))).toEqual(new Array(127).fill(0));
  });
});

describe('sendInRotation', () => {
  const models: Readonly<Record<string, (seed: number) => NetworkModel>> = {
    'global-2019': (seed) => createNetworkModel(GLOBAL_2019, 400, seed),
    'global-2019 mean-only': (seed) => createNetworkModel(GLOBAL_2019, 400, seed, { latency: 'mean' }),
    'jittered (no batch latencies)': (seed) => jitteredNetwork(400, seed),
  };
  for (const [name, makeModel] of Object.entries(models)) {
    it(`gives exactly sendInTurn's figures in rotation order, into out[base + p·stride], the sender's entry untouched: ${name}`, () => {
      fc.assert(
        fc.property(
          fc.uniqueArray(fc.nat({ max: 399 }), { minLength: 2, maxLength: 130 }),
          fc.nat(),
          fc.nat({ max: 2 ** 31 - 1 }),
          fc.nat({ max: 2_000_000 }),
          fc.double({ min: 0, max: 1e5, noNaN: true }),
          fc.nat({ max: 5 }),
          fc.integer({ min: 1, max: 3 }),
          (members, fromSeed, seed, bytes, t0, base, stride) => {
            const model = makeModel(seed);
            const m = members.length;
            const from = fromSeed % m;
            const want = new Float64Array(base + m * stride).fill(-1);
            const wantFree = sendInTurn(
              model,
              members[from]!,
              m - 1,
              (k) => members[(from + k + 1) % m]!,
              bytes,
              t0,
              key,
              (k, ms) => {
                want[base + ((from + k + 1) % m) * stride] = ms;
              },
            );
            const got = new Float64Array(base + m * stride).fill(-1);
            expect(sendInRotation(model, members, from, t0, bytes, key, got, base, stride)).toBe(wantFree);
            expect(got).toEqual(want);
            got.forEach((x, i) => expect(Object.is(x, want[i])).toBe(true));
          },
        ),
        { numRuns: 100 },
      );
    });
  }
  it('with sentAt and a model that estimates: estimates within the bound, and sentAt from which the exact figures follow bit for bit', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.nat({ max: 399 }), { minLength: 2, maxLength: 130 }),
        fc.nat(),
        fc.nat({ max: 2 ** 31 - 1 }),
        fc.nat({ max: 2_000_000 }),
        fc.double({ min: 0, max: 1e5, noNaN: true }),
        fc.constantFrom('pareto', 'mean'),
        (members, fromSeed, seed, bytes, t0, latency) => {
          const model = createNetworkModel(GLOBAL_2019, 400, seed, { latency });
          const m = members.length;
          const from = fromSeed % m;
          const exact = new Float64Array(m);
          const free = sendInRotation(model, members, from, t0, bytes, key, exact, 0, 1);
          const estimate = new Float64Array(m);
          const sentAt = new Float64Array(m).fill(-1);
          expect(sendInRotation(model, members, from, t0, bytes, key, estimate, 0, 1, sentAt)).toBe(free);
          for (let p = 0; p < m; p++) {
            if (p === from) {
              expect(sentAt[p]).toBe(-1);
              continue;
            }
            const drawn = model.latencyMs(members[from]!, members[p]!, key);
            expect(Object.is(arrivalMs(sentAt[p]!, drawn, model.processingMs), exact[p])).toBe(true);
            expect(Math.abs(estimate[p]! - exact[p]!)).toBeLessThanOrEqual(2 * LATENCY_ESTIMATE_ERROR * exact[p]!);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
