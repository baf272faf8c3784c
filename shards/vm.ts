/**
 * The shard VM: what a user transaction or an incoming receipt does to state.
 * Pure functions over a StateAccess, so every executor (sequential, and the
 * parallel ones behind the same interface) runs exactly the same logic and
 * only differs in what stands behind reads and writes.
 *
 * Cross-shard work follows NEAR's receipts: a transfer to another shard
 * debits here and sends a credit receipt; a call of a contract on another
 * shard debits the attached value here and sends an action receipt; the
 * contract's shard runs the call and sends a data receipt back with the
 * result (and the value, if the call failed). Value is never created or lost.
 * The other protocols (docs/protocols.md) change what a cross-shard transfer
 * does here: `lock-2pc` locks the sender until the decision comes back,
 * `broker` pays a broker on this shard and has it pay out on the other;
 * `relay` runs the same logic and differs only in how the shard queues and
 * sizes its messages.
 */
import { type Receipt, ReceiptKind } from '../crosslink/receipt.js';
import { TxKind, type UserTx } from '../crosslink/tx.js';
import type { AccountMap } from './account-map.js';
import type { Call, ContractSpec, Storage } from './contracts/contract.js';
import { CONTRACTS } from './contracts/index.js';
import { BrokerBack, brokerBalanceKey, brokerOf, type CrossShardSetup, lockKey } from './cross-shard.js';
import type { GasSchedule } from './gas.js';
import { balanceKey, nonceKey, type StateAccess } from './state.js';
import { CONTRACT_LOCK_SLOT, storageKey } from './storage-keys.js';

export interface VmContext {
  readonly shard: number;
  readonly map: AccountMap;
  /** Accounts that refuse incoming value (a stablecoin freeze list): credits to them fail. */
  readonly frozen: Uint8Array | null;
  readonly gas: GasSchedule;
  /** Contracts deployed at genesis, by account id. */
  readonly contracts: ReadonlyMap<number, ContractSpec>;
  /** Slot of the block being built (contracts with deadlines read it). */
  slot: number;
  /** The cross-shard protocol and its brokers. */
  readonly cross: CrossShardSetup;
  /** Accounts the placement gave this shard: the broker accounts come after them. */
  readonly members: number;
}

/** How an item ended, which decides the shard's accounting. */
export const Outcome = {
  /** A local transfer or call committed: the transaction is complete. */
  LocalDone: 0,
  /** Failed at its source shard (insufficient balance, frozen receiver, failed local call): complete, as a failure. */
  Failed: 1,
  /** Debited at its source; a credit receipt is on its way. */
  SentCredit: 2,
  /** A credit applied at the destination: the cross-shard transaction is complete. */
  CreditDone: 3,
  /** A credit refused at the destination; a refund receipt is on its way back. */
  CreditRefused: 4,
  /** A refund applied at the origin: complete, as a failure. */
  RefundDone: 5,
  /** A call sent to its contract's shard as an action receipt. */
  SentAction: 6,
  /** An action run at the contract's shard (successfully or not); a data receipt is on its way back. */
  ActionDone: 7,
  /** A data receipt applied at the caller's shard: the cross-shard call is complete. */
  DataDone: 8,
  /** As DataDone, for a call that failed (its value refunded). */
  DataFailed: 9,
  /** lock-2pc: refused at its source because its sender's account is locked by a cross-shard transaction in progress: complete, as a failure. */
  Aborted: 10,
  /** lock-2pc: a credit applied at the output shard; the commit decision is on its way back to release the sender's lock. */
  CreditCommitted: 11,
  /** lock-2pc: the commit decision applied at the input shard, the lock released: complete. */
  CommitDone: 12,
  /** broker: the sender paid the broker on its own shard; the payout is on its way to the receiver's shard. */
  SentBroker: 13,
  /** broker: the broker paid the receiver: complete. */
  BrokerPaid: 14,
  /** broker: the broker's account here cannot cover the payout; it waits in the delayed-receipt queue (fallback `wait`, or a return the broker owes). */
  BrokerDry: 15,
  /** broker: the payout goes back to the sender's shard unpaid (a refused receiver, or a dry broker under fallback `refund`). */
  BrokerBounced: 16,
  /** accounts.repartition: refused at a shard its sender has moved away from (it was waiting here when the account moved): complete, as a failure. */
  Moved: 17,
  /** accounts.repartition: a receipt for an account that has moved on, sent after it to its shard. */
  Forwarded: 18,
  /** accounts.repartition: an account's balance and nonce arrived; it is this shard's now. */
  Migrated: 19,
} as const;
export type Outcome = (typeof Outcome)[keyof typeof Outcome];

