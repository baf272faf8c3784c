/**
 * The proposal's spread a protocol uses: `direct` or the caller's function,
 * whose answer is checked to be one finite time per member; with
 * `checkMs`, a member holds it ready to vote that much later.
 */
import { InternalError } from '../../crosslink/common/errors.js';
import { type ConsensusInput, MessageKind, type ProposalArrivals } from './contract.js';
import { directSpread } from './direct-spread.js';

/** Spreads `input`'s block from the member at position `proposer`, in round `round` (the latency draws' index). */
export function spreadProposal(input: ConsensusInput, proposer: number, round: number): ProposalArrivals {
  const spread = input.dissemination === 'direct' ? directSpread : input.dissemination;
  const arrivals = spread({
    model: input.model,
    committee: input.committee,
    proposer,
    bytes: input.blockBytes,
    key: { slot: input.slot, kind: MessageKind.proposal, index: round },
  });
  const m = input.committee.length;
  if (arrivals.arrivalMs.length !== m || arrivals.uplinkFreeMs.length !== m) {
    throw new InternalError(
      `a proposal spread answered for ${arrivals.arrivalMs.length} members (uplinks: ${arrivals.uplinkFreeMs.length}), not the committee's ${m}`,
    );
  }
  for (let i = 0; i < m; i++) {
    const a = arrivals.arrivalMs[i]!;
    if (!(Number.isFinite(a) && a >= 0) || !(arrivals.uplinkFreeMs[i]! >= 0))
      throw new InternalError(`a proposal spread gave member ${i} no finite arrival time (${a})`);
  }
  const check = input.checkMs ?? 0;
  if (check === 0) return arrivals;
  if (!(Number.isFinite(check) && check > 0)) throw new InternalError(`a proposal's check time must be a finite number of ms >= 0, not ${check}`);
  // A member votes once it holds the proposal and has checked it.
  const checked = Float64Array.from(arrivals.arrivalMs, (a, i) => (i === proposer ? a : a + check));
  return { ...arrivals, arrivalMs: checked };
}
