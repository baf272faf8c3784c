import { describe, expect, it } from 'vitest';
import { hotstuff, makeHotstuff } from '../../../shards/consensus/hotstuff.js';
import { pbft } from '../../../shards/consensus/pbft.js';
import { quorumSize } from '../../../shards/consensus/quorum.js';
import { closedFormInput, SLOW, SMALL, times } from './closed-form-network.js';

/**
 * Basic HotStuff's times in the one-region model, derived by hand (positions
 * counted from the leader, q = m - f, c a certificate's transmission):
 * - member k holds the proposal at p(k) = kT + d; the leader's uplink is
 *   busy until U = (m-1)T;
 * - prepare votes reach the leader at p(k) + v + d; its own counts at 0, so
 *   the prepare QC forms at QC1 = p(q-1) + v + d = (q-1)T + v + 2d;
 * - the leader sends PRE-COMMIT from B1 = max(QC1, U), member k holds it at
 *   B1 + kc + d (after its block: B1 >= U >= kT), votes at once (its uplink
 *   finished its last vote long before when c >= v), so
 *   QC2 = B1 + (q-1)c + v + 2d;
 * - COMMIT from B2 = max(QC2, B1 + (m-1)c) (the uplink still sending
 *   PRE-COMMIT); QC3 = B2 + (q-1)c + v + 2d;
 * - DECIDE from B3 = max(QC3, B2 + (m-1)c); member k decides at B3 + kc + d,
 *   the leader at QC3, so the q-th decision is member q-1's:
 *     commit = B3 + (q-1)c + d.
 */
function hotstuffClosedForm(m: number, T: number, v: number, c: number, d: number) {
  const q = quorumSize(m);
  const qc1 = (q - 1) * T + v + 2 * d;
  const b1 = Math.max(qc1, (m - 1) * T);
  const qc2 = b1 + (q - 1) * c + v + 2 * d;
  const b2 = Math.max(qc2, b1 + (m - 1) * c);
  const qc3 = b2 + (q - 1) * c + v + 2 * d;
  const b3 = Math.max(qc3, b2 + (m - 1) * c);
  return { qc1, qc2, qc3, commit: b3 + (q - 1) * c + d };
}

describe('hotstuff', () => {
  it('reaches each QC and commits at exactly the closed form, with threshold certificates (a vote in size)', () => {
    for (const setting of [SMALL, SLOW]) {
      const { T, v, d } = times(setting);
      for (const m of [4, 5, 7, 16, 31, 64, 128]) {
        const r = hotstuff.agree(closedFormInput(setting, m));
        const f = hotstuffClosedForm(m, T, v, v, d);
        expect(r.phases).toEqual([
          { phase: 'proposal', ms: (quorumSize(m) - 1) * T + d },
          { phase: 'prepare-qc', ms: f.qc1 },
          { phase: 'pre-commit-qc', ms: f.qc2 },
          { phase: 'commit-qc', ms: f.qc3 },
          { phase: 'decide', ms: f.commit },
        ]);
        expect(r.commitMs).toBe(f.commit);
        expect(r.voteMs).toBe(f.qc1);
      }
    }
  });

  it('carries q signatures in a certificate when certificates are signature lists', () => {
    const { T, v, d } = times(SMALL);
    const m = 31;
    const q = quorumSize(m);
    const r = makeHotstuff({ certificate: 'signature-list' }).agree(closedFormInput(SMALL, m));
    expect(r.commitMs).toBe(hotstuffClosedForm(m, T, v, q * v, d).commit);
    expect(r.votes.bytes).toBe(3 * (m - 1) * (1 + q) * SMALL.voteBytes);
  });

  it('sends linear messages: m - 1 proposals, 3(m - 1) votes and 3(m - 1) certificates', () => {
    for (const m of [4, 16, 128]) {
      const r = hotstuff.agree(closedFormInput(SMALL, m));
      expect(r.proposal).toEqual({ messages: m - 1, bytes: (m - 1) * SMALL.blockBytes });
      expect(r.votes).toEqual({ messages: 6 * (m - 1), bytes: 6 * (m - 1) * SMALL.voteBytes });
    }
    // Against PBFT's quadratic count at m = 128: 762 messages against 32,385.
    expect(hotstuff.agree(closedFormInput(SMALL, 128)).votes.messages).toBe(762);
    expect(pbft.agree(closedFormInput(SMALL, 128)).votes.messages).toBe(32_385);
  });

  it('waits for the whole block fan-out before the second phase: the leader uplink is one queue', () => {
    const { T } = times(SMALL);
    const m = 64;
    const r = hotstuff.agree(closedFormInput(SMALL, m));
    expect(r.phases[2]!.ms).toBeGreaterThan((m - 1) * T);
  });
});
