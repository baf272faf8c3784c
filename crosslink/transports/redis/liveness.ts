/**
 * The controller's liveness watch: once a second it checks that Redis still
 * holds the run (a Redis restarted without persistence lost it) and that
 * every host process still refreshes its heartbeat key. An external worker's
 * death is seen only here; a spawned process's is also seen from its exit
 * (process-pool.ts). Either way the host is restarted (recovery.ts).
 */
import type { Redis } from 'ioredis';
import { K } from './names.js';

/** What the watch tells the controller, and asks it. */
export interface LivenessEvents {
  /** The run is closing: nothing to check any more. */
  closed(): boolean;
  /** Host `h` is being started or recovered: its heartbeat is not due yet. */
  starting(h: number): boolean;
  /** Redis no longer holds the run's setup. */
  runGone(): void;
  /** Host `h`'s heartbeat expired. */
  silent(h: number, why: string): void;
}

export class LivenessWatch {
  private timer: NodeJS.Timeout | undefined;
  private checking = false;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    /** Shards of each host process, by host index. */
    private readonly hosts: ReadonlyArray<readonly number[]>,
    private readonly on: LivenessEvents,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.check(), 1_000);
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
  }

  private async check(): Promise<void> {
    // One check at a time: a slow Redis must not pile them up.
    if (this.on.closed() || this.checking || this.redis.status !== 'ready') return;
    this.checking = true;
    try {
      // A Redis restarted without its data (no persistence) lost the run: its queues, setup and checkpoints.
      if ((await this.redis.exists(K.setup(this.prefix))) === 0 && !this.on.closed()) {
        this.on.runGone();
        return;
      }
      for (let h = 0; h < this.hosts.length; h++) {
        if (this.on.starting(h)) continue;
        if ((await this.redis.exists(K.alive(this.prefix, h))) === 0 && !this.on.starting(h) && !this.on.closed()) {
          // An external worker's death is seen only here (a spawned one's from its exit): restarted like any other, its assignment offered again.
          this.on.silent(
            h,
            `the worker hosting shard${this.hosts[h]!.length > 1 ? 's' : ''} ${this.hosts[h]!.join(', ')} stopped responding (its heartbeat expired)`,
          );
        }
      }
    } catch {
      // A dropped connection: the watchdog decides when Redis is gone.
    } finally {
      this.checking = false;
    }
  }
}
