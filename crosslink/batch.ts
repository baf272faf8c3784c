/**
 * Receipt batches: one per (source shard, destination shard, slot). A block's
 * receiptsRoot is a Merkle root over one leaf per destination, committing to
 * (destination, receipt count, total value, batch digest); a batch carries
 * the proof of its leaf. The destination recomputes the batch digest from
 * the receipts themselves and checks that leaf against the crosslinked
 * header. The digest is a flat hash of the batch's receipt records, not a
 * Merkle tree over them: a destination takes a batch whole and never needs
 * one receipt's proof, which is how NEAR commits outgoing receipts too (the
 * hash of each shard's receipt list, merklized over shards).
 */
import { HASH_BYTES, type Hash, HashChain, hashBlockInto, tagIv } from './hash.js';
import type { BlockHeader } from './header.js';
import { type MerkleProof, MerkleTree, merkleRoot, verifyMerkleProof } from './merkle.js';
import type { Receipt } from './receipt.js';
import { OUTBOUND_NUMS, type OutboundRows } from './transport.js';
import { compileHashRecord, RECORD_BLOCK } from './wire/layout.js';

export interface ReceiptBatch {
  readonly srcShard: number;
  readonly srcSlot: number;
  readonly dstShard: number;
  readonly receipts: readonly Receipt[];
  /** Position of this batch's leaf among the block's batches, and their number. */
  readonly leafIndex: number;
  readonly leafCount: number;
  /** Merkle proof of the batch leaf against the header's receiptsRoot. */
  readonly proof: MerkleProof;
}

/** Total native value a batch carries. */
export function batchValue(receipts: readonly Receipt[]): number {
  let v = 0;
  for (const r of receipts) v += r.amount;
  return v;
}

// A batch's digest is one compression per receipt, chained from the IV
// SHA-256('shardsim/receipt-batch') (a HashChain) over each receipt's
// record zero-padded to one block; the count sits in the batch leaf. A
// Merkle tree over per-receipt leaves took about two compressions a receipt,
// at the source and again at the destination. The record commits to every
// field but the three a receipt's place fixes: srcShard and srcSlot are the
// header's shard and slot, and dstShard the batch leaf's destination, all
// checked by verifyBatch. Layout: the other fields in RECEIPT_FIELDS's order
// (wire/layout.ts), each at its width there, little endian: kind u8, index
// u32, txId u56, from u32, originShard u32, to u32, amount u56, submitMs
// u56, op u32, a, b, c u56, 63 bytes; the 64th says whether a tail block
// follows, which holds workGas (u56) when it is not 0: a second compression
// only for an action that carries a trace's gas. A u56 holds any
// non-negative safe integer; verifyBatch rejects a receipt with any field
// outside its width, so no two accepted receipts share a record.
const receiptsChain = new HashChain(tagIv('shardsim/receipt-batch'));
const record = new Uint8Array(2 * RECORD_BLOCK);
const recordView = new DataView(record.buffer);
const TWO_32 = 0x1_0000_0000;
const receiptRecord = compileHashRecord();

function u56(at: number, x: number): void {
  const hi = Math.floor(x / TWO_32);
  recordView.setUint32(at, x - hi * TWO_32, true);
  record[at + 4] = hi;
  record[at + 5] = hi >>> 8;
  record[at + 6] = hi >>> 16;
}

/** Writes receipt `r`'s record into `record`; whether it has a tail block. */
function writeRecord(r: Receipt): boolean {
  return receiptRecord.write(r, record, recordView, u56);
}

/** The digest of a batch's receipts (in batch order) into out[at, at + 32). */
function batchDigestInto(receipts: readonly Receipt[], out: Uint8Array, at: number): void {
  const chain = receiptsChain.begin();
  for (let i = 0; i < receipts.length; i++) {
    const tail = writeRecord(receipts[i]!);
    chain.absorb(record, 0);
    if (tail) chain.absorb(record, RECORD_BLOCK);
  }
  chain.digestInto(out, at);
}

/** The digest a batch leaf commits to for these receipts, in this order. */
export function batchDigest(receipts: readonly Receipt[]): Hash {
  const out = new Uint8Array(HASH_BYTES);
  batchDigestInto(receipts, out, 0);
  return out;
}

/** Whether every field of `r` fits its width in the receipt record (and the amount is a valid value). */
const encodable = receiptRecord.fits;

// A batch's leaf in the block's receipts tree: (destination u32, receipt
// count u32, value f64, batch digest), 48 bytes little endian, zero-padded and
// compressed once from its own IV, as receipt leaves are (one compression at
// the source and one at every destination, where the 49-byte RFC 6962 leaf
// took two). The value is the float64 itself, so every number encodes exactly.
const BATCH_LEAF_IV = tagIv('shardsim/batch-leaf');
const batchRecord = new Uint8Array(64);
const batchView = new DataView(batchRecord.buffer);

/** The leaf of a batch (destination, receipt count, value, and its digest at root[rootAt, rootAt + 32)) into out[at, at + 32). */
function batchLeafInto(dst: number, count: number, value: number, root: Uint8Array, rootAt: number, out: Uint8Array, at: number): void {
  batchView.setUint32(0, dst, true);
  batchView.setUint32(4, count, true);
  batchView.setFloat64(8, value, true);
  for (let b = 0; b < HASH_BYTES; b++) batchRecord[16 + b] = root[rootAt + b]!;
  hashBlockInto(BATCH_LEAF_IV, batchRecord, 0, out, at);
}

