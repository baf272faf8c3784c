/**
 * A constant-product pool (Uniswap v2 style, 0.3% fee) between two assets X
 * and Y that the pool keeps on its own ledger: traders hold X and Y balances
 * inside the pool. Every swap reads and writes both reserves, which is why a
 * few hot pools are the classic contention hot spot of parallel execution.
 */
import { type ContractLogic, MAX_HOLDERS } from './contract.js';

export const AmmOp = { Swap: 1, AddLiquidity: 2, RemoveLiquidity: 3 } as const;

const RX = 0;
const RY = 1;
const LP_TOTAL = 2;
const BAL_X = 16;
const BAL_Y = BAL_X + MAX_HOLDERS;
const LP = BAL_Y + MAX_HOLDERS;
const ASSET_X = ['asset x', 1] as const;
const ASSET_Y = ['asset y', 1] as const;
export const ammSlots = { RX, RY, LP_TOTAL, balX: (h: number) => BAL_X + h, balY: (h: number) => BAL_Y + h, lp: (h: number) => LP + h };

/** Output of a swap of `dx` into reserves (rIn, rOut), after the 0.3% fee, rounded down. */
export function swapOut(dx: number, rIn: number, rOut: number): number {
  const inWithFee = dx * 997;
  return Math.floor((inWithFee * rOut) / (rIn * 1000 + inWithFee));
}

export const amm: ContractLogic = {
  knows: (op) => op >= AmmOp.Swap && op <= AmmOp.RemoveLiquidity,

  gas: (op) => (op === AmmOp.Swap ? 80_000 : op === AmmOp.AddLiquidity ? 100_000 : 90_000),

  defaultValue(spec, slot) {
    if (slot === RX || slot === RY || slot === LP_TOTAL) return spec.reserve ?? 0;
    if (slot >= BAL_X && slot < LP) return spec.initialBalance ?? 0;
    return 0;
  },

  conserved: (slot) => (slot === RX || (slot >= BAL_X && slot < BAL_Y) ? ASSET_X : slot === RY || (slot >= BAL_Y && slot < LP) ? ASSET_Y : null),

  declare: (_spec, call) => [RX, RY, LP_TOTAL, BAL_X + call.from, BAL_Y + call.from, LP + call.from],

  execute(_spec, call, s) {
    const { from, op, a, b, c } = call;
    const rx = s.read(RX);
    const ry = s.read(RY);
    switch (op) {
      case AmmOp.Swap: {
        // swap(direction = a (0: X->Y, 1: Y->X), amountIn = b, minOut = c)
        const xToY = a === 0;
        const inSlot = (xToY ? BAL_X : BAL_Y) + from;
        const outSlot = (xToY ? BAL_Y : BAL_X) + from;
        const bal = s.read(inSlot);
        if (b <= 0 || bal < b) return false;
        const out = xToY ? swapOut(b, rx, ry) : swapOut(b, ry, rx);
        if (out <= 0 || out < c) return false;
        s.write(RX, xToY ? rx + b : rx - out);
        s.write(RY, xToY ? ry - out : ry + b);
        s.write(inSlot, bal - b);
        s.write(outSlot, s.read(outSlot) + out);
        return true;
      }
      case AmmOp.AddLiquidity: {
        // addLiquidity(maxX = a, maxY = b): deposits in the pool's ratio, mints shares pro rata.
        const total = s.read(LP_TOTAL);
        const shares = Math.floor(Math.min((a * total) / rx, (b * total) / ry));
        if (shares <= 0) return false;
        const dx = Math.ceil((shares * rx) / total);
        const dy = Math.ceil((shares * ry) / total);
        const bx = s.read(BAL_X + from);
        const by = s.read(BAL_Y + from);
        if (bx < dx || by < dy) return false;
        s.write(RX, rx + dx);
        s.write(RY, ry + dy);
        s.write(LP_TOTAL, total + shares);
        s.write(BAL_X + from, bx - dx);
        s.write(BAL_Y + from, by - dy);
        s.write(LP + from, s.read(LP + from) + shares);
        return true;
      }
      case AmmOp.RemoveLiquidity: {
        // removeLiquidity(shares = a): returns the pro-rata reserves, rounded down.
        const total = s.read(LP_TOTAL);
        const held = s.read(LP + from);
        if (a <= 0 || held < a || a >= total) return false;
        const dx = Math.floor((a * rx) / total);
        const dy = Math.floor((a * ry) / total);
        s.write(RX, rx - dx);
        s.write(RY, ry - dy);
        s.write(LP_TOTAL, total - a);
        s.write(LP + from, held - a);
        s.write(BAL_X + from, s.read(BAL_X + from) + dx);
        s.write(BAL_Y + from, s.read(BAL_Y + from) + dy);
        return true;
      }
      default:
        return false;
    }
  },
};
