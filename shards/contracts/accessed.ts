/**
 * The storage a replayed transaction's access list names (trace columns
 * `reads` and `writes`, as a prestate tracer or an EIP-2930 access list
 * gives them), as one stand-in contract's slots: every distinct
 * `address:slot` key of the trace is one slot here, and each transaction's
 * list is one entry of the spec's `accesses`. A replay reads what it read
 * and writes what it wrote, so transactions conflict exactly where their
 * lists meet, whatever their input says. Where the trace gives the gas a
 * row used, the transaction carries it (UserTx.workGas) and its work costs
 * that; else the keys are priced cold, below.
 */
import type { ContractLogic, DeclaredSlots } from './contract.js';

/** Replay(a = its entry in `accesses`, b = how many keys it reads only, c = how many it writes). */
export const AccessedOp = { Replay: 1 } as const;

/** EIP-2929's cold storage read (COLD_SLOAD_COST). */
const READ_GAS = 2_100;
/** A cold write of a set slot: EIP-2200's SSTORE_RESET_GAS less the cold read EIP-2929 adds back, 2,900 + 2,100. */
const WRITE_GAS = 5_000;

const NOTHING: DeclaredSlots = { reads: [], writes: [] };

export const accessed: ContractLogic = {
  knows: (op) => op === AccessedOp.Replay,

  // The counts riding in the call (b, c), at cold-access prices.
  gas: (_op, _a, b, c) => READ_GAS * b + WRITE_GAS * c,

  defaultValue: () => 0,
  conserved: () => null,

  declare: (spec, call) => spec.accesses?.[call.a] ?? NOTHING,

  execute(spec, call, s) {
    const list = spec.accesses?.[call.a];
    if (list === undefined) return false;
    let seen = 0;
    for (const slot of list.reads) seen += s.read(slot);
    // Each write depends on what the transaction read, as a real one's would.
    for (const slot of list.writes) s.write(slot, s.read(slot) + 1 + (seen % 2));
    return true;
  },
};
