/**
 * The byte size of every message the network model times: a transaction, a
 * block, a receipt batch, a header or crosslink, a vote. A receipt, a batch's
 * numbers and a header are as large as the records this simulator puts on
 * its wire (crosslink/wire/layout.ts: eight bytes a number, 32 a hash), so a
 * new field costs bytes the day it is added; what the wire does not carry
 * (signatures, a user transaction's envelope) has a cited size.
 */
import { BATCH_NUMS, HEADER_HASHES, HEADER_NUMS, RECEIPT_BASE_NUMS } from '../wire/layout.js';

/**
 * A native transfer as Ethereum carries it: an EIP-1559 transaction of one
 * value transfer, RLP-encoded and signed, is about 110 bytes (nonce, fees,
 * gas, recipient 20, value, chain id, access list, and the 65-byte
 * signature; EIP-1559, eips.ethereum.org/EIPS/eip-1559): its type byte, a
 * 2-byte list prefix and 107 bytes of fields, the empty call data one of them.
 */
export const TRANSFER_TX_BYTES = 110;

/** Bytes of a length written big-endian with no leading zeros, as RLP writes long lengths. */
function lengthBytes(n: number): number {
  let bytes = 0;
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes++;
  return bytes;
}

/** An RLP prefix for a string or list of `n` bytes: one byte below 56, else one and the length's bytes (Ethereum Yellow Paper, appendix B). */
function rlpPrefix(n: number): number {
  return n < 56 ? 1 : 1 + lengthBytes(n);
}

/**
 * The transfer's envelope carrying `dataBytes` of call data: the empty data
 * field (one byte) becomes the data with its RLP prefix, and the list's
 * prefix grows with the fields. 110 bytes with no data. A single data byte
 * below 0x80 would be its own prefix; one byte more is not worth the data.
 */
export function signedTxBytes(dataBytes: number): number {
  const fields = 106 + (dataBytes === 0 ? 1 : rlpPrefix(dataBytes) + dataBytes);
  return 1 + rlpPrefix(fields) + fields;
}

/**
 * A contract call: the envelope carrying a 4-byte method selector and three
 * 32-byte ABI words (this simulator's calls carry a method and three
 * arguments; Solidity ABI specification, "Function Selector" and "Formal
 * Specification of the Encoding"): 211 bytes.
 */
export const CALL_TX_BYTES = signedTxBytes(4 + 3 * 32);

/** A BLS12-381 signature, compressed (G2): Ethereum's consensus signatures (consensus-specs, phase0 BLSSignature = Bytes96). */
export const BLS_SIGNATURE_BYTES = 96;

/**
 * A receipt: the fields of its wire record every receipt carries. An action
 * replaying a trace's work gas carries 8 bytes more, not counted: only
 * replayed cross-shard calls have one, a small share of a block's bytes.
 */
export const RECEIPT_BYTES = RECEIPT_BASE_NUMS * 8;

/** A Merkle proof's bytes per level: one 32-byte sibling. */
export const PROOF_BYTES_PER_LEVEL = 32;

/** A header without its committee's signature: its wire record. */
export const HEADER_BYTES = HEADER_NUMS * 8 + HEADER_HASHES * 32;

/**
 * A vote: slot (8), round (4), the block's hash (32), the phase (1), the
 * voter's index (4) and its BLS signature (96).
 */
export const VOTE_BYTES = 8 + 4 + 32 + 1 + 4 + BLS_SIGNATURE_BYTES;

/**
 * A signed header as the beacon receives it (a crosslink): the header, the
 * committee's aggregate signature and the bitfield of who signed, one bit a
 * member (as an Ethereum attestation's aggregation_bits).
 */
export function crosslinkBytes(committee: number, headerBytes: number = HEADER_BYTES): number {
  return headerBytes + BLS_SIGNATURE_BYTES + Math.ceil(committee / 8);
}

/**
 * A block the committee agrees on: its header and signature, then its transactions (`txBytes` in all) and the
 * receipts it applies with their batches' proofs (`receiptBytes` in all, shards/delayed-receipts.ts).
 */
export function blockBytes(txBytes: number, receiptBytes: number): number {
  return HEADER_BYTES + BLS_SIGNATURE_BYTES + txBytes + receiptBytes;
}

/** Levels of a Merkle proof over `leaves` leaves (an odd node is promoted, so it is the tree's height). */
export function proofLevels(leaves: number): number {
  return leaves <= 1 ? 0 : Math.ceil(Math.log2(leaves));
}

/** A receipt batch's own numbers (source, slot, destination, leaf position, ...). */
export const BATCH_NUMS_BYTES = BATCH_NUMS * 8;

/** A receipt batch: its numbers, its receipts and the proof of its leaf among a block's `batchesInBlock` batches. */
export function batchBytes(receipts: number, batchesInBlock: number): number {
  return BATCH_NUMS_BYTES + receipts * RECEIPT_BYTES + proofLevels(batchesInBlock) * PROOF_BYTES_PER_LEVEL;
}
