/**
 * The multi-machine path as a user runs it: `shardsim worker` processes in a
 * network namespace of their own (another "machine"), reaching a Redis that
 * listens only on a veth address, never loopback. One worker is killed
 * mid-run; a spare takes its shards over from their checkpoints, and the run
 * ends with the memory transport's digest.
 *
 * It needs root and the `ip` binary (it creates a namespace and a veth pair
 * on this machine, removed after). Elsewhere it is skipped with a message;
 * in CI (CI=true, root) it always runs.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPrefix } from '../../../../crosslink/transports/redis/names.js';
import { runScenario } from '../../../../simulator/run.js';
import { CLI, ROOT } from '../../../helpers/cli.js';
import { freePort, hostPids } from '../../../helpers/redis.js';
import { tinyScenario } from '../../../helpers/scenario.js';

const inCi = process.env['CI'] === 'true';
const capable = process.getuid?.() === 0 && spawnSync('ip', ['-V']).status === 0 && spawnSync('redis-server', ['--version']).status === 0;
if (!capable && !inCi) {
  console.warn('skipping the network-namespace test: it needs root, the `ip` binary and redis-server (CI runs it as root)');
}

const tag = process.pid % 10_000;
const NS = `ssns${tag}`;
const HOST_IF = `ssh${tag}`;
const NS_IF = `ssn${tag}`;
const NET = `10.250.${1 + (process.pid % 250)}`;
const HOST_IP = `${NET}.1`;
const SECRET = 'netns-test-shared-secret';

function sh(args: readonly string[]): void {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')}: ${r.stderr}`);
}

describe.skipIf(!capable && !inCi)('workers on another network (ip netns, veth)', () => {
  let server: ChildProcess | undefined;
  let client: Redis | undefined;
  let url = '';
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    sh(['netns', 'add', NS]);
    sh(['link', 'add', HOST_IF, 'type', 'veth', 'peer', 'name', NS_IF]);
    sh(['link', 'set', NS_IF, 'netns', NS]);
    sh(['addr', 'add', `${HOST_IP}/30`, 'dev', HOST_IF]);
    sh(['link', 'set', HOST_IF, 'up']);
    sh(['netns', 'exec', NS, 'ip', 'addr', 'add', `${NET}.2/30`, 'dev', NS_IF]);
    sh(['netns', 'exec', NS, 'ip', 'link', 'set', NS_IF, 'up']);
    sh(['netns', 'exec', NS, 'ip', 'link', 'set', 'lo', 'up']);
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'shardsim-netns-redis-'));
    // Bound to the veth address only: the workers cannot be reaching it over loopback. With a
    // password, as the two-machine recipe in docs/transports.md has it (Redis refuses other addresses without one).
    server = spawn(
      'redis-server',
      ['--port', String(port), '--bind', HOST_IP, '--requirepass', 'netns-redis-pw', '--save', '', '--appendonly', 'no', '--dir', dir],
      { stdio: 'ignore' },
    );
    url = `redis://:netns-redis-pw@${HOST_IP}:${port}`;
    client = new Redis(url, { maxRetriesPerRequest: 1, retryStrategy: (n) => (n > 50 ? null : 100) });
    client.on('error', () => {});
    for (let i = 0; ; i++) {
      try {
        await client.ping();
        break;
      } catch (err) {
        if (i > 100) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  });

  afterAll(async () => {
    for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
    client?.disconnect();
    if (server !== undefined && server.exitCode === null) {
      const gone = new Promise((r) => server!.once('exit', r));
      server.kill('SIGTERM');
      await gone;
    }
    spawnSync('ip', ['link', 'del', HOST_IF]);
    spawnSync('ip', ['netns', 'del', NS]);
  });

  it("a worker killed mid-run is replaced by a spare from its shards' checkpoints; the run ends with the memory digest", async () => {
    const env = { ...process.env, SHARDSIM_SECRET: SECRET };
    for (let i = 0; i < 3; i++) {
      workers.push(
        spawn('ip', ['netns', 'exec', NS, process.execPath, CLI, 'worker', '--redis-url', url, '--log-level', 'warn'], { cwd: ROOT, stdio: 'ignore', env }),
      );
    }
    const sc = tinyScenario({
      transport: 'redis',
      maxProcesses: 2,
      slots: { warmup: 1, measure: 14, drain: 5 },
      accounts: { count: 800 },
      workload: { rate: 300, crossShardRatio: 0.8 },
      recovery: { checkpointEvery: 4, restarts: 2 },
    });
    const clean = await runScenario({ ...sc, transport: 'memory' }, 4);
    const prefix = runPrefix(`netns-${process.pid}`);
    let killedAt = 0;
    const kills: Array<Promise<void>> = [];
    const result = await runScenario(sc, 4, {
      redis: { url, prefix, external: true, secret: SECRET, workerWaitSeconds: 60 },
      onSlot: (slot) => {
        if (slot !== 6) return;
        kills.push(
          hostPids(client!, prefix).then((pids) => {
            process.kill(pids[1]!, 'SIGKILL');
            killedAt = Date.now();
          }),
        );
      },
    });
    await Promise.all(kills);
    const recoveries = result.wall.recoveries ?? [];
    console.log(
      `worker in a network namespace killed at slot 6: back in step after ${recoveries[0]?.wallSeconds.toFixed(1)} s, run finished ${((Date.now() - killedAt) / 1000).toFixed(1)} s after the kill`,
    );
    expect(result.digest).toBe(clean.digest);
    expect(recoveries).toHaveLength(1);
    expect(recoveries[0]!.host).toBe(1);
    expect(workers.filter((w) => w.exitCode === null && w.signalCode === null)).toHaveLength(2);
  }, 150_000);
});
