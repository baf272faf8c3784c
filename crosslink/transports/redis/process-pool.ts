/**
 * Spawns and watches the shard processes of Redis runs. A process that dies
 * while its run is open is reported (`onDeath`: the transport restarts it or
 * stops the run). Processes outlive runs: when a run closes, each of its
 * processes that finished cleanly goes back to a pool of idle ones (per Redis
 * URL) and hosts a later run of this controller, so the runs of a sweep skip
 * process start-up and JIT warm-up; one that does not finish in time is
 * killed. Idle processes hold nothing open here (the controller can exit at
 * any time) and exit as soon as the controller is gone.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import type { Socket } from 'node:net';
import { availableParallelism } from 'node:os';
import { checkFromHostProcess, PROTOCOL_VERSION } from '../../wire/control.js';
import { EXIT_FATAL } from './faults.js';
import type { Assignment, ToHostProcess } from './names.js';

/** A shard process and the tail of what it wrote to stderr (for death messages). */
interface HostProcess {
  readonly child: ChildProcess;
  stderr: string;
}

/** Idle processes by Redis URL. */
const idle = new Map<string, HostProcess[]>();
/** Idle processes kept at most (per URL); more are let go. */
const IDLE_MAX = 2 * availableParallelism();
/** Every shard process this controller has running, idle or hosting. */
const running = new Set<ChildProcess>();

/** Pids of the shard processes this controller has running (benchmarks read their CPU time). */
export function shardProcessPids(): number[] {
  return [...running].map((c) => c.pid ?? -1).filter((pid) => pid > 0);
}

const alive = (c: ChildProcess): boolean => c.exitCode === null && c.signalCode === null;

/** Lets the controller exit with this process still there (it follows its parent out). */
function release(p: HostProcess): void {
  p.child.unref();
  p.child.channel?.unref();
  (p.child.stderr as Socket | null)?.unref();
}

function hold(p: HostProcess): void {
  p.child.ref();
  p.child.channel?.ref();
  (p.child.stderr as Socket | null)?.ref();
}

