/**
 * The shard VM: what a user transaction or an incoming receipt does to state.
 * Pure functions over a StateAccess, so every executor (sequential, and the
 * parallel ones behind the same interface) runs exactly the same logic and
 * only differs in what stands behind reads and writes.
 */
import { type Receipt, ReceiptKind } from '../crosslink/receipt.js';
import { TxKind, type UserTx } from '../crosslink/tx.js';
import type { AccountMap } from './account-map.js';
import type { GasSchedule } from './gas.js';
import { balanceKey, nonceKey, type StateAccess } from './state.js';

export interface VmContext {
  readonly shard: number;
  readonly map: AccountMap;
  /** Accounts that refuse incoming value (a stablecoin freeze list): credits to them fail. */
  readonly frozen: Uint8Array | null;
  readonly gas: GasSchedule;
}

/** How an item ended, which decides the shard's accounting. */
export const Outcome = {
  /** A local transfer committed: the transaction is complete. */
  LocalDone: 0,
  /** Failed at its source shard (insufficient balance, frozen receiver): complete, as a failure. */
  Failed: 1,
  /** Debited at its source; a credit receipt is on its way. */
  SentCredit: 2,
  /** A credit applied at the destination: the cross-shard transaction is complete. */
  CreditDone: 3,
  /** A credit refused at the destination; a refund receipt is on its way back. */
  CreditRefused: 4,
  /** A refund applied at the origin: complete, as a failure. */
  RefundDone: 5,
} as const;
export type Outcome = (typeof Outcome)[keyof typeof Outcome];

/** A receipt to emit, before the shard numbers it in block order. */
export interface Emission {
  readonly kind: ReceiptKind;
  readonly dstShard: number;
  readonly txId: number;
  readonly from: number;
  readonly originShard: number;
  readonly to: number;
  readonly amount: number;
  readonly submitMs: number;
}

export interface ItemResult {
  readonly outcome: Outcome;
  readonly gasUsed: number;
  readonly emit: Emission | null;
}

/** Gas an item will use, known before execution (the block builder packs by it). */
export function receiptGas(ctx: VmContext): number {
  return ctx.gas.receiptApply;
}

export function txGas(tx: UserTx, ctx: VmContext): number {
  return tx.toShard === ctx.shard ? ctx.gas.transfer : ctx.gas.transfer + ctx.gas.receiptSend;
}

export function executeTx(tx: UserTx, ctx: VmContext, state: StateAccess): ItemResult {
  if (tx.kind !== TxKind.Transfer) throw new RangeError(`unknown transaction kind ${tx.kind}`);
  const gasUsed = txGas(tx, ctx);
  const from = ctx.map.local[tx.from]!;
  const bKey = balanceKey(from);
  const nKey = nonceKey(from);
  const balance = state.read(bKey);
  // As in Ethereum, the nonce advances whether or not the transfer succeeds.
  state.write(nKey, state.read(nKey) + 1);
  if (balance < tx.amount) return { outcome: Outcome.Failed, gasUsed, emit: null };
  if (tx.toShard !== ctx.shard) {
    state.write(bKey, balance - tx.amount);
    return {
      outcome: Outcome.SentCredit,
      gasUsed,
      emit: {
        kind: ReceiptKind.Credit,
        dstShard: tx.toShard,
        txId: tx.id,
        from: tx.from,
        originShard: ctx.shard,
        to: tx.to,
        amount: tx.amount,
        submitMs: tx.submitMs,
      },
    };
  }
  if (ctx.frozen !== null && ctx.frozen[tx.to] === 1) return { outcome: Outcome.Failed, gasUsed, emit: null };
  if (tx.to === tx.from) return { outcome: Outcome.LocalDone, gasUsed, emit: null };
  state.write(bKey, balance - tx.amount);
  const toKey = balanceKey(ctx.map.local[tx.to]!);
  state.write(toKey, state.read(toKey) + tx.amount);
  return { outcome: Outcome.LocalDone, gasUsed, emit: null };
}

export function executeReceipt(r: Receipt, ctx: VmContext, state: StateAccess): ItemResult {
  const gasUsed = receiptGas(ctx);
  if (r.kind === ReceiptKind.Refund) {
    const key = balanceKey(ctx.map.local[r.from]!);
    state.write(key, state.read(key) + r.amount);
    return { outcome: Outcome.RefundDone, gasUsed, emit: null };
  }
  if (ctx.frozen !== null && ctx.frozen[r.to] === 1) {
    // The credit is refused: value goes back where it came from, never lost.
    return {
      outcome: Outcome.CreditRefused,
      gasUsed,
      emit: {
        kind: ReceiptKind.Refund,
        dstShard: r.originShard,
        txId: r.txId,
        from: r.from,
        originShard: r.originShard,
        to: r.to,
        amount: r.amount,
        submitMs: r.submitMs,
      },
    };
  }
  const key = balanceKey(ctx.map.local[r.to]!);
  state.write(key, state.read(key) + r.amount);
  return { outcome: Outcome.CreditDone, gasUsed, emit: null };
}

/** The state keys an item declares up front (Solana-style account locks); `writes` are readable too. */
export interface DeclaredAccess {
  readonly reads: number[];
  readonly writes: number[];
}

/**
 * What an item may touch, from its kind alone, before it runs: a transfer
 * locks its sender's balance and nonce and, when the receiver is local (and
 * not the sender), the receiver's balance; a credit locks its receiver's
 * balance, a refund its original sender's. Every key is declared writable
 * because each one the VM reads it also writes.
 */
export function declaredAccess(item: UserTx | Receipt, ctx: VmContext): DeclaredAccess {
  if ('srcShard' in item) {
    const who = item.kind === ReceiptKind.Refund ? item.from : item.to;
    return { reads: [], writes: [balanceKey(ctx.map.local[who]!)] };
  }
  const from = ctx.map.local[item.from]!;
  const writes = [balanceKey(from), nonceKey(from)];
  if (item.toShard === ctx.shard && item.to !== item.from) writes.push(balanceKey(ctx.map.local[item.to]!));
  return { reads: [], writes };
}
