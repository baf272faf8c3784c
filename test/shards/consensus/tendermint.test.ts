import { describe, expect, it } from 'vitest';
import { faultTolerance, quorumSize } from '../../../shards/consensus/quorum.js';
import { COMETBFT_TIMEOUTS, makeTendermint, tendermint } from '../../../shards/consensus/tendermint.js';
import { closedFormInput, SLOW, SMALL, times } from './closed-form-network.js';

/**
 * Tendermint's commit time in the one-region model, derived by hand, for
 * f >= 2, T > 3mv + 3d, and every member holding the proposal within
 * timeout_propose (positions from the proposer, q = m - f):
 * - member k holds the proposal at p(k) = kT + d; the proposer's uplink is
 *   busy until (m-1)T, so its own prevote goes out only then;
 * - prevotes: member s multicasts from p(s); member j receives it at
 *   p(s) + ((j - s) mod m)·v + d, increasing with s. A member needs q for the
 *   block, its own counting, so q - 1 others: members j >= q have them on
 *   the proposal (polka at p(j)); members 1..q-1 wait for member q's,
 *   R(j) = qT + (m-q+j)v + 2d; the proposer R(0) = (q-1)T + (m-q+1)v + 2d;
 * - precommits go out at R(j) for members 1..q-1 (uplinks idle by then), at
 *   p(j) + (m-1)v for members j >= q, at (m-1)(T + v) for the proposer;
 * - a member decides on q precommits (its own counting): member q at
 *   qT + mv + 3d; the proposer at qT + (2m-q)v + 3d; member j in 1..q-2 at
 *   qT + (2m-q+j)v + 3d (its last one from member q-1); member q-1 at
 *   qT + max((m-1)v + 3d, (2m-2)v + 2d) (its last from member q or from
 *   the earlier ones); members beyond q at (q+1)T or later;
 * - these are q + 1 early decisions (members 0..q), so the q-th is the
 *   second latest of them: member q-3's, qT + (2m-3)v + 3d, or member
 *   q-1's, qT + (2m-2)v + 2d, whichever is later:
 *     commit = qT + (2m - 3)v + 2d + max(v, d).
 * PBFT's is qT + (2m - 3)v + 2d: the proposal is not a prevote, so a
 * member's quorum needs one more vote, which costs a flight or a vote slot.
 */
function tendermintClosedForm(m: number, T: number, v: number, d: number): number {
  return quorumSize(m) * T + (2 * m - 3) * v + 2 * d + Math.max(v, d);
}

describe('tendermint', () => {
  it('commits in round 0 at exactly the closed form when the proposal arrives within timeout_propose', () => {
    // SMALL has d > v; the second setting (no latency, a short processing time) d < v.
    for (const setting of [SMALL, { ...SMALL, L: 0, P: 0.03125 }]) {
      const { T, v, d } = times(setting);
      for (const m of [7, 8, 10, 16, 31, 46]) {
        expect(faultTolerance(m)).toBeGreaterThanOrEqual(2);
        expect((m - 1) * T + d).toBeLessThanOrEqual(COMETBFT_TIMEOUTS.proposeMs);
        const r = tendermint.agree(closedFormInput(setting, m));
        expect(r.rounds, `m = ${m}`).toBe(1);
        expect(r.commitMs, `m = ${m}, d = ${d}`).toBe(tendermintClosedForm(m, T, v, d));
        expect(r.proposalMs).toBe((quorumSize(m) - 1) * T + d);
      }
    }
  });

  it('fails a round whose proposal reaches fewer than q members by timeout_propose, and commits in the next', () => {
    // m = 7 (q = 5), T = 1 s: member 4 holds the block at 4,005 ms, after the 3 s timeout, so round 0 fails and
    // lasts 3 + 1 + 1 s. Round 1's timeout_propose is 3 + 5 = 8 s (a large delta, so every member is in time),
    // and the closed form holds from round 1's start: 5,000 + 5·1,000 + 11·1 + 2·5 + 5 = 10,026 ms.
    const { T, v, d } = times(SLOW);
    const m = 7;
    const protocol = makeTendermint({ timeouts: { ...COMETBFT_TIMEOUTS, proposeDeltaMs: 5_000 }, maxRounds: 64 });
    const r = protocol.agree(closedFormInput(SLOW, m));
    expect(r.rounds).toBe(2);
    expect(r.commitMs).toBe(5_000 + tendermintClosedForm(m, T, v, d));
    expect(r.commitMs).toBe(10_026);
    expect(r.phases[0]).toEqual({ phase: 'round-start', ms: 5_000 });
    // Both rounds' proposals and votes are sent (the failed round's votes are nil).
    expect(r.proposal.messages).toBe(2 * (m - 1));
    expect(r.votes.messages).toBe(2 * 2 * m * (m - 1));
  });

  it('with CometBFT defaults, walks the rounds until timeout_propose (3 s + 0.5 s a round) covers the quorum', () => {
    // q = 5 members need member 4's 4,005 ms: rounds 0, 1, 2 (3, 3.5, 4 s) fail, round 3 (4.5 s) succeeds.
    // Round r fails after (3 + 0.5r) + 2(1 + 0.5r) s = 5 + 1.5r s, so round 3 starts at 5 + 6.5 + 8 = 19.5 s.
    const r = tendermint.agree(closedFormInput(SLOW, 7));
    expect(r.rounds).toBe(4);
    expect(r.phases[0]).toEqual({ phase: 'round-start', ms: 19_500 });
    expect(r.proposalMs).toBe(19_500 + 4_005);
    // Members 5 and 6 (5,005 and 6,005 ms) miss the 4.5 s timeout and prevote nil; the quorum for the block then
    // needs the proposer's prevote, which waits for its 6 s fan-out: the commit comes after it.
    expect(r.commitMs).toBeGreaterThan(19_500 + 6_000);
    expect(r.commitMs).toBeLessThan(19_500 + 7_000);
  });

  it('gives up after maxRounds: the commit time is Infinity and the traffic of every round is counted', () => {
    const m = 7;
    const protocol = makeTendermint({ timeouts: { ...COMETBFT_TIMEOUTS, proposeDeltaMs: 0 }, maxRounds: 3 });
    const r = protocol.agree(closedFormInput(SLOW, m));
    expect(r.commitMs).toBe(Number.POSITIVE_INFINITY);
    expect(r.rounds).toBe(3);
    expect(r.proposal.messages).toBe(3 * (m - 1));
    expect(r.votes.messages).toBe(3 * 2 * m * (m - 1));
  });

  it('sends O(m²) votes: all-to-all prevotes and precommits, 2m(m - 1) a round', () => {
    for (const m of [4, 16, 40]) {
      const r = tendermint.agree(closedFormInput(SMALL, m));
      expect(r.rounds).toBe(1);
      expect(r.proposal.messages).toBe(m - 1);
      expect(r.votes).toEqual({ messages: 2 * m * (m - 1), bytes: 2 * m * (m - 1) * SMALL.voteBytes });
    }
  });
});
