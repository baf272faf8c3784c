/**
 * The bytes of a delivered receipt batch, from what it carries: its numbers,
 * its receipts and the proof it holds. The sizes are message-sizes.ts's, so
 * a receipt or a proof level has one definition.
 */
import type { ReceiptBatch } from './batch.js';
import { HASH_BYTES } from './hash.js';
import { BATCH_NUMS_BYTES, batchBytes, CALL_TX_BYTES, PROOF_BYTES_PER_LEVEL, proofLevels, RECEIPT_BYTES, TRANSFER_TX_BYTES } from './network/message-sizes.js';
import { type Receipt, ReceiptKind } from './receipt.js';

/**
 * A batch's bytes beside its receipts: its numbers and the proof it holds. A
 * batch alone in its block carries no proof; the proof's levels are counted
 * as carried (one hash each), a level short for a leaf promoted past a level
 * (merkle.ts). A block applying receipts of the batch carries these bytes
 * once (shards/delayed-receipts.ts).
 */
export function batchOverheadBytes(batch: ReceiptBatch): number {
  return BATCH_NUMS_BYTES + (batch.proof.length / HASH_BYTES) * PROOF_BYTES_PER_LEVEL;
}

/** A batch's bytes as delivered under receipts: batchBytes(n, leafCount) but for a promoted leaf's shorter proof. */
export function deliveredBatchBytes(batch: ReceiptBatch): number {
  return batchOverheadBytes(batch) + batch.receipts.length * RECEIPT_BYTES;
}

/**
 * A batch's bytes as its crosslink announces it, before it arrives (what its transit is timed by): `count`
 * receipts, the leaf proof's few hundred bytes aside, since the crosslink does not say how many batches share
 * the block's tree; under `relay`, `count` relayed transfers, each with its inclusion proof among the source
 * block's `sourceTxCount` transactions (the crosslink does not say which are calls).
 */
export function announcedBatchBytes(count: number, sourceTxCount: number, relay: boolean): number {
  if (!relay) return batchBytes(count, 1);
  return BATCH_NUMS_BYTES + count * (TRANSFER_TX_BYTES + proofLevels(sourceTxCount) * PROOF_BYTES_PER_LEVEL);
}

/**
 * A batch as the `relay` protocol sends it (Monoxide's relay transactions; BlockEmulator's Relay): each
 * transfer or call crosses as the signed transaction itself with the Merkle proof of its inclusion among its
 * source block's `sourceTxCount` transactions; a call's result or a refund travels back as a receipt. The
 * batch's own numbers and leaf proof are counted as for receipts. A relayed transaction is sized by its kind
 * (message-sizes.ts), since a receipt does not carry its transaction's call data.
 */
export function relayBatchBytes(batch: ReceiptBatch, sourceTxCount: number): number {
  let bytes = batchOverheadBytes(batch);
  for (const r of batch.receipts) bytes += relayItemBytes(r, sourceTxCount);
  return bytes;
}

/** One item of a relay batch: a relayed transfer or call with its inclusion proof among `sourceTxCount` transactions, or a receipt. */
export function relayItemBytes(r: Receipt, sourceTxCount: number): number {
  if (r.kind === ReceiptKind.Credit) return TRANSFER_TX_BYTES + proofLevels(sourceTxCount) * PROOF_BYTES_PER_LEVEL;
  if (r.kind === ReceiptKind.Action) return CALL_TX_BYTES + proofLevels(sourceTxCount) * PROOF_BYTES_PER_LEVEL;
  return RECEIPT_BYTES;
}
