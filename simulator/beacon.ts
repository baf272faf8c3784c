/**
 * The beacon chain, as far as the simulation needs it: it records every
 * shard block header, checks that each shard's headers form a chain, puts
 * them into beacon blocks as crosslinks, and finalizes them
 * `finalityDelay` slots after the beacon block that holds them.
 * Destinations learn of finalized source blocks only through it.
 *
 * A beacon block holds crosslinks for at most `capacity` shards
 * (beacon-capacity.ts derives one). A crosslink covers every header of its
 * shard not crosslinked yet, as in Ethereum's phase-1 design, where one
 * crosslink could cover a range of shard blocks (consensus-specs, "Ethereum
 * 2.0 Phase 1 -- The Beacon Chain with Shards", shard transitions). The block
 * of slot b takes the shards whose oldest uncrosslinked header is oldest,
 * ties by ascending shard: under steady load that is a round robin. Its
 * headers are final from the start of slot b + finalityDelay. A source slot
 * is final once every shard's header of it (and of every earlier slot) is:
 * destinations admit by one global `finalizedSlot` (crosslink/inbox.ts).
 * With unlimited capacity every header is crosslinked in its own slot, and
 * finalize(t) gives slot t - finalityDelay, as before capacity existed.
 */

import { ConfigError, ProtocolError } from '../crosslink/common/errors.js';
import { smallIntOr } from '../crosslink/common/small-int.js';
import { type Hash, hashEquals, ZERO_HASH } from '../crosslink/hash.js';
import { type Crosslink, headerHash } from '../crosslink/header.js';
import { OUTBOUND_NUMS, type SlotReport } from '../crosslink/transport.js';
import { addDelay, delaysOf, type SlotDelays } from './slot-delays.js';

/** What one beacon slot did, for results. */
export interface BeaconLoad {
  /** Beacon slots of the window that were recorded. */
  readonly slots: number;
  /** Crosslinks (shards) included per beacon block. */
  readonly crosslinksMean: number;
  readonly crosslinksMax: number;
  /** Headers recorded and not in any beacon block yet, after each block was built. */
  readonly backlogMean: number;
  readonly backlogMax: number;
  /** Crosslinks a beacon block could hold (Infinity: unlimited): the least and the mean over the slots. */
  readonly capacityMin: number;
  readonly capacityMean: number;
  /** Bytes the beacon committee sent a slot agreeing on its block, mean (0 when its agreement is not timed). */
  readonly agreementBytesMean: number;
}

/** A beacon whose own committee agrees on each block (beacon-capacity.ts): what fits a slot, and what agreeing on a block sends. */
export interface BeaconCommittee {
  capacityAt(slot: number): number;
  bytesAt(slot: number, crosslinks: number): number;
}

/** Crosslinks the beacon block of a slot may hold: one figure for every slot, or what a timed committee agrees on. */
export type BeaconCapacitySource = number | BeaconCommittee;

/** The headers one beacon block crosslinked: flat (shard, source slot) pairs. */
interface Inclusion {
  readonly slot: number;
  readonly headers: number[];
}

export class Beacon {
  /** Reports of source slots not final yet, each by ascending shard (their receipts are in flight). */
  private readonly pending = new Map<number, readonly SlotReport[]>();
  private readonly tips: Hash[];
  /** Receipts finalized towards each destination (count and value). */
  readonly finalizedInbound: Array<{ count: number; value: number }>;
  /** Per shard, the slots of its recorded headers not in a beacon block yet, ascending. */
  private readonly uncrosslinked: number[][];
  private backlog = 0;
  /** Beacon blocks whose headers are not final yet, by slot. */
  private inclusions: Inclusion[] = [];
  private lastRecorded = -1;
  private finalized = -1;
  // Per source slot: headers not final yet, the slot its last header became final, its headers' delays (index = delay).
  private readonly notFinal: number[] = [];
  private readonly lastFinalAt: number[] = [];
  private readonly headerDelays: number[][] = [];
  /** Per source slot, the slot from which it counted as final (every shard's header of it and of every earlier slot). */
  private readonly slotFinalAt: number[] = [];
  // Per beacon slot: crosslinks included, and the backlog left after the block.
  private readonly includedAt: number[] = [];
  private readonly backlogAt: number[] = [];
  private readonly capacityAt: number[] = [];
  /** Per beacon slot: bytes its committee sent agreeing on the block (0 when agreement is not timed). */
  private readonly agreementBytesAt: number[] = [];

