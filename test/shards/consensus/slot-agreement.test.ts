import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createNetworkModel } from '../../../crosslink/network/create-model.js';
import { VOTE_BYTES } from '../../../crosslink/network/message-sizes.js';
import { GLOBAL_2019 } from '../../../crosslink/network/presets.js';
import { type NetworkTables, tablesToJson } from '../../../crosslink/network/tables.js';
import { consensusProtocol } from '../../../shards/consensus/protocols.js';
import { type AgreementSetup, PACKED_SHARE, SlotAgreement } from '../../../shards/consensus/slot-agreement.js';

/** One region, latency L ms, B Mbit/s both ways, no processing, no jitter. */
const oneRegion = (L: number, mbps: number): NetworkTables => ({
  regions: ['R'],
  latencyMs: [[L]],
  uploadMbps: [mbps],
  downloadMbps: [mbps],
  shares: [1],
  processingMs: 0,
});

const setup = (over: Partial<AgreementSetup> = {}): AgreementSetup => ({
  tables: tablesToJson(GLOBAL_2019),
  latency: 'pareto',
  protocol: 'pbft',
  dissemination: 'gossip',
  committee: 16,
  seed: 5,
  ...over,
});

describe('SlotAgreement', () => {
  it('times a block exactly as the protocol does over the same model, committee and leader', () => {
    const s = setup({ dissemination: 'direct' });
    const a = new SlotAgreement(s, 2, 4, 1000);
    const model = createNetworkModel(GLOBAL_2019, 4 * 16, s.seed);
    const committee = Array.from({ length: 16 }, (_, i) => 32 + i);
    for (const slot of [0, 1, 7]) {
      const direct = consensusProtocol('pbft').agree({
        model,
        committee,
        leader: a.leaderOf(slot),
        slot,
        blockBytes: 50_000,
        voteBytes: VOTE_BYTES,
        dissemination: 'direct',
      });
      expect(a.timing(slot, 50_000)).toEqual(direct);
    }
  });

  it('rotates the leader through its own committee, one member a slot', () => {
    const a = new SlotAgreement(setup(), 3, 8, 1000);
    const leaders = Array.from({ length: 16 }, (_, slot) => a.leaderOf(slot));
    expect(new Set(leaders).size).toBe(16);
    for (const v of leaders) expect(v >= 48 && v < 64).toBe(true);
    expect(a.leaderOf(16)).toBe(leaders[0]);
  });

  it('plans the largest block that fits: agreement plus execution within the slot, the next item over or the slot packed within 2%', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('pbft', 'hotstuff', 'tendermint'),
        fc.constantFrom('direct', 'gossip'),
        fc.integer({ min: 4, max: 24 }),
        fc.integer({ min: 0, max: 3_000 }),
        fc.integer({ min: 0, max: 20 }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        (protocol, dissemination, committee, count, slot, msPerItem) => {
          const a = new SlotAgreement(setup({ protocol, dissemination, committee }), 0, 2, 1000);
          const bytesOf = (k: number) => 300 + 110 * k;
          const execMs = (k: number) => k * msPerItem;
          const plan = a.plan(slot, count, bytesOf, execMs);
          const over = (k: number) => a.timing(slot, bytesOf(k)).commitMs + execMs(k) - 1000;
          if (plan.timing === null) {
            expect(plan.items).toBe(0);
            expect(over(0)).toBeGreaterThan(0);
            return;
          }
          expect(plan.items).toBeLessThanOrEqual(count);
          expect(plan.timing).toEqual(a.timing(slot, bytesOf(plan.items)));
          expect(over(plan.items)).toBeLessThanOrEqual(0);
          if (plan.items < count) {
            expect(over(plan.items + 1) > 0 || over(plan.items) > -PACKED_SHARE * 1000).toBe(true);
            expect(plan.cut).toBe(true);
          } else expect(plan.cut).toBe(false);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('closed form: one region, no jitter, direct PBFT: a block of S bytes costs the leader its transmissions to the quorum, and doubling m costs more', () => {
    // 8 Mbit/s: a byte takes 1 µs, so 100 kB takes 100 ms a copy; latency 10 ms.
    const tables = tablesToJson(oneRegion(10, 8));
    const at = (m: number, bytes: number) =>
      new SlotAgreement(setup({ tables, latency: 'mean', dissemination: 'direct', committee: m }), 0, 1, 10_000).timing(0, bytes);
    for (const m of [4, 8, 16]) {
      const small = at(m, 1_000);
      const large = at(m, 101_000);
      // The last member the quorum needs gets the block after q − 1 copies; 100 kB more is q − 1 copies of 100 ms more.
      const q = m - Math.floor((m - 1) / 3);
      expect(large.proposalMs - small.proposalMs).toBeCloseTo((q - 1) * 100, 6);
      expect(large.commitMs).toBeGreaterThan(small.commitMs + (q - 1) * 100 - 1e-6);
    }
    expect(at(16, 101_000).commitMs).toBeGreaterThan(at(8, 101_000).commitMs + 4 * 100);
  });

  it('misses a slot when even an empty block cannot be agreed in time', () => {
    const tables = tablesToJson(oneRegion(400, 1_000));
    const a = new SlotAgreement(setup({ tables, latency: 'mean', dissemination: 'direct', committee: 4 }), 0, 1, 1000);
    // PBFT: the pre-prepare, the prepares and the commits each take 400 ms.
    expect(
      a.plan(
        0,
        10,
        (k) => 300 + k,
        () => 0,
      ),
    ).toEqual({ items: 0, timing: null, cut: false });
    expect(a.timing(0, 300).commitMs).toBeGreaterThanOrEqual(1200);
  });
});
