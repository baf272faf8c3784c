/**
 * The Redis transport's fault matrix (issue 16): every fault ends either with
 * the uninterrupted run's digest or with a clear non-zero exit within the
 * bound (`recovery.redisTimeoutSeconds`), never a hang. Each case runs on a
 * private redis-server it may kill. The time from each fault to the exit or
 * the recovery is printed (`fault figure`); no test asserts a duration: the
 * timeouts only turn a hang into a failure.
 *
 * SHARDSIM_FAULT_TRIALS sets how many Redis restarts under load are tried
 * (default 3; the acceptance run uses 10).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TransportError } from '../../../../crosslink/common/errors.js';
import { K, runPrefix } from '../../../../crosslink/transports/redis/names.js';
import { endIdleShardProcesses, shardProcessPids } from '../../../../crosslink/transports/redis/process-pool.js';
import type { Scenario } from '../../../../simulator/config/schema.js';
import type { SweepResults } from '../../../../simulator/results.js';
import { runScenario } from '../../../../simulator/run.js';
import { CLI, ROOT, runCli, tempDir } from '../../../helpers/cli.js';
import { hostPids, processAlive, runKeys, startRedis, type TestRedis } from '../../../helpers/redis.js';
import { tinyScenario } from '../../../helpers/scenario.js';

const TRIALS = Math.max(1, Number(process.env['SHARDSIM_FAULT_TRIALS'] ?? 3));
/** recovery.redisTimeoutSeconds in these tests (the default, 20 s, would only make them slower). */
const BOUND_S = 4;
/** Generous: how long a bounded exit may take here before it counts as a hang (a loaded 2-core machine). */
const EXIT_WITHIN_MS = (BOUND_S + 30) * 1000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function figure(what: string, ms: number): void {
  process.stderr.write(`fault figure: ${what}: ${(ms / 1000).toFixed(1)} s\n`);
}

/** A small quickstart run on two shard processes, `measure` slots long (`shards`: 4, unless given as `measure`'s companion). */
const cliArgs = (url: string, measure: number, transport: 'redis' | 'memory' = 'redis', shards = 4): string[] => [
  'run',
  'configs/quickstart.yaml',
  '--shards',
  String(shards),
  '--transport',
  transport,
  '--processes',
  '2',
  '--redis-url',
  url,
  '--set',
  `slots.measure=${measure}`,
  '--set',
  'accounts.count=2000',
  '--set',
  'workload.rate=2000',
  '--set',
  `recovery.redisTimeoutSeconds=${BOUND_S}`,
];

const digests = new Map<number, string>();
/** The digest of the same run on the memory transport. */
function cleanDigest(measure: number, shards = 4): string {
  let d = digests.get(measure * 1000 + shards);
  if (d === undefined) {
    const out = tempDir();
    const res = runCli([...cliArgs('redis://unused', measure, 'memory', shards), '--out', out, '--quiet']);
    expect(res.code, res.stderr).toBe(0);
    d = runDigest(out);
    digests.set(measure * 1000 + shards, d);
  }
  return d;
}

const runDigest = (dir: string): string => (JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as SweepResults).runs[0]!.digest;

interface Controller {
  readonly child: ChildProcess;
  readonly runId: string;
  readonly prefix: string;
  stderr(): string;
  /** Resolves with the exit code, or with 'hung' after `ms`. */
  exit(ms: number): Promise<number | null | 'hung'>;
}

/** Starts the CLI, and returns once it has logged its run id. */
async function startController(args: readonly string[]): Promise<Controller> {
  const child = spawn(process.execPath, [CLI, ...args, '--log-level', 'info'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  for (let i = 0; i < 400; i++) {
    const m = /"runId":"([^"]+)"/.exec(stderr);
    if (m !== null) {
      const runId = m[1]!;
      return {
        child,
        runId,
        prefix: runPrefix(`${runId}.0`),
        stderr: () => stderr,
        async exit(ms) {
          let timer: NodeJS.Timeout | undefined;
          const hung = new Promise<'hung'>((r) => (timer = setTimeout(() => r('hung'), ms)));
          const code = await Promise.race([exited, hung]);
          clearTimeout(timer);
          if (code === 'hung') {
            child.kill('SIGKILL');
            for (const pid of childPids(child.pid!)) process.kill(pid, 'SIGKILL');
          }
          return code;
        },
      };
    }
    await sleep(50);
  }
  child.kill('SIGKILL');
  throw new Error(`the controller never logged its run id:\n${stderr}`);
}

async function until(ready: () => Promise<boolean> | boolean, what: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await ready()) return;
    await sleep(25);
  }
  throw new Error(`timed out waiting for ${what}`);
}

