import { spawn, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPrefix } from '../../../../crosslink/transports/redis/names.js';
import type { Scenario } from '../../../../simulator/config/schema.js';
import { runScenario } from '../../../../simulator/run.js';
import { CLI, ROOT, tempDir } from '../../../helpers/cli.js';
import { freePort, hostPids, processAlive, runKeys, startRedis, type TestRedis } from '../../../helpers/redis.js';
import { tinyScenario } from '../../../helpers/scenario.js';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

/** Many cross-shard receipts, refunds included: the protocol's busiest shape. */
const crossHeavy = (transport: 'memory' | 'redis', maxProcesses: number | 'auto' = 'auto'): Scenario =>
  tinyScenario({ transport, maxProcesses, workload: { rate: 400, crossShardRatio: 0.9 }, accounts: { count: 600, frozenRatio: 0.05 } });

/** Long enough, and cross-shard enough, for a fault to land mid-run with receipts in flight (connection kills, a Redis restart). */
const longCrossRun = (): Scenario =>
  tinyScenario({ transport: 'redis', maxProcesses: 2, slots: { warmup: 1, measure: 30, drain: 6 }, workload: { rate: 300, crossShardRatio: 0.8 } });

describe('redis transport', () => {
  for (const shards of [1, 2, 4, 8]) {
    it(`gives the memory transport's digest at ${shards} shard(s), with 1, 2 and one-per-shard processes`, async () => {
      const memory = await runScenario(crossHeavy('memory'), shards);
      const counts = [...new Set([1, 2, shards].filter((p) => p <= shards))];
      for (const processes of counts) {
        const viaRedis = await runScenario(crossHeavy('redis', processes), shards, { redis: { url: redis.url } });
        expect(viaRedis.digest, `${processes} process(es)`).toBe(memory.digest);
        expect(viaRedis.stateRoots).toEqual(memory.stateRoots);
      }
      expect(await runKeys(redis.client)).toEqual([]);
    });
  }

  it("with SimBlock's network and PBFT committees: the same digest in one thread, on threads and on Redis processes", async () => {
    const sc: Scenario = {
      ...crossHeavy('memory'),
      network: { ...crossHeavy('memory').network, preset: 'global-2019' },
      consensus: { ...crossHeavy('memory').consensus, protocol: 'pbft', maxCommittee: 32 },
      security: { ...crossHeavy('memory').security, validators: 128 },
    };
    const one = await runScenario({ ...sc, memoryThreads: 1 }, 4);
    expect(one.network.agreementSeconds).toBeGreaterThan(0);
    expect(one.network.committee).toBe(32);
    const threads = await runScenario({ ...sc, memoryThreads: 2 }, 4);
    const viaRedis = await runScenario({ ...sc, transport: 'redis', maxProcesses: 2 }, 4, { redis: { url: redis.url } });
    expect(threads.digest).toBe(one.digest);
    expect(viaRedis.digest).toBe(one.digest);
    expect(viaRedis.network).toEqual(one.network);
  });

  it('shard processes are kept between runs: the next run is hosted by the same processes, with the same digest', async () => {
    const sc = crossHeavy('redis', 2);
    const seen: number[][] = [];
    for (const run of [0, 1]) {
      const prefix = runPrefix(`pool-${process.pid}-${run}`);
      let pids: Promise<number[]> | undefined;
      const r = await runScenario(sc, 4, { redis: { url: redis.url, prefix }, onSlot: (slot) => void (slot === 2 && (pids = hostPids(redis.client, prefix))) });
      expect(r.digest).toBe((await runScenario(crossHeavy('memory'), 4)).digest);
      seen.push([...(await pids!)].sort((a, b) => a - b));
    }
    expect(seen[0]).toHaveLength(2);
    expect(seen[1]).toEqual(seen[0]);
    expect(await runKeys(redis.client)).toEqual([]);
  });

  it('two runs at once on one Redis do not interfere', async () => {
    const a = tinyScenario({ seed: 21, transport: 'redis', workload: { crossShardRatio: 0.7 } });
    const b = tinyScenario({ seed: 22, transport: 'redis', workload: { crossShardRatio: 0.7 } });
    const [ra, rb] = await Promise.all([runScenario(a, 4, { redis: { url: redis.url } }), runScenario(b, 4, { redis: { url: redis.url } })]);
    expect(ra.digest).toBe((await runScenario({ ...a, transport: 'memory' }, 4)).digest);
    expect(rb.digest).toBe((await runScenario({ ...b, transport: 'memory' }, 4)).digest);
    expect(await runKeys(redis.client)).toEqual([]);
  });

  it('workers started elsewhere (`shardsim worker`) take the run up and give the same digest', async () => {
    const secret = 'shared-secret-of-this-test';
    const env = { ...process.env, SHARDSIM_SECRET: secret };
    const workers = [0, 1].map(() =>
      spawn(process.execPath, [CLI, 'worker', '--redis-url', redis.url, '--log-level', 'warn'], { cwd: ROOT, stdio: 'ignore', env }),
    );
    try {
      const sc = crossHeavy('redis', 2);
      const external = await runScenario(sc, 4, { redis: { url: redis.url, external: true, secret } });
      expect(external.digest).toBe((await runScenario(crossHeavy('memory'), 4)).digest);
      expect(await runKeys(redis.client)).toEqual([]);
    } finally {
      for (const w of workers) w.kill('SIGKILL');
    }
  });

  it('survives CLIENT KILL of every connection mid-run: same digest, no receipt applied twice', async () => {
    const sc = longCrossRun();
    const memory = await runScenario({ ...sc, transport: 'memory' }, 4);
    let kills = 0;
    const kill = async () => {
      kills += Number(await redis.client.call('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes'));
    };
    // Mid-run: once slot reports flow, kill every connection, twice.
    const killer = (async () => {
      for (let i = 0; i < 300 && (await reportsSeen(redis)) < 20; i++) await new Promise((r) => setTimeout(r, 50));
      await kill();
      await new Promise((r) => setTimeout(r, 1_000));
      await kill();
    })();
    try {
      const run = await runScenario(sc, 4, { redis: { url: redis.url } });
      await killer;
      expect(kills).toBeGreaterThan(0);
      expect(run.digest).toBe(memory.digest); // includes receipts applied, duplicates and state roots
    } finally {
      await killer.catch(() => undefined);
    }
    expect(await runKeys(redis.client)).toEqual([]);
  });

  it('--keep-redis keeps the run keys; without it none remain', async () => {
    await runScenario(tinyScenario({ transport: 'redis' }), 2, { redis: { url: redis.url, keepKeys: true } });
    const kept = await runKeys(redis.client);
    expect(kept.length).toBeGreaterThan(0);
    await redis.client.unlink(...kept);
  });

  it('an unreachable Redis is an exit-2 error, given up at the refused connection, that names the URL without its password', async () => {
    const port = await freePort(); // nothing listens there
    // The timeout only turns a hang into a failure; how long it took is not asserted (a loaded machine took 7 s).
    const res = spawnSync(
      process.execPath,
      [
        CLI,
        'run',
        'configs/quickstart.yaml',
        '--shards',
        '2',
        '--transport',
        'redis',
        '--redis-url',
        `redis://alice:s3cret@127.0.0.1:${port}/0`,
        '--out',
        tempDir(),
      ],
      {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(res.status).toBe(2);
    // A refused connection ends the wait at once (no retries until the reachability deadline).
    expect(res.stderr).toContain('ECONNREFUSED');
    expect(res.stderr).toContain(`redis://alice:***@127.0.0.1:${port}`);
    expect(res.stderr).not.toContain('s3cret');
    expect(res.stderr).not.toMatch(/\n\s+at /);
  });

  it('without checkpoints, a killed shard process stops the run, names its shard, and leaves no process or key behind', async () => {
    const out = tempDir();
    const ctl = spawn(
      process.execPath,
      [
        CLI,
        'run',
        'configs/quickstart.yaml',
        '--shards',
        '4',
        '--transport',
        'redis',
        '--processes',
        '4',
        '--redis-url',
        redis.url,
        '--set',
        'slots.measure=400',
        '--set',
        'recovery.checkpointEvery=0',
        '--out',
        out,
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    ctl.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => ctl.once('exit', (code) => r(code)));
    // Wait until the run is under way (its shard processes exist and slots advance), then kill one.
    let children: number[] = [];
    for (let i = 0; i < 100 && children.length < 4; i++) {
      await new Promise((r) => setTimeout(r, 200));
      children = childPids(ctl.pid!);
    }
    expect(children).toHaveLength(4);
    // Wait until slots are under way: reports flow through the run's reports queue.
    for (let i = 0; i < 300 && (await reportsSeen(redis)) < 20; i++) await new Promise((r) => setTimeout(r, 100));
    process.kill(children[1]!, 'SIGKILL');
    const code = await exited;
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/shard 1\b/);
    expect(stderr).toMatch(/SIGKILL during slot \d+; checkpoints are off/);
    for (const pid of children) expect(processAlive(pid), `process ${pid}`).toBe(false);
    expect(await runKeys(redis.client)).toEqual([]);
  });
});

/** Messages the controller has received so far (BullMQ's event stream of the reports queue). */
async function reportsSeen(r: TestRedis): Promise<number> {
  const [, keys] = await r.client.scan('0', 'MATCH', '{ss:*}:reports:events', 'COUNT', 10_000);
  return keys.length === 0 ? 0 : r.client.xlen(keys[0]!);
}

function childPids(parent: number): number[] {
  const res = spawnSync('ps', ['-o', 'pid=', '--ppid', String(parent)], { encoding: 'utf8' });
  return res.stdout
    .split('\n')
    .map((s) => Number(s.trim()))
    .filter((n) => n > 0);
}

describe('redis restart', () => {
  let persistent: TestRedis;
  beforeAll(async () => {
    persistent = await startRedis({ persistent: true });
  });
  afterAll(async () => {
    await persistent?.stop();
  });

  it('a Redis restarted mid-run (append-only file on) costs nothing: same digest as the memory run', async () => {
    const sc = longCrossRun();
    const memory = await runScenario({ ...sc, transport: 'memory' }, 4);
    const restarter = (async () => {
      for (let i = 0; i < 300 && (await reportsSeen(persistent)) < 20; i++) await new Promise((r) => setTimeout(r, 50));
      await persistent.restart(500);
    })();
    try {
      const run = await runScenario(sc, 4, { redis: { url: persistent.url } });
      expect(run.digest).toBe(memory.digest);
    } finally {
      await restarter.catch(() => undefined);
    }
    expect(await runKeys(persistent.client)).toEqual([]);
  });
});
