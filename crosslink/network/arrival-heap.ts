/**
 * A min-heap of (time, member) events over typed arrays, earliest time first
 * and, at equal times, the lower member first: the fixed tie-break that makes
 * an event-driven dissemination deterministic.
 */
export class ArrivalHeap {
  private times: Float64Array;
  private members: Int32Array;
  size = 0;

  constructor(capacity: number) {
    this.times = new Float64Array(Math.max(1, capacity));
    this.members = new Int32Array(Math.max(1, capacity));
  }

  private before(ta: number, ma: number, tb: number, mb: number): boolean {
    return ta < tb || (ta === tb && ma < mb);
  }

  push(time: number, member: number): void {
    if (this.size === this.times.length) this.grow();
    const t = this.times;
    const m = this.members;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(time, member, t[p]!, m[p]!)) break;
      t[i] = t[p]!;
      m[i] = m[p]!;
      i = p;
    }
    t[i] = time;
    m[i] = member;
  }

  /** The earliest event's time (size must be > 0). */
  topTime(): number {
    return this.times[0]!;
  }

  /** The earliest event's member (size must be > 0). */
  topMember(): number {
    return this.members[0]!;
  }

  /** Removes the earliest event (size must be > 0). */
  pop(): void {
    const t = this.times;
    const m = this.members;
    const n = --this.size;
    const lastT = t[n]!;
    const lastM = m[n]!;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && this.before(t[r]!, m[r]!, t[l]!, m[l]!) ? r : l;
      if (!this.before(t[c]!, m[c]!, lastT, lastM)) break;
      t[i] = t[c]!;
      m[i] = m[c]!;
      i = c;
    }
    t[i] = lastT;
    m[i] = lastM;
  }

  private grow(): void {
    const times = new Float64Array(this.times.length * 2);
    const members = new Int32Array(this.members.length * 2);
    times.set(this.times);
    members.set(this.members);
    this.times = times;
    this.members = members;
  }
}
