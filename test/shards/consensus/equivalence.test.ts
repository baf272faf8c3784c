/**
 * The optimized timings (shards/consensus/, crosslink/network/uplink.ts
 * sendInRotation, the model's batch latencies) give exactly the figures of
 * the straightforward ones (./reference/: one model call per message through
 * sendInTurn's callbacks), bit for bit, on random committees of up to 128
 * members over the real model (global-2019 with Pareto draws and mean-only,
 * the datacenter), the jittered test double (no estimates), and a double
 * of near ties whose estimates use all the error they are allowed (so a
 * vote row's window must be wide enough).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createNetworkModel } from '../../../crosslink/network/create-model.js';
import { LatencyCache } from '../../../crosslink/network/latency-cache.js';
import type { NetworkModel } from '../../../crosslink/network/model.js';
import { DATACENTER, GLOBAL_2019 } from '../../../crosslink/network/presets.js';
import type { ConsensusInput, ConsensusProtocol, ConsensusTiming } from '../../../shards/consensus/contract.js';
import { gossipSpread } from '../../../shards/consensus/gossip-spread.js';
import { makeHotstuff } from '../../../shards/consensus/hotstuff.js';
import { PROTOCOLS } from '../../../shards/consensus/protocols.js';
import { makeTendermint } from '../../../shards/consensus/tendermint.js';
import { jitteredNetwork, nearTieNetwork } from '../../helpers/fixed-network.js';
import { makeHotstuff as referenceHotstuff } from './reference/hotstuff.js';
import { pbft as referencePbft } from './reference/pbft.js';
import { makeTendermint as referenceTendermint } from './reference/tendermint.js';

const VALIDATORS = 600;

const MODELS: Readonly<Record<string, (seed: number) => NetworkModel>> = {
  'global-2019': (seed) => createNetworkModel(GLOBAL_2019, VALIDATORS, seed),
  'global-2019 mean-only': (seed) => createNetworkModel(GLOBAL_2019, VALIDATORS, seed, { latency: 'mean' }),
  datacenter: (seed) => createNetworkModel(DATACENTER, VALIDATORS, seed),
  jittered: (seed) => jitteredNetwork(VALIDATORS, seed),
  'near ties with estimates at their error bound': (seed) => nearTieNetwork(VALIDATORS, seed),
};

/** Short timeouts so that rounds fail and later proposers are tried too. */
const SHORT = { proposeMs: 400, proposeDeltaMs: 300, prevoteMs: 100, prevoteDeltaMs: 50, precommitMs: 100, precommitDeltaMs: 50 };

const PAIRS: readonly (readonly [string, ConsensusProtocol, ConsensusProtocol])[] = [
  ['pbft', PROTOCOLS.pbft, referencePbft],
  ['hotstuff', PROTOCOLS.hotstuff, referenceHotstuff()],
  ['hotstuff signature-list', makeHotstuff({ certificate: 'signature-list' }), referenceHotstuff({ certificate: 'signature-list' })],
  ['tendermint', PROTOCOLS.tendermint, referenceTendermint()],
  ['tendermint short timeouts', makeTendermint({ timeouts: SHORT, maxRounds: 6 }), referenceTendermint({ timeouts: SHORT, maxRounds: 6 })],
];

/** Every figure of a timing, in order, to compare with Object.is (so 0 and -0, NaN and NaN are told apart as they are). */
function figures(t: ConsensusTiming): unknown[] {
  return [
    t.commitMs,
    t.proposalMs,
    t.voteMs,
    t.rounds,
    t.proposal.messages,
    t.proposal.bytes,
    t.votes.messages,
    t.votes.bytes,
    ...t.phases.flatMap((p) => [p.phase, p.ms]),
  ];
}

const aCommittee = fc
  .oneof(fc.constantFrom(4, 5, 16, 64, 127, 128), fc.integer({ min: 4, max: 128 }))
  .chain((m) => fc.uniqueArray(fc.nat({ max: VALIDATORS - 1 }), { minLength: m, maxLength: m }));

describe('optimized consensus timings', () => {
  for (const [modelName, makeModel] of Object.entries(MODELS)) {
    it(`equal the straightforward ones bit for bit: ${modelName}`, () => {
      fc.assert(
        fc.property(
          aCommittee,
          fc.nat(),
          fc.nat({ max: 100_000 }),
          fc.nat({ max: 2 ** 31 - 1 }),
          fc.integer({ min: 0, max: 300_000 }),
          fc.integer({ min: 0, max: 5_000 }),
          (committee, leaderSeed, slot, seed, blockBytes, voteBytes) => {
            const model = makeModel(seed);
            const input: ConsensusInput = {
              model,
              committee,
              leader: committee[leaderSeed % committee.length]!,
              slot,
              blockBytes,
              voteBytes,
              dissemination: 'direct',
            };
            for (const [name, fast, reference] of PAIRS) {
              const got = figures(fast.agree(input));
              const want = figures(reference.agree(input));
              expect(got.length, name).toBe(want.length);
              got.forEach((x, i) => expect(Object.is(x, want[i]), `${name}: figure ${i}: ${String(x)} vs ${String(want[i])}`).toBe(true));
            }
          },
        ),
        { numRuns: 40 },
      );
    });
  }
});

/** Committees large enough for VoteRows' sampled bracket (64 members and more), and some below it. */
const aLargeCommittee = fc
  .oneof(fc.constantFrom(60, 64, 100, 128), fc.integer({ min: 4, max: 128 }))
  .chain((m) => fc.uniqueArray(fc.nat({ max: VALIDATORS - 1 }), { minLength: m, maxLength: m }));

describe('optimized consensus timings through a LatencyCache (what a block plan does)', () => {
  for (const [modelName, makeModel] of Object.entries(MODELS)) {
    it(`equal the straightforward ones bit for bit at several sizes of one block, and after clear(): ${modelName}`, () => {
      fc.assert(
        fc.property(
          aLargeCommittee,
          fc.nat(),
          fc.nat({ max: 100_000 }),
          fc.nat({ max: 2 ** 31 - 1 }),
          fc.array(fc.integer({ min: 0, max: 300_000 }), { minLength: 2, maxLength: 4 }),
          fc.boolean(),
          (committee, leaderSeed, slot, seed, sizes, gossip) => {
            const inner = makeModel(seed);
            const cache = new LatencyCache(inner);
            const dissemination = gossip ? gossipSpread(seed) : 'direct';
            for (const [block, s] of [slot, slot + 1].entries()) {
              for (const blockBytes of sizes) {
                const input = (model: NetworkModel): ConsensusInput => ({
                  model,
                  committee,
                  leader: committee[(leaderSeed + block) % committee.length]!,
                  slot: s,
                  blockBytes,
                  voteBytes: 200,
                  dissemination,
                });
                for (const [name, fast, reference] of PAIRS) {
                  const got = figures(fast.agree(input(cache)));
                  const want = figures(reference.agree(input(inner)));
                  expect(got.length, name).toBe(want.length);
                  got.forEach((x, i) => expect(Object.is(x, want[i]), `${name}: figure ${i}: ${String(x)} vs ${String(want[i])}`).toBe(true));
                }
              }
              cache.clear();
            }
          },
        ),
        { numRuns: 12 },
      );
    });
  }
});
