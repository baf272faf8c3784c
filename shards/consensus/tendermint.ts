/**
 * Tendermint (Buchman, Kwon, Milosevic, "The latest gossip on BFT
 * consensus", 2018, Algorithm 1), one height, timed over the network model.
 *
 * A round: the proposer sends the proposal (the dissemination). A member
 * that holds it by timeout_propose prevotes for it, to all others; one that
 * does not prevotes nil when the timeout fires (line 57). A member that holds
 * the proposal and q prevotes for it (q = m - f, "2f + 1"; its own counting)
 * precommits it to all others (line 36); a member decides when it holds the
 * proposal and q precommits for it, its own counting if it sent one (line
 * 49). The block commits when q members have decided. Each time is an order
 * statistic of arrival times, exactly.
 *
 * A round succeeds when at least q members (the proposer among them) hold
 * the proposal by timeout_propose. Otherwise it fails to the next round,
 * whose proposer is the next member in committee order (CometBFT's weighted
 * round-robin with equal voting power) and whose timeouts grow by their
 * deltas. Simplified, for the failure path only:
 * - every member enters a round at the same time;
 * - a failed round lasts timeout_propose + timeout_prevote + timeout_precommit
 *   of that round (the nil path: prevote nil, precommit nil, next round),
 *   without the transit times of its nil votes, which are counted as sent;
 * - uplinks are idle when a round starts;
 * - in a round that succeeds, timeout_prevote and timeout_precommit are
 *   taken not to expire before the quorums they wait for (seconds against
 *   the milliseconds votes take).
 * timeout_commit (the wait before the next height) is not part of a block's
 * agreement and is left out.
 *
 * Defaults are CometBFT's config.toml ([consensus]: timeout_propose = "3s",
 * timeout_propose_delta = "500ms", timeout_prevote = "1s",
 * timeout_prevote_delta = "500ms", timeout_precommit = "1s",
 * timeout_precommit_delta = "500ms";
 * https://docs.cometbft.com/v0.37/core/configuration).
 */

import { checkCommittee } from './committee-check.js';
import { type ConsensusInput, type ConsensusProtocol, type ConsensusTiming, MessageKind, type PhaseTime } from './contract.js';
import { spreadProposal } from './dissemination.js';
import { kthSmallest } from './order-statistics.js';
import { quorumSize } from './quorum.js';
import { VoteRows } from './vote-rows.js';

export interface TendermintTimeouts {
  readonly proposeMs: number;
  readonly proposeDeltaMs: number;
  readonly prevoteMs: number;
  readonly prevoteDeltaMs: number;
  readonly precommitMs: number;
  readonly precommitDeltaMs: number;
}

export interface TendermintOptions {
  readonly timeouts: TendermintTimeouts;
  /** Rounds tried before the height is given up for this slot (commitMs Infinity). */
  readonly maxRounds: number;
}

/** CometBFT's defaults (config.toml, [consensus]). */
export const COMETBFT_TIMEOUTS: TendermintTimeouts = {
  proposeMs: 3_000,
  proposeDeltaMs: 500,
  prevoteMs: 1_000,
  prevoteDeltaMs: 500,
  precommitMs: 1_000,
  precommitDeltaMs: 500,
};

interface RoundResult {
  readonly proposalMs: number;
  readonly polkaMs: number;
  readonly commitMs: number;
}

/** The round's times from its start, given that at least q members hold the proposal by `timeoutMs`. */
function decidingRound(input: ConsensusInput, round: number, block: Float64Array, uplinkFree: Float64Array, timeoutMs: number): RoundResult {
  const { model, committee, slot, voteBytes } = input;
  const m = committee.length;
  const q = quorumSize(m);
  const free = Float64Array.from(uplinkFree);

  // Prevotes: for the block on holding it in time, nil at the timeout otherwise (sent, never counted).
  const prevotes = new VoteRows(model, committee, { slot, kind: MessageKind.tendermintPrevote, index: round });
  for (let s = 0; s < m; s++) {
    const inTime = block[s]! <= timeoutMs;
    free[s] = prevotes.send(s, Math.max(inTime ? block[s]! : timeoutMs, free[s]!), voteBytes);
    if (inTime) prevotes.own(s, block[s]!);
    else prevotes.silent(s);
  }
  const polka = new Float64Array(m);
  for (let j = 0; j < m; j++) polka[j] = Math.max(block[j]!, prevotes.kth(j, q));

  const precommits = new VoteRows(model, committee, { slot, kind: MessageKind.tendermintPrecommit, index: round });
  for (let s = 0; s < m; s++) {
    free[s] = precommits.send(s, Math.max(polka[s]!, free[s]!), voteBytes);
    precommits.own(s, polka[s]!);
  }
  const decided = new Float64Array(m);
  for (let j = 0; j < m; j++) decided[j] = Math.max(block[j]!, precommits.kth(j, q));

  return {
    proposalMs: kthSmallest(Float64Array.from(block), 0, m, q),
    polkaMs: kthSmallest(polka, 0, m, q),
    commitMs: kthSmallest(decided, 0, m, q),
  };
}

export function makeTendermint(options: TendermintOptions = { timeouts: COMETBFT_TIMEOUTS, maxRounds: 64 }): ConsensusProtocol {
  const t = options.timeouts;
  function agree(input: ConsensusInput): ConsensusTiming {
    const leader = checkCommittee('tendermint', 4, input);
    const m = input.committee.length;
    const q = quorumSize(m);
    const votesPerRound = 2 * m * (m - 1);
    let roundStart = 0;
    let proposalMessages = 0;
    let proposalBytes = 0;
    let voteMessages = 0;
    for (let round = 0; round < options.maxRounds; round++) {
      const proposer = (leader + round) % m;
      const spread = spreadProposal(input, proposer, round);
      proposalMessages += spread.messages;
      proposalBytes += spread.bytes;
      voteMessages += votesPerRound;
      const timeoutMs = t.proposeMs + round * t.proposeDeltaMs;
      let inTime = 0;
      for (let i = 0; i < m; i++) if (spread.arrivalMs[i]! <= timeoutMs) inTime++;
      if (inTime < q) {
        roundStart += timeoutMs + t.prevoteMs + round * t.prevoteDeltaMs + t.precommitMs + round * t.precommitDeltaMs;
        continue;
      }
      const r = decidingRound(input, round, spread.arrivalMs, spread.uplinkFreeMs, timeoutMs);
      const phases: PhaseTime[] = [
        { phase: 'round-start', ms: roundStart },
        { phase: 'proposal', ms: roundStart + r.proposalMs },
        { phase: 'polka', ms: roundStart + r.polkaMs },
        { phase: 'commit', ms: roundStart + r.commitMs },
      ];
      return {
        commitMs: roundStart + r.commitMs,
        proposalMs: roundStart + r.proposalMs,
        voteMs: roundStart + r.polkaMs,
        phases,
        proposal: { messages: proposalMessages, bytes: proposalBytes },
        votes: { messages: voteMessages, bytes: voteMessages * input.voteBytes },
        rounds: round + 1,
      };
    }
    const never = Number.POSITIVE_INFINITY;
    return {
      commitMs: never,
      proposalMs: never,
      voteMs: never,
      phases: [],
      proposal: { messages: proposalMessages, bytes: proposalBytes },
      votes: { messages: voteMessages, bytes: voteMessages * input.voteBytes },
      rounds: options.maxRounds,
    };
  }
  return { name: 'tendermint', minCommittee: 4, agree };
}

/** Tendermint with CometBFT's default timeouts. */
export const tendermint: ConsensusProtocol = makeTendermint();
