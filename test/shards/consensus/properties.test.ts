import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConsensusInput } from '../../../shards/consensus/contract.js';
import { PROTOCOLS } from '../../../shards/consensus/protocols.js';
import { firstMembers, fixedNetwork, jitteredNetwork } from '../../helpers/fixed-network.js';

const BFT = ['pbft', 'hotstuff', 'tendermint'] as const;

interface Case {
  readonly m: number;
  readonly L: number;
  readonly S: number;
  readonly V: number;
  readonly bitsPerMs: number;
  readonly P: number;
}

function oneRegion(c: Case): ConsensusInput {
  return {
    model: fixedNetwork({ validators: c.m, latencyMs: c.L, bitsPerMs: c.bitsPerMs, processingMs: c.P }),
    committee: firstMembers(c.m),
    leader: 0,
    slot: 3,
    blockBytes: c.S,
    voteBytes: c.V,
    dissemination: 'direct',
  };
}

const aCase = fc.record({
  m: fc.integer({ min: 4, max: 48 }),
  L: fc.double({ min: 0, max: 300, noNaN: true }),
  S: fc.integer({ min: 0, max: 4_000_000 }),
  V: fc.integer({ min: 0, max: 4_000 }),
  bitsPerMs: fc.constantFrom(1_000, 20_000, 100_000, 1_000_000, 10_000_000),
  P: fc.double({ min: 0, max: 5, noNaN: true }),
});

describe('consensus timings as functions', () => {
  it('are deterministic: the same input gives the same result, whatever was timed in between and on a fresh model', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...BFT),
        fc.uniqueArray(fc.nat({ max: 299 }), { minLength: 4, maxLength: 64 }),
        fc.nat(),
        fc.nat({ max: 10_000 }),
        fc.nat({ max: 2 ** 31 - 1 }),
        (name, committee, leaderSeed, slot, seed) => {
          const input = (): ConsensusInput => ({
            model: jitteredNetwork(300, seed),
            committee,
            leader: committee[leaderSeed % committee.length]!,
            slot,
            blockBytes: 200_000,
            voteBytes: 150,
            dissemination: 'direct',
          });
          const first = PROTOCOLS[name].agree(input());
          for (const other of BFT) PROTOCOLS[other].agree({ ...input(), slot: slot + 1 });
          expect(PROTOCOLS[name].agree(input())).toEqual(first);
          expect(Number.isFinite(first.commitMs) || name === 'tendermint').toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('never commit sooner with a longer latency, a larger block or a larger committee (one region, direct), and ideal is 0', () => {
    fc.assert(
      fc.property(
        aCase,
        fc.double({ min: 0, max: 300, noNaN: true }),
        fc.integer({ min: 0, max: 2_000_000 }),
        fc.integer({ min: 1, max: 40 }),
        (c, dL, dS, dm) => {
          for (const name of BFT) {
            const base = PROTOCOLS[name].agree(oneRegion(c)).commitMs;
            expect(PROTOCOLS[name].agree(oneRegion({ ...c, L: c.L + dL })).commitMs, `${name}: latency`).toBeGreaterThanOrEqual(base);
            expect(PROTOCOLS[name].agree(oneRegion({ ...c, S: c.S + dS })).commitMs, `${name}: block size`).toBeGreaterThanOrEqual(base);
            expect(PROTOCOLS[name].agree(oneRegion({ ...c, m: c.m + dm })).commitMs, `${name}: committee`).toBeGreaterThanOrEqual(base);
          }
          expect(PROTOCOLS.ideal.agree(oneRegion(c)).commitMs).toBe(0);
        },
      ),
      { numRuns: 150 },
    );
  });
});