/**
 * A receipt to emit, built once as the receipt itself: the shard sets its
 * index when it numbers the block's outgoing receipts in block order (which
 * fixes its id), instead of copying every field into a second object.
 */
export type Emission = Omit<Receipt, 'index'> & { index: number };

/** An emission with every field in Receipt's order, so all receipts share one object shape. */
function emission(
  ctx: VmContext,
  kind: ReceiptKind,
  dstShard: number,
  txId: number,
  from: number,
  originShard: number,
  to: number,
  amount: number,
  submitMs: number,
  op: number,
  a: number,
  b: number,
  c: number,
  workGas: number,
): Emission {
  return { kind, srcShard: ctx.shard, srcSlot: ctx.slot, index: 0, dstShard, txId, from, originShard, to, amount, submitMs, op, a, b, c, workGas };
}

export interface ItemResult {
  readonly outcome: Outcome;
  readonly gasUsed: number;
  readonly emit: Emission | null;
}

/** Gas of a call's contract work: what its trace recorded when it says (workGas > 0), else the contract's price; 0 for a call of nothing (it fails). */
function callGas(ctx: VmContext, to: number, op: number, a: number, b: number, c: number, workGas: number): number {
  const spec = ctx.contracts.get(to);
  if (spec === undefined) return 0;
  return workGas > 0 ? workGas : CONTRACTS[spec.kind].gas(op, a, b, c);
}

/** Gas an item will use, known before execution (the block builder packs by it). */
export function receiptGas(r: Receipt, ctx: VmContext): number {
  return r.kind === ReceiptKind.Action ? ctx.gas.receiptApply + callGas(ctx, r.to, r.op, r.a, r.b, r.c, r.workGas) : ctx.gas.receiptApply;
}

/**
 * Where a transaction's receiver lives when it executes: where the controller found it, unless accounts move
 * (a transaction that waited in a mempool across a repartition finds its receiver where it is now).
 */
function toShardOf(tx: UserTx, ctx: VmContext): number {
  return ctx.map.movable ? ctx.map.owner[tx.to]! : tx.toShard;
}

/** The shard that owns the account a receipt acts on, when accounts move and it is not this one; else -1. */
function movedTo(r: Receipt, ctx: VmContext): number {
  if (!ctx.map.movable) return -1;
  const k = r.kind;
  const who = k === ReceiptKind.Credit || k === ReceiptKind.Action || k === ReceiptKind.BrokerPay || k === ReceiptKind.Migrate ? r.to : r.from;
  const owner = ctx.map.owner[who]!;
  return owner === ctx.shard ? -1 : owner;
}

export function txGas(tx: UserTx, ctx: VmContext): number {
  if (toShardOf(tx, ctx) !== ctx.shard) return ctx.gas.transfer + ctx.gas.receiptSend;
  return tx.kind === TxKind.Call ? ctx.gas.transfer + callGas(ctx, tx.to, tx.op, tx.a, tx.b, tx.c, tx.workGas) : ctx.gas.transfer;
}

