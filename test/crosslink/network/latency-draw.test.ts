import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createNetworkModel } from '../../../crosslink/network/create-model.js';
import { MIN_PARETO_SHAPE, paretoFor, paretoLatencyMs } from '../../../crosslink/network/latency-draw.js';
import type { MessageKey, NetworkModel } from '../../../crosslink/network/model.js';
import { GLOBAL_2019, IDEAL } from '../../../crosslink/network/presets.js';

/** The first validator of `model` in region `r`, and the next one after it. */
function inRegion(model: NetworkModel, r: number, skip = 0): number {
  let seen = 0;
  for (let v = 0; v < model.validators; v++) if (model.regionOf(v) === r && seen++ === skip) return v;
  throw new Error(`no validator in region ${r}`);
}

const keyArb = fc.record({ slot: fc.nat(1_000_000), kind: fc.nat(64), index: fc.nat(1024) });

describe('paretoFor: SimBlock getLatency distribution', () => {
  it('is SimBlock’s at means of 10 ms and above: shape 0.2·mean, scale mean − 5', () => {
    for (const mean of [10, 11, 32, 124, 325]) {
      const p = paretoFor(mean);
      expect(p.shape).toBeCloseTo(0.2 * mean, 12);
      expect(p.scaleMs).toBeCloseTo(mean - 5, 10);
    }
  });

  it('holds the shape at 2 below 10 ms, keeping the mean (scale mean / 2) where SimBlock’s scale would reach 0 or turn negative', () => {
    for (const mean of [0.5, 1, 4, 5, 9.99]) {
      const p = paretoFor(mean);
      expect(p.shape).toBe(MIN_PARETO_SHAPE);
      expect(p.scaleMs).toBeCloseTo(mean / 2, 12);
      // The Pareto mean shape·scale/(shape − 1) is the table's.
      expect((p.shape * p.scaleMs) / (p.shape - 1)).toBeCloseTo(mean, 12);
    }
    expect(paretoLatencyMs(paretoFor(0), 0.3)).toBe(0);
  });

  it('never draws below the scale (the distribution’s minimum), reached at u → 1', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1000, noNaN: true }), fc.double({ min: 1e-12, max: 1, noNaN: true }), (mean, u) => {
        const p = paretoFor(mean);
        const x = paretoLatencyMs(p, u);
        expect(Number.isFinite(x)).toBe(true);
        expect(x).toBeGreaterThanOrEqual(p.scaleMs * (1 - 1e-12));
      }),
    );
    expect(paretoLatencyMs(paretoFor(32), 1)).toBe(27);
  });
});

describe('the model’s latency draw', () => {
  const model = createNetworkModel(GLOBAL_2019, 2000, 11);

  it('is the same for the same (seed, from, to, message) whatever was drawn before', () => {
    fc.assert(
      fc.property(fc.nat(1999), fc.nat(1999), keyArb, fc.array(fc.tuple(fc.nat(1999), fc.nat(1999), keyArb), { maxLength: 5 }), (from, to, key, noise) => {
        const first = model.latencyMs(from, to, key);
        for (const [a, b, k] of noise) model.latencyMs(a, b, k);
        expect(model.latencyMs(from, to, key)).toBe(first);
        expect(createNetworkModel(GLOBAL_2019, 2000, 11).latencyMs(from, to, key)).toBe(first);
      }),
      { numRuns: 300 },
    );
  });

  it('differs with the seed and with each field of the message key and the direction', () => {
    const a = inRegion(model, 0);
    const b = inRegion(model, 1);
    const key: MessageKey = { slot: 5, kind: 2, index: 1 };
    const base = model.latencyMs(a, b, key);
    expect(createNetworkModel(GLOBAL_2019, 2000, 12).latencyMs(a, b, key)).not.toBe(base);
    expect(model.latencyMs(a, b, { ...key, slot: 6 })).not.toBe(base);
    expect(model.latencyMs(a, b, { ...key, kind: 3 })).not.toBe(base);
    expect(model.latencyMs(a, b, { ...key, index: 0 })).not.toBe(base);
    expect(model.latencyMs(b, a, key)).not.toBe(base);
  });

  it('is 0 from a validator to itself, and 0 everywhere under the ideal preset', () => {
    fc.assert(
      fc.property(fc.nat(1999), fc.nat(1999), keyArb, (v, w, key) => {
        expect(model.latencyMs(v, v, key)).toBe(0);
        expect(createNetworkModel(IDEAL, 2000, 3).latencyMs(v, w, key)).toBe(0);
      }),
    );
  });

  it('never draws below SimBlock’s minimum for the pair (mean − 5 ms)', () => {
    fc.assert(
      fc.property(fc.nat(1999), fc.nat(1999), keyArb, (from, to, key) => {
        fc.pre(from !== to);
        const mean = GLOBAL_2019.latencyMs[model.regionOf(from)]![model.regionOf(to)]!;
        expect(model.latencyMs(from, to, key)).toBeGreaterThanOrEqual(mean - 5 - 1e-9);
      }),
      { numRuns: 500 },
    );
  });

  it.each([
    [1, 1],
    [0, 0],
    [4, 4],
    [3, 4],
    [0, 1],
    [2, 3],
  ])('averages the table’s mean (within 2%) over 200,000 messages from region %i to region %i, with a median where the Pareto puts it', (ra, rb) => {
    const from = inRegion(model, ra);
    const to = inRegion(model, rb, ra === rb ? 1 : 0);
    const mean = GLOBAL_2019.latencyMs[ra]![rb]!;
    const p = paretoFor(mean);
    const median = p.scaleMs * 2 ** (1 / p.shape);
    const n = 200_000;
    let sum = 0;
    let below = 0;
    for (let i = 0; i < n; i++) {
      const x = model.latencyMs(from, to, { slot: i >> 4, kind: i & 15, index: 0 });
      sum += x;
      if (x <= median) below++;
    }
    expect(Math.abs(sum / n - mean) / mean).toBeLessThan(0.02);
    expect(Math.abs(below / n - 0.5)).toBeLessThan(0.01);
  });

  it('takes exactly the pair’s mean with latency: mean (no jitter)', () => {
    const flat = createNetworkModel(GLOBAL_2019, 2000, 11, { latency: 'mean' });
    fc.assert(
      fc.property(fc.nat(1999), fc.nat(1999), keyArb, (from, to, key) => {
        fc.pre(from !== to);
        expect(flat.latencyMs(from, to, key)).toBe(GLOBAL_2019.latencyMs[flat.regionOf(from)]![flat.regionOf(to)]);
      }),
    );
  });
});
