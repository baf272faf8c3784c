/**
 * External workers (`shardsim worker`) and a controller that dies: workers
 * watch the controller's heartbeat, let a dead run go and serve the next; a
 * `--resume` takes the run over with the same workers; a controller without
 * workers gives up after --worker-wait; an assignment whose controller is gone
 * is discarded.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SweepResults } from '../../../../simulator/results.js';
import { CLI, ROOT, runCli, tempDir } from '../../../helpers/cli.js';
import { hostPids, runKeys, startRedis, type TestRedis } from '../../../helpers/redis.js';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

const SECRET = 'external-worker-test-secret';
const env = { ...process.env, SHARDSIM_SECRET: SECRET };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Proc {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  stderr(): string;
}

const procs: Proc[] = [];
afterEach(() => {
  for (const p of procs.splice(0)) if (p.child.exitCode === null) p.child.kill('SIGKILL');
});

function start(args: readonly string[], environment: NodeJS.ProcessEnv = env): Proc {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], env: environment });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString('utf8')));
  const p = { child, exited: new Promise<number | null>((r) => child.once('exit', (code) => r(code))), stderr: () => err };
  procs.push(p);
  return p;
}

const worker = (): Proc => start(['worker', '--redis-url', redis.url, '--log-level', 'info']);

async function until(ready: () => Promise<boolean> | boolean, what: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const runArgs = (seed: number, transport: 'memory' | 'redis'): string[] => [
  'run',
  'configs/quickstart.yaml',
  '--shards',
  '2',
  '--processes',
  '2',
  '--seed',
  String(seed),
  '--transport',
  transport,
  '--redis-url',
  redis.url,
  '--set',
  'slots.measure=16',
  '--set',
  'accounts.count=2000',
];

const digestIn = (dir: string): string => (JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as SweepResults).digest;

/** Starts an external controller; resolves with its run id (from its log) and process. */
async function controller(seed: number, out: string): Promise<{ proc: Proc; prefix: string; runId: string }> {
  const proc = start([...runArgs(seed, 'redis'), '--workers', 'external', '--worker-wait', '60', '--out', out, '--log-level', 'info']);
  let runId = '';
  await until(() => {
    runId = /"runId":"([^"]+)"/.exec(proc.stderr())?.[1] ?? '';
    return runId !== '';
  }, 'the run id');
  return { proc, prefix: `{ss:${runId}.0}`, runId };
}

describe('external workers and their controller', () => {
  it("without workers the controller exits 2 after --worker-wait; a worker started later discards the dead run's assignment", async () => {
    const { SHARDSIM_SECRET: _, ...noSecret } = env;
    const unsigned = start([...runArgs(41, 'redis'), '--workers', 'external', '--out', tempDir(), '--quiet'], noSecret);
    expect(await unsigned.exited).toBe(2);
    expect(unsigned.stderr()).toMatch(/set \$SHARDSIM_SECRET \(or pass --secret-file\)/);

    const started = Date.now();
    const waited = start([...runArgs(41, 'redis'), '--workers', 'external', '--worker-wait', '2', '--out', tempDir(), '--quiet']);
    expect(await waited.exited).toBe(2);
    console.log(`controller without workers: exit 2 after ${((Date.now() - started) / 1000).toFixed(1)} s (--worker-wait 2)`);
    expect(waited.stderr()).toMatch(/within 2 s \(--worker-wait\)/);
    expect(await runKeys(redis.client)).toEqual([]);

    // A worker needs the secret too; from a file here, as `--secret-file` takes it.
    const { SHARDSIM_SECRET: _s, ...bare } = env;
    const refused = start(['worker', '--redis-url', redis.url], bare);
    expect(await refused.exited).toBe(2);
    expect(refused.stderr()).toMatch(/set \$SHARDSIM_SECRET \(or pass --secret-file\)/);
    const file = join(tempDir(), 'secret');
    writeFileSync(file, `${SECRET}\n`);
    const late = start(['worker', '--redis-url', redis.url, '--secret-file', file, '--log-level', 'info'], bare);
    await until(() => late.stderr().includes('assignment discarded'), 'the worker to discard the dead assignment', 20_000);
    expect(late.stderr()).not.toMatch(/hosting shards/);
  });

  it('a SIGKILLed controller is resumed with the same workers, which then let a dead run go and serve the next one', async () => {
    const clean = tempDir();
    expect(runCli([...runArgs(42, 'memory'), '--out', clean, '--quiet']).code).toBe(0);
    const workers = [worker(), worker()];

    const out = tempDir();
    const first = await controller(42, out);
    await until(async () => (await redis.client.llen(`${first.prefix}:slot-log`)) >= 6, 'slot 6');
    first.proc.child.kill('SIGKILL');
    await first.proc.exited;
    const killedAt = Date.now();
    const resumed = start([...runArgs(42, 'redis'), '--workers', 'external', '--worker-wait', '60', '--out', out, '--quiet', '--resume', first.runId]);
    expect(await resumed.exited, resumed.stderr()).toBe(0);
    console.log(
      `external controller SIGKILLed at slot >= 6, resumed at once with the same workers: finished ${((Date.now() - killedAt) / 1000).toFixed(1)} s later`,
    );
    expect(digestIn(out)).toBe(digestIn(clean));
    for (const w of workers) expect(w.stderr()).toMatch(/another controller took it over/);

    // A controller killed for good: its workers notice within the heartbeat's bound and wait for runs again.
    const dead = await controller(43, tempDir());
    await until(async () => (await hostPids(redis.client, dead.prefix)).length === 2, 'both workers hosting');
    dead.proc.child.kill('SIGKILL');
    const diedAt = Date.now();
    await until(async () => (await hostPids(redis.client, dead.prefix)).length === 0, 'the workers to let the dead run go', 60_000);
    console.log(`external controller SIGKILLed for good: its workers abandoned the run ${((Date.now() - diedAt) / 1000).toFixed(1)} s later`);
    await until(() => workers.every((w) => /stopped beating/.test(w.stderr())), 'both workers to log why they left', 10_000);

    const again = tempDir();
    const next = start([...runArgs(42, 'redis'), '--workers', 'external', '--worker-wait', '30', '--out', again, '--quiet']);
    expect(await next.exited, next.stderr()).toBe(0);
    expect(digestIn(again)).toBe(digestIn(clean));
    for (const w of workers) expect(w.child.exitCode).toBeNull();
    // The secret is never logged, by the workers or the controllers.
    for (const p of [...workers, first.proc, resumed, dead.proc, next]) expect(p.stderr()).not.toContain(SECRET);
  }, 240_000);
});
