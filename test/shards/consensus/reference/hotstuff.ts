// Reference copy of shards/consensus/hotstuff.ts as first written (one model call per message through sendInTurn's callbacks): the straightforward timings the optimized ones must equal bit for bit (equivalence.test.ts). Do not optimize.
/**
 * Basic HotStuff (Yin, Malkhi, Reiter, Gueta, Abraham, "HotStuff: BFT
 * Consensus with Linearity and Responsiveness", PODC 2019, Algorithm 2),
 * one view, timed exactly over the network model.
 *
 * - PREPARE: the leader sends the proposal (the block) to every member
 *   (the dissemination); each member votes to the leader.
 * - The leader forms the prepare QC at the q-th vote it holds (q = n - f,
 *   its own vote counting at once) and sends PRE-COMMIT, carrying the QC, to
 *   every member; they vote; the pre-commit QC; COMMIT and its votes; the
 *   commit QC; then DECIDE.
 * - A member decides (executes the block) when it holds DECIDE with the
 *   commit QC; the leader at the commit QC. We count the block committed
 *   when q members have decided: three voting phases, then DECIDE's
 *   delivery. (Chained HotStuff pipelines these phases over successive
 *   blocks; one block's latency is the same.)
 *
 * Members act on a phase only once they hold the block. Votes go to the
 * leader only, so messages are linear: 3(m - 1) votes and 3(m - 1)
 * certificates. A certificate's size: one vote's, as the paper's QC is a
 * threshold signature (section 3), or q votes' with `certificate:
 * 'signature-list'` (a QC as the list of its signers' signatures).
 */

import { checkCommittee } from '../../../../shards/consensus/committee-check.js';
import { type ConsensusInput, type ConsensusProtocol, type ConsensusTiming, MessageKind } from '../../../../shards/consensus/contract.js';
import { kthSmallest } from '../../../../shards/consensus/order-statistics.js';
import { quorumSize } from '../../../../shards/consensus/quorum.js';
import { spreadProposal } from './dissemination.js';
import { fanOut } from './uplink.js';

export interface HotstuffOptions {
  /** How a quorum certificate is carried: one threshold signature (a vote's size) or the list of q signatures. */
  readonly certificate: 'threshold' | 'signature-list';
}

const VOTE_KINDS = [MessageKind.hotstuffPrepareVote, MessageKind.hotstuffPreCommitVote, MessageKind.hotstuffCommitVote] as const;
const CERTIFICATE_KINDS = [MessageKind.hotstuffPreCommit, MessageKind.hotstuffCommit, MessageKind.hotstuffDecide] as const;
const QC_PHASES = ['prepare-qc', 'pre-commit-qc', 'commit-qc'] as const;

export function makeHotstuff(options: HotstuffOptions = { certificate: 'threshold' }): ConsensusProtocol {
  function agree(input: ConsensusInput): ConsensusTiming {
    const leader = checkCommittee('hotstuff', 4, input);
    const { model, committee, slot, voteBytes } = input;
    const m = committee.length;
    const q = quorumSize(m);
    const qcBytes = options.certificate === 'threshold' ? voteBytes : q * voteBytes;
    const spread = spreadProposal(input, leader, 0);
    const block = spread.arrivalMs;
    const free = Float64Array.from(spread.uplinkFreeMs);
    const leaderId = committee[leader]!;
    const processing = model.processingMs;

    // When each member acts in the current phase: first, on holding the proposal.
    const ready = Float64Array.from(block);
    const votes = new Float64Array(m);
    const phases = [{ phase: 'proposal', ms: kthSmallest(Float64Array.from(block), 0, m, q) }];
    for (let phase = 0; phase < 3; phase++) {
      const key = { slot, kind: VOTE_KINDS[phase]!, index: 0 };
      for (let i = 0; i < m; i++) {
        if (i === leader) {
          votes[i] = ready[i]!;
          continue;
        }
        const id = committee[i]!;
        const sent = Math.max(ready[i]!, free[i]!) + model.transmitMs(id, leaderId, voteBytes);
        free[i] = sent;
        votes[i] = sent + model.latencyMs(id, leaderId, key) + processing;
      }
      const qc = kthSmallest(votes, 0, m, q);
      phases.push({ phase: QC_PHASES[phase]!, ms: qc });
      // The next phase's message (PRE-COMMIT, COMMIT, DECIDE) carries the QC to every member.
      const certificateKey = { slot, kind: CERTIFICATE_KINDS[phase]!, index: 0 };
      free[leader] = fanOut(model, committee, leader, Math.max(qc, free[leader]!), qcBytes, certificateKey, ready, 0, 1);
      ready[leader] = qc;
      for (let i = 0; i < m; i++) ready[i] = Math.max(ready[i]!, block[i]!);
    }
    // `ready` now holds when each member holds DECIDE (the leader: the commit QC).
    const commitMs = kthSmallest(ready, 0, m, q);
    phases.push({ phase: 'decide', ms: commitMs });
    return {
      commitMs,
      proposalMs: phases[0]!.ms,
      voteMs: phases[1]!.ms,
      phases,
      proposal: { messages: spread.messages, bytes: spread.bytes },
      votes: { messages: 6 * (m - 1), bytes: 3 * (m - 1) * (voteBytes + qcBytes) },
      rounds: 1,
    };
  }
  return { name: 'hotstuff', minCommittee: 4, agree };
}

/** Basic HotStuff with threshold-signature certificates. */
export const hotstuff: ConsensusProtocol = makeHotstuff();
