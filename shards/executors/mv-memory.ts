/**
 * Block-STM's multi-version memory (Gelashvili et al., PPoPP'23, section 3):
 * for each state key, the values written by each transaction of the block,
 * tagged with the writer's (txIndex, incarnation). Transaction i reads the
 * entry of the highest writer below i, or storage when there is none. An
 * aborted incarnation's entries become ESTIMATE markers: a later reader
 * must wait for that writer rather than read a value about to change.
 *
 * Keys are numbers (shards/state.ts), numbered by a KeySlots table; each
 * key holds its writers sorted by index in typed arrays, appended in the
 * common case. `clear()` keeps every array for the next block, so a block
 * allocates nothing per key (one Map entry and five arrays per key were
 * most of Block-STM's garbage).
 */
import { KeySlots } from './key-slots.js';

class Versions {
  tx = new Int32Array(4);
  inc = new Int32Array(4);
  value = new Float64Array(4);
  /** 1 where the entry is an ESTIMATE marker. */
  estimate = new Uint8Array(4);
  len = 0;

  /** Position of the highest writer below `txIndex`, or -1. */
  below(txIndex: number): number {
    const tx = this.tx;
    let hi = this.len;
    if (hi > 0 && tx[hi - 1]! < txIndex) return hi - 1;
    let lo = 0;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (tx[mid]! < txIndex) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  /** Position of `txIndex`'s own entry, or -1. */
  find(txIndex: number): number {
    const p = this.below(txIndex + 1);
    return p >= 0 && this.tx[p] === txIndex ? p : -1;
  }

  /** Opens position `at` (shifting later entries up) and fills it. */
  insert(at: number, txIndex: number, incarnation: number, value: number): void {
    if (this.len === this.tx.length) this.grow();
    const n = this.len++;
    if (at < n) {
      this.tx.copyWithin(at + 1, at, n);
      this.inc.copyWithin(at + 1, at, n);
      this.value.copyWithin(at + 1, at, n);
      this.estimate.copyWithin(at + 1, at, n);
    }
    this.tx[at] = txIndex;
    this.inc[at] = incarnation;
    this.value[at] = value;
    this.estimate[at] = 0;
  }

  removeAt(p: number): void {
    const n = this.len--;
    this.tx.copyWithin(p, p + 1, n);
    this.inc.copyWithin(p, p + 1, n);
    this.value.copyWithin(p, p + 1, n);
    this.estimate.copyWithin(p, p + 1, n);
  }

  private grow(): void {
    const cap = 2 * this.tx.length;
    const tx = new Int32Array(cap);
    tx.set(this.tx);
    this.tx = tx;
    const inc = new Int32Array(cap);
    inc.set(this.inc);
    this.inc = inc;
    const value = new Float64Array(cap);
    value.set(this.value);
    this.value = value;
    const estimate = new Uint8Array(cap);
    estimate.set(this.estimate);
    this.estimate = estimate;
  }
}

/** What a read found (fields of MvMemory after `read`). */
export const ReadKind = {
  Storage: 0,
  Value: 1,
  Estimate: 2,
} as const;
export type ReadKind = (typeof ReadKind)[keyof typeof ReadKind];

export class MvMemory {
  private readonly slots = new KeySlots();
  /** By slot; entries past `slots.count` are spare, kept for later blocks. */
  private readonly versions: Versions[] = [];
  /** Result of the last `read`: the writer's index and incarnation, and the value. */
  lastTx = -1;
  lastInc = -1;
  lastValue = 0;

  /** Forgets every key, keeping the arrays. */
  clear(): void {
    for (let s = 0; s < this.slots.count; s++) this.versions[s]!.len = 0;
    this.slots.reset();
  }

  /** What transaction `txIndex` sees at `key`; details land in lastTx / lastInc / lastValue. */
  read(key: number, txIndex: number): ReadKind {
    const s = this.slots.find(key);
    const v = s < 0 ? null : this.versions[s]!;
    const p = v === null ? -1 : v.below(txIndex);
    if (p < 0) {
      this.lastTx = -1;
      this.lastInc = -1;
      return ReadKind.Storage;
    }
    this.lastTx = v!.tx[p]!;
    this.lastInc = v!.inc[p]!;
    this.lastValue = v!.value[p]!;
    return v!.estimate[p] === 1 ? ReadKind.Estimate : ReadKind.Value;
  }

  write(key: number, txIndex: number, incarnation: number, value: number): void {
    const s = this.slots.slot(key);
    if (s === this.versions.length) this.versions.push(new Versions());
    const v = this.versions[s]!;
    const p = v.below(txIndex + 1);
    if (p >= 0 && v.tx[p] === txIndex) {
      v.inc[p] = incarnation;
      v.value[p] = value;
      v.estimate[p] = 0;
      return;
    }
    v.insert(p + 1, txIndex, incarnation, value);
  }

  markEstimate(key: number, txIndex: number): void {
    const v = this.versions[this.slots.find(key)]!;
    v.estimate[v.find(txIndex)] = 1;
  }

  remove(key: number, txIndex: number): void {
    const v = this.versions[this.slots.find(key)]!;
    v.removeAt(v.find(txIndex));
  }

  /** Number of keys ever written since the last clear (an upper bound for `finalValues`). */
  get keyCount(): number {
    return this.slots.count;
  }

  /**
   * Every key's final value (its highest writer's), in first-write order, into
   * keys / values; returns how many.
   */
  finalValues(keys: Float64Array, values: Float64Array): number {
    let n = 0;
    for (let s = 0; s < this.slots.count; s++) {
      const v = this.versions[s]!;
      if (v.len === 0) continue;
      keys[n] = this.slots.keyOf(s);
      values[n++] = v.value[v.len - 1]!;
    }
    return n;
  }
}
