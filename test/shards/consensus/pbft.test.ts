import { describe, expect, it } from 'vitest';
import type { ConsensusInput } from '../../../shards/consensus/contract.js';
import { pbft } from '../../../shards/consensus/pbft.js';
import { faultTolerance, quorumSize } from '../../../shards/consensus/quorum.js';
import { closedFormInput, SMALL, times } from './closed-form-network.js';

// SMALL: one region, T = 64 ms per block, v = 0.0625 ms per vote, d = 0.5 ms a flight (closed-form-network.ts).
const { T, v, d } = times(SMALL);
const S = SMALL.blockBytes;
const V = SMALL.voteBytes;
const input = (m: number, overrides: Partial<ConsensusInput> = {}): ConsensusInput => closedFormInput(SMALL, m, overrides);

/**
 * PBFT's commit time in this model, derived by hand, for T > 3mv + 3d (the
 * block's transmission dominates a member's whole vote fan-out and flights).
 * Positions are counted from the leader (0); q = m - f.
 *
 * - Pre-prepare: member k holds it at p(k) = kT + d (the leader's uplink
 *   sends to 1, 2, ... in turn); the leader's uplink is busy until (m-1)T.
 * - Prepares: backup s multicasts from p(s) to s+1, s+2, ... (mod m); member
 *   j receives it at p(s) + ((j - s) mod m)·v + d. These arrivals increase
 *   with s, so backup j's (q-2) other prepares (its own counts, q - 1 in all)
 *   come from the first backups: members j ≥ q-1 are prepared on the
 *   pre-prepare, P(j) = p(j); members j ≤ q-2 wait for backup q-1,
 *   P(j) = (q-1)T + (m-q+1+j)v + 2d; the leader (q - 1 others) likewise,
 *   P(0) = (q-1)T + (m-q+1)v + 2d.
 * - Commits: member s multicasts when prepared and its uplink is free:
 *   members 1..q-2 at P(s), member q-1 at (q-1)T + d + (m-1)v (after its
 *   prepare fan-out), member s ≥ q at sT + d + (m-1)v, the leader at (m-1)T
 *   (after its block fan-out). Members 1..q-1 are the early group, all
 *   within (q-1)T + 2mv + 2d.
 * - Committed (q commits, its own counting): member q and beyond on the
 *   pre-prepare, sT + d; the leader once the early group's commits are in,
 *   ~(q-1)T; members j in 1..q-1 hold q - 2 early commits and their own, and
 *   need one more: member q's when f ≥ 2 (the leader's uplink is busy until
 *   (m-1)T > qT), qT + (2m-1-q+j)v + 2d; the leader's when f = 1 (then
 *   (m-1)T = qT), qT + jv + d.
 * - The block commits at the q-th smallest: the leader, member q, then
 *   members 1, 2, ..., q-2, so
 *     f ≥ 2:  qT + (2m - 3)v + 2d
 *     f = 1:  qT + (q - 2)v + d.
 * Not the naive "(m-1)T, then two vote rounds": the vote rounds of the first
 * members overlap the leader's fan-out to the rest, and only q members are
 * needed.
 */
function pbftClosedForm(m: number): number {
  const q = quorumSize(m);
  return faultTolerance(m) >= 2 ? q * T + (2 * m - 3) * v + 2 * d : q * T + (q - 2) * v + d;
}

describe('pbft', () => {
  it('commits a block at exactly the time the closed form derives, for committees of 4 to 128', () => {
    for (const m of [4, 5, 6, 7, 8, 10, 16, 31, 32, 33, 64, 100, 128]) {
      expect(3 * m * v + 3 * d).toBeLessThan(T);
      expect(pbft.agree(input(m)).commitMs, `m = ${m}`).toBe(pbftClosedForm(m));
    }
  });

  it("a check of c ms before voting (a beacon block's crosslinks) commits exactly c ms later: every vote waits for it", () => {
    for (const m of [16, 64, 128]) {
      for (const c of [0.5, 2, 24]) expect(pbft.agree(input(m, { checkMs: c })).commitMs, `m = ${m}, c = ${c}`).toBe(pbftClosedForm(m) + c);
    }
  });

  it('holds whether a flight is longer or shorter than a vote transmission (no latency, P = 0.03125 ms < v)', () => {
    const setting = { ...SMALL, L: 0, P: 0.03125 };
    const t = times(setting);
    expect(t.d).toBeLessThan(t.v);
    for (const m of [4, 5, 7, 16, 64, 128]) {
      const q = quorumSize(m);
      const expected = faultTolerance(m) >= 2 ? q * t.T + (2 * m - 3) * t.v + 2 * t.d : q * t.T + (q - 2) * t.v + t.d;
      expect(pbft.agree(closedFormInput(setting, m)).commitMs, `m = ${m}`).toBe(expected);
    }
  });

  it('times the pre-prepare quorum at the q-th member and the leader-relative phases in order', () => {
    const m = 16;
    const q = quorumSize(m);
    const r = pbft.agree(input(m));
    // The leader holds it at 0, member k at kT + d: the q-th is member q - 1.
    expect(r.proposalMs).toBe((q - 1) * T + d);
    expect(r.phases.map((p) => p.phase)).toEqual(['pre-prepare', 'prepared', 'committed']);
    expect(r.proposalMs).toBeLessThanOrEqual(r.voteMs);
    expect(r.voteMs).toBeLessThanOrEqual(r.commitMs);
  });

  it('doubling the committee raises the time as the leader fan-out predicts: by (q(2m) - q(m))·T + 2m·v', () => {
    for (const m of [8, 16, 32, 64]) {
      const grown = pbft.agree(input(2 * m)).commitMs - pbft.agree(input(m)).commitMs;
      expect(grown).toBe((quorumSize(2 * m) - quorumSize(m)) * T + 2 * m * v);
      // Dominated by the fan-out: the extra members the block must reach before a quorum holds it.
      expect(grown).toBeGreaterThan((quorumSize(2 * m) - quorumSize(m)) * T);
    }
  });

  it('sends O(m²) messages: m - 1 pre-prepares, (m - 1)² prepares, m(m - 1) commits', () => {
    for (const m of [4, 16, 128]) {
      const r = pbft.agree(input(m));
      expect(r.proposal).toEqual({ messages: m - 1, bytes: (m - 1) * S });
      expect(r.votes.messages).toBe((m - 1) * (m - 1) + m * (m - 1));
      expect(r.votes.bytes).toBe(r.votes.messages * V);
      expect(r.rounds).toBe(1);
    }
  });

  it('gives the same time whoever leads in a one-region model (the fan-out is a rotation)', () => {
    const m = 10;
    const base = pbft.agree(input(m)).commitMs;
    for (let leader = 1; leader < m; leader++) expect(pbft.agree(input(m, { leader })).commitMs).toBe(base);
  });
});
