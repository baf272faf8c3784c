/**
 * The controller's side of the reports queue, once a message is taken: it
 * collects one message per shard (or host) for each step the controller
 * awaits (a slot, a replayed slot, a host's start, the finish, the close).
 * Not to be confused with a shard's receipt inbox (crosslink/inbox.ts).
 */
export class ReportQueue<T> {
  private readonly got = new Map<string, Map<number, T>>();
  private readonly waiters = new Map<string, { need: number; resolve: (v: Map<number, T>) => void; reject: (e: Error) => void }>();
  private failure: Error | undefined;

  /** What `who` already sent for `step`, while the step is still awaited. */
  peek(step: string, who: number): T | undefined {
    return this.got.get(step)?.get(who);
  }

  put(step: string, who: number, value: T): void {
    let m = this.got.get(step);
    if (m === undefined) this.got.set(step, (m = new Map()));
    m.set(who, value); // a redelivered report replaces its twin
    this.check(step);
  }

  wait(step: string, need: number): Promise<Map<number, T>> {
    const p =
      this.failure !== undefined
        ? Promise.reject(this.failure)
        : new Promise<Map<number, T>>((resolve, reject) => {
            this.waiters.set(step, { need, resolve, reject });
            this.check(step);
          });
    // A wait is created before the jobs it awaits are sent and awaited after: a
    // failure in between (a host dying mid-send) must not count as unhandled.
    p.catch(() => undefined);
    return p;
  }

  fail(err: Error): void {
    this.failure ??= err;
    for (const w of this.waiters.values()) w.reject(err);
    this.waiters.clear();
  }

  private check(step: string): void {
    const w = this.waiters.get(step);
    const m = this.got.get(step);
    if (w === undefined || m === undefined || m.size < w.need) return;
    this.waiters.delete(step);
    this.got.delete(step);
    w.resolve(m);
  }
}
