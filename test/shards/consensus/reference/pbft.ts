// Reference copy of shards/consensus/pbft.ts as first written (one model call per message through sendInTurn's callbacks): the straightforward timings the optimized ones must equal bit for bit (equivalence.test.ts). Do not optimize.
/**
 * PBFT's normal case (Castro and Liskov, "Practical Byzantine Fault
 * Tolerance", OSDI 1999, section 4.2), timed exactly over the network model.
 *
 * - The primary (the leader) sends the pre-prepare, carrying the block, to
 *   every backup (the proposal's dissemination).
 * - A backup that holds the pre-prepare multicasts a prepare to all others.
 *   The primary sends none: its pre-prepare stands for its vote.
 * - prepared(i): i holds the pre-prepare and 2f prepares from distinct
 *   backups, its own counting ("adds both messages to its log"); with the
 *   quorum q = m - f of quorum.ts, q - 1 prepares.
 * - A prepared member multicasts a commit; committed-local(i): prepared and
 *   q commits (2f + 1), its own among them.
 * - The block commits when q members are committed-local.
 *
 * Each time is an order statistic: member j's prepared time is the
 * (q - 1)-th smallest of the prepares it holds (its own at its pre-prepare
 * time), and no earlier than its pre-prepare; and so on. O(m²) messages,
 * O(m²) work per block.
 */

import { checkCommittee } from '../../../../shards/consensus/committee-check.js';
import type { ConsensusInput, ConsensusProtocol, ConsensusTiming } from '../../../../shards/consensus/contract.js';
import { MessageKind } from '../../../../shards/consensus/contract.js';
import { kthSmallest } from '../../../../shards/consensus/order-statistics.js';
import { quorumSize } from '../../../../shards/consensus/quorum.js';
import { scratch } from '../../../../shards/consensus/scratch.js';
import { spreadProposal } from './dissemination.js';
import { fanOut } from './uplink.js';

function agree(input: ConsensusInput): ConsensusTiming {
  const leader = checkCommittee('pbft', 4, input);
  const { model, committee, slot, voteBytes } = input;
  const m = committee.length;
  const q = quorumSize(m);
  const spread = spreadProposal(input, leader, 0);
  const prePrepare = spread.arrivalMs;
  const free = Float64Array.from(spread.uplinkFreeMs);
  // Row j holds what member j receives, column s what member s sent.
  const rows = scratch(m * m);

  const prepareKey = { slot, kind: MessageKind.pbftPrepare, index: 0 };
  for (let s = 0; s < m; s++) {
    if (s === leader) {
      for (let j = 0; j < m; j++) rows[j * m + s] = Number.POSITIVE_INFINITY;
      continue;
    }
    free[s] = fanOut(model, committee, s, Math.max(prePrepare[s]!, free[s]!), voteBytes, prepareKey, rows, s, m);
    rows[s * m + s] = prePrepare[s]!;
  }
  const prepared = new Float64Array(m);
  for (let j = 0; j < m; j++) prepared[j] = Math.max(prePrepare[j]!, kthSmallest(rows, j * m, j * m + m, q - 1));

  const commitKey = { slot, kind: MessageKind.pbftCommit, index: 0 };
  for (let s = 0; s < m; s++) {
    free[s] = fanOut(model, committee, s, Math.max(prepared[s]!, free[s]!), voteBytes, commitKey, rows, s, m);
    rows[s * m + s] = prepared[s]!;
  }
  const committed = new Float64Array(m);
  for (let j = 0; j < m; j++) committed[j] = Math.max(prepared[j]!, kthSmallest(rows, j * m, j * m + m, q));

  const proposalMs = kthSmallest(Float64Array.from(prePrepare), 0, m, q);
  const voteMs = kthSmallest(prepared, 0, m, q);
  const commitMs = kthSmallest(committed, 0, m, q);
  const voteMessages = (m - 1) * (m - 1) + m * (m - 1);
  return {
    commitMs,
    proposalMs,
    voteMs,
    phases: [
      { phase: 'pre-prepare', ms: proposalMs },
      { phase: 'prepared', ms: voteMs },
      { phase: 'committed', ms: commitMs },
    ],
    proposal: { messages: spread.messages, bytes: spread.bytes },
    votes: { messages: voteMessages, bytes: voteMessages * voteBytes },
    rounds: 1,
  };
}

export const pbft: ConsensusProtocol = { name: 'pbft', minCommittee: 4, agree };
