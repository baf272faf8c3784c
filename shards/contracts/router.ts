/**
 * A swap router as a replayed trace sees it (simulator/trace/calldata.ts): a
 * swap reads and writes the reserves of each pool along its path, so two
 * swaps conflict exactly when their paths share a pool, and any other call
 * to the router touches one router-wide slot, the contract-level key every
 * undecoded call falls back to. Pools are keyed by their address's account
 * id, kept in the router's own storage: a pool called directly (not through
 * the router) is another contract, and that conflict is not seen.
 */
import { type ContractLogic, MAX_HOLDERS } from './contract.js';

/** Swap(a, b, c): the path's first three pools, each its account id + 1 (0: no pool). Opaque: any other call. */
export const RouterOp = { Swap: 1, Opaque: 2 } as const;

/** Pools a Swap names: Call carries three arguments; longer paths are rare on mainnet. */
export const MAX_SWAP_POOLS = 3;

const OPAQUE = 0;
/** A pool's reserves: one slot standing for both, since every swap through it writes both. */
const POOL = 1;

/** Gas of a swap: Uniswap V2's single-hop swap costs about 100k, each further hop about 50k more (v2-periphery, Router02). */
const SWAP_GAS = 100_000;
const HOP_GAS = 50_000;

function poolSlots(a: number, b: number, c: number): number[] {
  const slots: number[] = [];
  for (const key of [a, b, c]) if (key > 0 && key <= MAX_HOLDERS && !slots.includes(POOL + key - 1)) slots.push(POOL + key - 1);
  return slots;
}

export const router: ContractLogic = {
  knows: (op) => op === RouterOp.Swap || op === RouterOp.Opaque,

  gas: (op, a, b, c) => (op === RouterOp.Swap ? SWAP_GAS + HOP_GAS * Math.max(0, poolSlots(a, b, c).length - 1) : 50_000),

  defaultValue: () => 0,
  conserved: () => null,

  declare: (_spec, call) => (call.op === RouterOp.Swap ? poolSlots(call.a, call.b, call.c) : [OPAQUE]),

  execute(_spec, call, s) {
    if (call.op === RouterOp.Opaque) {
      s.write(OPAQUE, s.read(OPAQUE) + 1);
      return true;
    }
    const slots = poolSlots(call.a, call.b, call.c);
    if (call.op !== RouterOp.Swap || slots.length === 0) return false;
    // Reserves move with every swap; the count of swaps through the pool stands for them.
    for (const slot of slots) s.write(slot, s.read(slot) + 1);
    return true;
  },
};
