/**
 * How a dead shard process comes back (with checkpoints on; without them a
 * death stops the run). The path, file by file:
 *
 * 1. Death detected: a spawned process's exit (process-pool.ts, `onDeath`),
 *    or for any host its heartbeat key running out (liveness.ts), reaches
 *    `HostRecovery.hostDied` (through `RedisTransport.hostDied`).
 * 2. Restart: while restarts are left, `restartHost` starts a new process
 *    for the same assignment under a new epoch (`withHost`: a fresh command
 *    queue, the process spawned or offered on the lobby, lobby.ts), after
 *    any recovery already under way.
 * 3. Restore: the new process builds each of its shards from its latest
 *    checkpoint and the batches delivered since (shard-host.ts,
 *    `RedisShardHost.build` and `restore`) and reports it ready with the
 *    checkpoint's slot.
 * 4. Replay: `replay` sends the restored shards the commands of every slot
 *    since their checkpoint, one slot at a time, and checks each replayed
 *    report equals the original (both kept in the controller's slot history,
 *    controller.ts).
 * 5. Re-send in flight: what the dead process had not answered (the slot
 *    under way, or the finish) goes to its successor
 *    (`RedisTransport.resendInFlight`), and the run carries on.
 *
 * A process that dies or is not ready in time during 2 to 4 is a failed
 * start, tried again while restarts are left. A resumed controller
 * (resume.ts) takes the same path for all its shards at once: `catchUp`
 * replays them up to the end of the slot log.
 */
import { performance } from 'node:perf_hooks';
import { FatalTransportError, InvariantError, TransportError } from '../../common/errors.js';
import type { Recovery } from '../../transport.js';
import type { WireCommand } from '../../wire/codec.js';
import type { HostMessage } from './names.js';

/**
 * How long a (re)started host process may take to report its shards ready;
 * one that takes longer counts as a failed start. Generous: a process restores
 * every shard it hosts from its checkpoint first.
 */
export const READY_MS = 120_000;

/** A slot as the controller keeps it for replays: the commands sent and the reports received (JSON, by shard; null while awaited). */
export interface SlotRecord {
  commands: WireCommand[];
  reports: string[] | null;
}

/** What recovery needs of the controller it works for (controller.ts). */
export interface RecoveryPort {
  /** Shards of each host process, by host index. */
  readonly hosts: ReadonlyArray<readonly number[]>;
  readonly checkpointEvery: number;
  readonly restarts: number;
  /** The run is closed, or has failed: a death is no longer acted on. */
  over(): boolean;
  /** Stops the run with `err`. */
  fail(err: Error): void;
  /** Where the run is, for messages (" during slot 12"). */
  whenText(): string;
  /** The slot under way (-1 before the first). */
  slot(): number;
  /** The last slot whose reports all came in. */
  completed(): number;
  /** `p`, unless the run fails first. */
  guard<T>(p: Promise<T>): Promise<T>;
  /** A new epoch for a host process. */
  nextEpoch(): Promise<number>;
  /** Opens host `h`'s command queue of `epoch`. */
  openHostQueue(h: number, epoch: number): void;
  /** The messages of `need` senders for `step` on the reports queue. */
  wait(step: string, need: number): Promise<Map<number, HostMessage>>;
  /** Starts host `h`'s process of `epoch` (spawned, or offered on the lobby); may return how to stop it. */
  launch(h: number, epoch: number): (() => void) | undefined;
  /** A past slot, while the controller still holds it. */
  past(slot: number): SlotRecord | undefined;
  /** Sends `shards` their commands of a past slot again, as replay `step`. */
  sendReplay(shards: readonly number[], commands: readonly WireCommand[], step: string): Promise<void>;
  /** Sends host `h`'s new process what was in flight when its predecessor died. */
  resendInFlight(h: number): Promise<void>;
}

/** The restart state machine: host starts, deaths, restarts and replays. */
export class HostRecovery {
  private restartsLeft: number;
  private readonly hostsRecovering = new Set<number>();
  /** Per host: the epoch of its current process (deaths of earlier ones are old news). */
  private readonly epochOf: number[] = [];
  /**
   * Starts of a host already given up (`host:epoch`): stopped for being late,
   * or declared dead by the liveness check before their process exited. Their
   * exit, whenever it comes, is not another death.
   */
  private readonly retired = new Set<string>();
  /** Per host being started or recovered: told if its new process dies meanwhile. */
  private readonly deathHooks = new Map<number, (why: string) => void>();
  /** The restarts under way, one after another. */
  private recovery: Promise<void> = Promise.resolve();
  /** Shards restored by a resume, waiting to be replayed up to the log's end: slot of each checkpoint. */
  private toCatchUp: Map<number, number> | null = null;
  readonly recoveries: Recovery[] = [];
  /** Told of each recovery as it completes (logs). */
  onRecovery: ((r: Recovery) => void) | undefined;