  constructor(
    private readonly shards: number,
    private readonly finalityDelay: number,
    private readonly capacity: BeaconCapacitySource = Number.POSITIVE_INFINITY,
  ) {
    if (!Number.isInteger(finalityDelay) || finalityDelay < 0)
      throw new ConfigError('finalityDelaySlots', `must be a whole number of slots, not ${finalityDelay}`);
    if (typeof capacity === 'number') checkCapacity(capacity);
    this.tips = Array.from({ length: shards }, () => ZERO_HASH);
    this.finalizedInbound = Array.from({ length: shards }, () => ({ count: 0, value: 0 }));
    this.uncrosslinked = Array.from({ length: shards }, () => []);
  }

  /**
   * Records one slot's headers and builds that slot's beacon block. A header
   * that does not extend its shard's chain is a protocol error, and so is a
   * slot not after the last one recorded (a beacon block per slot, in order).
   */
  record(slot: number, reports: readonly SlotReport[]): void {
    if (!Number.isInteger(slot) || slot <= this.lastRecorded) throw new ProtocolError(`beacon slot ${slot} recorded after slot ${this.lastRecorded}`);
    for (const r of reports) {
      if (r.header.slot !== slot || r.header.shard !== r.shard) {
        throw new ProtocolError(`shard ${r.shard} reported a header for shard ${r.header.shard} slot ${r.header.slot} in slot ${slot}`);
      }
      if (!hashEquals(r.header.parentHash, this.tips[r.shard]!)) {
        throw new ProtocolError(`shard ${r.shard} slot ${slot}: header does not extend the shard's crosslinked chain`);
      }
      this.tips[r.shard] = headerHash(r.header);
    }
    // Slots skipped by the caller had no headers.
    for (let s = this.lastRecorded + 1; s <= slot; s++) {
      this.notFinal.push(0);
      this.lastFinalAt.push(-1);
      this.headerDelays.push([]);
    }
    this.lastRecorded = slot;
    this.notFinal[slot] = reports.length;
    let sorted = true;
    for (let i = 0; i < reports.length; i++) {
      const r = reports[i]!;
      if (i > 0 && reports[i - 1]!.shard >= r.shard) sorted = false;
      this.uncrosslinked[r.shard]!.push(slot);
    }
    this.backlog += reports.length;
    this.pending.set(slot, sorted ? reports : [...reports].sort((a, b) => a.shard - b.shard));
    this.buildBlock(slot);
  }

  /** The beacon block of `slot`: crosslinks for the `capacity` shards waiting longest (ties: lower shard first). */
  private buildBlock(slot: number): void {
    const c = this.capacity;
    const capacity = typeof c === 'number' ? c : checkCapacity(c.capacityAt(slot));
    this.capacityAt[slot] = capacity;
    const chosen: number[] = [];
    for (let s = 0; s < this.shards; s++) if (this.uncrosslinked[s]!.length > 0) chosen.push(s);
    if (chosen.length > capacity) {
      // Oldest uncrosslinked header first, then shard index, as one sortable key.
      const keys = Float64Array.from(chosen, (s) => this.uncrosslinked[s]![0]! * this.shards + s).sort();
      chosen.length = 0;
      for (let i = 0; i < capacity; i++) chosen.push(keys[i]! % this.shards);
    }
    const headers: number[] = [];
    for (const s of chosen) {
      const waiting = this.uncrosslinked[s]!;
      for (const src of waiting) headers.push(s, src);
      this.backlog -= waiting.length;
      waiting.length = 0;
    }
    if (headers.length > 0) this.inclusions.push({ slot, headers });
    this.includedAt[slot] = chosen.length;
    this.agreementBytesAt[slot] = typeof c === 'object' ? c.bytesAt(slot, chosen.length) : 0;
    this.backlogAt[slot] = this.backlog;
  }

