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
    if (this.inWrites) throw new Error('AccessLog: reads of an item must be logged before its writes');
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

  readsOf(i: number): Float64Array {
    return this.keys.subarray(this.readStart[i]!, this.writeStart[i]!);
  }

  writesOf(i: number): Float64Array {
    return this.keys.subarray(this.writeStart[i]!, this.readStart[i + 1]!);
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

/**
 * State keys of one block -> dense slot numbers: open addressing over typed
 * arrays, reused between blocks (a Map<number, number> here cost as much as
 * the rest of the bound). Keys are safe integers; the table is cleared by
 * its list of used positions, so a block pays for its own keys only.
 */
class KeySlots {
  private keys = new Float64Array(1024);
  private slots = new Int32Array(1024).fill(-1);
  private used = new Int32Array(512);
  private usedLen = 0;
  private mask = 1023;
  count = 0;

  /** Empties the table, sized for up to `n` distinct keys. */
  reset(n: number): void {
    for (let i = 0; i < this.usedLen; i++) this.slots[this.used[i]!] = -1;
    this.usedLen = 0;
    this.count = 0;
    if (2 * n > this.keys.length) {
      let cap = this.keys.length;
      while (cap < 2 * n) cap *= 2;
      this.keys = new Float64Array(cap);
      this.slots = new Int32Array(cap).fill(-1);
      this.used = new Int32Array(cap >> 1);
      this.mask = cap - 1;
    }
  }

  /** The slot of `key`, numbering new keys 0, 1, 2, ... in first-seen order. */
  slot(key: number): number {
    const lo = key >>> 0;
    const hi = (key - lo) / 0x1_0000_0000;
    let i = Math.imul(lo ^ Math.imul(hi, 0x85eb_ca6b), 0x9e37_79b1) & this.mask;
    for (;;) {
      const s = this.slots[i]!;
      if (s < 0) {
        this.keys[i] = key;
        this.slots[i] = this.count;
        this.used[this.usedLen++] = i;
        return this.count++;
      }
      if (this.keys[i] === key) return s;
      i = (i + 1) & this.mask;
    }
  }
}

const table = new KeySlots();
let lastWriter = new Int32Array(256);
let readersChain = new Float64Array(256);

/** The bound for items logged in `log` with gas `gas[i]`, on `threads` threads. An empty block's bound is 1. */
export function dependencyBound(log: AccessLog, gas: ArrayLike<number>, threads: number): DependencyBound {
  const n = log.count;
  const keys = log.keyCount;
  table.reset(keys);
  if (lastWriter.length < keys) {
    lastWriter = new Int32Array(Math.max(keys, 2 * lastWriter.length));
    readersChain = new Float64Array(lastWriter.length);
  }
  const raw = new Float64Array(n);
  const all = new Float64Array(n);
  const slot = (key: number): number => {
    const before = table.count;
    const s = table.slot(key);
    if (s === before) {
      lastWriter[s] = -1;
      readersChain[s] = 0;
    }
    return s;
  };
  let work = 0;
  let chainRaw = 0;
  let chainAll = 0;
  for (let i = 0; i < n; i++) {
    const reads = log.readsOf(i);
    const writes = log.writesOf(i);
    let r = 0;
    let a = 0;
    for (let j = 0; j < reads.length; j++) {
      const w = lastWriter[slot(reads[j]!)]!;
      if (w >= 0) {
        if (raw[w]! > r) r = raw[w]!;
        if (all[w]! > a) a = all[w]!;
      }
    }
    for (let j = 0; j < writes.length; j++) {
      const s = slot(writes[j]!);
      const w = lastWriter[s]!;
      if (w >= 0 && all[w]! > a) a = all[w]!; // WAW
      if (readersChain[s]! > a) a = readersChain[s]!; // WAR
    }
    const g = gas[i]!;
    work += g;
    raw[i] = r + g;
    all[i] = a + g;
    if (raw[i]! > chainRaw) chainRaw = raw[i]!;
    if (all[i]! > chainAll) chainAll = all[i]!;
    for (let j = 0; j < reads.length; j++) {
      const s = table.slot(reads[j]!);
      if (all[i]! > readersChain[s]!) readersChain[s] = all[i]!;
    }
    for (let j = 0; j < writes.length; j++) {
      const s = table.slot(writes[j]!);
      lastWriter[s] = i;
      readersChain[s] = 0;
    }
  }
  const bound = (chain: number): number => (chain > 0 ? Math.min(threads, work / chain) : 1);
  return { work, chainRaw, chainAll, boundRaw: bound(chainRaw), boundAll: bound(chainAll) };
}