export interface SealedBatches {
  readonly receiptsRoot: Hash;
  readonly batches: ReceiptBatch[];
  /** The batches as the beacon records them: (destination, receipt count, value) triples, in batch order. */
  readonly outbound: OutboundRows;
}

/** Scratch: one batch's digest, and the batch leaves of a block (grown on demand). */
const rootScratch = new Uint8Array(HASH_BYTES);
let leafScratch = new Uint8Array(64 * HASH_BYTES);

/**
 * Groups a block's outgoing receipts (already in block order) by destination,
 * in ascending destination order, and seals them under one receipts root.
 * A counting sort by destination and one flat buffer of batch leaves: at
 * 1,024 shards a block seals about a thousand batches of one receipt each,
 * so per-batch maps, arrays and hashes were most of its garbage.
 */
export function sealBatches(srcShard: number, srcSlot: number, outgoing: readonly Receipt[]): SealedBatches {
  if (outgoing.length === 0) return { receiptsRoot: merkleRoot([]), batches: [], outbound: new Float64Array(0) };
  let maxDst = 0;
  for (let i = 0; i < outgoing.length; i++) if (outgoing[i]!.dstShard > maxDst) maxDst = outgoing[i]!.dstShard;
  // starts[d] ends up as the first position of destination d in `sorted` (stable: block order within it).
  const starts = new Int32Array(maxDst + 2);
  for (let i = 0; i < outgoing.length; i++) starts[outgoing[i]!.dstShard + 1]!++;
  let count = 0;
  for (let d = 0; d <= maxDst; d++) {
    if (starts[d + 1]! > 0) count++;
    starts[d + 1]! += starts[d]!;
  }
  const sorted = new Array<Receipt>(outgoing.length);
  const fill = starts.slice();
  for (let i = 0; i < outgoing.length; i++) {
    const r = outgoing[i]!;
    sorted[fill[r.dstShard]!++] = r;
  }
  if (leafScratch.length < count * HASH_BYTES) leafScratch = new Uint8Array(count * 2 * HASH_BYTES);
  const leaves = leafScratch.subarray(0, count * HASH_BYTES);
  const groups = new Array<Receipt[]>(count);
  const dsts = new Int32Array(count);
  const outbound = new Float64Array(count * OUTBOUND_NUMS);
  for (let d = 0, i = 0; d <= maxDst; d++) {
    const from = starts[d]!;
    const to = starts[d + 1]!;
    if (to === from) continue;
    const receipts = sorted.slice(from, to);
    const value = batchValue(receipts);
    batchDigestInto(receipts, rootScratch, 0);
    batchLeafInto(d, receipts.length, value, rootScratch, 0, leaves, i * HASH_BYTES);
    groups[i] = receipts;
    dsts[i] = d;
    outbound[i * OUTBOUND_NUMS] = d;
    outbound[i * OUTBOUND_NUMS + 1] = receipts.length;
    outbound[i * OUTBOUND_NUMS + 2] = value;
    i++;
  }
  const tree = new MerkleTree(leaves);
  const proofs = tree.allProofs();
  const batches = new Array<ReceiptBatch>(count);
  // dstShard from the Int32Array: a number read from a Float64Array would make V8 box the field in every batch of this shape.
  for (let i = 0; i < count; i++) {
    batches[i] = { srcShard, srcSlot, dstShard: dsts[i]!, receipts: groups[i]!, leafIndex: i, leafCount: count, proof: proofs[i]! };
  }
  return { receiptsRoot: tree.root, batches, outbound };
}

export type BatchVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: 'wrong-source' | 'wrong-destination' | 'malformed' | 'bad-proof' };

const VALID: BatchVerdict = { ok: true };
const BAD_PROOF: BatchVerdict = { ok: false, reason: 'bad-proof' };
/** The batch leaf a destination rebuilds (scratch: verification is synchronous). */
const verifyLeaf = new Uint8Array(HASH_BYTES);

/**
 * Checks a delivered batch against the finalized header of its source block
 * (or what an inbox keeps of it: shard, slot and receipts root): every
 * receipt must name this source, slot and destination, and the batch leaf
 * rebuilt from the receipts must prove against the header's receiptsRoot.
 */
export function verifyBatch(batch: ReceiptBatch, header: Pick<BlockHeader, 'shard' | 'slot' | 'receiptsRoot'>, self: number): BatchVerdict {
  if (batch.srcShard !== header.shard || batch.srcSlot !== header.slot) return { ok: false, reason: 'wrong-source' };
  if (batch.dstShard !== self) return { ok: false, reason: 'wrong-destination' };
  let value = 0;
  for (let i = 0; i < batch.receipts.length; i++) {
    const r = batch.receipts[i]!;
    if (r.srcShard !== batch.srcShard || r.srcSlot !== batch.srcSlot || r.dstShard !== self) {
      return { ok: false, reason: 'malformed' };
    }
    if (!encodable(r)) return { ok: false, reason: 'malformed' };
    value += r.amount;
  }
  batchDigestInto(batch.receipts, rootScratch, 0);
  batchLeafInto(self, batch.receipts.length, value, rootScratch, 0, verifyLeaf, 0);
  return verifyMerkleProof(verifyLeaf, batch.leafIndex, batch.leafCount, batch.proof, header.receiptsRoot) ? VALID : BAD_PROOF;
}
