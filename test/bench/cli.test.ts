/** The bench script's command line: help, and bad input refused with exit code 2 before anything runs. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

const BENCH = join(ROOT, 'dist', 'bench', 'run.js');
const bench = (args: readonly string[]) => spawnSync(process.execPath, [BENCH, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });

describe('npm run bench command line', () => {
  it('prints its usage with --help and exits 0', () => {
    const r = bench(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^usage: node dist\/bench\/run\.js/);
    expect(r.stdout).toContain('--no-scale');
  });

  it.each([
    [['--bogus'], /Unknown option '--bogus'/],
    [['--runs', '0'], /--runs must be a whole number of at least 1, got "0"/],
    [['--case', 'no such case'], /no case named "no such case"; the cases are:\n {2}memory 1 shard sequential/],
    [['--only', 'no such case'], /--only "no such case" matches no case; the cases are:\n {2}memory 1 shard sequential/],
  ])('refuses %j with exit code 2', (args, message) => {
    const r = bench(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });
});
