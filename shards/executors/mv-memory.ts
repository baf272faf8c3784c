/**
 * Block-STM's multi-version memory (Gelashvili et al., PPoPP'23, section 3):
 * for each state key, the values written by each transaction of the block,
 * tagged with the writer's (txIndex, incarnation). Transaction i reads the
 * entry of the highest writer below i, or storage when there is none. An
 * aborted incarnation's entries become ESTIMATE markers: a later reader
 * must wait for that writer rather than read a value about to change.
 *
 * Keys are numbers (shards/state.ts); each key holds its writers sorted by
 * index in parallel number arrays, appended in the common case.
 */

class Versions {
  readonly tx: number[] = [];
  readonly inc: number[] = [];
  readonly value: number[] = [];
  /** 1 where the entry is an ESTIMATE marker. */
  readonly estimate: number[] = [];

  /** Position of the highest writer below `txIndex`, or -1. */
  below(txIndex: number): number {
    const tx = this.tx;
    let lo = 0;
    let hi = tx.length;
    if (hi > 0 && tx[hi - 1]! < txIndex) return hi - 1;
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
}

/** What a read found (fields of MvMemory after `read`). */
export const ReadKind = {
  Storage: 0,
  Value: 1,
  Estimate: 2,
} as const;
export type ReadKind = (typeof ReadKind)[keyof typeof ReadKind];

export class MvMemory {
  private readonly keys = new Map<number, Versions>();
  /** Result of the last `read`: the writer's index and incarnation, and the value. */
  lastTx = -1;
  lastInc = -1;
  lastValue = 0;

  /** What transaction `txIndex` sees at `key`; details land in lastTx / lastInc / lastValue. */
  read(key: number, txIndex: number): ReadKind {
    const v = this.keys.get(key);
    const p = v === undefined ? -1 : v.below(txIndex);
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
    let v = this.keys.get(key);
    if (v === undefined) {
      v = new Versions();
      this.keys.set(key, v);
    }
    const p = v.below(txIndex + 1);
    if (p >= 0 && v.tx[p] === txIndex) {
      v.inc[p] = incarnation;
      v.value[p] = value;
      v.estimate[p] = 0;
      return;
    }
    const at = p + 1;
    if (at === v.tx.length) {
      v.tx.push(txIndex);
      v.inc.push(incarnation);
      v.value.push(value);
      v.estimate.push(0);
    } else {
      v.tx.splice(at, 0, txIndex);
      v.inc.splice(at, 0, incarnation);
      v.value.splice(at, 0, value);
      v.estimate.splice(at, 0, 0);
    }
  }

  markEstimate(key: number, txIndex: number): void {
    const v = this.keys.get(key)!;
    v.estimate[v.find(txIndex)] = 1;
  }

  remove(key: number, txIndex: number): void {
    const v = this.keys.get(key)!;
    const p = v.find(txIndex);
    v.tx.splice(p, 1);
    v.inc.splice(p, 1);
    v.value.splice(p, 1);
    v.estimate.splice(p, 1);
  }

  /** Calls `fn` with every key's final value (its highest writer's), in first-write order. */
  forEachFinal(fn: (key: number, value: number) => void): void {
    for (const [key, v] of this.keys) {
      const n = v.tx.length;
      if (n > 0) fn(key, v.value[n - 1]!);
    }
  }
}
