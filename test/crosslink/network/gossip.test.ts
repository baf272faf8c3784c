import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InternalError } from '../../../crosslink/common/errors.js';
import { createNetworkModel } from '../../../crosslink/network/create-model.js';
import { GOSSIP_DEGREE, type GossipMessage, type GossipResult, gossipArrivals } from '../../../crosslink/network/gossip.js';
import { chain, DRAW_TAG, seedTag, unitOpen } from '../../../crosslink/network/keyed-draw.js';
import type { MessageKey, NetworkModel } from '../../../crosslink/network/model.js';
import { GLOBAL_2019, IDEAL } from '../../../crosslink/network/presets.js';
import { uplinkArrivals } from '../../../crosslink/network/uplink.js';
import { oneRegion } from './one-region.js';

const key: MessageKey = { slot: 7, kind: 1, index: 0 };
const range = (a: number, b: number): number[] => Array.from({ length: b - a }, (_, i) => a + i);
const sorted = (a: Float64Array): number[] => Array.from(a).sort((x, y) => x - y);

/**
 * The same rule, computed the slow way: each round, scan for the earliest
 * unhandled member that holds the message (lower position on ties) and let it
 * draw its peers from the same shuffled list of unhandled members. Checks the
 * event heap and its lazy deletion, not the rule.
 */
function slowGossip(model: NetworkModel, msg: GossipMessage, seed: number, degree: number): GossipResult {
  const m = msg.members.length;
  const arrival = new Float64Array(m).fill(Number.POSITIVE_INFINITY);
  const copiesSent = new Uint32Array(m);
  const firstFrom = new Int32Array(m).fill(-1);
  const uplinkFreeMs = new Float64Array(m);
  const lacking = range(0, m);
  let left = m;
  arrival[msg.origin] = msg.t0;
  const messageTag = chain(chain(chain(seedTag(seed, DRAW_TAG.gossip), msg.key.slot), msg.key.kind), msg.key.index);
  for (;;) {
    let slot = -1;
    for (let i = 0; i < left; i++) {
      const c = lacking[i]!;
      const best = slot < 0 ? -1 : lacking[slot]!;
      if (arrival[c]! < Number.POSITIVE_INFINITY && (best < 0 || arrival[c]! < arrival[best]! || (arrival[c] === arrival[best] && c < best))) slot = i;
    }
    if (slot < 0) break;
    const p = lacking[slot]!;
    [lacking[slot], lacking[left - 1]] = [lacking[left - 1]!, p];
    left--;
    if (left === 0) break;
    const t = arrival[p]!;
    const from = msg.members[p]!;
    const holderTag = chain(messageTag, from);
    let sent = t;
    for (let i = 0; i < left && copiesSent[p]! < degree; i++) {
      const j = i + Math.floor(unitOpen(chain(holderTag, i)) * (left - i));
      [lacking[i], lacking[j]] = [lacking[j]!, lacking[i]!];
      const c = lacking[i]!;
      if (arrival[c]! <= t) continue;
      copiesSent[p]! += 1;
      sent += model.transmitMs(from, msg.members[c]!, msg.bytes);
      const arrives = sent + model.latencyMs(from, msg.members[c]!, msg.key) + model.processingMs;
      if (arrives < arrival[c]!) {
        arrival[c] = arrives;
        firstFrom[c] = p;
      }
    }
    if (copiesSent[p]! > 0) uplinkFreeMs[p] = sent;
  }
  return { arrivalMs: arrival, copiesSent, firstFrom, uplinkFreeMs };
}