export function executeTx(tx: UserTx, ctx: VmContext, state: StateAccess): ItemResult {
  const gasUsed = txGas(tx, ctx);
  // Its sender's state has moved to another shard: the transaction cannot run here.
  if (ctx.map.movable && ctx.map.owner[tx.from] !== ctx.shard) return { outcome: Outcome.Moved, gasUsed, emit: null };
  const toShard = toShardOf(tx, ctx);
  const from = ctx.map.local[tx.from]!;
  const bKey = balanceKey(from);
  const nKey = nonceKey(from);
  const balance = state.read(bKey);
  // As in Ethereum, the nonce advances whether or not the transaction succeeds.
  state.write(nKey, state.read(nKey) + 1);
  const locking = ctx.cross.protocol === 'lock-2pc';
  // An account a cross-shard transaction holds locked spends nothing else until the decision comes back (S-BAC's
  // locked objects; Atomix's lock phase).
  if (locking && state.read(lockKey(from)) !== 0) return { outcome: Outcome.Aborted, gasUsed, emit: null };
  if (balance < tx.amount) return { outcome: Outcome.Failed, gasUsed, emit: null };
  const call = tx.kind === TxKind.Call;
  if (toShard !== ctx.shard) {
    state.write(bKey, balance - tx.amount);
    if (locking) state.write(lockKey(from), 1);
    if (!call && ctx.cross.protocol === 'broker') {
      // BrokerChain's first half: the sender pays the broker here; the broker pays the receiver on its shard.
      const b = brokerOf(tx.id, ctx.cross.brokers);
      const key = brokerBalanceKey(ctx.members, b);
      state.write(key, state.read(key) + tx.amount);
      const emit = emission(ctx, ReceiptKind.BrokerPay, toShard, tx.id, tx.from, ctx.shard, tx.to, 0, tx.submitMs, 0, tx.amount, b, 0, 0);
      return { outcome: Outcome.SentBroker, gasUsed, emit };
    }
    const emit = call
      ? emission(ctx, ReceiptKind.Action, toShard, tx.id, tx.from, ctx.shard, tx.to, tx.amount, tx.submitMs, tx.op, tx.a, tx.b, tx.c, tx.workGas)
      : emission(ctx, ReceiptKind.Credit, toShard, tx.id, tx.from, ctx.shard, tx.to, tx.amount, tx.submitMs, 0, 0, 0, 0, 0);
    return { outcome: call ? Outcome.SentAction : Outcome.SentCredit, gasUsed, emit };
  }
  if (call) {
    if (!runCall(ctx, state, tx.to, { from: tx.from, value: tx.amount, slot: ctx.slot, op: tx.op, a: tx.a, b: tx.b, c: tx.c })) {
      return { outcome: Outcome.Failed, gasUsed, emit: null };
    }
  } else if (ctx.frozen !== null && ctx.frozen[tx.to] === 1) {
    return { outcome: Outcome.Failed, gasUsed, emit: null };
  }
  if (tx.to === tx.from || tx.amount === 0) return { outcome: Outcome.LocalDone, gasUsed, emit: null };
  state.write(bKey, balance - tx.amount);
  const toKey = balanceKey(ctx.map.local[tx.to]!);
  state.write(toKey, state.read(toKey) + tx.amount);
  return { outcome: Outcome.LocalDone, gasUsed, emit: null };
}

/** Runs a call of contract `to` (on this shard); false when there is no such contract or method, or the call fails. */
function runCall(ctx: VmContext, state: StateAccess, to: number, call: Call): boolean {
  const spec = ctx.contracts.get(to);
  if (spec === undefined) return false;
  const logic = CONTRACTS[spec.kind];
  if (!logic.knows(call.op)) return false;
  const base = storageKey(ctx.map.local[to]!, 0);
  const store: Storage = {
    read: (slot) => state.read(base + slot),
    write: (slot, value) => state.write(base + slot, value),
  };
  return logic.execute(spec, call, store);
}

