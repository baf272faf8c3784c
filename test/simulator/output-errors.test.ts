/**
 * Disk errors are the user's environment, not shardsim bugs: a full or
 * read-only disk ends with exit 2 naming the path and the cause in words;
 * results are written atomically and temporary files removed; finished runs
 * in progress.json survive any failure; and `--out` is locked while a sweep
 * writes it.
 *
 * ENOSPC and EROFS need a small file system: the tests mount a tmpfs, which
 * takes root (CAP_SYS_ADMIN); elsewhere they are skipped and the skip says
 * why. EACCES cannot be tested as root (root writes through permissions).
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFilesAtomic } from '../../simulator/atomic-write.js';
import { FileError } from '../../simulator/errors.js';
import { LOCK_FILE } from '../../simulator/out-lock.js';
import { CLI, ROOT, runCli, tempDir } from '../helpers/cli.js';
import { quickArgs, readResults } from '../helpers/progress-file.js';

const isRoot = process.getuid?.() === 0;
const mounts: string[] = [];

/** Mounts a tmpfs of `size` at a fresh directory; undefined (with `why` set) where that is not possible. */
function mountTmpfs(size: string): string | undefined {
  const dir = tempDir('shardsim-tmpfs-');
  const res = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { encoding: 'utf8' });
  if (res.status !== 0) return undefined;
  mounts.push(dir);
  return dir;
}

const remount = (dir: string, options: string): void => {
  execFileSync('mount', ['-o', `remount,${options}`, dir]);
};

/** Why the tmpfs tests cannot run here, or undefined when they can. */
const noTmpfs = ((): string | undefined => {
  if (!isRoot) return 'not root: mounting a small tmpfs (to fill a disk, or make one read-only) needs CAP_SYS_ADMIN';
  const probe = mountTmpfs('64k');
  return probe === undefined ? 'mount -t tmpfs failed (no CAP_SYS_ADMIN in this container?)' : undefined;
})();

afterAll(() => {
  for (const dir of mounts) spawnSync('umount', ['-l', dir]);
});

const leftovers = (dir: string): string[] => readdirSync(dir).filter((f) => f.includes('.partial-') || f === LOCK_FILE);
const progressRuns = (dir: string): number => (JSON.parse(readFileSync(join(dir, 'progress.json'), 'utf8')) as { runs: unknown[] }).runs.length;
const progressRunId = (dir: string): string => (JSON.parse(readFileSync(join(dir, 'progress.json'), 'utf8')) as { runId: string }).runId;

function expectFileError(res: { code: number | null; stderr: string }, message: RegExp): void {
  expect(res.code, res.stderr).toBe(2);
  expect(res.stderr).toMatch(message);
  expect(res.stderr).not.toMatch(/internal error|please report/);
}

/** A sweep in the background, and a way to wait for its exit. */
function startSweep(args: readonly string[]): { child: ChildProcess; stderr: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stderr: () => stderr, exited };
}

