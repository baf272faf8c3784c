/**
 * The beacon chain, as far as the simulation needs it: it records every
 * shard block header as a crosslink, checks that each shard's headers form a
 * chain, and finalizes them `finalityDelaySlots` later. Destinations learn of
 * finalized source blocks only through it.
 */

import { ProtocolError } from '../crosslink/common/errors.js';
import { smallIntOr } from '../crosslink/common/small-int.js';
import { type Hash, hashEquals, ZERO_HASH } from '../crosslink/hash.js';
import { type Crosslink, headerHash } from '../crosslink/header.js';
import { OUTBOUND_NUMS, type SlotReport } from '../crosslink/transport.js';

export class Beacon {
  private readonly pending = new Map<number, readonly SlotReport[]>();
  private readonly tips: Hash[];
  /** Receipts finalized towards each destination (count and value). */
  readonly finalizedInbound: Array<{ count: number; value: number }>;

  constructor(
    private readonly shards: number,
    private readonly finalityDelay: number,
  ) {
    this.tips = Array.from({ length: shards }, () => ZERO_HASH);
    this.finalizedInbound = Array.from({ length: shards }, () => ({ count: 0, value: 0 }));
  }

  /** Records one slot's headers; a header that does not extend its shard's chain is a protocol error. */
  record(slot: number, reports: readonly SlotReport[]): void {
    for (const r of reports) {
      if (r.header.slot !== slot || r.header.shard !== r.shard) {
        throw new ProtocolError(`shard ${r.shard} reported a header for shard ${r.header.shard} slot ${r.header.slot} in slot ${slot}`);
      }
      if (!hashEquals(r.header.parentHash, this.tips[r.shard]!)) {
        throw new ProtocolError(`shard ${r.shard} slot ${slot}: header does not extend the shard's crosslinked chain`);
      }
      this.tips[r.shard] = headerHash(r.header);
    }
    this.pending.set(slot, reports);
  }

  /**
   * The blocks that become final at `slot` (every shard's block of slot -
   * finalityDelay, or none yet: -1), and per destination shard the
   * crosslinks of those that sent it a batch, by ascending source shard.
   */
  finalize(slot: number): { finalizedSlot: number; crosslinks: Crosslink[][] } {
    const crosslinks: Crosslink[][] = Array.from({ length: this.shards }, () => []);
    const src = slot - this.finalityDelay;
    const reports = this.pending.get(src);
    if (reports === undefined) return { finalizedSlot: -1, crosslinks };
    this.pending.delete(src);
    for (const r of reports) {
      const o = r.outbound;
      for (let i = 0; i < o.length; i += OUTBOUND_NUMS) {
        const dst = o[i]!;
        const count = o[i + 1]!;
        const value = o[i + 2]!;
        const inbound = this.finalizedInbound[dst];
        if (inbound === undefined) throw new ProtocolError(`shard ${r.shard} slot ${src}: a batch for shard ${dst}, which the run does not have`);
        inbound.count += count;
        inbound.value += value;
        crosslinks[dst]!.push({ header: r.header, count: smallIntOr(count), value: smallIntOr(value) });
      }
    }
    return { finalizedSlot: src, crosslinks };
  }

  /** Receipts sent by blocks not finalized yet (in flight by definition). */
  unfinalized(): { count: number; value: number } {
    let count = 0;
    let value = 0;
    for (const reports of this.pending.values()) {
      for (const r of reports) {
        for (let i = 0; i < r.outbound.length; i += OUTBOUND_NUMS) {
          count += r.outbound[i + 1]!;
          value += r.outbound[i + 2]!;
        }
      }
    }
    return { count, value };
  }
}
