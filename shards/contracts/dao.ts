/**
 * A DAO proposal: every account is a member with one vote, yes or no, until
 * the deadline slot. The two tallies are hot keys every vote writes.
 */
import type { ContractLogic } from './contract.js';

export const DaoOp = { Vote: 1 } as const;

const YES = 0;
const NO = 1;
const VOTED = 16;
export const daoSlots = { YES, NO, voted: (m: number) => VOTED + m };

export const dao: ContractLogic = {
  knows: (op) => op === DaoOp.Vote,
  gas: () => 40_000,
  defaultValue: () => 0,
  // Every vote adds one to a tally and marks one member: tallies minus marks stays 0.
  conserved: (slot) => (slot === YES || slot === NO ? ['votes', 1] : slot >= VOTED ? ['votes', -1] : null),
  declare: (_spec, call) => [YES, NO, VOTED + call.from],

  execute(spec, call, s) {
    // vote(choice = a: 1 yes, 0 no)
    if (call.op !== DaoOp.Vote || call.slot > (spec.deadlineSlot ?? -1)) return false;
    if (s.read(VOTED + call.from) !== 0) return false;
    const tally = call.a === 1 ? YES : NO;
    s.write(VOTED + call.from, 1);
    s.write(tally, s.read(tally) + 1);
    return true;
  },
};