const slotsLogged = (r: TestRedis, prefix: string): Promise<number> => r.client.llen(K.slotLog(prefix)).catch(() => -1);

function childPids(parent: number): number[] {
  const res = spawnSync('ps', ['-o', 'pid=', '--ppid', String(parent)], { encoding: 'utf8' });
  return res.stdout
    .split('\n')
    .map((s) => Number(s.trim()))
    .filter((n) => n > 0);
}

/** Keeps both cores busy, as other work on a shared machine would (the failures hid on an idle one). */
function startLoad(processes = 2): () => void {
  const spinners = Array.from({ length: processes }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
  return () => {
    for (const s of spinners) s.kill('SIGKILL');
  };
}

describe('Redis lost for good', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis({ persistent: true, password: 's3cret' });
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('Redis killed mid-run: exit 3 within the bound naming the URL (no password), the slot and the --resume command, which finishes the run with the clean digest', async () => {
    const measure = 40;
    const out = tempDir();
    const ctl = await startController([...cliArgs(redis.url, measure), '--out', out]);
    await until(async () => (await slotsLogged(redis, ctl.prefix)) >= 10, 'slot 10');
    const hosts = childPids(ctl.child.pid!);
    expect(hosts).toHaveLength(2);
    await redis.kill();
    const t0 = Date.now();
    const code = await ctl.exit(EXIT_WITHIN_MS);
    figure('Redis killed for good -> controller exit', Date.now() - t0);
    const stderr = ctl.stderr();
    expect(code, stderr).toBe(3);
    const shown = redis.url.replace(':s3cret@', ':***@');
    expect(stderr).toContain(`lost Redis at ${shown}`);
    expect(stderr).not.toContain('s3cret');
    expect(stderr).toMatch(/stopped during slot \d+ with \d+ slots done/);
    const resume = /resume with:\n\s+(shardsim [^\n]+)\n/.exec(stderr)?.[1];
    expect(resume).toContain(`--resume ${ctl.runId}`);
    // Quoted for the shell (the * of the hidden password).
    expect(resume).toContain(`--redis-url '${shown}'`);
    expect(existsSync(join(out, 'progress.json'))).toBe(true);
    for (const pid of hosts) expect(processAlive(pid), `shard process ${pid}`).toBe(false);

    // Redis comes back with its append-only file: the run's checkpoints and log are there, and the printed command resumes it.
    await redis.revive();
    const keys = await runKeys(redis.client);
    expect(keys).toContain(K.checkpoint(ctl.prefix, 0));
    expect(keys).toContain(K.slotLog(ctl.prefix));
    const args = resume!
      .split(' ')
      .slice(1)
      .map((a) => (a === `'${shown}'` ? redis.url : a));
    const resumed = runCli(args);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/resumed: restored shards replayed/);
    expect(runDigest(out)).toBe(cleanDigest(measure));
    expect(await runKeys(redis.client)).toEqual([]);
  });

  it('shard processes give the run up by themselves when Redis stays away (their controller stopped too)', async () => {
    await redis.revive().catch(() => undefined);
    const ctl = await startController([...cliArgs(redis.url, 40), '--out', tempDir()]);
    await until(async () => (await slotsLogged(redis, ctl.prefix)) >= 5, 'slot 5');
    const hosts = childPids(ctl.child.pid!);
    expect(hosts).toHaveLength(2);
    // A controller that cannot act (stopped) is still their parent: only the lost Redis tells them to go.
    process.kill(ctl.child.pid!, 'SIGSTOP');
    try {
      await redis.kill();
      const t0 = Date.now();
      await until(() => hosts.every((pid) => !processAlive(pid) || isZombie(pid)), 'the shard processes to exit', EXIT_WITHIN_MS).catch(() => undefined);
      figure('Redis killed for good -> shard processes exit (controller stopped)', Date.now() - t0);
      for (const pid of hosts) expect(!processAlive(pid) || isZombie(pid), `shard process ${pid}`).toBe(true);
    } finally {
      ctl.child.kill('SIGKILL');
      for (const pid of hosts) if (processAlive(pid)) process.kill(pid, 'SIGKILL');
      await redis.revive();
    }
  });
});

