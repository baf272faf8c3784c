/**
 * Leftover keys: a run's keys expire unless its controller lives, and
 * `shardsim clean` lists the runs in Redis and removes the stale ones only
 * with --yes, never a live one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { K, runPrefix } from '../../crosslink/transports/redis/names.js';
import { runScenario } from '../../simulator/run.js';
import { runCli } from '../helpers/cli.js';
import { runKeys, startRedis, type TestRedis } from '../helpers/redis.js';
import { tinyScenario } from '../helpers/scenario.js';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

describe('leftover keys and `shardsim clean`', () => {
  it("a kept run's keys all expire; clean lists it as stale, removes it only with --yes, and keeps a live run", async () => {
    const stale = runPrefix(`stale-${process.pid}`);
    await runScenario(tinyScenario({ transport: 'redis', maxProcesses: 2 }), 2, { redis: { url: redis.url, prefix: stale, keepKeys: true } });
    const staleKeys = (await runKeys(redis.client)).filter((k) => k.startsWith(stale));
    expect(staleKeys.length).toBeGreaterThan(5);
    // Every key expires: the run's own a day after the controller's last sweep, BullMQ's short-lived ones on their own terms.
    for (const key of staleKeys) {
      // -1 is a key without expiry (-2: one that expired meanwhile).
      const ttl = await redis.client.ttl(key);
      expect(ttl, key).not.toBe(-1);
      expect(ttl, key).toBeLessThanOrEqual(24 * 3_600);
    }
    for (const key of [K.setup(stale), K.slotLog(stale), K.checkpoint(stale, 0)]) expect(await redis.client.ttl(key), key).toBeGreaterThan(23 * 3_600);

    // A run whose controller beats (as one under way does).
    const live = runPrefix(`live-${process.pid}`);
    await redis.client.set(K.controller(live), 'some-controller', 'PX', 120_000);
    await redis.client.set(K.setup(live), '{}');

    const listed = runCli(['clean', '--redis-url', redis.url]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`${escapeRegExp(stale)}\\s+\\d+\\s+stale\\s+\\d{4}-\\d\\d-\\d\\dT[^\\n]*ago\\)\\s+2\\d\\.\\d h`));
    expect(listed.stdout).toMatch(new RegExp(`${escapeRegExp(live)}\\s+2\\s+live`));
    expect(listed.stdout).toMatch(/1 stale run\(s\), \d+ key\(s\): run again with --yes/);
    expect((await runKeys(redis.client)).filter((k) => k.startsWith(stale)).length).toBeGreaterThan(5);

    const removed = runCli(['clean', '--redis-url', redis.url, '--yes']);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toMatch(/removed 1 stale run\(s\), \d+ key\(s\); kept 1 live run/);
    expect((await runKeys(redis.client)).sort()).toEqual([K.controller(live), K.setup(live)].sort());
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
