import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SweepResults } from '../../simulator/results.js';
import { CLI, ROOT, runCli, tempDir } from '../helpers/cli.js';

const SHORT = ['--shards', '1,2', '--set', 'slots.warmup=1', '--set', 'slots.measure=3', '--set', 'slots.drain=3'];

describe('shardsim sweep, end to end', () => {
  it('writes results.json, runs.csv and report.html, and prints a summary', () => {
    const out = tempDir();
    const res = runCli(['sweep', 'configs/quickstart.yaml', ...SHORT, '--out', out]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/throughput/i);
    expect(res.stdout).toContain('digest:');
    expect(readdirSync(out).sort()).toEqual(['blocks.csv', 'report.html', 'results.json', 'runs.csv']);

    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as SweepResults;
    expect(results.scenario).toBe('quickstart');
    expect(results.seed).toBe(42);
    expect(results.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(results.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(results.runs.map((r) => r.shards)).toEqual([1, 2]);
    for (const run of results.runs) {
      expect(run.throughputTps).toBeGreaterThan(0);
      expect(run.offeredTps).toBeGreaterThan(0);
      expect(run.crossShardRatio).toBeGreaterThanOrEqual(0);
      expect(run.latency.p50).toBeGreaterThan(0);
      expect(run.latency.p95).toBeGreaterThanOrEqual(run.latency.p50);
      expect(run.latency.p99).toBeGreaterThanOrEqual(run.latency.p95);
      expect(run.digest).toMatch(/^[0-9a-f]{64}$/);
      expect(run.stateRoots).toHaveLength(run.shards);
      expect(run.wall.seconds).toBeGreaterThan(0);
      expect(run.wall.simulatedTxPerWallSecond).toBeGreaterThan(0);
    }

    const csv = readFileSync(join(out, 'runs.csv'), 'utf8').trim().split(/\r?\n/);
    expect(csv).toHaveLength(3);
    expect(csv[0]!.startsWith('scenario,seed,shards,')).toBe(true);
    expect(csv[0]).toContain(',throughput_tps,');
    expect(csv[1]!.startsWith('quickstart,42,1,')).toBe(true);

    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain(results.digest);
    expect(html).toContain(String(results.runs[1]!.throughputTps));
    expect(html).not.toMatch(/<script[^>]+src=/);
  });

  it('--json prints results.json to stdout, and the same sweep twice has the same digest', () => {
    const a = runCli(['sweep', 'configs/quickstart.yaml', ...SHORT, '--json', '--out', tempDir()]);
    const b = runCli(['sweep', 'configs/quickstart.yaml', ...SHORT, '--json', '--out', tempDir()]);
    expect(a.code).toBe(0);
    const ra = JSON.parse(a.stdout) as SweepResults;
    const rb = JSON.parse(b.stdout) as SweepResults;
    expect(ra.digest).toBe(rb.digest);
    expect(ra.runs[0]!.wall).toBeDefined();
  });

  it('--seed changes the digest', () => {
    const a = JSON.parse(runCli(['sweep', 'configs/quickstart.yaml', ...SHORT, '--json', '--out', tempDir()]).stdout) as SweepResults;
    const b = JSON.parse(runCli(['sweep', 'configs/quickstart.yaml', ...SHORT, '--seed', '43', '--json', '--out', tempDir()]).stdout) as SweepResults;
    expect(b.seed).toBe(43);
    expect(b.digest).not.toBe(a.digest);
  });

  it('run --shards N is a sweep of one point; --set overrides reach the results', () => {
    const out = tempDir();
    const res = runCli(['run', 'configs/quickstart.yaml', '--shards', '4', '--set', 'slots.measure=2', '--set', 'shard.threads=16', '--quiet', '--out', out]);
    expect(res.code).toBe(0);
    expect(res.stdout).toBe('');
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as SweepResults;
    expect(results.runs).toHaveLength(1);
    expect(results.runs[0]!.shards).toBe(4);
    expect(results.config.slots.measure).toBe(2);
    expect(results.runs[0]!.params['shard.threads']).toBe(16);
  });

  it('without --out, results go to results/<scenario>/<run-id>/', () => {
    const res = runCli(['run', 'configs/quickstart.yaml', '--shards', '1', '--set', 'slots.measure=1', '--set', 'name=test-default-out']);
    expect(res.code).toBe(0);
    const m = /results: (\S+)/.exec(res.stdout);
    expect(m?.[1]).toMatch(/^results\/test-default-out\/\d{8}-\d{6}-seed42-[0-9a-f]{4}\/results\.json$/);
    expect(existsSync(join(dirname(m![1]!), 'progress.json'))).toBe(false);
    expect(existsSync(m![1]!)).toBe(true);
  });

  it('validate accepts every shipped config', () => {
    for (const f of readdirSync('configs').filter((x) => x.endsWith('.yaml'))) {
      const res = runCli(['validate', `configs/${f}`]);
      expect(res.code, f).toBe(0);
      expect(res.stdout).toContain('ok:');
    }
  });

  it('runs as `npx shardsim` from the project, as the README says (the bin is executable)', () => {
    // npx links the project into its cache and, unless told not to, runs `prepare` there: a
    // rebuild of dist/ under the CLI processes other test files are running. A private cache
    // keeps the test independent of the user's, and --ignore-scripts keeps dist/ untouched.
    const env = { ...process.env, npm_config_cache: tempDir('shardsim-npx-') };
    const built = statSync(CLI).mtimeMs;
    const res = spawnSync('npx', ['--no-install', '--ignore-scripts', 'shardsim', '--version'], { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000 });
    expect(statSync(CLI).mtimeMs, 'npx rebuilt dist/').toBe(built);
    expect(res.stderr.replace(/npm warn[^\n]*\n/g, '')).toBe('');
    expect(res.status).toBe(0);
    expect(res.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('--help explains every option', () => {
    const res = runCli(['sweep', '--help']);
    expect(res.code).toBe(0);
    for (const opt of ['--shards', '--seed', '--set', '--out', '--json', '--quiet', '--log-level', '--log-file', '--transport']) {
      expect(res.stdout).toContain(opt);
    }
  });

  it('--log-file receives structured JSON logs', () => {
    const dir = tempDir();
    const log = join(dir, 'run.log');
    const res = runCli([
      'run',
      'configs/quickstart.yaml',
      '--shards',
      '1',
      '--set',
      'slots.measure=1',
      '--log-level',
      'info',
      '--log-file',
      log,
      '-q',
      '--out',
      join(dir, 'out'),
    ]);
    expect(res.code).toBe(0);
    const lines = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { msg: string });
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['sweep starting', 'run complete', 'results written']));
  });
});