/** An exited child its stopped parent has not reaped yet. */
function isZombie(pid: number): boolean {
  try {
    return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('Redis restarted with its append-only file, both cores busy', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis({ persistent: true });
  });
  afterAll(async () => {
    await redis?.stop();
  });

  // Slots logged when Redis is killed (of 20): early, middle, late.
  const moments = [3, 8, 15, 5, 11, 17, 7, 13, 4, 16];
  const measure = 12;
  for (let trial = 0; trial < TRIALS; trial++) {
    const at = moments[trial % moments.length]!;
    it(`trial ${trial + 1}/${TRIALS}: kill -9 after ${at} slots, back 2 s later: the clean run's digest`, async () => {
      const clean = cleanDigest(measure, 8);
      const stopLoad = startLoad();
      try {
        const out = tempDir();
        // 8 shards on 2 processes, each checkpointing every slot: a restart is likely to cut a checkpoint
        // or a pipeline off (the writes that used to fail the run). The kill lands 0-150 ms into a slot.
        // The default bound: a restart that loads its append-only file on a busy machine takes more than the 4 s of the other cases.
        const ctl = await startController([
          ...cliArgs(redis.url, measure, 'redis', 8),
          '--set',
          'recovery.checkpointEvery=1',
          '--set',
          'recovery.redisTimeoutSeconds=20',
          '--out',
          out,
          '--quiet',
        ]);
        await until(async () => (await slotsLogged(redis, ctl.prefix)) >= at, `slot ${at}`);
        await sleep((trial * 37) % 150);
        const before = await slotsLogged(redis, ctl.prefix);
        const t0 = Date.now();
        await redis.restart(2_000);
        await until(async () => (await slotsLogged(redis, ctl.prefix)) > before || ctl.child.exitCode !== null, 'the run to move on', EXIT_WITHIN_MS).catch(
          () => undefined,
        );
        figure(`Redis restarted after ${at} slots -> next slot logged`, Date.now() - t0);
        const code = await ctl.exit(90_000);
        expect(code, ctl.stderr()).toBe(0);
        expect(runDigest(out)).toBe(clean);
      } finally {
        stopLoad();
      }
      expect(await runKeys(redis.client)).toEqual([]);
    });
  }
});

describe('Redis refuses writes', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('maxmemory reached (noeviction): exit 2 within the bound, naming the memory limit, nothing left behind', async () => {
    const ctl = await startController([...cliArgs(redis.url, 60), '--out', tempDir()]);
    await until(async () => (await slotsLogged(redis, ctl.prefix)) >= 5, 'slot 5');
    const hosts = childPids(ctl.child.pid!);
    await redis.client.config('SET', 'maxmemory-policy', 'noeviction');
    await redis.client.config('SET', 'maxmemory', '1');
    const t0 = Date.now();
    const code = await ctl.exit(EXIT_WITHIN_MS);
    figure('maxmemory reached -> controller exit', Date.now() - t0);
    await redis.client.config('SET', 'maxmemory', '0');
    const stderr = ctl.stderr();
    expect(code, stderr).toBe(2);
    expect(stderr).toMatch(/memory limit \(maxmemory/);
    expect(stderr).toMatch(/OOM command not allowed/);
    expect(stderr).not.toMatch(/internal error/);
    for (const pid of hosts) expect(processAlive(pid), `shard process ${pid}`).toBe(false);
    expect(await runKeys(redis.client)).toEqual([]);
  });
});

describe('Redis restarted without its data', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('the run stops with exit 2 saying Redis no longer holds it, nothing left behind', async () => {
    const ctl = await startController([...cliArgs(redis.url, 60), '--out', tempDir()]);
    await until(async () => (await slotsLogged(redis, ctl.prefix)) >= 5, 'slot 5');
    const hosts = childPids(ctl.child.pid!);
    await redis.kill();
    const t0 = Date.now();
    await sleep(1_000);
    await redis.revive();
    const code = await ctl.exit(EXIT_WITHIN_MS);
    figure('Redis restarted empty -> controller exit', Date.now() - t0);
    expect(code, ctl.stderr()).toBe(2);
    expect(ctl.stderr()).toMatch(/no longer holds run \{ss:[^}]+\} during slot \d+ \(restarted without persistence/);
    for (const pid of hosts) expect(processAlive(pid), `shard process ${pid}`).toBe(false);
    expect(await runKeys(redis.client)).toEqual([]);
  });
});

