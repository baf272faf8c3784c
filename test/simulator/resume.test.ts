/**
 * `shardsim sweep --resume <run-id>`: a controller killed with SIGKILL in the
 * middle of a sweep is started again and finishes it with the digest of an
 * uninterrupted sweep (redis: the run under way continues from its shards'
 * checkpoints and the controller's slot log; memory: it starts over).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SweepResults } from '../../simulator/results.js';
import { CLI, ROOT, runCli, tempDir } from '../helpers/cli.js';
import { hostPids, processAlive, runKeys, startRedis, type TestRedis } from '../helpers/redis.js';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A two-run sweep with cross-shard traffic, long enough to be killed in either run. */
const sweepArgs = (seed: number, transport: 'memory' | 'redis'): string[] => [
  'sweep',
  'configs/quickstart.yaml',
  '--shards',
  '2,3',
  '--seed',
  String(seed),
  '--transport',
  transport,
  '--redis-url',
  redis.url,
  '--set',
  'slots.measure=30',
  '--set',
  'accounts.count=2000',
];

const digestIn = (dir: string): string => (JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as SweepResults).digest;

/** Starts a sweep whose run id comes back from its `sweep starting` log line. */
async function startSweep(args: readonly string[]): Promise<{ child: ChildProcess; runId: string; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [CLI, ...args, '--log-level', 'info'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  for (let i = 0; i < 200; i++) {
    const m = /"runId":"([^"]+)"/.exec(stderr);
    if (m !== null) return { child, runId: m[1]!, exited };
    await sleep(50);
  }
  child.kill('SIGKILL');
  throw new Error(`the sweep never logged its run id:\n${stderr}`);
}

/** Polls until `ready` holds (the point to kill at). */
async function until(ready: () => Promise<boolean> | boolean, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await ready()) return;
    await sleep(25);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('controller killed mid-sweep and resumed', () => {
  const cases = [
    { name: 'in its first run, between checkpoints', seed: 31, run: 0, afterSlots: 5 },
    { name: 'in its second run, past a checkpoint', seed: 32, run: 1, afterSlots: 11 },
  ];
  for (const c of cases) {
    it(`redis, killed ${c.name}: --resume finishes with the uninterrupted sweep's digest`, async () => {
      const clean = tempDir();
      expect(runCli([...sweepArgs(c.seed, 'memory'), '--out', clean, '--quiet']).code).toBe(0);

      const out = tempDir();
      const args = [...sweepArgs(c.seed, 'redis'), '--out', out];
      const first = await startSweep(args);
      const prefix = `{ss:${first.runId}.${c.run}}`;
      await until(async () => (await redis.client.llen(`${prefix}:slot-log`)) >= c.afterSlots, `slot ${c.afterSlots} of run ${c.run}`);
      const orphans = await hostPids(redis.client, prefix);
      expect(orphans.length).toBeGreaterThan(0);
      first.child.kill('SIGKILL');
      await first.exited;
      expect(existsSync(join(out, 'progress.json'))).toBe(true);
      expect(existsSync(join(out, 'results.json'))).toBe(false);

      const resumed = runCli([...args, '--resume', first.runId, '--quiet'], 180_000);
      expect(resumed.stderr).toMatch(/resumed: restored shards replayed/);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(digestIn(out)).toBe(digestIn(clean));
      const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as SweepResults;
      expect(results.runs[c.run]!.wall.recoveries?.[0]?.host).toBe(-1);
      // Nothing of the first attempt outlives the second: no progress file, no key, no process.
      expect(existsSync(join(out, 'progress.json'))).toBe(false);
      expect(await runKeys(redis.client)).toEqual([]);
      for (const pid of orphans) expect(processAlive(pid), `shard process ${pid} of the killed controller`).toBe(false);
    });
  }

  it('memory: the finished runs are kept and the one under way starts over, with the same digest', async () => {
    const clean = tempDir();
    expect(runCli([...sweepArgs(33, 'memory'), '--out', clean, '--quiet']).code).toBe(0);
    const out = tempDir();
    const args = [...sweepArgs(33, 'memory'), '--out', out];
    const first = await startSweep(args);
    const progress = join(out, 'progress.json');
    await until(() => existsSync(progress) && (JSON.parse(readFileSync(progress, 'utf8')) as { runs: unknown[] }).runs.length === 1, 'the first run to finish');
    first.child.kill('SIGKILL');
    await first.exited;
    const resumed = runCli([...args, '--resume', first.runId, '--log-level', 'info']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/"run":2,"of":2,[^\n]*"resume":true/);
    expect(resumed.stderr).not.toMatch(/"run":1,"of":2/);
    expect(digestIn(out)).toBe(digestIn(clean));
  });

  it('a resume of a finished sweep, of another scenario, or of a malformed id is refused with exit code 2', () => {
    const out = tempDir();
    const args = ['sweep', 'configs/quickstart.yaml', '--shards', '1', '--set', 'slots.measure=2', '--out', out, '--log-level', 'info'];
    const done = runCli(args);
    expect(done.code).toBe(0);
    const runId = /"runId":"([^"]+)"/.exec(done.stderr)![1]!;

    const again = runCli([...args, '--resume', runId]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(new RegExp(`run ${runId} finished already: its results are in .*results\\.json`));

    const nowhere = runCli([...args.slice(0, -4), '--out', tempDir(), '--resume', runId]);
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toMatch(/no interrupted run .*progress\.json does not exist/);

    const bad = runCli([...args, '--resume', '../../etc']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--resume expects a run id like/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });

  it('a resume with other options than the first attempt is refused, naming what must match', async () => {
    const out = tempDir();
    const args = [...sweepArgs(34, 'memory'), '--out', out];
    const first = await startSweep(args);
    await until(() => existsSync(join(out, 'progress.json')), 'the progress file');
    first.child.kill('SIGKILL');
    await first.exited;
    const other = runCli([...args, '--set', 'workload.crossShardRatio=0.5', '--resume', first.runId]);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/the scenario differs from the one run .* started with at workload\.crossShardRatio \(was absent, now 0\.5\)/);
  });
});
