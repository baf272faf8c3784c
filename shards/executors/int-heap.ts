/**
 * A min-heap of small non-negative integers over a typed array: the ready
 * list of the access-list scheduler and the idle threads of VirtualThreads
 * (lowest index first is what makes their tie-breaks deterministic).
 */
export class IntMinHeap {
  private readonly h: Int32Array;
  size = 0;

  constructor(capacity: number) {
    this.h = new Int32Array(capacity);
  }

  /** A heap holding 0..n-1 (ascending order is already a heap). */
  static ofRange(n: number): IntMinHeap {
    const heap = new IntMinHeap(n);
    for (let i = 0; i < n; i++) heap.h[i] = i;
    heap.size = n;
    return heap;
  }

  push(x: number): void {
    const h = this.h;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (h[p]! <= x) break;
      h[i] = h[p]!;
      i = p;
    }
    h[i] = x;
  }

  /** Removes and returns the smallest element (size must be > 0). */
  pop(): number {
    const h = this.h;
    const top = h[0]!;
    const last = h[--this.size]!;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.size) break;
      const c = l + 1 < this.size && h[l + 1]! < h[l]! ? l + 1 : l;
      if (h[c]! >= last) break;
      h[i] = h[c]!;
      i = c;
    }
    if (this.size > 0) h[i] = last;
    return top;
  }
}