  constructor(private readonly run: RecoveryPort) {
    this.restartsLeft = run.checkpointEvery > 0 ? run.restarts : 0;
  }

  /** Every restart under way (resolves at once when there is none). */
  underWay(): Promise<void> {
    return this.recovery;
  }

  /** Host `h` is being started or recovered: a silent heartbeat is not a death yet. */
  starting(h: number): boolean {
    return this.hostsRecovering.has(h) || this.deathHooks.has(h);
  }

  /** The epoch of host `h`'s current process. */
  epoch(h: number): number | undefined {
    return this.epochOf[h];
  }

  /**
   * Starts every host, resolving once each has built its shards and listens
   * for commands, with the slot of the checkpoint each shard was restored
   * from (-1: none).
   */
  async startAll(readyMs: number): Promise<Map<number, number>> {
    const restored = new Map<number, number>();
    const starts = this.run.hosts.map((_, h) =>
      this.withHost(h, readyMs, async (_epoch, ready) => {
        for (const [shard, at] of ready) restored.set(shard, at);
      }),
    );
    await Promise.all(starts);
    return restored;
  }

  /** A resume's restored shards, to be replayed up to the log's end once the fast-forward is over. */
  catchUpLater(restored: Map<number, number>): void {
    this.toCatchUp = restored;
  }

  /** After a resume's fast-forward: replays every restored shard up to the last logged slot. Whether there were any. */
  async catchUp(): Promise<boolean> {
    const restored = this.toCatchUp;
    if (restored === null) return false;
    this.toCatchUp = null;
    const t0 = performance.now();
    const replayed = await this.replay(restored, 'resume');
    this.recovered({
      host: -1,
      shards: [...restored.keys()],
      slot: this.run.completed(),
      replayedSlots: replayed,
      wallSeconds: (performance.now() - t0) / 1000,
    });
    return true;
  }

  /**
   * A host process died: starts it again if restarts are left (its shards
   * recover from their checkpoints), or stops the run with `why`. `epoch`
   * names the process; the death of one already replaced is ignored. A
   * `fatal` death (its successor would fail the same way) stops the run.
   */
  hostDied(h: number, why: string, epoch?: number, fatal = false): void {
    if (this.run.over()) return;
    if (epoch !== undefined && this.epochOf[h] !== undefined && epoch !== this.epochOf[h]) return;
    if (epoch !== undefined && this.retired.has(`${h}:${epoch}`)) return;
    if (fatal) {
      this.run.fail(
        new FatalTransportError(`${why}${this.run.whenText()}; a restarted process would fail the same way, so the run is stopped and no results are written`),
      );
      return;
    }
    // A death while its start or recovery is under way: that start counts as failed and is retried there.
    const hook = this.deathHooks.get(h);
    if (hook !== undefined) {
      hook(why);
      return;
    }
    if (this.restartsLeft <= 0) {
      this.run.fail(new TransportError(`${why}${this.run.whenText()}; ${this.noRestartReason()}, so the run is stopped and no results are written`));
      return;
    }
    this.restartsLeft--;
    if (epoch !== undefined) this.retired.add(`${h}:${epoch}`);
    this.hostsRecovering.add(h);
    const died = performance.now();
    const slot = this.run.slot();
    this.recovery = this.recovery
      .then(() => this.restartHost(h, died, slot))
      .catch((err: unknown) => this.run.fail(err instanceof Error ? err : new TransportError(String(err))));
  }

  private noRestartReason(): string {
    return this.run.checkpointEvery === 0 ? 'checkpoints are off (recovery.checkpointEvery: 0)' : `no restarts left (recovery.restarts: ${this.run.restarts})`;
  }

