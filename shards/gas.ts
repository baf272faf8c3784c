/** Gas charged per operation; the scenario's `gas` section sets these. */
export interface GasSchedule {
  /** A native transfer, debit and credit on one shard (Ethereum's intrinsic 21,000). */
  readonly transfer: number;
  /** Extra at the source for emitting a cross-shard receipt. */
  readonly receiptSend: number;
  /** Applying one receipt (credit or refund) at its destination. */
  readonly receiptApply: number;
}