  /**
   * Called at the start of `slot`. The newest source slot whose blocks are all
   * final (-1 before any), and per destination shard the crosslinks of the
   * blocks of every source slot that became final since the last call and
   * sent it a batch, in canonical order (source slot, then source shard).
   * When no slot became final, the previous finalizedSlot and no crosslinks.
   */
  finalize(slot: number): { finalizedSlot: number; crosslinks: Crosslink[][] } {
    const crosslinks: Crosslink[][] = Array.from({ length: this.shards }, () => []);
    const d = this.finalityDelay;
    let done = 0;
    for (; done < this.inclusions.length; done++) {
      const inc = this.inclusions[done]!;
      const finalAt = inc.slot + d;
      if (finalAt > slot) break;
      const h = inc.headers;
      for (let i = 0; i < h.length; i += 2) {
        const src = h[i + 1]!;
        this.notFinal[src]!--;
        this.lastFinalAt[src] = Math.max(this.lastFinalAt[src]!, finalAt);
        addDelay(this.headerDelays[src]!, finalAt - src);
      }
    }
    if (done > 0) this.inclusions = this.inclusions.slice(done);
    // A source slot's headers are fixed by its own beacon block, final at src + d at the earliest.
    while (this.finalized < this.lastRecorded && this.notFinal[this.finalized + 1] === 0 && this.finalized + 1 + d <= slot) {
      const src = ++this.finalized;
      this.slotFinalAt[src] = Math.max(src + d, this.lastFinalAt[src]!, src > 0 ? this.slotFinalAt[src - 1]! : 0);
      this.announce(src, crosslinks);
    }
    return { finalizedSlot: this.finalized, crosslinks };
  }

  /** Adds the crosslinks of source slot `src`'s blocks to their destinations' lists, and forgets its reports. */
  private announce(src: number, crosslinks: Crosslink[][]): void {
    const reports = this.pending.get(src);
    if (reports === undefined) return;
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
  }

  /** Receipts sent by blocks whose slot is not final yet (in flight by definition: no destination knows of them). */
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

  /**
   * Of the headers of source slots [from, to): per header, the slots from its
   * slot to the one it became final in; headers not final by the last
   * finalize() are counted apart (`unfinalized`).
   */
  headerFinality(from: number, to: number): SlotDelays {
    let unfinalized = 0;
    const counts: number[][] = [];
    for (let s = Math.max(0, from); s < Math.min(to, this.lastRecorded + 1); s++) {
      counts.push(this.headerDelays[s]!);
      unfinalized += this.notFinal[s]!;
    }
    return delaysOf(counts, unfinalized);
  }

  /**
   * Of the source slots [from, to) recorded: per slot, the slots until the
   * global finalizedSlot reached it, when destinations may admit its
   * receipts; slots not reached by the last finalize() are counted apart.
   */
  slotFinality(from: number, to: number): SlotDelays {
    const counts: number[] = [];
    let unfinalized = 0;
    for (let s = Math.max(0, from); s < Math.min(to, this.lastRecorded + 1); s++) {
      if (s <= this.finalized) addDelay(counts, this.slotFinalAt[s]! - s);
      else unfinalized++;
    }
    return delaysOf([counts], unfinalized);
  }

  /** Crosslinks per beacon block and the header backlog after it, over the recorded beacon slots [from, to). */
  load(from: number, to: number): BeaconLoad {
    let slots = 0;
    let included = 0;
    let includedMax = 0;
    let backlog = 0;
    let backlogMax = 0;
    let capacityMin = Number.POSITIVE_INFINITY;
    let capacitySum = 0;
    let agreementBytes = 0;
    for (let s = Math.max(0, from); s < Math.min(to, this.lastRecorded + 1); s++) {
      const c = this.includedAt[s];
      if (c === undefined) continue; // skipped by the caller: no block
      slots++;
      capacityMin = Math.min(capacityMin, this.capacityAt[s]!);
      capacitySum += this.capacityAt[s]!;
      agreementBytes += this.agreementBytesAt[s]!;
      included += c;
      includedMax = Math.max(includedMax, c);
      backlog += this.backlogAt[s]!;
      backlogMax = Math.max(backlogMax, this.backlogAt[s]!);
    }
    return {
      slots,
      crosslinksMean: slots > 0 ? included / slots : 0,
      crosslinksMax: includedMax,
      backlogMean: slots > 0 ? backlog / slots : 0,
      backlogMax,
      capacityMin,
      capacityMean: slots > 0 ? capacitySum / slots : Number.POSITIVE_INFINITY,
      agreementBytesMean: slots > 0 ? agreementBytes / slots : 0,
    };
  }
}

/** `capacity`, if it is a whole number >= 1 or unlimited; else a ConfigError. */
function checkCapacity(capacity: number): number {
  if (!(capacity === Number.POSITIVE_INFINITY || (Number.isInteger(capacity) && capacity >= 1))) {
    throw new ConfigError('beacon.capacity', `crosslinks per beacon block must be a whole number >= 1 (or unlimited), not ${capacity}`);
  }
  return capacity;
}