describe('gossipArrivals', () => {
  it('uses gossipsub’s mesh degree D = 8 by default', () => {
    expect(GOSSIP_DEGREE).toBe(8);
  });

  it('reaches every member; the origin holds it at t0; each holder sends at most D copies and the committee at least m − 1', () => {
    const model = createNetworkModel(GLOBAL_2019, 1024, 3);
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.nat(1023), { minLength: 1, maxLength: 150 }),
        fc.nat(),
        fc.integer({ min: 1, max: 12 }),
        fc.nat(4_000_000),
        fc.double({ min: 0, max: 1e5, noNaN: true }),
        fc.nat(),
        (members, o, degree, bytes, t0, seed) => {
          const origin = o % members.length;
          const r = gossipArrivals(model, { members, origin, bytes, t0, key }, seed, degree);
          expect(r.arrivalMs[origin]).toBe(t0);
          for (const at of r.arrivalMs) {
            expect(Number.isFinite(at)).toBe(true);
            expect(at).toBeGreaterThanOrEqual(t0);
          }
          let total = 0;
          for (const c of r.copiesSent) {
            expect(c).toBeLessThanOrEqual(degree);
            total += c;
          }
          expect(total).toBeGreaterThanOrEqual(members.length - 1);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('matches the same rule computed by scanning (the event queue loses and reorders nothing)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(GLOBAL_2019, IDEAL, oneRegion(30, 50, 2)),
        fc.uniqueArray(fc.nat(255), { minLength: 1, maxLength: 40 }),
        fc.nat(),
        fc.integer({ min: 1, max: 10 }),
        fc.nat(2_000_000),
        fc.nat(),
        (tables, members, o, degree, bytes, seed) => {
          const model = createNetworkModel(tables, 256, seed);
          const msg = { members, origin: o % members.length, bytes, t0: 100, key };
          const fast = gossipArrivals(model, msg, seed, degree);
          const slow = slowGossip(model, msg, seed, degree);
          expect(Array.from(fast.arrivalMs)).toEqual(Array.from(slow.arrivalMs));
          expect(Array.from(fast.copiesSent)).toEqual(Array.from(slow.copiesSent));
          expect(Array.from(fast.firstFrom)).toEqual(Array.from(slow.firstFrom));
          expect(Array.from(fast.uplinkFreeMs)).toEqual(Array.from(slow.uplinkFreeMs));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('delivers each first copy as the rule says: from an earlier holder, after 1 to D of its transmissions, its latency and processing', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 200 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 100_000 }),
        fc.nat(),
        (m, degree, bytes, seed) => {
          // 1 ms a copy (bytes at bytes × 8 / 1000 Mbit/s), 10 ms latency, 1 ms processing.
          const model = createNetworkModel(oneRegion(10, (bytes * 8) / 1000, 1), m, seed, { latency: 'mean' });
          const r = gossipArrivals(model, { members: range(0, m), origin: seed % m, bytes, t0: 0, key }, seed, degree);
          r.firstFrom.forEach((h, c) => {
            if (c === seed % m) return expect(h).toBe(-1);
            expect(r.arrivalMs[h]!).toBeLessThan(r.arrivalMs[c]!);
            const copies = r.arrivalMs[c]! - r.arrivalMs[h]! - 10 - 1;
            expect(Math.abs(copies - Math.round(copies))).toBeLessThan(1e-9);
            expect(Math.round(copies)).toBeGreaterThanOrEqual(1);
            expect(Math.round(copies)).toBeLessThanOrEqual(Math.min(degree, r.copiesSent[h]!));
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('with D >= m − 1 and relays no faster than the origin’s uplink, equals the direct fan-out’s order statistics', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 64 }), fc.nat(1_000_000), fc.integer({ min: 10, max: 10_000 }), fc.nat(), (m, bytes, mbps, seed) => {
        const perCopy = (bytes * 8) / (mbps * 1000);
        // A relay's first copy arrives at best T + 2(L + p) after the origin's first; the origin's last at (m − 1)T + L + p.
        const latency = Math.max(1, (m - 2) * perCopy);
        const model = createNetworkModel(oneRegion(latency, mbps, 2), m, seed, { latency: 'mean' });
        const members = range(0, m);
        const gossip = gossipArrivals(model, { members, origin: 0, bytes, t0: 50, key }, seed, m - 1 + (seed % 3));
        const direct = uplinkArrivals(model, 0, members, bytes, 50, key);
        const g = sorted(gossip.arrivalMs);
        const d = sorted(direct);
        g.forEach((x, i) => expect(x).toBeCloseTo(d[i]!, 9));
      }),
      { numRuns: 200 },
    );
  });

  it('beats a leader’s direct fan-out when the uplink is the bottleneck: 1 MB to 127 members at 100 Mbit/s', () => {
    const model = createNetworkModel(oneRegion(20, 100, 2), 128, 1, { latency: 'mean' });
    const members = range(0, 128);
    const gossip = gossipArrivals(model, { members, origin: 0, bytes: 1_000_000, t0: 0, key }, 1);
    const direct = uplinkArrivals(model, 0, members, 1_000_000, 0, key);
    expect(Math.max(...direct)).toBeCloseTo(127 * 80 + 22, 6);
    // D = 8 copies per hop, 8 × 80 ms + 22 ms per hop, about log8(128) < 3 hops.
    expect(Math.max(...gossip.arrivalMs)).toBeLessThan(3 * (8 * 80 + 22));
  });

  it('ideal: every member holds it at t0', () => {
    const model = createNetworkModel(IDEAL, 128, 1);
    const r = gossipArrivals(model, { members: range(0, 128), origin: 5, bytes: 1e6, t0: 0, key }, 9);
    expect(Array.from(r.arrivalMs)).toEqual(new Array(128).fill(0));
  });

  it('is a function of its arguments: same seed and message, same arrivals; another seed or message, others', () => {
    const model = createNetworkModel(GLOBAL_2019, 512, 8);
    const members = range(100, 228);
    const msg = { members, origin: 0, bytes: 200_000, t0: 0, key };
    const a = gossipArrivals(model, msg, 8);
    expect(Array.from(gossipArrivals(model, msg, 8).arrivalMs)).toEqual(Array.from(a.arrivalMs));
    expect(Array.from(gossipArrivals(model, msg, 9).arrivalMs)).not.toEqual(Array.from(a.arrivalMs));
    expect(Array.from(gossipArrivals(model, { ...msg, key: { ...key, slot: 8 } }, 8).arrivalMs)).not.toEqual(Array.from(a.arrivalMs));
  });

  it('refuses an origin outside the members and a degree below 1', () => {
    const model = createNetworkModel(IDEAL, 8, 1);
    expect(() => gossipArrivals(model, { members: [0, 1, 2], origin: 3, bytes: 1, t0: 0, key }, 1)).toThrow(InternalError);
    expect(() => gossipArrivals(model, { members: [0, 1, 2], origin: 0, bytes: 1, t0: 0, key }, 1, 0)).toThrow(InternalError);
  });
});