export function executeReceipt(r: Receipt, ctx: VmContext, state: StateAccess): ItemResult {
  const gasUsed = receiptGas(r, ctx);
  const locking = ctx.cross.protocol === 'lock-2pc';
  // Under lock-2pc, what goes back to the sender's shard carries the slot its lock was taken in (`c`): the slot
  // of the block that sent the credit or action.
  const lockSlot = locking ? r.srcSlot : 0;
  // The account moved on (accounts.repartition): the receipt follows it, value and all.
  const onward = movedTo(r, ctx);
  if (onward >= 0) {
    const emit = emission(ctx, r.kind, onward, r.txId, r.from, r.originShard, r.to, r.amount, r.submitMs, r.op, r.a, r.b, r.c, r.workGas);
    return { outcome: Outcome.Forwarded, gasUsed, emit };
  }
  switch (r.kind) {
    case ReceiptKind.Migrate: {
      // Credits that reached the account here before its state did are kept: the moved balance adds to them.
      const local = ctx.map.local[r.to]!;
      state.write(balanceKey(local), state.read(balanceKey(local)) + r.amount);
      state.write(nonceKey(local), r.a);
      return { outcome: Outcome.Migrated, gasUsed, emit: null };
    }
    case ReceiptKind.Commit:
      state.write(lockKey(ctx.map.local[r.from]!), 0);
      return { outcome: Outcome.CommitDone, gasUsed, emit: null };
    case ReceiptKind.BrokerPay:
    case ReceiptKind.BrokerBack:
      return brokerReceipt(r, ctx, state, gasUsed);
    case ReceiptKind.Refund:
    case ReceiptKind.Data: {
      if (r.amount > 0) {
        const key = balanceKey(ctx.map.local[r.from]!);
        state.write(key, state.read(key) + r.amount);
      }
      if (locking) state.write(lockKey(ctx.map.local[r.from]!), 0);
      const outcome = r.kind === ReceiptKind.Refund ? Outcome.RefundDone : r.op === 0 ? Outcome.DataDone : Outcome.DataFailed;
      return { outcome, gasUsed, emit: null };
    }
    case ReceiptKind.Action: {
      const ok = runCall(ctx, state, r.to, { from: r.from, value: r.amount, slot: ctx.slot, op: r.op, a: r.a, b: r.b, c: r.c });
      if (ok && r.amount > 0) {
        const key = balanceKey(ctx.map.local[r.to]!);
        state.write(key, state.read(key) + r.amount);
      }
      // The result goes back to the caller's shard; a failed call's value with it.
      return {
        outcome: Outcome.ActionDone,
        gasUsed,
        emit: emission(ctx, ReceiptKind.Data, r.originShard, r.txId, r.from, r.originShard, r.to, ok ? 0 : r.amount, r.submitMs, ok ? 0 : 1, 0, 0, lockSlot, 0),
      };
    }
    default: {
      if (ctx.frozen !== null && ctx.frozen[r.to] === 1) {
        // The credit is refused: value goes back where it came from, never lost.
        return {
          outcome: Outcome.CreditRefused,
          gasUsed,
          emit: emission(ctx, ReceiptKind.Refund, r.originShard, r.txId, r.from, r.originShard, r.to, r.amount, r.submitMs, 0, 0, 0, lockSlot, 0),
        };
      }
      const key = balanceKey(ctx.map.local[r.to]!);
      state.write(key, state.read(key) + r.amount);
      if (!locking) return { outcome: Outcome.CreditDone, gasUsed, emit: null };
      // The output shard has committed; the decision goes back to release the sender's lock.
      return {
        outcome: Outcome.CreditCommitted,
        gasUsed,
        emit: emission(ctx, ReceiptKind.Commit, r.originShard, r.txId, r.from, r.originShard, r.to, 0, r.submitMs, 0, 0, 0, lockSlot, 0),
      };
    }
  }
}

/**
 * A broker's payout at the receiver's shard, or its return at the sender's. A payout the broker here cannot cover
 * waits (fallback `wait`) or goes back (fallback `refund`); a return the broker cannot cover waits, since the
 * broker owes it. No value travels in either: each moves between a broker and a user on one shard.
 */
function brokerReceipt(r: Receipt, ctx: VmContext, state: StateAccess, gasUsed: number): ItemResult {
  const bKey = brokerBalanceKey(ctx.members, r.b);
  const back = r.kind === ReceiptKind.BrokerBack;
  const who = back ? r.from : r.to;
  if (!back && ctx.frozen !== null && ctx.frozen[r.to] === 1) {
    const emit = emission(ctx, ReceiptKind.BrokerBack, r.originShard, r.txId, r.from, r.originShard, r.to, 0, r.submitMs, BrokerBack.Refused, r.a, r.b, 0, 0);
    return { outcome: Outcome.BrokerBounced, gasUsed, emit };
  }
  const liquidity = state.read(bKey);
  if (liquidity < r.a) {
    if (back || ctx.cross.fallback === 'wait') return { outcome: Outcome.BrokerDry, gasUsed, emit: null };
    const emit = emission(ctx, ReceiptKind.BrokerBack, r.originShard, r.txId, r.from, r.originShard, r.to, 0, r.submitMs, BrokerBack.Dry, r.a, r.b, 0, 0);
    return { outcome: Outcome.BrokerBounced, gasUsed, emit };
  }
  state.write(bKey, liquidity - r.a);
  const key = balanceKey(ctx.map.local[who]!);
  state.write(key, state.read(key) + r.a);
  return { outcome: back ? Outcome.RefundDone : Outcome.BrokerPaid, gasUsed, emit: null };
}

