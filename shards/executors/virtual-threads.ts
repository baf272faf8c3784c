/**
 * k virtual threads in simulated time, for the parallel executors'
 * discrete-event schedules: busy threads ordered by (end time, thread
 * index), idle threads by index, so every tie breaks the same way on every
 * machine. Time is in thread-gas (gas one thread runs), exact for integer
 * durations; executors divide by the thread speed at the end.
 */
import { IntMinHeap } from './int-heap.js';

export class VirtualThreads {
  /** End time of each thread's current task. */
  readonly endTime: Float64Array;
  private readonly busy: Int32Array;
  private busyLen = 0;
  private readonly idle: IntMinHeap;

  constructor(readonly count: number) {
    this.endTime = new Float64Array(count);
    this.busy = new Int32Array(count);
    this.idle = IntMinHeap.ofRange(count);
  }

  get idleCount(): number {
    return this.idle.size;
  }

  get busyCount(): number {
    return this.busyLen;
  }

  /** The lowest-index idle thread, removed from the idle set. */
  takeIdle(): number {
    return this.idle.pop();
  }

  release(thread: number): void {
    this.idle.push(thread);
  }

  /** Marks `thread` busy until `end`. */
  occupy(thread: number, end: number): void {
    this.endTime[thread] = end;
    const h = this.busy;
    let i = this.busyLen++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(thread, h[p]!)) break;
      h[i] = h[p]!;
      i = p;
    }
    h[i] = thread;
  }

  /** End time of the earliest-ending busy thread (busyCount must be > 0). */
  nextEnd(): number {
    return this.endTime[this.busy[0]!]!;
  }

  /** Removes and returns the earliest-ending busy thread, lowest index first on ties. */
  popEnded(): number {
    const h = this.busy;
    const top = h[0]!;
    const last = h[--this.busyLen]!;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.busyLen) break;
      const c = l + 1 < this.busyLen && this.before(h[l + 1]!, h[l]!) ? l + 1 : l;
      if (!this.before(h[c]!, last)) break;
      h[i] = h[c]!;
      i = c;
    }
    if (this.busyLen > 0) h[i] = last;
    return top;
  }

  private before(a: number, b: number): boolean {
    const ta = this.endTime[a]!;
    const tb = this.endTime[b]!;
    return ta < tb || (ta === tb && a < b);
  }
}
