/**
 * Cross-shard receipts: the only way value moves between shards. A receipt's
 * id is (source shard, source slot, index in that block's outgoing list),
 * unique by construction; its leaf hash commits to every field, so a receipt
 * altered in transit no longer matches the source's committed root.
 */
import { ByteWriter, type Hash } from './hash.js';

export const ReceiptKind = {
  /** Credit `amount` to `to` (the second half of a cross-shard transfer). */
  Credit: 1,
  /** Return `amount` to the original sender `from` after a failed credit. */
  Refund: 2,
  /** Run call `op`(a, b, c) of contract `to` for caller `from`, with `amount` attached. */
  Action: 3,
  /** The result of an action, back at the caller's shard: `op` 0 ok, 1 failed; `amount` is value returned. */
  Data: 4,
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
}

const writer = new ByteWriter(64);

/** The leaf a receipt's batch commits to: every field, in this order. */
function encode(r: Receipt): ByteWriter {
  return writer
    .reset()
    .u8(r.kind)
    .u32(r.srcShard)
    .u32(r.srcSlot)
    .u32(r.index)
    .u32(r.dstShard)
    .u64(r.txId)
    .u32(r.from)
    .u32(r.originShard)
    .u32(r.to)
    .u64(r.amount)
    .u64(r.submitMs)
    .u32(r.op)
    .u64(r.a)
    .u64(r.b)
    .u64(r.c);
}

export function receiptLeaf(r: Receipt): Hash {
  return encode(r).leafHash();
}

/** As `receiptLeaf`, into out[at, at + 32): batches hash their receipts straight into a flat Merkle buffer. */
export function receiptLeafInto(r: Receipt, out: Uint8Array, at: number): void {
  encode(r).leafHashInto(out, at);
}
