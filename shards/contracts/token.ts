/**
 * A fungible token (ERC-20-like): balances, transfer, approve and
 * transferFrom, plus a batch transfer for payroll runs. Simplification: one
 * allowance per owner (one approved spender at a time), so an allowance fits
 * two slots. Every holder starts with `initialBalance`.
 *
 * A replayed trace's transferFrom (ReplayTransferFrom) was approved before the
 * trace began, so it does not ask who the spender is: it touches what the
 * real call does, the owner's allowance and both balances.
 */
import { type ContractLogic, MAX_HOLDERS } from './contract.js';

export const TokenOp = { Transfer: 1, Approve: 2, TransferFrom: 3, BatchTransfer: 4, ReplayTransferFrom: 5 } as const;

const BAL = 0;
const ALLOW = MAX_HOLDERS;
const SPENDER = 2 * MAX_HOLDERS;
const SUPPLY = ['supply', 1] as const;
export const tokenBalanceSlot = (holder: number): number => BAL + holder;

/** Most recipients of one batch transfer (a payroll run). */
export const MAX_BATCH = 1_000;

export const token: ContractLogic = {
  knows: (op) => op >= TokenOp.Transfer && op <= TokenOp.ReplayTransferFrom,

  gas(op, _a, b) {
    switch (op) {
      case TokenOp.Transfer:
        return 30_000;
      case TokenOp.Approve:
        return 25_000;
      case TokenOp.TransferFrom:
      case TokenOp.ReplayTransferFrom:
        return 35_000;
      default:
        return 10_000 + 8_000 * Math.max(1, Math.min(MAX_BATCH, b));
    }
  },

  defaultValue: (spec, slot) => (slot < ALLOW ? (spec.initialBalance ?? 0) : 0),
  conserved: (slot) => (slot < ALLOW ? SUPPLY : null),

  declare(_spec, call) {
    const { from, op, a, b } = call;
    switch (op) {
      case TokenOp.Transfer:
        return [BAL + from, BAL + a];
      case TokenOp.Approve:
        return [ALLOW + from, SPENDER + from];
      case TokenOp.TransferFrom:
        return [ALLOW + a, SPENDER + a, BAL + a, BAL + b];
      case TokenOp.ReplayTransferFrom:
        return [ALLOW + a, BAL + a, BAL + b];
      default: {
        const n = Math.min(MAX_BATCH, b);
        const slots = [BAL + from];
        for (let i = 0; i < n; i++) slots.push(BAL + a + i);
        return slots;
      }
    }
  },

  execute(_spec, call, s) {
    const { from, op, a, b, c } = call;
    switch (op) {
      case TokenOp.Transfer: {
        // transfer(to = a, amount = b)
        const bal = s.read(BAL + from);
        if (b < 0 || bal < b || a >= MAX_HOLDERS) return false;
        if (a === from) return true;
        s.write(BAL + from, bal - b);
        s.write(BAL + a, s.read(BAL + a) + b);
        return true;
      }
      case TokenOp.Approve:
        // approve(spender = a, amount = b)
        if (b < 0) return false;
        s.write(ALLOW + from, b);
        s.write(SPENDER + from, a + 1);
        return true;
      case TokenOp.TransferFrom: {
        // transferFrom(owner = a, to = b, amount = c): only the approved spender, within the allowance.
        const allowance = s.read(ALLOW + a);
        const spender = s.read(SPENDER + a);
        const bal = s.read(BAL + a);
        if (spender !== from + 1 || allowance < c || bal < c || c < 0) return false;
        s.write(ALLOW + a, allowance - c);
        if (a === b) return true;
        s.write(BAL + a, bal - c);
        s.write(BAL + b, s.read(BAL + b) + c);
        return true;
      }
      case TokenOp.ReplayTransferFrom: {
        // transferFrom(owner = a, to = b, amount = c) as replayed: the allowance spent where there is one.
        const bal = s.read(BAL + a);
        if (c < 0 || bal < c || a >= MAX_HOLDERS || b >= MAX_HOLDERS) return false;
        s.write(ALLOW + a, Math.max(0, s.read(ALLOW + a) - c));
        if (a === b) return true;
        s.write(BAL + a, bal - c);
        s.write(BAL + b, s.read(BAL + b) + c);
        return true;
      }
      case TokenOp.BatchTransfer: {
        // batchTransfer(first recipient = a, recipients = b, amount each = c): a payroll run.
        const n = Math.min(MAX_BATCH, b);
        const bal = s.read(BAL + from);
        if (n < 1 || c < 0 || bal < n * c || a + n > MAX_HOLDERS) return false;
        let paid = 0;
        for (let i = 0; i < n; i++) {
          if (a + i === from) continue;
          s.write(BAL + a + i, s.read(BAL + a + i) + c);
          paid += c;
        }
        s.write(BAL + from, bal - paid);
        return true;
      }
      default:
        return false;
    }
  },
};
