/**
 * `accounts.partitionFile` is read with the scenario file's protections:
 * bounded, from a regular file only, as UTF-8 text, and with at least one
 * data row; lone-CR line endings are read as line endings.
 */
import { execFileSync } from 'node:child_process';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../crosslink/common/errors.js';
import { loadPartitionFile } from '../../simulator/partition-file.js';
import { runCli, runCliMemoryLimited, tempDir } from '../helpers/cli.js';
import { readResults } from '../helpers/progress-file.js';

function fileWith(content: string | Buffer, name = 'groups.csv'): string {
  const file = join(tempDir(), name);
  writeFileSync(file, content);
  return file;
}

function refusal(f: () => unknown): ConfigError {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('partition file contents', () => {
  it('lone-CR line endings split lines like LF and CRLF (they were read as one header line and ignored)', () => {
    for (const eol of ['\r', '\r\n', '\n']) {
      const groups = loadPartitionFile(fileWith(['account,group', '0,5', '1,6', '2,7', ''].join(eol)), 10);
      expect([groups[0], groups[1], groups[2], groups[3]]).toEqual([5, 6, 7, -1]);
    }
  });

  it('a bad line is named by its number with lone-CR endings too', () => {
    expect(refusal(() => loadPartitionFile(fileWith('0,1\r1,x\r'), 10)).message).toMatch(/groups\.csv:2: group "x"/);
  });

  it('a file without data rows is refused: empty, header only, comments only', () => {
    for (const content of ['', 'account,group\n', '# placement\n\n# none yet\n']) {
      const err = refusal(() => loadPartitionFile(fileWith(content), 10));
      expect(err.message).toMatch(/accounts\.partitionFile .*groups\.csv: has no data rows/);
    }
  });

  it('a binary file is refused (it was silently ignored): NUL bytes, gzip, invalid UTF-8', () => {
    expect(refusal(() => loadPartitionFile(fileWith(Buffer.from('0,1\n\0\0\0\n')), 10)).message).toMatch(
      /groups\.csv: not a text file: a NUL byte at offset 4/,
    );
    expect(refusal(() => loadPartitionFile(fileWith(gzipSync('account,group\n0,1\n')), 10)).message).toMatch(/not a text file/);
    expect(refusal(() => loadPartitionFile(fileWith(Buffer.from([0x30, 0x2c, 0x31, 0x0a, 0xff, 0xfe, 0x0a])), 10)).message).toMatch(/not valid UTF-8/);
  });

  it('a UTF-8 byte-order mark (a spreadsheet export) is not part of the first field', () => {
    const groups = loadPartitionFile(fileWith('\ufeff0,3\n1,4\n'), 10);
    expect([groups[0], groups[1]]).toEqual([3, 4]);
  });

  it('a file over the size limit is refused without being read', () => {
    const err = refusal(() => loadPartitionFile(fileWith('0,1\n'.repeat(100)), 10, undefined, 64));
    expect(err.message).toMatch(/file is 400 bytes; a partition file must be at most 64/);
  });

  it('a directory is refused', () => {
    expect(refusal(() => loadPartitionFile(tempDir(), 10)).message).toMatch(/is a directory/);
  });
});

describe('partition file as the CLI reads it', () => {
  const run = (file: string, extra: readonly string[] = []) =>
    runCliMemoryLimited(
      [
        'run',
        'configs/quickstart.yaml',
        '--shards',
        '2',
        '--set',
        'accounts.count=500',
        '--set',
        'slots.measure=4',
        '--set',
        `accounts.partitionFile=${file}`,
        '--out',
        tempDir(),
        '-q',
        ...extra,
      ],
      30_000,
    );

  it('/dev/zero is refused with exit 2 (it took 16.4 GB and ended in std::bad_alloc, exit 134)', () => {
    const res = run('/dev/zero');
    expect(res.code, res.stderr).toBe(2);
    expect(res.stderr).toMatch(/accounts\.partitionFile \/dev\/zero: cannot read partition file: not a regular file \(a device or socket\)/);
  });

  it('a symlink to /dev/zero is refused too (the check is on the opened file)', () => {
    const link = join(tempDir(), 'groups.csv');
    symlinkSync('/dev/zero', link);
    expect(run(link).stderr).toMatch(/not a regular file/);
  });

  it('a FIFO is refused at once (it hung)', () => {
    const fifo = join(tempDir(), 'groups.csv');
    execFileSync('mkfifo', [fifo]);
    const res = run(fifo);
    expect(res.code, res.stderr).toBe(2);
    expect(res.stderr).toMatch(/groups\.csv: cannot read partition file: not a regular file \(a FIFO or pipe\)/);
  });

  it('a lone-CR file takes effect: every account in one group leaves no cross-shard traffic', () => {
    const rows = Array.from({ length: 500 }, (_, id) => `${id},0`);
    const file = fileWith(['account,group', ...rows, ''].join('\r'));
    const out = tempDir();
    const res = runCli([
      'run',
      'configs/quickstart.yaml',
      '--shards',
      '2',
      '--set',
      'accounts.count=500',
      '--set',
      'slots.measure=4',
      '--set',
      `accounts.partitionFile=${file}`,
      '--out',
      out,
      '-q',
    ]);
    expect(res.code, res.stderr).toBe(0);
    const [only] = readResults(out).runs;
    expect(only!.crossShardRatio).toBe(0);
    expect(only!.perShard[1]!.txIncluded).toBe(0);
  });
});
