/**
 * State keys -> dense slot numbers 0, 1, 2, ... in first-seen order: open
 * addressing over typed arrays, reused between blocks (a Map<number, ...>
 * per block cost as much as the work it indexed, most of it in allocation
 * and GC). Keys are safe integers (contract storage keys exceed 32 bits).
 * Cleared through its list of used positions, so a block pays for its own
 * keys only; grows (rehashing) past half full.
 */
export class KeySlots {
  private keys = new Float64Array(1024);
  private slots = new Int32Array(1024).fill(-1);
  /** Table position of each slot, in slot order. */
  private at = new Int32Array(512);
  private mask = 1023;
  count = 0;

  /** Empties the table, sized for up to `n` distinct keys (it still grows past that). */
  reset(n = 0): void {
    for (let i = 0; i < this.count; i++) this.slots[this.at[i]!] = -1;
    this.count = 0;
    if (2 * n > this.keys.length) this.resize(2 * n);
  }

  /** The key numbered `slot`. */
  keyOf(slot: number): number {
    return this.keys[this.at[slot]!]!;
  }

  /** The slot of `key`, or -1 if it was never numbered. */
  find(key: number): number {
    let i = hash(key) & this.mask;
    for (;;) {
      const s = this.slots[i]!;
      if (s < 0 || this.keys[i] === key) return s;
      i = (i + 1) & this.mask;
    }
  }

  /** The slot of `key`, numbering a new key `count`. */
  slot(key: number): number {
    let i = hash(key) & this.mask;
    for (;;) {
      const s = this.slots[i]!;
      if (s < 0) break;
      if (this.keys[i] === key) return s;
      i = (i + 1) & this.mask;
    }
    if (2 * (this.count + 1) > this.keys.length) {
      this.resize(2 * (this.count + 1));
      return this.slot(key);
    }
    this.keys[i] = key;
    this.slots[i] = this.count;
    this.at[this.count] = i;
    return this.count++;
  }

  /** Rebuilds the table with room for `minCap` positions (a power of two), keeping every slot number. */
  private resize(minCap: number): void {
    let cap = this.keys.length;
    while (cap < minCap) cap *= 2;
    const oldKeys = this.keys;
    const oldAt = this.at;
    this.keys = new Float64Array(cap);
    this.slots = new Int32Array(cap).fill(-1);
    this.at = new Int32Array(cap >> 1);
    this.mask = cap - 1;
    for (let s = 0; s < this.count; s++) {
      const key = oldKeys[oldAt[s]!]!;
      let i = hash(key) & this.mask;
      while (this.slots[i]! >= 0) i = (i + 1) & this.mask;
      this.keys[i] = key;
      this.slots[i] = s;
      this.at[s] = i;
    }
  }
}

function hash(key: number): number {
  const lo = key >>> 0;
  const hi = (key - lo) / 0x1_0000_0000;
  const h = Math.imul(lo ^ Math.imul(hi, 0x85eb_ca6b), 0x9e37_79b1);
  // A product's low bits depend only on the key's low bits: fold the high ones in.
  return h ^ (h >>> 15);
}
