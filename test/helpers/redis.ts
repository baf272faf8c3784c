/**
 * A private redis-server on a free port for tests that need their own Redis
 * (to count its keys, or to kill it). Without the binary, REDIS_URL is used;
 * in CI (CI=true) a missing Redis is a failure, never a skip.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

export interface TestRedis {
  readonly url: string;
  readonly client: Redis;
  stop(): Promise<void>;
  /** Kills the server (SIGKILL) and starts it again on the same port and data (only with `persistent`). */
  restart(downMs?: number): Promise<void>;
  /** Kills the server (SIGKILL) and leaves it down (a private server only). */
  kill(): Promise<void>;
  /** Starts a killed server again on the same port and data, and waits until it answers. */
  revive(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => resolve(typeof addr === 'object' && addr !== null ? addr.port : 0));
    });
  });
}

/**
 * Pings until the server answers: a freshly spawned redis-server takes a
 * moment to listen, longer on a loaded machine, and one ping with one retry
 * lost that race. Bounded, so a server that never comes up fails the test.
 */
async function untilAnswers(client: Redis, child: ChildProcess | undefined, withinMs = 30_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    if (child !== undefined && child.exitCode !== null) throw new Error(`redis-server exited (code ${child.exitCode}) before answering`);
    try {
      await client.ping();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`redis-server did not answer within ${withinMs / 1000} s`, { cause: err });
      // The client gives up reconnecting after its retries; start it again.
      if (client.status === 'end') await client.connect().catch(() => undefined);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

const hasBinary = (): boolean => spawnSync('redis-server', ['--version']).status === 0;

/** A private server; `persistent` turns on the append-only file, fsynced on every write, so a kill loses nothing. */
export async function startRedis(
  opts: { readonly persistent?: boolean; readonly args?: readonly string[]; readonly password?: string } = {},
): Promise<TestRedis> {
  let child: ChildProcess | undefined;
  let url: string;
  let args: string[] = [];
  if (hasBinary()) {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'shardsim-redis-'));
    const aof = opts.persistent === true ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
    const auth = opts.password === undefined ? [] : ['--requirepass', opts.password];
    args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...aof, '--dir', dir, ...auth, ...(opts.args ?? [])];
    child = spawn('redis-server', args, { stdio: 'ignore' });
    url = `redis://${opts.password === undefined ? '' : `:${opts.password}@`}127.0.0.1:${port}`;
  } else if (process.env['REDIS_URL'] !== undefined) {
    url = process.env['REDIS_URL'];
  } else {
    throw new Error('these tests need Redis: install redis-server or set REDIS_URL');
  }
  // Reconnects for as long as it takes: tests kill the server and start it again much later.
  const client = new Redis(url, { maxRetriesPerRequest: 1, retryStrategy: () => 100 });
  client.on('error', () => {}); // the server is stopped under it at the end
  await untilAnswers(client, child);
  const kill = async (): Promise<void> => {
    if (child === undefined) throw new Error('killing Redis needs a private redis-server');
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((r) => child!.once('exit', r));
    child.kill('SIGKILL');
    await gone;
  };
  const revive = async (): Promise<void> => {
    // Already up: a second server could not take the port, and would stand for the first in kill().
    if (child !== undefined && child.exitCode === null && child.signalCode === null) return;
    child = spawn('redis-server', args, { stdio: 'ignore' });
    await untilAnswers(client, child);
  };
  return {
    url,
    client,
    kill,
    revive,
    async restart(downMs = 500) {
      if (child === undefined || opts.persistent !== true) throw new Error('restart needs a private, persistent redis-server');
      await kill();
      await new Promise((r) => setTimeout(r, downMs));
      await revive();
    },
    async stop() {
      client.disconnect();
      if (child !== undefined && child.exitCode === null) {
        const gone = new Promise((r) => child!.once('exit', r));
        child.kill('SIGTERM');
        await gone;
      }
    },
  };
}

/** Every key of shardsim runs (their hash-tagged prefixes) in this Redis. */
export async function runKeys(client: Redis): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await client.scan(cursor, 'MATCH', '{ss:*', 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys;
}

/** Pids of the processes hosting a run now, from their heartbeat keys (`<prefix>:alive:<host>` holds the pid). */
export async function hostPids(client: Redis, prefix: string): Promise<number[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await client.scan(cursor, 'MATCH', `${prefix}:alive:*`, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  keys.sort((a, b) => Number(a.slice(a.lastIndexOf(':') + 1)) - Number(b.slice(b.lastIndexOf(':') + 1)));
  const values = keys.length === 0 ? [] : await client.mget(...keys);
  return values.filter((v): v is string => v !== null).map(Number);
}

/** Whether a process with this pid exists. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
