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

import { checkCommittee } from './committee-check.js';
import type { ConsensusInput, ConsensusProtocol, ConsensusTiming } from './contract.js';
import { MessageKind } from './contract.js';
import { spreadProposal } from './dissemination.js';
import { kthSmallest } from './order-statistics.js';
import { quorumSize } from './quorum.js';
import { VoteRows } from './vote-rows.js';

function agree(input: ConsensusInput): ConsensusTiming {
  const leader = checkCommittee('pbft', 4, input);
  const { model, committee, slot, voteBytes } = input;
  const m = committee.length;
  const q = quorumSize(m);
  const spread = spreadProposal(input, leader, 0);
  const prePrepare = spread.arrivalMs;
  const free = Float64Array.from(spread.uplinkFreeMs);
  const prepares = new VoteRows(model, committee, { slot, kind: MessageKind.pbftPrepare, index: 0 });
  for (let s = 0; s < m; s++) {
    if (s === leader) {
      prepares.silent(s);
      continue;
    }
    free[s] = prepares.send(s, Math.max(prePrepare[s]!, free[s]!), voteBytes);
    prepares.own(s, prePrepare[s]!);
  }
  const prepared = new Float64Array(m);
  for (let j = 0; j < m; j++) prepared[j] = Math.max(prePrepare[j]!, prepares.kth(j, q - 1));

  const commits = new VoteRows(model, committee, { slot, kind: MessageKind.pbftCommit, index: 0 });
  for (let s = 0; s < m; s++) {
    free[s] = commits.send(s, Math.max(prepared[s]!, free[s]!), voteBytes);
    commits.own(s, prepared[s]!);
  }
  const committed = new Float64Array(m);
  for (let j = 0; j < m; j++) committed[j] = Math.max(prepared[j]!, commits.kth(j, q));

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
