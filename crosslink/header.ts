/**
 * Shard block headers. The beacon records them as crosslinks; a destination
 * trusts a receipt only through a header the beacon has finalized.
 */
import { ByteWriter, type Hash } from './hash.js';
import { HEADER_FIELDS } from './wire/layout.js';

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

/** The hash of a header: its fields in HEADER_FIELDS's order (wire/layout.ts), each at its width there. */
export function headerHash(h: BlockHeader): Hash {
  const w = writer.reset();
  for (const [k, width] of HEADER_FIELDS) {
    if (width === 'hash') w.bytes(h[k]);
    else if (width === 'u64') w.u64(h[k]);
    else w.u32(h[k]);
  }
  return w.hash();
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
