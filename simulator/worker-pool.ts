/**
 * Spawns and watches the shard processes of a Redis run. A process that dies
 * before the run closes is reported (`onDeath`: the transport restarts it or
 * stops the run); closing waits for every process to exit and kills what
 * lingers, so no process of a run outlives it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TransportError } from '../crosslink/errors.js';
import type { Assignment } from '../crosslink/redis-names.js';

/** The shard-process entry (dist/shards/host-main.js): beside this module's folder in dist/, or in dist/ when this runs from source under a test runner. */
function hostMainPath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [join(here, '..', 'shards', 'host-main.js'), join(here, '..', 'dist', 'shards', 'host-main.js')]) {
    if (existsSync(candidate)) return candidate;
  }
  throw new TransportError('cannot find dist/shards/host-main.js to start shard processes; run `npm run build` first');
}

export interface PoolOptions {
  readonly url: string;
  /** Called if a process exits while the run is open, with its host index and what happened to which shards. */
  readonly onDeath: (host: number, what: string) => void;
}

export class WorkerPool {
  private readonly children: ChildProcess[] = [];
  private readonly entry = hostMainPath();
  private closing = false;

  constructor(private readonly opts: PoolOptions) {}

  /** Spawns the process of one host (also its successor after a death). */
  start(a: Assignment): void {
    const opts = this.opts;
    const args = [this.entry, '--prefix', a.prefix, '--host', String(a.host), '--shards', a.shards.join(','), '--epoch', String(a.epoch), '--checkpoint-every', String(a.checkpointEvery)];
    // The URL travels in the environment, not argv: `ps` would show a password.
    const child = spawn(process.execPath, args, {
      env: { ...process.env, SHARDSIM_REDIS_URL: opts.url },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString('utf8')).slice(-2_000);
    });
    child.on('exit', (code, signal) => {
      if (this.closing) return;
      const how = signal !== null ? `was killed by ${signal}` : `exited with code ${code}`;
      const last = stderr.trim().split('\n').pop();
      opts.onDeath(a.host, `the shard process (pid ${child.pid}) hosting shard${a.shards.length > 1 ? 's' : ''} ${a.shards.join(', ')} ${how}${last ? ` (${last})` : ''}`);
    });
    this.children.push(child);
  }

  /** Processes alive now, by spawn order. */
  get pids(): number[] {
    return this.children.filter((c) => c.exitCode === null && c.signalCode === null).map((c) => c.pid ?? -1);
  }
  /** Waits up to `graceMs` for every process to exit, then kills the rest. */
  async close(graceMs = 5_000): Promise<void> {
    this.closing = true;
    const exits = this.children.map(
      (c) => new Promise<void>((resolve) => (c.exitCode !== null || c.signalCode !== null ? resolve() : c.once('exit', () => resolve()))),
    );
    const timer = new Promise<'late'>((r) => setTimeout(() => r('late'), graceMs).unref());
    if ((await Promise.race([Promise.all(exits), timer])) === 'late') {
      for (const c of this.children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      await Promise.all(exits);
    }
  }

  /** Kills every process now (the controller is failing). */
  async kill(): Promise<void> {
    this.closing = true;
    for (const c of this.children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await this.close(1_000);
  }
}
