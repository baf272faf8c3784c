/**
 * A first-in first-out queue over an array with a moving head, compacted
 * when the consumed part dominates: O(1) amortized push and shift without
 * the O(n) cost of Array#shift. Holds the delayed receipts.
 */
export class Fifo<T> {
  private items: Array<T | undefined> = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  /** Item `i` from the front (0 is the oldest); undefined past the end. */
  at(i: number): T | undefined {
    return i < this.length ? this.items[this.head + i] : undefined;
  }

  /** The first `n` items (or fewer), oldest first, without removing them. */
  peek(n: number): T[] {
    return this.items.slice(this.head, this.head + Math.min(n, this.length)) as T[];
  }

  /** Removes the first `n` items, letting go of them at once (a consumed item kept until compaction lived on for slots). */
  drop(n: number): void {
    const end = this.head + Math.min(n, this.length);
    this.items.fill(undefined, this.head, end);
    this.head = end;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  /** Replaces the contents with `items` (restoring a checkpoint). */
  reset(items: T[]): void {
    this.items = items;
    this.head = 0;
  }

  /** Every item in order; for end-of-run accounting, not hot paths. */
  toArray(): T[] {
    return this.items.slice(this.head) as T[];
  }
}
