/**
 * A resume whose scenario differs from the one stored in Redis: the controller
 * refuses it with a ScenarioMismatchError that names no command-line option,
 * and the simulator words it for the command line (exit 2, naming --resume
 * and the options to repeat).
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, EXIT, ScenarioMismatchError } from '../../../../crosslink/common/errors.js';
import { deleteRunKeys, RedisTransport } from '../../../../crosslink/transports/redis/controller.js';
import { K, runPrefix } from '../../../../crosslink/transports/redis/names.js';
import { withResumeOptions } from '../../../../simulator/transports.js';

const url = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const client = new Redis(url, { lazyConnect: true });
const prefix = runPrefix(`test-${randomUUID().slice(0, 13)}`);

afterAll(async () => {
  await deleteRunKeys(client, prefix);
  client.disconnect();
});

describe('resuming a run in Redis with another scenario', () => {
  it('is refused by the controller without naming an option, and worded by the simulator as a --resume error', async () => {
    await client.connect();
    await client.set(K.setup(prefix), JSON.stringify({ seed: 1, shards: 2 }));
    const opts = { url, prefix, shards: 2, hosts: [[0, 1]], checkpointEvery: 0, restarts: 0, secret: 'x'.repeat(32), redisTimeoutMs: 5_000 };
    const err = await RedisTransport.open(opts, { json: { seed: 2, shards: 2 }, blobs: {} }, true).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ScenarioMismatchError);
    const mismatch = err as ScenarioMismatchError;
    expect(mismatch.message).toBe(`the scenario differs from the one run ${prefix} started with at seed (was 1, now 2)`);
    expect(mismatch.message).not.toContain('--');
    expect(mismatch.details).toEqual({ run: prefix, difference: 'at seed (was 1, now 2)' });

    const worded = withResumeOptions(err);
    expect(worded).toBeInstanceOf(ConfigError);
    expect((worded as ConfigError).message).toBe(
      `--resume: the scenario differs from the one run ${prefix} started with at seed (was 1, now 2); resume with the same file, --set and --seed options`,
    );
    expect((worded as ConfigError).exitCode).toBe(EXIT.badInput);
    expect((worded as ConfigError).cause).toBe(err);
    const other = new Error('x');
    expect(withResumeOptions(other)).toBe(other);
  });
});
