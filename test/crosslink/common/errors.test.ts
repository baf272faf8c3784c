import { describe, expect, it } from 'vitest';
import {
  CheckpointError,
  ConfigError,
  EXIT,
  FatalTransportError,
  InternalError,
  InvariantError,
  ProtocolError,
  RedisLostError,
  ScenarioMismatchError,
  SHARD_PROCESS_EXIT,
  ShardsimError,
  TransportError,
} from '../../../crosslink/common/errors.js';
import { FileError, TraceError, UsageError } from '../../../simulator/errors.js';

const cause = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });

/** One of each class, with what the command line and a shard process must make of it. */
const cases: ReadonlyArray<{ error: ShardsimError; code: string; exit: number; shardExit: number; heading: string; message: string; short: string }> = [
  {
    error: new ConfigError('workload.rate', 'must be positive'),
    code: 'CONFIG',
    exit: 2,
    shardExit: 1,
    heading: 'error',
    message: 'workload.rate: must be positive',
    short: 'must be positive',
  },
  {
    error: new ScenarioMismatchError('{ss:1}', 'at seed (was 1, now 2)'),
    code: 'SCENARIO_MISMATCH',
    exit: 2,
    shardExit: 1,
    heading: 'error',
    message: 'the scenario differs from the one run {ss:1} started with at seed (was 1, now 2)',
    short: 'the scenario differs from the one run {ss:1} started with at seed (was 1, now 2)',
  },
  {
    error: new TransportError('cannot reach Redis'),
    code: 'TRANSPORT',
    exit: 2,
    shardExit: 1,
    heading: 'error',
    message: 'cannot reach Redis',
    short: 'cannot reach Redis',
  },
  { error: new RedisLostError('Redis lost', 7), code: 'REDIS_LOST', exit: 3, shardExit: 5, heading: 'error', message: 'Redis lost', short: 'Redis lost' },
  { error: new FatalTransportError('OOM'), code: 'TRANSPORT_FATAL', exit: 2, shardExit: 4, heading: 'error', message: 'OOM', short: 'OOM' },
  {
    error: new CheckpointError('not a shard checkpoint'),
    code: 'CHECKPOINT',
    exit: 2,
    shardExit: 1,
    heading: 'error',
    message: 'not a shard checkpoint',
    short: 'not a shard checkpoint',
  },
  { error: new ProtocolError('forged root'), code: 'PROTOCOL', exit: 1, shardExit: 1, heading: 'run failed', message: 'forged root', short: 'forged root' },
  {
    error: new InvariantError('supply', { shard: 3, slot: 9 }, 'off by 1'),
    code: 'INVARIANT',
    exit: 1,
    shardExit: 1,
    heading: 'run failed',
    message: 'invariant "supply" violated at shard 3, slot 9: off by 1',
    short: 'off by 1',
  },
  {
    error: new InvariantError('supply', { slot: 9 }, 'off by 1'),
    code: 'INVARIANT',
    exit: 1,
    shardExit: 1,
    heading: 'run failed',
    message: 'invariant "supply" violated over all shards, slot 9: off by 1',
    short: 'off by 1',
  },
  {
    error: new InternalError('schedule stalled'),
    code: 'INTERNAL',
    exit: 1,
    shardExit: 1,
    heading: 'internal error',
    message: 'schedule stalled',
    short: 'schedule stalled',
  },
  { error: new TraceError('t.csv', 4, 'bad row'), code: 'TRACE', exit: 2, shardExit: 1, heading: 'error', message: 't.csv:4: bad row', short: 'bad row' },
  { error: new TraceError('t.csv', undefined, 'empty'), code: 'TRACE', exit: 2, shardExit: 1, heading: 'error', message: 't.csv: empty', short: 'empty' },
  { error: new UsageError('no such file'), code: 'USAGE', exit: 2, shardExit: 1, heading: 'error', message: 'no such file', short: 'no such file' },
  {
    error: new FileError('/out/runs.csv', 'no space left on the device (ENOSPC)', { cause }),
    code: 'FILE',
    exit: 2,
    shardExit: 1,
    heading: 'error',
    message: '/out/runs.csv: no space left on the device (ENOSPC)',
    short: 'no space left on the device (ENOSPC)',
  },
];

describe('typed errors', () => {
  it.each(cases)('$error.name: code $code, exit $exit, shard process exit $shardExit, headed "$heading"', (c) => {
    expect(c.error).toBeInstanceOf(ShardsimError);
    expect(c.error).toBeInstanceOf(Error);
    expect(c.error.code).toBe(c.code);
    expect(c.error.exitCode).toBe(c.exit);
    expect(c.error.shardProcessExitCode).toBe(c.shardExit);
    expect(c.error.heading).toBe(c.heading);
    expect(c.error.message).toBe(c.message);
    expect(c.error.shortMessage).toBe(c.short);
    expect(c.error.name).toBe(c.error.constructor.name);
  });

  it('the exit codes are the documented ones', () => {
    expect(EXIT).toEqual({ ok: 0, failed: 1, regressed: 1, badInput: 2, redisLost: 3 });
    expect(SHARD_PROCESS_EXIT).toEqual({ failed: 1, usage: 2, fatal: 4, redisLost: 5 });
  });

  it('codes are distinct per class', () => {
    const byCode = new Map<string, string>();
    for (const { error } of cases) {
      const seen = byCode.get(error.code);
      expect(seen === undefined || seen === error.name).toBe(true);
      byCode.set(error.code, error.name);
    }
  });

  it('chains the standard cause, and has none unless given one', () => {
    const inner = new CheckpointError('state snapshot holds 3 accounts, not 4');
    const outer = new FatalTransportError('shard 2: its checkpoint cannot be restored', { cause: inner });
    const cli = new ConfigError('--secret-file', 'cannot read it', { cause: outer });
    expect(cli.cause).toBe(outer);
    expect(outer.cause).toBe(inner);
    expect(inner.cause).toBeUndefined();
    expect('cause' in inner).toBe(false);
    const lost = new RedisLostError('gone', -1, { cause });
    expect(lost.cause).toBe(cause);
  });

  it('carries structured details', () => {
    expect(new ConfigError('--resume', 'x').details).toEqual({ where: '--resume' });
    expect(new RedisLostError('gone', 12).details).toEqual({ slot: 12 });
    expect(new InvariantError('supply', { shard: 3, slot: 9 }, 'off').details).toEqual({ invariant: 'supply', shard: 3, slot: 9 });
    expect(new TraceError('t.csv', 4, 'bad').details).toEqual({ file: 't.csv', line: 4 });
    const file = new FileError('/out/runs.csv', 'full', { cause });
    expect(file.details).toEqual({ path: '/out/runs.csv', errno: 'ENOSPC' });
    expect(file.errno).toBe('ENOSPC');
    expect(new ScenarioMismatchError('{ss:1}', '').details).toEqual({ run: '{ss:1}', difference: '' });
    expect(new ScenarioMismatchError('{ss:1}', '').message).toBe('the scenario differs from the one run {ss:1} started with');
    expect(new InternalError('x').details).toBeUndefined();
  });
});
