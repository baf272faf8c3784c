// Reference copy of shards/consensus/direct-spread.ts as first written (one model call per message through sendInTurn's callbacks): the straightforward timings the optimized ones must equal bit for bit (equivalence.test.ts). Do not optimize.
/**
 * `direct` dissemination: the proposer's uplink sends the whole block to
 * every other member, one at a time, as BlockEmulator's PBFT leader does
 * (github.com/HuangLab-SYSU/block-emulator,
 * consensus_shard/pbft_all/messageHandle.go: Propose hands the pre-prepare
 * to networks.Broadcast, one TCP send to each node of the shard in turn). Its cost
 * grows with the committee: (m - 1) transmissions of the block.
 */
import type { ProposalArrivals, ProposalSpread } from '../../../../shards/consensus/contract.js';
import { fanOut } from './uplink.js';

export const directSpread: ProposalSpread = ({ model, committee, proposer, bytes, key }): ProposalArrivals => {
  const m = committee.length;
  const arrivalMs = new Float64Array(m);
  const uplinkFreeMs = new Float64Array(m);
  uplinkFreeMs[proposer] = fanOut(model, committee, proposer, 0, bytes, key, arrivalMs, 0, 1);
  arrivalMs[proposer] = 0;
  return { arrivalMs, uplinkFreeMs, messages: m - 1, bytes: (m - 1) * bytes };
};