function spawnHost(entry: string, url: string): HostProcess {
  // The URL travels in the environment, not argv: `ps` would show a password.
  const child = spawn(process.execPath, [entry], {
    env: { ...process.env, SHARDSIM_REDIS_URL: url },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  const p: HostProcess = { child, stderr: '' };
  // Failures surface as exits (reported to the run); an unhandled 'error' would crash the controller.
  child.on('error', () => undefined);
  child.stderr?.on('data', (d: Buffer) => {
    p.stderr = (p.stderr + d.toString('utf8')).slice(-2_000);
  });
  running.add(child);
  // An idle process that dies simply leaves the pool.
  child.once('exit', () => {
    running.delete(child);
    const list = idle.get(url);
    const i = list?.indexOf(p) ?? -1;
    if (i >= 0) list!.splice(i, 1);
  });
  return p;
}

/**
 * Ends every idle shard process and waits for them to exit (a controller
 * about to exit: none should outlive it even for the moment it takes them to
 * notice). Hosting ones belong to an open run, which ends them itself.
 */
export async function endIdleShardProcesses(graceMs = 2_000): Promise<void> {
  const all = [...idle.values()].flat();
  idle.clear();
  await Promise.all(
    all.map(async ({ child }) => {
      if (!alive(child)) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.ref(); // released while idle; held again so that its exit is awaited, not outrun
      child.disconnect();
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await gone;
      clearTimeout(timer);
    }),
  );
}

export interface PoolOptions {
  /** The shard process's entry script (simulator/transports.ts names it: the shards' layer is above this one). */
  readonly entry: string;
  readonly url: string;
  /** The run's control-message secret, handed to each process over IPC with its assignment. */
  readonly secret: string;
  /**
   * Called if a process exits while the run is open, with its assignment and
   * what happened to which shards; `fatal` if it exited for a reason its
   * successor would meet too (Redis refused it, a corrupt checkpoint).
   */
  readonly onDeath: (assignment: Assignment, what: string, fatal: boolean) => void;
}

/** One run's shard processes. */
export class ProcessPool {
  private readonly mine: Array<{ readonly p: HostProcess; readonly finished: Promise<boolean>; readonly onExit: () => void; free: boolean }> = [];
  private closing = false;

  constructor(private readonly opts: PoolOptions) {}

  /**
   * Starts the process of one host (also its successor after a death): an
   * idle one if there is one, else a new one. Returns how to kill it (a start
   * that took too long: it must not compete with its successor).
   */
  start(a: Assignment): () => void {
    const opts = this.opts;
    const p = idle.get(opts.url)?.pop() ?? spawnHost(opts.entry, opts.url);
    hold(p);
    const child = p.child;
    /** Why this process was killed for a message it cannot have sent (another shardsim's entry): a death its successor would meet too. */
    let refused: string | undefined;
    const onExit = (): void => {
      if (this.closing) return;
      const how = child.signalCode !== null ? `was killed by ${child.signalCode}` : `exited with code ${child.exitCode}`;
      const last = refused ?? p.stderr.trim().split('\n').pop();
      opts.onDeath(
        a,
        `the shard process (pid ${child.pid}) hosting shard${a.shards.length > 1 ? 's' : ''} ${a.shards.join(', ')} ${how}${last ? ` (${last})` : ''}`,
        refused !== undefined || child.exitCode === EXIT_FATAL,
      );
    };
    child.once('exit', onExit);
    const entry = { p, onExit, free: false, finished: Promise.resolve(false) };
    // Resolves true once the process has closed this run and is free again, false if it exits first.
    entry.finished = new Promise<boolean>((resolve) => {
      // Both listeners go when the run ends: a pooled process serves many runs, and kept ones piled up (Node warned at 11).
      const onGone = (): void => resolve(false);
      const onMessage = (raw: unknown): void => {
        try {
          checkFromHostProcess(raw);
        } catch (err) {
          refused = (err as Error).message;
          child.kill('SIGKILL');
          return;
        }
        child.off('message', onMessage);
        child.off('exit', onGone);
        entry.free = true;
        resolve(true);
      };
      child.on('message', onMessage);
      child.once('exit', onGone);
    });
    this.mine.push(entry);
    // A process that died just before it was taken cannot be sent to: end it, and its exit reports the death.
    child.send({ type: 'host', protocol: PROTOCOL_VERSION, assignment: a, secret: opts.secret } satisfies ToHostProcess, (err) => {
      if (err !== null && alive(child)) child.kill('SIGKILL');
    });
    return () => {
      if (alive(child)) child.kill('SIGKILL');
    };
  }

  /**
   * Waits up to `graceMs` for every process to finish the run; those that did
   * go back to the idle pool, the rest are killed.
   */
  async close(graceMs = 5_000): Promise<void> {
    this.closing = true;
    const timer = new Promise<'late'>((r) => setTimeout(() => r('late'), graceMs).unref());
    await Promise.race([Promise.all(this.mine.map((m) => m.finished)), timer]);
    await this.settle(true);
  }

  /** Kills every process of this run now (the controller is failing); none goes back to the pool. */
  async kill(): Promise<void> {
    this.closing = true;
    await this.settle(false);
  }

  /** Returns the processes that finished the run to the idle pool (with `keep`, while there is room) and kills the rest. */
  private async settle(keep: boolean): Promise<void> {
    const exits: Array<Promise<unknown>> = [];
    for (const m of this.mine) {
      const { child } = m.p;
      child.off('exit', m.onExit);
      if (!alive(child)) continue;
      const list = idle.get(this.opts.url) ?? [];
      if (keep && m.free && list.length < IDLE_MAX && !list.includes(m.p)) {
        list.push(m.p);
        idle.set(this.opts.url, list);
        release(m.p);
      } else {
        exits.push(new Promise((r) => child.once('exit', r)));
        child.kill('SIGKILL');
      }
    }
    await Promise.all(exits);
  }
}