describe('shard processes that die while starting', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  // A run's processes are kept idle for the next: a replacement must be spawned anew, to be seen and killed.
  afterEach(async () => {
    await endIdleShardProcesses();
  });

  const busy = (overrides: Parameters<typeof tinyScenario>[0] = {}): Scenario =>
    tinyScenario({
      transport: 'redis',
      maxProcesses: 2,
      slots: { warmup: 1, measure: 24, drain: 5 },
      accounts: { count: 800, frozenRatio: 0.05 },
      workload: { rate: 300, crossShardRatio: 0.8 },
      recovery: { checkpointEvery: 4, restarts: 3, redisTimeoutSeconds: BOUND_S },
      ...overrides,
    });
  let runs = 0;

  /** Kills the first shard process that appears after `known`, as soon as it appears; resolves with the time it took. */
  function killNewcomer(known: ReadonlySet<number>, delayMs = 0): { done: Promise<number | undefined>; cancel(): void } {
    let cancelled = false;
    const done = (async () => {
      for (let i = 0; i < 6_000 && !cancelled; i++) {
        const pid = shardProcessPids().find((p) => !known.has(p));
        if (pid !== undefined) {
          if (delayMs > 0) await sleep(delayMs);
          process.kill(pid, 'SIGKILL');
          return pid;
        }
        await sleep(10);
      }
      return undefined;
    })();
    return { done, cancel: () => (cancelled = true) };
  }

  it('a replacement killed right after it was spawned is replaced again: the clean digest', async () => {
    const sc = busy({ seed: 21 });
    const clean = await runScenario({ ...sc, transport: 'memory' }, 4);
    const prefix = runPrefix(`faults-${process.pid}-${runs++}`);
    let t0 = 0;
    let newcomer: ReturnType<typeof killNewcomer> | undefined;
    const result = await runScenario(sc, 4, {
      redis: { url: redis.url, prefix },
      onSlot: (slot) => {
        if (slot !== 6) return;
        const known = new Set(shardProcessPids());
        newcomer = killNewcomer(known);
        void hostPids(redis.client, prefix).then((pids) => {
          t0 = Date.now();
          process.kill(pids[1]!, 'SIGKILL');
        });
      },
    });
    figure('host killed, then its replacement right after spawn -> recovered', (result.wall.recoveries?.[0]?.wallSeconds ?? 0) * 1000);
    expect(t0).toBeGreaterThan(0);
    expect(await newcomer!.done).toBeDefined();
    expect(result.digest).toBe(clean.digest);
    expect(result.wall.recoveries).toHaveLength(1);
    expect(await runKeys(redis.client)).toEqual([]);
  });

  it('a shard process killed 0.4 s after spawn, before the first slot, is replaced: the clean digest', async () => {
    const sc = busy({ seed: 22 });
    const clean = await runScenario({ ...sc, transport: 'memory' }, 4);
    const newcomer = killNewcomer(new Set(shardProcessPids()), 400);
    try {
      const result = await runScenario(sc, 4, { redis: { url: redis.url, prefix: runPrefix(`faults-${process.pid}-${runs++}`) } });
      expect(await newcomer.done).toBeDefined();
      expect(result.digest).toBe(clean.digest);
    } finally {
      newcomer.cancel();
    }
  });

  it('with no restart left, a replacement that dies before it is ready stops the run and says so', async () => {
    const sc = busy({ seed: 23, recovery: { checkpointEvery: 4, restarts: 1, redisTimeoutSeconds: BOUND_S } });
    const prefix = runPrefix(`faults-${process.pid}-${runs++}`);
    let newcomer: ReturnType<typeof killNewcomer> | undefined;
    const t0 = Date.now();
    await expect(
      runScenario(sc, 4, {
        redis: { url: redis.url, prefix },
        onSlot: (slot) => {
          if (slot !== 6) return;
          newcomer = killNewcomer(new Set(shardProcessPids()));
          void hostPids(redis.client, prefix).then((pids) => process.kill(pids[1]!, 'SIGKILL'));
        },
      }),
    ).rejects.toThrow(/killed by SIGKILL before it was ready during slot \d+; no restarts left \(recovery\.restarts: 1\)/);
    figure('replacement killed with no restart left -> run stopped (from the run start)', Date.now() - t0);
    newcomer?.cancel();
    expect(await runKeys(redis.client)).toEqual([]);
  });

  it('a corrupt checkpoint stops the run with an error naming the shard and the key', async () => {
    const sc = busy({ seed: 24, slots: { warmup: 1, measure: 30, drain: 5 }, recovery: { checkpointEvery: 10, restarts: 3, redisTimeoutSeconds: BOUND_S } });
    const prefix = runPrefix(`faults-${process.pid}-${runs++}`);
    let t0 = 0;
    const run = runScenario(sc, 4, {
      redis: { url: redis.url, prefix },
      onSlot: (slot) => {
        // Past the checkpoint of slot 9; the next is at slot 19.
        if (slot !== 11) return;
        void (async () => {
          await redis.client.set(K.checkpoint(prefix, 1), Buffer.from('not a checkpoint'));
          const pids = await hostPids(redis.client, prefix);
          t0 = Date.now();
          process.kill(pids[1]!, 'SIGKILL');
        })();
      },
    });
    const err = await run.then(
      () => undefined,
      (e: unknown) => e,
    );
    figure('corrupt checkpoint + host killed -> run stopped', Date.now() - t0);
    expect(err).toBeInstanceOf(TransportError);
    expect((err as Error).message).toMatch(/shard 1: its checkpoint \{ss:[^}]+\}:ckpt:1 cannot be restored/);
    expect(await runKeys(redis.client)).toEqual([]);
  });
});