async function until(ready: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 3000; i++) {
    if (ready()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A two-run sweep whose second run takes seconds: time to act between the runs. */
const slowSecondRun = (out: string): string[] => [
  'sweep',
  'configs/quickstart.yaml',
  '--shards',
  '1,4',
  '--set',
  'slots.measure=40',
  '--set',
  'accounts.count=4000',
  '--out',
  out,
  '-q',
];

let cleanDigest: string;
beforeAll(() => {
  const dir = tempDir();
  const res = runCli([...quickArgs([1, 2]), '--out', dir]);
  expect(res.code, res.stderr).toBe(0);
  cleanDigest = readResults(dir).digest;
});

describe(`a full disk (ENOSPC)${noTmpfs === undefined ? '' : ` [skipped: ${noTmpfs}]`}`, () => {
  it.skipIf(noTmpfs !== undefined)(
    'writing results: exit 2 naming the file, no temporary files, the finished runs kept; --resume writes them once there is room',
    () => {
      const mnt = mountTmpfs('64k')!;
      const out = join(mnt, 'out');
      const res = runCli([...quickArgs([1, 2]), '--out', out]);
      // report.html (~60 KB with its inlined chart code) is what no longer fits.
      expectFileError(res, new RegExp(`${out}/report\\.html: cannot write: no space left on the device \\(ENOSPC\\)`));
      expect(leftovers(out)).toEqual([]);
      expect(existsSync(join(out, 'results.json'))).toBe(false);
      expect(progressRuns(out)).toBe(2);
      expect(res.stderr).toMatch(
        new RegExp(`2 finished runs are kept in ${out}/progress\\.json; once the error below is fixed, continue with:\\n.*--resume ${progressRunId(out)}`),
      );

      remount(mnt, 'size=16m');
      const resumed = runCli([...quickArgs([1, 2]), '--out', out, '--resume', progressRunId(out)]);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(readResults(out).digest).toBe(cleanDigest);
      expect(readdirSync(out).sort()).toEqual(['blocks.csv', 'report.html', 'results.json', 'runs.csv']);
    },
  );

  it.skipIf(noTmpfs !== undefined)('mid-sweep: the progress of the finished run survives (it was deleted)', async () => {
    const mnt = mountTmpfs('2m')!;
    const out = join(mnt, 'out');
    const sweep = startSweep(slowSecondRun(out));
    await until(() => existsSync(join(out, 'progress.json')) && progressRuns(out) === 1, 'the first run to finish');
    // Fill the disk while the second run computes: its progress can no longer be saved.
    const fd = openSync(join(mnt, 'filler'), 'w');
    try {
      for (const chunk = Buffer.alloc(64 * 1024, 1); ; ) writeSync(fd, chunk);
    } catch (err) {
      expect((err as NodeJS.ErrnoException).code).toBe('ENOSPC');
    } finally {
      closeSync(fd);
    }
    const code = await sweep.exited;
    expectFileError({ code, stderr: sweep.stderr() }, new RegExp(`${out}/progress\\.json: cannot write: no space left on the device \\(ENOSPC\\)`));
    expect(progressRuns(out)).toBe(1);
    expect(sweep.stderr()).toMatch(/1 finished run is kept in .*progress\.json/);
    expect(leftovers(out)).toEqual([]);
  });
});

describe(`a read-only disk (EROFS)${noTmpfs === undefined ? '' : ` [skipped: ${noTmpfs}]`}`, () => {
  it.skipIf(noTmpfs !== undefined)('--out below a read-only mount says so (it said ENOENT)', () => {
    const mnt = mountTmpfs('64k')!;
    remount(mnt, 'ro');
    expectFileError(
      runCli([...quickArgs([1]), '--out', join(mnt, 'out')]),
      new RegExp(`${mnt}/out: cannot create directory: the file system is read-only \\(EROFS\\)`),
    );
    expectFileError(
      runCli([...quickArgs([1]), '--out', mnt]),
      new RegExp(`${mnt}/${LOCK_FILE}: cannot create the lock file: the file system is read-only \\(EROFS\\)`),
    );
  });
});

describe('permissions (EACCES)', () => {
  it.skipIf(isRoot)('an --out the user cannot write is named with "permission denied" [skipped as root: root writes through permissions]', () => {
    const dir = tempDir();
    chmodSync(dir, 0o555);
    expectFileError(runCli([...quickArgs([1]), '--out', join(dir, 'out')]), /out: cannot create directory: permission denied \(EACCES\)/);
  });
});

describe('the log file', () => {
  it('--log-file /dev/full is exit 2 naming it (it was an internal error), and leaves no output folder', () => {
    const out = join(tempDir(), 'out');
    const res = runCli([...quickArgs([1]), '--out', out, '--log-file', '/dev/full', '--log-level', 'info']);
    expectFileError(res, /\/dev\/full: cannot write the log file: no space left on the device \(ENOSPC\)/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('standard output', () => {
  it('--json to a full disk (/dev/full) is exit 2 naming standard output (it was an unhandled error event with a stack trace)', () => {
    const full = openSync('/dev/full', 'w');
    try {
      const res = spawnSync(process.execPath, [CLI, ...quickArgs([1]).filter((a) => a !== '-q'), '--out', tempDir(), '--json'], {
        cwd: ROOT,
        encoding: 'utf8',
        stdio: ['ignore', full, 'pipe'],
        timeout: 120_000,
      });
      expectFileError({ code: res.status, stderr: res.stderr }, /cannot write to standard output: no space left on the device \(ENOSPC\)/);
      expect(res.stderr).not.toMatch(/\n\s+at /);
    } finally {
      closeSync(full);
    }
  });
});

describe('one sweep per --out', () => {
  const lockIn = (dir: string, pid: number, runId: string): void => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid, host: hostname(), runId, token: 'feedfacefeedface' }));
  };

  it('a second sweep into a folder a running sweep writes is refused with the other pid; the first finishes intact', async () => {
    const out = tempDir();
    const first = startSweep(slowSecondRun(out));
    await until(() => existsSync(join(out, LOCK_FILE)), 'the first sweep to take the lock');
    const second = runCli([...quickArgs([1, 2]), '--out', out]);
    expectFileError(second, new RegExp(`${out}: another sweep \\(run \\S+, process ${first.child.pid} on ${hostname()}\\) is writing to this folder`));
    expect(await first.exited, first.stderr()).toBe(0);
    expect(readResults(out).runs.map((r) => r.shards)).toEqual([1, 4]);
    expect(readdirSync(out).sort()).toEqual(['blocks.csv', 'report.html', 'results.json', 'runs.csv']);
  });

  it('a lock held by a live process is refused, and left in place', () => {
    const out = tempDir();
    lockIn(out, process.pid, '20261205-063000-seed42-0001');
    expectFileError(runCli([...quickArgs([1]), '--out', out]), new RegExp(`process ${process.pid} on ${hostname()}\\) is writing to this folder`));
    expect(existsSync(join(out, LOCK_FILE))).toBe(true);
  });

  it('a stale lock (its process is gone) is taken over with a warning', () => {
    const out = tempDir();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    lockIn(out, Number(dead.stdout), '20261205-063000-seed42-0002');
    const res = runCli([...quickArgs([1]), '--out', out]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toMatch(new RegExp(`taking over the lock of run 20261205-063000-seed42-0002: its process ${dead.stdout} no longer runs`));
    expect(existsSync(join(out, LOCK_FILE))).toBe(false);
  });

  it('a refused --resume leaves no folder behind (the lock does not outlive it)', () => {
    const out = join(tempDir(), 'never');
    const res = runCli([...quickArgs([1]), '--out', out, '--resume', '20261205-063000-seed42-0004']);
    expect(res.code, res.stderr).toBe(2);
    expect(res.stderr).toMatch(/no interrupted run 20261205-063000-seed42-0004/);
    expect(existsSync(out)).toBe(false);
  });

  it("a new sweep does not overwrite another run's unfinished progress.json", () => {
    const out = tempDir();
    const progress = JSON.stringify({ runId: '20261205-063000-seed42-0003', scenario: '0'.repeat(64), startedAt: '2026-12-05T06:30:00.000Z', runs: [] });
    writeFileSync(join(out, 'progress.json'), progress);
    const res = runCli([...quickArgs([1]), '--out', out]);
    expectFileError(
      res,
      /progress\.json: holds the progress of run 20261205-063000-seed42-0003, which did not finish: continue it with --resume 20261205-063000-seed42-0003/,
    );
    expect(readFileSync(join(out, 'progress.json'), 'utf8')).toBe(progress);
  });
});

describe('atomic writes', () => {
  it('a set that fails part-way leaves neither temporary files nor any file of the set', () => {
    const dir = tempDir();
    let err: unknown;
    try {
      writeFilesAtomic([
        { path: join(dir, 'a.txt'), text: 'a' },
        { path: join(dir, 'missing', 'b.txt'), text: 'b' },
      ]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FileError);
    expect((err as FileError).message).toMatch(/missing\/b\.txt: cannot write: no such file or directory \(ENOENT\)/);
    expect(readdirSync(dir)).toEqual([]);
  });
});
