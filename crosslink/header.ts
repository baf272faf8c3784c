/**
 * Shard block headers. The beacon records them as crosslinks; a destination
 * trusts a receipt only through a header the beacon has finalized.
 */
import { ByteWriter, type Hash } from './hash.js';

export interface BlockHeader {
  readonly shard: number;
  readonly slot: number;
  readonly parentHash: Hash;
  readonly stateRoot: Hash;
  readonly txRoot: Hash;
  /** Root over this block's outgoing batches, one leaf per destination (see batch.ts). */
  readonly receiptsRoot: Hash;
  readonly gasUsed: number;
  readonly txCount: number;
  readonly receiptCount: number;
}

const writer = new ByteWriter(160);

export function headerHash(h: BlockHeader): Hash {
  return writer
    .reset()
    .u32(h.shard)
    .u32(h.slot)
    .bytes(h.parentHash)
    .bytes(h.stateRoot)
    .bytes(h.txRoot)
    .bytes(h.receiptsRoot)
    .u64(h.gasUsed)
    .u32(h.txCount)
    .u32(h.receiptCount)
    .hash();
}

/**
 * What the beacon tells a destination about one finalized source block that
 * sent it a batch: the header, and that batch's receipt count and value. The
 * header's receiptsRoot is the authority; count and value only say what to
 * await. Blocks that sent a destination nothing are not listed for it (the
 * slot command's `finalizedSlot` says which slot's blocks are all final), so
 * a slot's crosslinks cost one entry per batch, not one per pair of shards.
 */
export interface Crosslink {
  readonly header: BlockHeader;
  readonly count: number;
  readonly value: number;
}
