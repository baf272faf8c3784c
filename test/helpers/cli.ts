/** Runs the built CLI as a child process, the way a user does. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CLI = join(import.meta.dirname, '..', '..', 'dist', 'simulator', 'cli.js');
export const ROOT = join(import.meta.dirname, '..', '..');

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCli(args: readonly string[], timeoutMs = 120_000): CliResult {
  const res = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: timeoutMs });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

export function tempDir(prefix = 'shardsim-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * The CLI under a 4 GB address-space limit (`ulimit -v`): for inputs such as
 * /dev/zero, where a regression would otherwise take all the machine's
 * memory before failing, it fails fast instead.
 */
export function runCliMemoryLimited(args: readonly string[], timeoutMs = 60_000): CliResult {
  const quotedArgs = [CLI, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const res = spawnSync('/bin/sh', ['-c', `ulimit -v 4000000 && exec '${process.execPath}' ${quotedArgs}`], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}
