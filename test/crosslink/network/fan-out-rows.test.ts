import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InternalError } from '../../../crosslink/common/errors.js';
import { createNetworkModel } from '../../../crosslink/network/create-model.js';
import { FanOutRows } from '../../../crosslink/network/fan-out-rows.js';
import { LatencyCache } from '../../../crosslink/network/latency-cache.js';
import type { MessageKey, NetworkModel } from '../../../crosslink/network/model.js';
import { GLOBAL_2019 } from '../../../crosslink/network/presets.js';
import type { NetworkTables } from '../../../crosslink/network/tables.js';
import { jitteredNetwork } from '../../helpers/fixed-network.js';

const VALIDATORS = 300;
const aCommittee = fc.integer({ min: 2, max: 40 }).chain((m) => fc.uniqueArray(fc.nat({ max: VALIDATORS - 1 }), { minLength: m, maxLength: m }));
const aKey = fc.record({ slot: fc.nat({ max: 10_000 }), kind: fc.nat({ max: 10 }), index: fc.nat({ max: 70 }) });

/** Two regions, each instant within itself and 80 ms from the other: draws of scale 0 beside Pareto ones. */
const HALF_INSTANT: NetworkTables = {
  regions: ['A', 'B'],
  latencyMs: [
    [0, 80],
    [80, 0],
  ],
  uploadMbps: [100, 20],
  downloadMbps: [100, 50],
  shares: [0.5, 0.5],
  processingMs: 0.5,
};

/** Rotation order: the k-th recipient of position s is position s + k + 1 modulo m. */
const recipient = (s: number, k: number, m: number): number => (s + k + 1) % m;

describe('FanOutRows', () => {
  for (const [name, make] of [
    ['global-2019 (estimates)', (seed: number) => createNetworkModel(GLOBAL_2019, VALIDATORS, seed)],
    ['global-2019 mean-only', (seed: number) => createNetworkModel(GLOBAL_2019, VALIDATORS, seed, { latency: 'mean' })],
    ['pairs with no latency (scale 0), estimated', (seed: number) => createNetworkModel(HALF_INSTANT, VALIDATORS, seed)],
    ['pairs with no latency (scale 0), mean-only', (seed: number) => createNetworkModel(HALF_INSTANT, VALIDATORS, seed, { latency: 'mean' })],
    ['jittered (exact only)', (seed: number) => jitteredNetwork(VALIDATORS, seed)],
  ] as const) {
    it(`holds the model's own figures, bit for bit, in rotation order: ${name}`, () => {
      fc.assert(
        fc.property(aCommittee, aKey, fc.nat({ max: 1000 }), fc.integer({ min: 0, max: 100_000 }), (members, key, seed, bytes) => {
          const model: NetworkModel = make(seed);
          const rows = new FanOutRows().fill(model, members, key);
          const m = members.length;
          expect(rows.estimated).toBe(model.estimateLatenciesMs !== undefined);
          const want = new Float64Array(m - 1);
          for (let s = 0; s < m; s++) {
            const to = Array.from({ length: m - 1 }, (_, k) => members[recipient(s, k, m)]!);
            if (model.estimateLatenciesMs !== undefined) model.estimateLatenciesMs(members[s]!, to, m - 1, key, want);
            else for (let k = 0; k < m - 1; k++) want[k] = model.latencyMs(members[s]!, to[k]!, key);
            const transmit = rows.transmitRow(s, bytes);
            for (let k = 0; k < m - 1; k++) {
              const p = recipient(s, k, m);
              expect(Object.is(rows.latencies()[s * (m - 1) + k], want[k])).toBe(true);
              expect(Object.is(transmit[s * (m - 1) + k], model.transmitMs(members[s]!, members[p]!, bytes))).toBe(true);
              // Asked twice: drawn once, the same figure.
              expect(Object.is(rows.exactLatency(p, s), model.latencyMs(members[s]!, members[p]!, key))).toBe(true);
              expect(Object.is(rows.exactLatency(p, s), model.latencyMs(members[s]!, members[p]!, key))).toBe(true);
            }
          }
        }),
        { numRuns: 30 },
      );
    });
  }

  it('recomputes a transmission row when the bytes change', () => {
    const model = createNetworkModel(GLOBAL_2019, VALIDATORS, 4);
    const members = [3, 50, 120, 7, 250];
    const rows = new FanOutRows().fill(model, members, { slot: 1, kind: 1, index: 0 });
    for (const bytes of [100, 5000, 100]) {
      const t = rows.transmitRow(2, bytes);
      expect(t[2 * 4]).toBe(model.transmitMs(120, 7, bytes));
    }
  });

  it('refuses a committee that holds a validator twice (a member would send to itself)', () => {
    const model = createNetworkModel(GLOBAL_2019, VALIDATORS, 4);
    expect(() => new FanOutRows().fill(model, [1, 2, 1], { slot: 0, kind: 1, index: 0 })).toThrow(InternalError);
  });

  it('refilled for another committee or key, holds only those', () => {
    const model = createNetworkModel(GLOBAL_2019, VALIDATORS, 4);
    const key: MessageKey = { slot: 2, kind: 1, index: 0 };
    const rows = new FanOutRows().fill(model, [1, 2, 3, 4], key);
    expect(rows.holds([1, 2, 3, 4], { ...key })).toBe(true);
    expect(rows.holds([1, 2, 4, 3], key)).toBe(false);
    expect(rows.holds([1, 2, 3], key)).toBe(false);
    expect(rows.holds([1, 2, 3, 4], { ...key, index: 1 })).toBe(false);
    rows.fill(model, [9, 8, 7], { ...key, kind: 2 });
    expect(rows.holds([9, 8, 7], { ...key, kind: 2 })).toBe(true);
    expect(rows.holds([1, 2, 3, 4], key)).toBe(false);
  });
});

describe('LatencyCache.fanOutRows', () => {
  it('gives the block the same rows for the same committee and key, others for another, and fresh rows after clear()', () => {
    const inner = createNetworkModel(GLOBAL_2019, VALIDATORS, 4);
    const cache = new LatencyCache(inner);
    const members = [10, 20, 30, 40, 50];
    const key: MessageKey = { slot: 5, kind: 1, index: 0 };
    const a = cache.fanOutRows(members, key);
    expect(cache.fanOutRows([...members], { ...key })).toBe(a);
    const b = cache.fanOutRows(members, { ...key, kind: 2 });
    expect(b).not.toBe(a);
    expect(cache.fanOutRows([10, 20, 30, 40, 51], key)).not.toBe(a);
    cache.clear();
    // Buffers may be reused from the pool, but the rows are refilled for what is asked.
    const c = cache.fanOutRows([1, 2, 3], { slot: 6, kind: 1, index: 0 });
    expect(c.holds([1, 2, 3], { slot: 6, kind: 1, index: 0 })).toBe(true);
    const want = new FanOutRows().fill(inner, [1, 2, 3], { slot: 6, kind: 1, index: 0 });
    expect(Array.from(c.latencies().subarray(0, 6))).toEqual(Array.from(want.latencies().subarray(0, 6)));
  });
});
