/**
 * The bytes of a delivered receipt batch, from what it carries: its numbers,
 * its receipts and the proof it holds. The sizes are message-sizes.ts's, so
 * a receipt or a proof level has one definition.
 */
import type { ReceiptBatch } from './batch.js';
import { HASH_BYTES } from './hash.js';
import { batchBytes, PROOF_BYTES_PER_LEVEL } from './network/message-sizes.js';

/**
 * A batch's bytes as delivered. A batch alone in its block carries no proof,
 * so batchBytes(n, 1) is its numbers and receipts; the proof's levels are
 * counted as carried (one hash each). That is batchBytes(n, leafCount) but
 * for a leaf promoted past a level (merkle.ts), whose proof is a level short.
 */
export function deliveredBatchBytes(batch: ReceiptBatch): number {
  return batchBytes(batch.receipts.length, 1) + (batch.proof.length / HASH_BYTES) * PROOF_BYTES_PER_LEVEL;
}
