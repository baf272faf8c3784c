import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../crosslink/common/errors.js';
import { BLS_SIGNATURE_BYTES, crosslinkBytes, HEADER_BYTES } from '../../crosslink/network/message-sizes.js';
import { ATTESTATIONS_BLOCK_BYTES, beaconCapacity, DEFAULT_CAPACITY, DEFAULT_CAPACITY_PARAMS, MAX_ATTESTATION_BYTES } from '../../simulator/beacon-capacity.js';

describe('beacon capacity', () => {
  it('gives the documented figures for the default set: 2,666 crosslinks a slot, verification-bound, not 64', () => {
    expect(HEADER_BYTES).toBe(168);
    expect(MAX_ATTESTATION_BYTES).toBe(485);
    expect(ATTESTATIONS_BLOCK_BYTES).toBe(62_080);
    expect(beaconCapacity()).toEqual({ crosslinkBytes: 168 + 96 + 16, byBytes: 3_744, byTime: 2_666, capacity: 2_666 });
    expect(DEFAULT_CAPACITY).toBe(2_666);
    // Only the attestations' share of a phase-0 block: byte-bound at 221.
    expect(beaconCapacity({ ...DEFAULT_CAPACITY_PARAMS, blockBytes: ATTESTATIONS_BLOCK_BYTES }).capacity).toBe(221);
  });

  it('is the lesser of the byte and time bounds, at least 1, and never grows with heavier crosslinks or slower checks', () => {
    const params = fc.record({
      blockBytes: fc.integer({ min: 1, max: 2 ** 24 }),
      headerBytes: fc.integer({ min: 0, max: 4_096 }),
      committeeSize: fc.integer({ min: 0, max: 4_096 }),
      verifyBudgetMs: fc.double({ min: 0.001, max: 60_000, noNaN: true }),
      verifyMsPerCrosslink: fc.double({ min: 0.001, max: 100, noNaN: true }),
    });
    fc.assert(
      fc.property(params, fc.integer({ min: 1, max: 1_000 }), (p, more) => {
        const c = beaconCapacity(p);
        expect(c.crosslinkBytes).toBe(p.headerBytes + BLS_SIGNATURE_BYTES + Math.ceil(p.committeeSize / 8));
        expect(c.byBytes * c.crosslinkBytes).toBeLessThanOrEqual(p.blockBytes);
        expect((c.byBytes + 1) * c.crosslinkBytes).toBeGreaterThan(p.blockBytes);
        expect(c.capacity).toBe(Math.max(1, Math.min(c.byBytes, c.byTime)));
        expect(beaconCapacity({ ...p, headerBytes: p.headerBytes + more }).capacity).toBeLessThanOrEqual(c.capacity);
        expect(beaconCapacity({ ...p, verifyMsPerCrosslink: p.verifyMsPerCrosslink * 2 }).capacity).toBeLessThanOrEqual(c.capacity);
      }),
    );
  });

  it('carries at least one crosslink even when none fits', () => {
    expect(beaconCapacity({ ...DEFAULT_CAPACITY_PARAMS, blockBytes: 10 })).toMatchObject({ byBytes: 0, capacity: 1 });
  });

  it('refuses parameters that are not sizes or durations', () => {
    expect(crosslinkBytes(129, 152)).toBe(152 + 96 + 17);
    for (const bad of [
      { blockBytes: 0 },
      { blockBytes: Number.POSITIVE_INFINITY },
      { headerBytes: -1 },
      { headerBytes: 1.5 },
      { committeeSize: Number.NaN },
      { verifyBudgetMs: -1 },
      { verifyMsPerCrosslink: 0 },
    ]) {
      expect(() => beaconCapacity({ ...DEFAULT_CAPACITY_PARAMS, ...bad })).toThrow(ConfigError);
    }
  });
});