/** The state keys an item declares up front (Solana-style account locks); `writes` are readable too. */
export interface DeclaredAccess {
  readonly reads: number[];
  readonly writes: number[];
}

/**
 * What an item may touch, from its kind and arguments alone, before it runs:
 * a transfer locks its sender's balance and nonce and, when the receiver is
 * local (and not the sender), the receiver's balance; a credit locks its
 * receiver's balance, a refund or data receipt its original sender's. A
 * contract call also locks the contract's balance and the storage slots its
 * arguments name, reading the contract's lock key; when the slots depend on
 * values the call reads (an NFT mint), it write-locks the whole contract
 * instead, which conflicts with every slot-level user of that contract.
 */
export function declaredAccess(item: UserTx | Receipt, ctx: VmContext): DeclaredAccess {
  const locking = ctx.cross.protocol === 'lock-2pc';
  if ('srcShard' in item) {
    if (movedTo(item, ctx) >= 0) return { reads: [], writes: [] };
    if (item.kind === ReceiptKind.Migrate) {
      const local = ctx.map.local[item.to]!;
      return { reads: [], writes: [balanceKey(local), nonceKey(local)] };
    }
    if (item.kind === ReceiptKind.Action) return contractAccess(ctx, item.to, item, [], []);
    if (item.kind === ReceiptKind.Commit) return { reads: [], writes: [lockKey(ctx.map.local[item.from]!)] };
    const who = item.kind === ReceiptKind.Credit || item.kind === ReceiptKind.BrokerPay ? item.to : item.from;
    const writes = [balanceKey(ctx.map.local[who]!)];
    if (item.kind === ReceiptKind.BrokerPay || item.kind === ReceiptKind.BrokerBack) writes.push(brokerBalanceKey(ctx.members, item.b));
    else if (locking && item.kind !== ReceiptKind.Credit) writes.push(lockKey(ctx.map.local[item.from]!));
    return { reads: [], writes };
  }
  if (ctx.map.movable && ctx.map.owner[item.from] !== ctx.shard) return { reads: [], writes: [] };
  const from = ctx.map.local[item.from]!;
  const writes = [balanceKey(from), nonceKey(from)];
  // Every transaction reads its sender's lock; a cross-shard one takes it.
  if (locking) writes.push(lockKey(from));
  const toShard = toShardOf(item, ctx);
  if (toShard !== ctx.shard && item.kind === TxKind.Transfer && ctx.cross.protocol === 'broker') {
    writes.push(brokerBalanceKey(ctx.members, brokerOf(item.id, ctx.cross.brokers)));
  }
  if (toShard !== ctx.shard || item.to === item.from) return { reads: [], writes };
  if (item.kind === TxKind.Call) return contractAccess(ctx, item.to, item, [], writes);
  writes.push(balanceKey(ctx.map.local[item.to]!));
  return { reads: [], writes };
}

function contractAccess(
  ctx: VmContext,
  to: number,
  item: { readonly from: number; readonly amount: number; readonly op: number; readonly a: number; readonly b: number; readonly c: number },
  reads: number[],
  writes: number[],
): DeclaredAccess {
  const spec = ctx.contracts.get(to);
  const local = ctx.map.local[to]!;
  writes.push(balanceKey(local));
  if (spec === undefined) return { reads, writes };
  const lock = storageKey(local, CONTRACT_LOCK_SLOT);
  const call: Call = { from: item.from, value: item.amount, slot: ctx.slot, op: item.op, a: item.a, b: item.b, c: item.c };
  const slots = CONTRACTS[spec.kind].declare(spec, call);
  if (slots === null) {
    writes.push(lock);
  } else {
    reads.push(lock);
    const [read, written] = Array.isArray(slots) ? [[], slots] : [slots.reads, slots.writes];
    for (const s of read) reads.push(storageKey(local, s));
    for (const s of written) writes.push(storageKey(local, s));
  }
  return { reads, writes };
}
