/**
 * The Redis transport's control plane is authenticated: another client of
 * the same Redis can add jobs to a run's queues, but the controller acts only
 * on reports signed with the run's key, and hosts only on signed commands.
 */
import { spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { Queue } from 'bullmq';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ControlKey } from '../../../../crosslink/transports/redis/control-auth.js';
import { K, Q, runPrefix } from '../../../../crosslink/transports/redis/names.js';
import type { WireReport } from '../../../../crosslink/wire/codec.js';
import { runScenario } from '../../../../simulator/run.js';
import { CLI, ROOT } from '../../../helpers/cli.js';
import { runKeys, startRedis, type TestRedis } from '../../../helpers/redis.js';
import { tinyScenario } from '../../../helpers/scenario.js';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

/** A logger whose warnings the test reads. */
function capturingLogger() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(
        ...chunk
          .toString('utf8')
          .split('\n')
          .filter((l) => l !== ''),
      );
      done();
    },
  });
  return { logger: pino({ level: 'warn' }, sink), lines };
}

describe('control message authentication', () => {
  const sc = tinyScenario({ transport: 'redis', maxProcesses: 2, slots: { warmup: 1, measure: 8, drain: 4 }, workload: { rate: 300, crossShardRatio: 0.6 } });

  it("a forged `answers` job and a forged `error` job from another client are rejected and counted; the run ends with the clean run's digest", async () => {
    const clean = await runScenario({ ...sc, transport: 'memory' }, 4);
    const prefix = runPrefix(`forged-${process.pid}`);
    const conn = redis.client.duplicate();
    conn.on('error', () => {});
    const attacker = new Queue(Q.reports, { connection: conn, prefix });
    const { logger, lines } = capturingLogger();
    const forgeries: Array<Promise<unknown>> = [];
    const result = await runScenario(sc, 4, {
      redis: { url: redis.url, prefix },
      logger,
      onSlot: (slot) => {
        if (slot !== 2) return;
        forgeries.push(
          (async () => {
            // Slot 2's genuine reports (by shard), from the run's own log, passed off as slot 3's.
            const logged = JSON.parse((await redis.client.lindex(K.slotLog(prefix), 2))!) as WireReport[];
            const messages = logged.map((r, shard) => ({ type: 'slot', shard, report: { ...r, slot: 3 } }));
            await attacker.add('answers', { type: 'answers', messages });
            await attacker.add('error', { type: 'error', shard: 1, slot: 3, message: 'forged: stop the run' });
            // Signed, but not with this run's key.
            await attacker.add('answers', new ControlKey('a-guess-at-the-secret', prefix).seal({ type: 'answers', messages }));
          })(),
        );
      },
    });
    await Promise.all(forgeries);
    await attacker.close();
    conn.disconnect();
    expect(result.digest).toBe(clean.digest);
    const rejected = lines.filter((l) => l.includes('control message rejected'));
    expect(rejected.length).toBe(3);
    expect(rejected.at(-1)).toContain('"rejected":3');
    expect(await runKeys(redis.client)).toEqual([]);
  });
});

describe('authentic reports that do not fit', () => {
  it('a signed report for a slot not sent yet, and one conflicting with a report received, are rejected and logged', async () => {
    // External workers: the test holds the shared secret, as a host with a bug (or a stale one) would.
    const secret = 'auth-test-shared-secret';
    const env = { ...process.env, SHARDSIM_SECRET: secret };
    const workers = [0, 1].map(() =>
      spawn(process.execPath, [CLI, 'worker', '--redis-url', redis.url, '--log-level', 'warn'], { cwd: ROOT, stdio: 'ignore', env }),
    );
    try {
      const sc = tinyScenario({
        transport: 'redis',
        maxProcesses: 2,
        slots: { warmup: 1, measure: 8, drain: 4 },
        workload: { rate: 300, crossShardRatio: 0.6 },
      });
      const clean = await runScenario({ ...sc, transport: 'memory' }, 4);
      const prefix = runPrefix(`misfit-${process.pid}`);
      const key = new ControlKey(secret, prefix);
      const conn = redis.client.duplicate();
      conn.on('error', () => {});
      const insider = new Queue(Q.reports, { connection: conn, prefix });
      const { logger, lines } = capturingLogger();
      const sent: Array<Promise<unknown>> = [];
      const result = await runScenario(sc, 4, {
        redis: { url: redis.url, prefix, external: true, secret },
        logger,
        onSlot: (slot) => {
          if (slot !== 2) return;
          sent.push(
            (async () => {
              // The log holds each slot's report bodies by shard; a changed byte of the numbers makes a report that differs.
              const logged = JSON.parse((await redis.client.lindex(K.slotLog(prefix), 2))!) as WireReport[];
              const as = (at: number) =>
                logged.map((r, shard) => ({ type: 'slot', shard, report: { ...r, slot: at, f: `${r.f[0] === 'A' ? 'B' : 'A'}${r.f.slice(1)}` } }));
              await insider.add('answers', key.seal({ type: 'answers', messages: as(2) }));
              await insider.add('answers', key.seal({ type: 'answers', messages: as(9) }));
            })(),
          );
        },
      });
      await Promise.all(sent);
      await insider.close();
      conn.disconnect();
      expect(result.digest).toBe(clean.digest);
      const rejected = lines.filter((l) => l.includes('control message rejected'));
      expect(rejected).toHaveLength(2);
      expect(rejected.join('\n')).toMatch(/for slot 2 that differs from the one received before/);
      expect(rejected.join('\n')).toMatch(/for slot 9, which was not sent yet/);
    } finally {
      for (const w of workers) w.kill('SIGKILL');
    }
  });
});

describe('ControlKey', () => {
  const key = new ControlKey('0123456789abcdef0123', '{ss:a}');

  it("MACs are RFC 2104 HMAC-SHA256, as noble's hmac computes it", () => {
    const derived = hmac(sha256, utf8ToBytes('0123456789abcdef0123'), utf8ToBytes('shardsim control {ss:a}'));
    const sealed = key.seal({ type: 'close', text: 'ü'.repeat(100) });
    expect(sealed.mac).toBe(bytesToHex(hmac(sha256, derived, utf8ToBytes(sealed.body))));
  });

  it('opens what it sealed, byte for byte', () => {
    const m = { type: 'slot', shard: 3, report: { slot: 7, text: 'é\u2028"' } };
    expect(key.open(key.seal(m))).toEqual(m);
  });

  it('rejects a changed body, a changed MAC, another run, and data that is not a sealed job', () => {
    const sealed = key.seal({ type: 'error', shard: 0, slot: 1, message: 'x' });
    expect(key.open({ ...sealed, body: sealed.body.replace('"x"', '"y"') })).toBeNull();
    expect(key.open({ ...sealed, mac: sealed.mac.replace(/^./, (c) => (c === '0' ? '1' : '0')) })).toBeNull();
    expect(new ControlKey('0123456789abcdef0123', '{ss:b}').open(sealed)).toBeNull();
    for (const junk of [null, 3, 'text', { type: 'error' }, { body: 1, mac: sealed.mac }]) expect(key.open(junk)).toBeNull();
  });
});
