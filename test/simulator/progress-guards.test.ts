/**
 * `--resume` trusts nothing in progress.json: its shape, its runs against the
 * sweep (count, order, shard counts) and every run's digest recomputed from
 * its figures are checked before anything runs, and the file is read
 * bounded, from a regular file only. Every refusal is exit 2 naming the file.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunResult, SweepResults } from '../../simulator/results.js';
import { runCli, runCliMemoryLimited, tempDir } from '../helpers/cli.js';
import { copyRun, quickArgs, quickScenarioDigest, readResults, writeProgress } from '../helpers/progress-file.js';

const RUN_ID = '20261205-063000-seed42-a1b2';
let clean: SweepResults;
let r1: RunResult;
let r2: RunResult;

beforeAll(() => {
  const dir = tempDir();
  const res = runCli([...quickArgs([1, 2]), '--out', dir]);
  expect(res.code, res.stderr).toBe(0);
  clean = readResults(dir);
  [r1, r2] = clean.runs as [RunResult, RunResult];
});

/** `--resume` with a progress.json holding `runs`, for a sweep over `shards`. */
function resumeWith(runs: readonly unknown[], shards: readonly number[] = [1, 2]) {
  const dir = tempDir();
  const file = writeProgress(dir, RUN_ID, quickScenarioDigest(shards), runs);
  const res = runCli([...quickArgs(shards), '--out', dir, '--resume', RUN_ID], 60_000);
  return { dir, file, res };
}

function expectRefused(res: { code: number | null; stderr: string }, file: string, what: RegExp): void {
  expect(res.code, res.stderr).toBe(2);
  expect(res.stderr).toContain(file);
  expect(res.stderr).toMatch(what);
  expect(res.stderr).not.toMatch(/internal error/);
}

describe('progress.json contents', () => {
  it('a genuine file resumes to the uninterrupted digest (the control for the cases below)', () => {
    const { dir, res } = resumeWith([r1]);
    expect(res.code, res.stderr).toBe(0);
    expect(readResults(dir).digest).toBe(clean.digest);
  });

  it('an edited figure is refused: each run digest is recomputed from the stored figures', () => {
    const forged = { ...copyRun(r1), throughputTps: 99_999_999 };
    const { dir, file, res } = resumeWith([forged, r2]);
    expectRefused(res, file, /runs\[0\] \(1 shard\): its figures do not match its digest/);
    expect(existsSync(join(dir, 'results.json'))).toBe(false);
    expect(existsSync(file)).toBe(true); // refused, not deleted
  });

  it('duplicated runs are refused instead of giving the shard list [1, 2, 1, 2]', () => {
    const { file, res } = resumeWith([r1, r2, r1, r2], [1, 2, 4, 8]);
    expectRefused(res, file, /runs\[2\] is a run at 1 shard, but the sweep's run 3 is at 4 shards \(runs duplicated, reordered/);
  });

  it('reordered runs are refused', () => {
    const { file, res } = resumeWith([r2, r1]);
    expectRefused(res, file, /runs\[0\] is a run at 2 shards, but the sweep's run 1 is at 1 shard/);
  });

  it('more runs than the sweep has are refused', () => {
    const { file, res } = resumeWith([r1, r2, r1]);
    expectRefused(res, file, /holds 3 finished runs, but the sweep has 2/);
  });

  it('a malformed run is refused up front with its key path, not an internal error after the remaining runs', () => {
    const { dir, file, res } = resumeWith([{ ...copyRun(r1), latency: 'fast' }]);
    expectRefused(res, file, /runs\.0\.latency/);
    expect(existsSync(join(dir, 'results.json'))).toBe(false);
    const missing = copyRun(r1);
    delete missing.perShard;
    expectRefused(resumeWith([missing]).res, 'progress.json', /runs\.0\.perShard/);
    expectRefused(resumeWith([{ ...copyRun(r1), digest: '<script>' }]).res, 'progress.json', /runs\.0\.digest: expected a SHA-256 digest/);
    const byKind = { transfer: { offered: 10, completed: -1, failed: 0 } };
    expectRefused(resumeWith([{ ...copyRun(r1), byKind }]).res, 'progress.json', /runs\.0\.byKind\.transfer\.completed/);
  });

  it('a file that is not JSON, or whose top level is wrong, is refused', () => {
    const dir = tempDir();
    const file = join(dir, 'progress.json');
    writeFileSync(file, '{"runId": ');
    expectRefused(runCli([...quickArgs([1, 2]), '--out', dir, '--resume', RUN_ID]), file, /not valid JSON/);
    writeFileSync(file, JSON.stringify({ runId: RUN_ID, scenario: quickScenarioDigest([1, 2]), startedAt: 'yesterday', runs: {} }));
    expectRefused(runCli([...quickArgs([1, 2]), '--out', dir, '--resume', RUN_ID]), file, /startedAt.*runs/s);
  });
});

describe('progress.json as a file', () => {
  const resumeIn = (dir: string) => runCliMemoryLimited([...quickArgs([1, 2]), '--out', dir, '--resume', RUN_ID], 30_000);

  it('/dev/zero is refused before any read (it took 16 GB and aborted)', () => {
    const dir = tempDir();
    symlinkSync('/dev/zero', join(dir, 'progress.json'));
    expectRefused(resumeIn(dir), join(dir, 'progress.json'), /not a regular file \(a device or socket\)/);
  });

  it('a FIFO is refused at once (it hung)', () => {
    const dir = tempDir();
    execFileSync('mkfifo', [join(dir, 'progress.json')]);
    expectRefused(resumeIn(dir), join(dir, 'progress.json'), /not a regular file \(a FIFO or pipe\)/);
  });

  it('a directory, an oversized file and a binary file are refused', () => {
    const asDir = tempDir();
    mkdirSync(join(asDir, 'progress.json'));
    expectRefused(resumeIn(asDir), 'progress.json', /is a directory/);

    const big = tempDir();
    const file = writeProgress(big, RUN_ID, quickScenarioDigest([1, 2]), [r1]);
    truncateSync(file, 2 ** 31); // sparse: no disk used
    expectRefused(resumeIn(big), file, /file is 2147483648 bytes; a progress file must be at most \d+/);

    const binary = tempDir();
    writeFileSync(join(binary, 'progress.json'), Buffer.from([0x7b, 0x00, 0x7d]));
    expectRefused(resumeIn(binary), 'progress.json', /not a text file: a NUL byte at offset 1/);
  });
});
