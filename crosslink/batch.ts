/**
 * Receipt batches: one per (source shard, destination shard, slot). A block's
 * receiptsRoot is a Merkle root over one leaf per destination, committing to
 * (destination, receipt count, total value, batch root); a batch carries the
 * proof of its leaf. The destination recomputes the batch root from the
 * receipts themselves (a full multiproof of every receipt in the batch) and
 * checks that leaf against the crosslinked header.
 */
import { ByteWriter, HASH_BYTES, type Hash } from './hash.js';
import { leafBuffer, MerkleTree, merkleRoot, merkleRootOfFlat, verifyMerkleProof } from './merkle.js';
import { type Receipt, receiptLeafInto } from './receipt.js';
import type { BlockHeader } from './header.js';

export interface ReceiptBatch {
  readonly srcShard: number;
  readonly srcSlot: number;
  readonly dstShard: number;
  readonly receipts: readonly Receipt[];
  /** Position of this batch's leaf among the block's batches, and their number. */
  readonly leafIndex: number;
  readonly leafCount: number;
  /** Merkle proof of the batch leaf against the header's receiptsRoot. */
  readonly proof: readonly Hash[];
}

/** Total native value a batch carries. */
export function batchValue(receipts: readonly Receipt[]): number {
  let v = 0;
  for (const r of receipts) v += r.amount;
  return v;
}

const writer = new ByteWriter(80);

function batchLeaf(dst: number, count: number, value: number, root: Hash): Hash {
  return writer.reset().u32(dst).u32(count).u64(value).bytes(root).leafHash();
}

export interface SealedBatches {
  readonly receiptsRoot: Hash;
  readonly batches: ReceiptBatch[];
}

/**
 * Groups a block's outgoing receipts (already in block order) by destination,
 * in ascending destination order, and seals them under one receipts root.
 */
export function sealBatches(srcShard: number, srcSlot: number, outgoing: readonly Receipt[]): SealedBatches {
  if (outgoing.length === 0) return { receiptsRoot: merkleRoot([]), batches: [] };
  const byDst = new Map<number, Receipt[]>();
  for (const r of outgoing) {
    let list = byDst.get(r.dstShard);
    if (list === undefined) byDst.set(r.dstShard, (list = []));
    list.push(r);
  }
  const dsts = [...byDst.keys()].sort((a, b) => a - b);
  const leaves = dsts.map((d) => {
    const receipts = byDst.get(d)!;
    return batchLeaf(d, receipts.length, batchValue(receipts), receiptsRoot(receipts));
  });
  const tree = new MerkleTree(leaves);
  const batches = dsts.map((d, i) => ({
    srcShard,
    srcSlot,
    dstShard: d,
    receipts: byDst.get(d)!,
    leafIndex: i,
    leafCount: dsts.length,
    proof: tree.proof(i),
  }));
  return { receiptsRoot: tree.root, batches };
}

/** Merkle root over the receipts' leaves, hashed straight into a flat tree buffer. */
function receiptsRoot(receipts: readonly Receipt[]): Hash {
  const nodes = leafBuffer(receipts.length);
  for (let i = 0; i < receipts.length; i++) receiptLeafInto(receipts[i]!, nodes, i * HASH_BYTES);
  return merkleRootOfFlat(nodes, receipts.length);
}

export type BatchVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'wrong-source' | 'wrong-destination' | 'malformed' | 'bad-proof' };

/**
 * Checks a delivered batch against the finalized header of its source block:
 * every receipt must name this source, slot and destination, and the batch
 * leaf rebuilt from the receipts must prove against the header's receiptsRoot.
 */
export function verifyBatch(batch: ReceiptBatch, header: BlockHeader, self: number): BatchVerdict {
  if (batch.srcShard !== header.shard || batch.srcSlot !== header.slot) return { ok: false, reason: 'wrong-source' };
  if (batch.dstShard !== self) return { ok: false, reason: 'wrong-destination' };
  let value = 0;
  for (let i = 0; i < batch.receipts.length; i++) {
    const r = batch.receipts[i]!;
    if (r.srcShard !== batch.srcShard || r.srcSlot !== batch.srcSlot || r.dstShard !== self) {
      return { ok: false, reason: 'malformed' };
    }
    if (!Number.isSafeInteger(r.amount) || r.amount < 0) return { ok: false, reason: 'malformed' };
    value += r.amount;
  }
  const leaf = batchLeaf(self, batch.receipts.length, value, receiptsRoot(batch.receipts));
  const ok = verifyMerkleProof(leaf, batch.leafIndex, batch.leafCount, batch.proof, header.receiptsRoot);
  return ok ? { ok: true } : { ok: false, reason: 'bad-proof' };
}
