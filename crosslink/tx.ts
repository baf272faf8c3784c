/**
 * The envelope of a user transaction as it is submitted to a shard. The
 * protocol moves it; what it does is the shard's business (shards/vm.ts).
 */
export const TxKind = {
  /** Native value transfer between two accounts. */
  Transfer: 0,
  /** A call of contract `to`: method `op` with arguments a, b, c; `amount` is attached value. */
  Call: 1,
} as const;
export type TxKind = (typeof TxKind)[keyof typeof TxKind];

export interface UserTx {
  /** Position in the global workload stream: unique and shard-count independent. */
  readonly id: number;
  readonly kind: TxKind;
  /** Global account ids. */
  readonly from: number;
  readonly to: number;
  /** Native units, a safe integer. */
  readonly amount: number;
  /** Gas the sender allows; the block builder packs by it. */
  readonly gasLimit: number;
  /** Simulated submission time in milliseconds since genesis. */
  readonly submitMs: number;
  /** Shard of `to` under the run's partition (set by the submitter). */
  readonly toShard: number;
  /** Call data (zero for transfers): a method and three numeric arguments. */
  readonly op: number;
  readonly a: number;
  readonly b: number;
  readonly c: number;
  /** The transaction's size signed and encoded, bytes: a trace row's, or its kind's (crosslink/network/message-sizes.ts). */
  readonly bytes: number;
  /**
   * Gas of a call's contract work as a trace recorded it (the row's gas used less the 21,000 every
   * transaction pays), or 0: the contract's own price for the call. A cross-shard call's action receipt
   * carries it to where the work runs, as NEAR's receipts carry their prepaid gas.
   */
  readonly workGas: number;
}
