/**
 * Cross-shard receipts: the only way value moves between shards. A receipt's
 * id is (source shard, source slot, index in that block's outgoing list),
 * unique by construction; its leaf in the batch tree (batch.ts) commits to
 * every field, so a receipt altered in transit no longer matches the source's
 * committed root.
 */
export const ReceiptKind = {
  /** Credit `amount` to `to` (the second half of a cross-shard transfer). */
  Credit: 1,
  /** Return `amount` to the original sender `from` after a failed credit. */
  Refund: 2,
  /** Run call `op`(a, b, c) of contract `to` for caller `from`, with `amount` attached. */
  Action: 3,
  /** The result of an action, back at the caller's shard: `op` 0 ok, 1 failed; `amount` is value returned. */
  Data: 4,
  /** lock-2pc: the output shard committed the transfer; release the lock on sender `from` (no value; `c` is the slot the lock was taken). */
  Commit: 5,
  /** broker: pay `a` to `to` from broker `b`'s account on this shard (no value travels: the sender paid the broker on its own shard). */
  BrokerPay: 6,
  /** broker: a payout came back unpaid (`op` 1: broker dry, 2: receiver refused); broker `b` returns `a` to `from` here (no value travels). */
  BrokerBack: 7,
  /** accounts.repartition: account `to` (= `from`) moves here with its balance `amount` and nonce `a`. */
  Migrate: 8,
} as const;
export type ReceiptKind = (typeof ReceiptKind)[keyof typeof ReceiptKind];

export interface Receipt {
  readonly kind: ReceiptKind;
  readonly srcShard: number;
  readonly srcSlot: number;
  readonly index: number;
  readonly dstShard: number;
  /** The user transaction this receipt continues. */
  readonly txId: number;
  /** Original sender (global id) and its shard: where a refund goes. */
  readonly from: number;
  readonly originShard: number;
  readonly to: number;
  readonly amount: number;
  /** Submission time of the user transaction, for latency at completion. */
  readonly submitMs: number;
  /** Call data of an action (method and arguments), or the status of a data receipt; zero otherwise. */
  readonly op: number;
  readonly a: number;
  readonly b: number;
  readonly c: number;
  /** An action's contract work in gas as its transaction's trace recorded it (UserTx.workGas), or 0: the contract's own price. */
  readonly workGas: number;
}
