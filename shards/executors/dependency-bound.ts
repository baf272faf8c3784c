/**
 * How parallel a block can be at best, from what its items actually read and
 * wrote: speedup <= min(k, W / D), W the block's total gas and D the gas of
 * its heaviest dependency chain. Two chains are measured: over
 * read-after-write edges only (the true data flow, which an optimistic
 * executor such as Block-STM can approach) and over every conflict edge,
 * RAW, WAR and WAW (what a lock-based scheduler such as access-list must
 * respect). Edges follow block order, as the sequential execution defines
 * the result every executor must reproduce.
 */
import { InternalError } from '../../crosslink/common/errors.js';
import { KeySlots } from './key-slots.js';

/** Per item, the keys it read from outside itself and the keys it wrote, de-duplicated. */
export class AccessLog {
  // Float64: state keys are safe integers, beyond 32 bits for contract storage.
  private keys = new Float64Array(256);
  private len = 0;
  /** Item i's reads are keys[readStart[i] .. writeStart[i]), its writes keys[writeStart[i] .. readStart[i+1]). */
  private readStart = new Int32Array(65);
  private writeStart = new Int32Array(64);
  private items = 0;
  private inWrites = false;

  get count(): number {
    return this.items;
  }

  /** Keys logged, over all items (an upper bound on distinct keys). */
  get keyCount(): number {
    return this.len;
  }

  beginItem(): void {
    if (this.items === this.writeStart.length) {
      const ws = new Int32Array(this.writeStart.length * 2);
      ws.set(this.writeStart);
      this.writeStart = ws;
      const rs = new Int32Array(ws.length + 1);
      rs.set(this.readStart);
      this.readStart = rs;
    }
    this.readStart[this.items] = this.len;
    this.writeStart[this.items] = this.len;
    this.inWrites = false;
  }

  /** Records a read; a key the item already wrote (read-your-writes) is not a dependency. */
  read(key: number): void {
    if (this.inWrites) throw new InternalError('AccessLog: reads of an item must be logged before its writes');
    if (this.has(this.readStart[this.items]!, this.len, key)) return;
    this.push(key);
    this.writeStart[this.items] = this.len;
  }

  write(key: number): void {
    this.inWrites = true;
    if (this.has(this.writeStart[this.items]!, this.len, key)) return;
    this.push(key);
  }

  endItem(): void {
    this.items++;
    this.readStart[this.items] = this.len;
  }

  /** Item i's reads are keys[readFrom(i), writeFrom(i)), its writes keys[writeFrom(i), readFrom(i + 1)). */
  readFrom(i: number): number {
    return this.readStart[i]!;
  }

  writeFrom(i: number): number {
    return this.writeStart[i]!;
  }

  /** Logged key number j (over all items, in log order). */
  keyAt(j: number): number {
    return this.keys[j]!;
  }

  private has(from: number, to: number, key: number): boolean {
    for (let j = from; j < to; j++) if (this.keys[j] === key) return true;
    return false;
  }

  private push(key: number): void {
    if (this.len === this.keys.length) {
      const k = new Float64Array(this.keys.length * 2);
      k.set(this.keys);
      this.keys = k;
    }
    this.keys[this.len++] = key;
  }
}

/**
 * Records an item's accesses while it runs, for executors that run items
 * whole (sequential, access-list): reads before the item's first write are
 * logged as they come, reads and writes after it are buffered per item so
 * the log keeps reads first.
 */
export class AccessRecorder {
  private readonly reads: number[] = [];
  private readonly writes: number[] = [];

  constructor(readonly log: AccessLog) {}

  read(key: number): void {
    if (!this.writes.includes(key) && !this.reads.includes(key)) this.reads.push(key);
  }

  write(key: number): void {
    if (!this.writes.includes(key)) this.writes.push(key);
  }

  /** Logs the item; `keep` false logs it with no accesses (an item whose effects were discarded). */
  flush(keep: boolean): void {
    this.log.beginItem();
    if (keep) {
      for (const k of this.reads) this.log.read(k);
      for (const k of this.writes) this.log.write(k);
    }
    this.log.endItem();
    this.reads.length = 0;
    this.writes.length = 0;
  }
}

export interface DependencyBound {
  /** Total gas W. */
  readonly work: number;
  /** Heaviest chain over RAW edges, and over RAW + WAR + WAW edges. */
  readonly chainRaw: number;
  readonly chainAll: number;
  readonly boundRaw: number;
  readonly boundAll: number;
}

const table = new KeySlots();
let lastWriter = new Int32Array(256);
let readersChain = new Float64Array(256);
/** Slot of every logged key, in log order. */
let slotAt = new Int32Array(256);

/** The bound for items logged in `log` with gas `gas[i]`, on `threads` threads. An empty block's bound is 1. */
export function dependencyBound(log: AccessLog, gas: ArrayLike<number>, threads: number): DependencyBound {
  const n = log.count;
  const keys = log.keyCount;
  table.reset(keys);
  if (slotAt.length < keys) slotAt = new Int32Array(Math.max(keys, 2 * slotAt.length));
  // Every logged key to its slot, once; a slot's chains start empty.
  for (let j = 0; j < keys; j++) {
    const before = table.count;
    const s = (slotAt[j] = table.slot(log.keyAt(j)));
    if (s === before) {
      if (s >= lastWriter.length) {
        const w = new Int32Array(2 * lastWriter.length);
        w.set(lastWriter);
        lastWriter = w;
        const c = new Float64Array(w.length);
        c.set(readersChain);
        readersChain = c;
      }
      lastWriter[s] = -1;
      readersChain[s] = 0;
    }
  }
  const raw = new Float64Array(n);
  const all = new Float64Array(n);
  let work = 0;
  let chainRaw = 0;
  let chainAll = 0;
  for (let i = 0; i < n; i++) {
    const readFrom = log.readFrom(i);
    const writeFrom = log.writeFrom(i);
    const end = log.readFrom(i + 1);
    let r = 0;
    let a = 0;
    for (let j = readFrom; j < writeFrom; j++) {
      const w = lastWriter[slotAt[j]!]!;
      if (w >= 0) {
        if (raw[w]! > r) r = raw[w]!;
        if (all[w]! > a) a = all[w]!;
      }
    }
    for (let j = writeFrom; j < end; j++) {
      const s = slotAt[j]!;
      const w = lastWriter[s]!;
      if (w >= 0 && all[w]! > a) a = all[w]!; // WAW
      if (readersChain[s]! > a) a = readersChain[s]!; // WAR
    }
    const g = gas[i]!;
    work += g;
    const ri = (raw[i] = r + g);
    const ai = (all[i] = a + g);
    if (ri > chainRaw) chainRaw = ri;
    if (ai > chainAll) chainAll = ai;
    for (let j = readFrom; j < writeFrom; j++) {
      const s = slotAt[j]!;
      if (ai > readersChain[s]!) readersChain[s] = ai;
    }
    for (let j = writeFrom; j < end; j++) {
      const s = slotAt[j]!;
      lastWriter[s] = i;
      readersChain[s] = 0;
    }
  }
  const bound = (chain: number): number => (chain > 0 ? Math.min(threads, work / chain) : 1);
  return { work, chainRaw, chainAll, boundRaw: bound(chainRaw), boundAll: bound(chainAll) };
}