  /**
   * The bounded start of host `h`'s process: a new epoch, the process started,
   * then `work` once all its shards are ready (`ready`: shard -> slot of the
   * checkpoint it was restored from). A process that dies before `work` is
   * done, or is not ready within `readyMs`, is a failed start: it is stopped,
   * counted against the restarts, and a new one tried while any are left.
   */
  private async withHost<T>(h: number, readyMs: number, work: (epoch: number, ready: Map<number, number>) => Promise<T>): Promise<T> {
    const shards = this.run.hosts[h]!;
    for (;;) {
      const epoch = await this.run.nextEpoch();
      this.epochOf[h] = epoch;
      this.run.openHostQueue(h, epoch);
      const ready = this.run.wait(`ready@${epoch}:${h}`, shards.length);
      let died: (why: string) => void = () => {};
      let dying: { why: string } | undefined;
      const death = new Promise<{ why: string }>((resolve) => (died = (why) => resolve((dying = { why }))));
      this.deathHooks.set(h, died);
      let timer: NodeJS.Timeout | undefined;
      // Unbounded only for workers started elsewhere, which may come later.
      const late = new Promise<{ why: string }>((resolve) => {
        if (Number.isFinite(readyMs))
          timer = setTimeout(
            () =>
              resolve({ why: `the shard process hosting shard${shards.length > 1 ? 's' : ''} ${shards.join(', ')} was not ready within ${readyMs / 1000} s` }),
            readyMs,
          );
      });
      let stop: (() => void) | undefined;
      let failed: string;
      try {
        stop = this.run.launch(h, epoch);
        const first = await this.run.guard(Promise.race([ready.then((m) => ({ m })), death, late]));
        clearTimeout(timer);
        if ('m' in first) {
          const restored = new Map<number, number>();
          for (const [shard, m] of first.m) if (m.type === 'ready') restored.set(shard, m.restored);
          const done = work(epoch, restored).then((v) => ({ v }));
          const out = await this.run.guard(Promise.race([done, death]));
          if ('v' in out) return out.v;
          failed = `${out.why} while its shards were brought up to date`;
        } else failed = first === dying ? `${first.why} before it was ready` : first.why;
      } finally {
        clearTimeout(timer);
        if (this.deathHooks.get(h) === died) this.deathHooks.delete(h);
      }
      this.retired.add(`${h}:${epoch}`);
      stop?.();
      if (this.restartsLeft <= 0) {
        throw new TransportError(`${failed}${this.run.whenText()}; ${this.noRestartReason()}, so the run is stopped and no results are written`);
      }
      this.restartsLeft--;
    }
  }

  private async restartHost(h: number, died: number, slot: number): Promise<void> {
    const shards = this.run.hosts[h]!;
    const replayed = await this.withHost(h, READY_MS, async (epoch, restored) => {
      const n = await this.replay(restored, `${epoch}`);
      // What was in flight when the process died goes to its successor again.
      await this.run.resendInFlight(h);
      return n;
    });
    this.hostsRecovering.delete(h);
    this.recovered({ host: h, shards, slot, replayedSlots: replayed, wallSeconds: (performance.now() - died) / 1000 });
  }

  /**
   * Brings restored shards (shard -> slot of its checkpoint) up to the last
   * completed slot, one slot at a time, each replayed report checked against
   * the original. Returns how many slots were replayed.
   */
  private async replay(restored: ReadonlyMap<number, number>, tag: string): Promise<number> {
    const from = Math.min(...restored.values()) + 1;
    for (let slot = from; slot <= this.run.completed(); slot++) {
      const who = [...restored].filter(([, at]) => at < slot).map(([shard]) => shard);
      const past = this.run.past(slot);
      if (past === undefined || past.reports === null)
        throw new TransportError(`cannot replay slot ${slot} to shards ${who.join(', ')}: the controller no longer holds its commands`);
      const step = `${tag}:${slot}`;
      const arrived = this.run.wait(`replay:${step}`, who.length);
      await this.run.sendReplay(who, past.commands, step);
      for (const [shard, m] of await this.run.guard(arrived)) {
        if (m.type !== 'slot' || JSON.stringify(m.report) !== past.reports[shard]) {
          throw new InvariantError(
            'deterministic recovery',
            { shard, slot },
            `restored from its checkpoint of slot ${restored.get(shard)}, the shard reported this slot differently than before the crash`,
          );
        }
      }
    }
    return Math.max(0, this.run.completed() - from + 1);
  }

  private recovered(r: Recovery): void {
    this.recoveries.push(r);
    this.onRecovery?.(r);
  }
}
