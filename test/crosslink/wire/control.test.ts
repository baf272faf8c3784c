import { fork } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WireFormatError } from '../../../crosslink/common/errors.js';
import { EXIT_FATAL } from '../../../crosslink/transports/redis/faults.js';
import { ProcessPool } from '../../../crosslink/transports/redis/process-pool.js';
import { type Assignment, checkAssignment, checkFromHostProcess, checkToHostProcess, PROTOCOL_VERSION } from '../../../crosslink/wire/control.js';
import { redisProcessEntry } from '../../../shards/hosts/redis-process-entry.js';

const assignment: Assignment = {
  protocol: PROTOCOL_VERSION,
  prefix: '{ss:test}',
  host: 0,
  shards: [0, 2],
  epoch: 1,
  checkpointEvery: 0,
  hostOf: [0, 1, 0],
  controller: 'c-1',
  redisTimeoutMs: 60_000,
};
const bothVersions = (theirs: number | 'none') =>
  new RegExp(`${theirs === 'none' ? 'no protocol version' : `protocol version ${theirs}`}.*speaks protocol version ${PROTOCOL_VERSION}`);

describe('assignments and IPC messages are versioned and checked', () => {
  it('takes a well-formed assignment of this protocol', () => {
    expect(checkAssignment(JSON.parse(JSON.stringify(assignment)))).toEqual(assignment);
    expect(checkToHostProcess({ type: 'host', protocol: PROTOCOL_VERSION, assignment, secret: 's' }).assignment).toBe(assignment);
    expect(checkFromHostProcess({ type: 'idle', protocol: PROTOCOL_VERSION }).type).toBe('idle');
  });

  it("refuses another protocol's assignment, naming both versions; one without a version is an older shardsim's", () => {
    expect(() => checkAssignment({ ...assignment, protocol: PROTOCOL_VERSION + 1 })).toThrow(WireFormatError);
    expect(() => checkAssignment({ ...assignment, protocol: PROTOCOL_VERSION + 1 })).toThrow(bothVersions(PROTOCOL_VERSION + 1));
    const { protocol: _p, ...old } = assignment;
    expect(() => checkAssignment(old)).toThrow(bothVersions('none'));
  });

  it('refuses a malformed assignment, naming the fields', () => {
    expect(() => checkAssignment({ ...assignment, shards: ['0'] })).toThrow(/shards/);
    expect(() => checkAssignment({ ...assignment, host: -1, hostOf: 'all' })).toThrow(/host, hostOf/);
    expect(() => checkAssignment({ ...assignment, prefix: undefined, controller: 3 })).toThrow(/prefix, controller/);
    expect(() => checkAssignment('assignment')).toThrow(WireFormatError);
    expect(() => checkAssignment(null)).toThrow(WireFormatError);
  });

  it('refuses IPC messages of another protocol or shape', () => {
    expect(() => checkToHostProcess({ type: 'host', protocol: 7, assignment, secret: 's' })).toThrow(bothVersions(7));
    expect(() => checkToHostProcess({ type: 'host', assignment, secret: 's' })).toThrow(bothVersions('none'));
    expect(() => checkToHostProcess({ type: 'host', protocol: PROTOCOL_VERSION, assignment: { ...assignment, protocol: 7 }, secret: 's' })).toThrow(
      bothVersions(7),
    );
    expect(() => checkToHostProcess({ type: 'host', protocol: PROTOCOL_VERSION, assignment })).toThrow(/secret/);
    expect(() => checkToHostProcess({ type: 'run' })).toThrow(WireFormatError);
    expect(() => checkFromHostProcess({ type: 'idle' })).toThrow(bothVersions('none'));
    expect(() => checkFromHostProcess({ type: 'idle', protocol: 0 })).toThrow(bothVersions(0));
    expect(() => checkFromHostProcess(undefined)).toThrow(WireFormatError);
  });

  it('a shard process handed an assignment of another protocol exits fatally, saying so with both versions', async () => {
    const child = fork(redisProcessEntry(), [], {
      env: { ...process.env, SHARDSIM_REDIS_URL: 'redis://127.0.0.1:1' },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.send({ type: 'host', protocol: PROTOCOL_VERSION + 1, assignment: { ...assignment, protocol: PROTOCOL_VERSION + 1 }, secret: 's' });
    expect(await exited).toBe(EXIT_FATAL);
    expect(stderr).toMatch(bothVersions(PROTOCOL_VERSION + 1));
  });

  it("a controller's pool takes a process answering in another protocol for a fatal death, saying so", async () => {
    // A stand-in shard process of an older shardsim: it answers without a protocol version.
    const dir = mkdtempSync(join(tmpdir(), 'wire-'));
    const entry = join(dir, 'old-shard-process.mjs');
    writeFileSync(entry, "process.on('message', () => process.send({ type: 'idle' })); setInterval(() => {}, 1000);\n");
    const deaths: Array<{ what: string; fatal: boolean }> = [];
    const died = new Promise<void>((resolve) => {
      const pool = new ProcessPool({
        entry,
        url: 'redis://127.0.0.1:1',
        secret: 's',
        onDeath: (_a, what, fatal) => {
          deaths.push({ what, fatal });
          resolve();
        },
      });
      pool.start(assignment);
    });
    await died;
    expect(deaths).toHaveLength(1);
    expect(deaths[0]!.fatal).toBe(true);
    expect(deaths[0]!.what).toMatch(bothVersions('none'));
  });
});
