/**
 * A sweep's progress file, `<out dir>/progress.json`: the run id, a digest of
 * the scenario, and every finished run, rewritten (atomically) as each run
 * ends and removed once results.json is written. `--resume <run-id>` reads it
 * back to skip the finished runs; the run that was under way continues from
 * its checkpoints in Redis (redis transport) or starts over (memory).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, UsageError } from '../crosslink/errors.js';
import { describeDifference, firstDifference } from '../crosslink/first-difference.js';
import type { Scenario } from './config/schema.js';
import { digestOf } from './digest.js';
import type { RunResult } from './results.js';

export interface SweepProgress {
  readonly runId: string;
  /** Digest of the validated scenario: a resume must run the same one. */
  readonly scenario: string;
  /** The validated scenario itself, so a refused resume can name the option that differs. */
  readonly setup?: Scenario;
  readonly startedAt: string;
  readonly runs: readonly RunResult[];
}

/** A run id: start time (UTC, to the second), seed, and a random tag so two sweeps started together never share Redis keys. */
export function newRunId(seed: number, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-seed${seed}-${randomBytes(2).toString('hex')}`;
}

const RUN_ID = /^\d{8}-\d{6}-seed\d{1,10}-[0-9a-f]{4}$/;

export function checkRunId(id: string): string {
  if (!RUN_ID.test(id)) throw new UsageError(`--resume expects a run id like 20261125-131400-seed42-1a2b (the name of the run's results folder), got "${id.slice(0, 80)}"`);
  return id;
}

/** results/<scenario>/<run-id>/ */
export function runDir(sc: Scenario, runId: string, root = 'results'): string {
  return join(root, sc.name, runId);
}

const fileIn = (dir: string): string => join(dir, 'progress.json');

export function startProgress(dir: string, sc: Scenario, runId: string, startedAt: string): SweepProgress {
  const p: SweepProgress = { runId, scenario: digestOf(sc), setup: sc, startedAt, runs: [] };
  saveProgress(dir, p);
  return p;
}

export function saveProgress(dir: string, p: SweepProgress): void {
  mkdirSync(dir, { recursive: true });
  const file = fileIn(dir);
  const tmp = `${file}.partial-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(p)}\n`);
  renameSync(tmp, file);
}

/** The progress of an interrupted sweep, checked against the scenario given now. */
export function loadProgress(dir: string, sc: Scenario, runId: string): SweepProgress {
  const file = fileIn(dir);
  if (!existsSync(file)) {
    const done = existsSync(join(dir, 'results.json'));
    throw new UsageError(
      done
        ? `run ${runId} finished already: its results are in ${dir}/results.json`
        : `no interrupted run ${runId}: ${file} does not exist (pass the same --out as the first attempt, if it had one)`,
    );
  }
  let p: SweepProgress;
  try {
    p = JSON.parse(readFileSync(file, 'utf8')) as SweepProgress;
  } catch (err) {
    throw new UsageError(`${file} is not a progress file shardsim wrote: ${(err as Error).message}`);
  }
  if (p.runId !== runId || !Array.isArray(p.runs)) throw new UsageError(`${file} belongs to run ${String(p.runId)}, not ${runId}`);
  if (p.scenario !== digestOf(sc)) {
    const d = p.setup === undefined ? undefined : firstDifference(p.setup, JSON.parse(JSON.stringify(sc)));
    const where = d === undefined ? '' : ` ${describeDifference(d)}`;
    throw new ConfigError('--resume', `the scenario differs from the one run ${runId} started with${where}; resume with the same file, --set, --axis, --seed and --shards options`);
  }
  return p;
}

export function endProgress(dir: string): void {
  rmSync(fileIn(dir), { force: true });
}
