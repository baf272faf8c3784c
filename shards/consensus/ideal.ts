/** `ideal`: agreement costs nothing; the block commits at the slot's start (shardsim's behaviour before consensus was timed). */
import type { ConsensusProtocol, ConsensusTiming } from './contract.js';

const instant: ConsensusTiming = {
  commitMs: 0,
  proposalMs: 0,
  voteMs: 0,
  phases: [],
  proposal: { messages: 0, bytes: 0 },
  votes: { messages: 0, bytes: 0 },
  rounds: 1,
};

export const ideal: ConsensusProtocol = { name: 'ideal', minCommittee: 1, agree: () => instant };
