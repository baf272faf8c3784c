/**
 * The beacon's capacity is what its committee can agree on within a slot,
 * through the network model: the largest block of crosslinks whose
 * agreement (the members checking every crosslink's signature before they
 * vote) commits in time, within the block's byte limit, at least one.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BLS_SIGNATURE_BYTES, crosslinkBytes, HEADER_BYTES } from '../../crosslink/network/message-sizes.js';
import { DATACENTER, GLOBAL_2019 } from '../../crosslink/network/presets.js';
import { type NetworkTables, tablesToJson } from '../../crosslink/network/tables.js';
import type { AgreementSetup } from '../../shards/consensus/slot-agreement.js';
import { BeaconAgreement, BLS_AGGREGATE_VERIFY_MS, beaconBlockBytes, GOSSIP_MAX_SIZE } from '../../simulator/beacon-capacity.js';

const setup = (tables: NetworkTables, over: Partial<AgreementSetup> = {}): AgreementSetup => ({
  tables: tablesToJson(tables),
  latency: 'pareto',
  protocol: 'pbft',
  dissemination: 'gossip',
  committee: 128,
  seed: 11,
  ...over,
});

const beacon = (tables: NetworkTables, slotMs: number, over: Partial<AgreementSetup> = {}) =>
  new BeaconAgreement(setup(tables, over), { committee: 128, shardCommittee: 128, slotMs });

describe('beacon capacity through the beacon committee agreement', () => {
  it('fills a block of GOSSIP_MAX_SIZE bytes with 280-byte crosslinks: 3,743', () => {
    expect(crosslinkBytes(128)).toBe(HEADER_BYTES + BLS_SIGNATURE_BYTES + 16);
    const b = beacon(DATACENTER, 12_000);
    expect(b.byBytes).toBe(Math.floor((GOSSIP_MAX_SIZE - HEADER_BYTES - BLS_SIGNATURE_BYTES) / 280));
    expect(b.byBytes).toBe(3_743);
    expect(beaconBlockBytes(b.byBytes, 128)).toBeLessThanOrEqual(GOSSIP_MAX_SIZE);
    expect(beaconBlockBytes(b.byBytes + 1, 128)).toBeGreaterThan(GOSSIP_MAX_SIZE);
  });

  it('is byte-bound in a datacenter with 12 s slots (agreement and 3,743 checks of 1.5 ms fit), time-bound with 1 s slots', () => {
    expect(beacon(DATACENTER, 12_000).capacityAt(0)).toBe(3_743);
    const c = beacon(DATACENTER, 1_000).capacityAt(0);
    expect(c).toBeLessThanOrEqual(Math.floor(1_000 / BLS_AGGREGATE_VERIFY_MS));
    expect(c).toBeGreaterThan(500);
  });

  it('is the largest count whose agreement commits within the slot, slot by slot', () => {
    const b = beacon(GLOBAL_2019, 1_000);
    for (let slot = 0; slot < 6; slot++) {
      const c = b.capacityAt(slot);
      expect(c).toBeGreaterThanOrEqual(1);
      expect(c).toBeLessThan(b.byBytes);
      expect(b.commitMs(slot, c)).toBeLessThanOrEqual(1_000);
      expect(b.commitMs(slot, c + 1)).toBeGreaterThan(1_000);
    }
  });

  it('answers as a bisection that times every count it asks about: counts whose check alone overruns the slot are not timed', () => {
    const plain = (b: BeaconAgreement, slot: number, slotMs: number): number => {
      const fits = (k: number): boolean => b.commitMs(slot, k) <= slotMs;
      let lo = 1;
      let hi = b.byBytes;
      if (fits(hi)) return hi;
      while (hi - lo > 1) {
        const mid = lo + Math.floor((hi - lo) / 2);
        if (fits(mid)) lo = mid;
        else hi = mid;
      }
      return lo;
    };
    for (const [tables, slotMs] of [
      [GLOBAL_2019, 1_000],
      [GLOBAL_2019, 2_000],
      [DATACENTER, 1_000],
      [DATACENTER, 12_000],
    ] as const) {
      const b = beacon(tables, slotMs);
      const timed: number[] = [];
      const commitMs = b.commitMs.bind(b);
      b.commitMs = (slot: number, k: number): number => {
        timed.push(k);
        return commitMs(slot, k);
      };
      for (let slot = 0; slot < 3; slot++) {
        timed.length = 0;
        const c = b.capacityAt(slot);
        expect(timed.every((k) => k * BLS_AGGREGATE_VERIFY_MS <= slotMs)).toBe(true);
        expect(c).toBe(plain(b, slot, slotMs));
      }
    }
  });

  it('costs capacity: a slower network, a shorter slot or a larger beacon committee hold fewer crosslinks', () => {
    const world = beacon(GLOBAL_2019, 2_000).capacityAt(3);
    expect(beacon(DATACENTER, 2_000).capacityAt(3)).toBeGreaterThan(world);
    expect(beacon(GLOBAL_2019, 1_000).capacityAt(3)).toBeLessThan(world);
    const small = new BeaconAgreement(setup(GLOBAL_2019), { committee: 16, shardCommittee: 128, slotMs: 2_000 });
    expect(small.capacityAt(3)).toBeGreaterThan(world);
  });

  it('is a pure function of (setup, slot): the order slots are asked in changes nothing', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 5 }), (slots) => {
        const fresh = (s: number) => beacon(GLOBAL_2019, 1_000, { committee: 16 }).capacityAt(s);
        const shared = beacon(GLOBAL_2019, 1_000, { committee: 16 });
        for (const s of slots) expect(shared.capacityAt(s)).toBe(fresh(s));
      }),
      { numRuns: 15 },
    );
  });

  it('still carries one crosslink when not even one fits the slot', () => {
    const b = beacon(GLOBAL_2019, 50);
    expect(b.commitMs(0, 1)).toBeGreaterThan(50);
    expect(b.capacityAt(0)).toBe(1);
  });

  it('counts what agreeing on a block sends: more crosslinks, more bytes, the same on every ask', () => {
    const b = beacon(GLOBAL_2019, 1_000);
    const empty = b.bytesAt(2, 0);
    expect(empty).toBeGreaterThan(0);
    expect(b.bytesAt(2, 100)).toBeGreaterThan(empty);
    expect(b.bytesAt(2, 100)).toBe(beacon(GLOBAL_2019, 1_000).bytesAt(2, 100));
  });
});
