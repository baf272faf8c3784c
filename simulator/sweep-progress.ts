/**
 * A sweep's progress file, `<out dir>/progress.json`: the run id, a digest of
 * the scenario, and every finished run, rewritten (atomically) as each run
 * ends and removed once results.json is written; a failure never removes it
 * while it holds a finished run. `--resume <run-id>` reads it back, checked
 * (see loadProgress), to skip the finished runs; the run that was under way
 * continues from its checkpoints in Redis (redis transport) or starts over
 * (memory).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../crosslink/common/errors.js';
import { describeDifference, firstDifference } from '../crosslink/common/first-difference.js';
import { makeDir, writeFileAtomic } from './atomic-write.js';
import { MAX_BLOCK_ROWS } from './block-figures.js';
import { readBoundedTextFile } from './bounded-file.js';
import type { Scenario } from './config/schema.js';
import { digestOf } from './digest.js';
import { FileError, UsageError } from './errors.js';
import { fileError } from './io-errors.js';
import { parseJsonWith } from './json-file.js';
import type { RunResult } from './results.js';
import { RunResultSchema } from './run-result-schema.js';
import { type SweepPoint, sweepPoints } from './sweep-points.js';

export interface SweepProgress {
  readonly runId: string;
  /** Digest of the validated scenario: a resume must run the same one. */
  readonly scenario: string;
  /** The validated scenario itself, so a refused resume can name the option that differs. */
  readonly setup?: unknown;
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
  if (!RUN_ID.test(id))
    throw new UsageError(`--resume expects a run id like 20261125-131400-seed42-1a2b (the name of the run's results folder), got "${id.slice(0, 80)}"`);
  return id;
}

/** results/<scenario>/<run-id>/ */
export function runDir(sc: Scenario, runId: string, root = 'results'): string {
  return join(root, sc.name, runId);
}

const fileIn = (dir: string): string => join(dir, 'progress.json');

export function startProgress(dir: string, sc: Scenario, runId: string, startedAt: string): SweepProgress {
  const file = fileIn(dir);
  if (existsSync(file)) {
    // Another sweep's unfinished work: starting over here would throw its finished runs away.
    const other = otherRunIn(file);
    throw new FileError(
      file,
      other === undefined
        ? 'holds a progress file shardsim cannot read; give another --out, or remove the file if it is not needed'
        : `holds the progress of run ${other}, which did not finish: continue it with --resume ${other}, give another --out, or remove the file (its finished runs are then lost)`,
    );
  }
  const p: SweepProgress = { runId, scenario: digestOf(sc), setup: sc, startedAt, runs: [] };
  saveProgress(dir, p);
  return p;
}

/** Written atomically: a full disk or a kill mid-write leaves the previous progress in place, never a torn file. */
export function saveProgress(dir: string, p: SweepProgress): void {
  makeDir(dir);
  writeFileAtomic(fileIn(dir), `${JSON.stringify(p)}\n`);
}

/**
 * The progress of an interrupted sweep, checked before any of it is trusted:
 * read bounded from a regular file, its shape validated, its runs matched
 * to the sweep's points in order, and every run's digest recomputed from
 * its figures, so an edited figure cannot pass under the genuine digest
 * (a checksum against edits and damage, not a signature: anyone can
 * recompute a SHA-256).
 * Every problem is a FileError naming the file (exit 2).
 */
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
  const points = sweepPoints(sc);
  const text = readBoundedTextFile(file, { maxBytes: progressLimit(points), what: 'progress file' });
  const notOurs = (why: string): FileError =>
    new FileError(file, `not a progress file shardsim wrote for this sweep: ${why}; start the sweep again without --resume`);
  const p = parseJsonWith(text, ProgressSchema, notOurs);
  if (p.runId !== runId) throw new UsageError(`${file} belongs to run ${p.runId}, not ${runId}`);
  if (p.scenario !== digestOf(sc)) {
    const d = p.setup === undefined ? undefined : firstDifference(p.setup, JSON.parse(JSON.stringify(sc)));
    const where = d === undefined ? '' : ` ${describeDifference(d)}`;
    throw new ConfigError(
      '--resume',
      `the scenario differs from the one run ${runId} started with${where}; resume with the same file, --set, --axis, --seed and --shards options`,
    );
  }
  if (p.runs.length > points.length) throw notOurs(`it holds ${p.runs.length} finished runs, but the sweep has ${points.length}`);
  p.runs.forEach((run, i) => checkRun(run, i, points[i]!, notOurs));
  return p;
}

/** A stored run must be the sweep's run at its index, with the figures its digest was made from. */
function checkRun(run: RunResult, i: number, point: SweepPoint, notOurs: (why: string) => FileError): void {
  const at = `runs[${i}]`;
  const axes = Object.entries(point.axes);
  const other = axes.find(([k, v]) => run.params[k] !== v);
  if (run.shards !== point.shards || other !== undefined) {
    const want = [`${point.shards} shard${point.shards === 1 ? '' : 's'}`, ...axes.map(([k, v]) => `${k}=${v}`)].join(', ');
    const got = [`${run.shards} shard${run.shards === 1 ? '' : 's'}`, ...axes.map(([k]) => `${k}=${String(run.params[k])}`)].join(', ');
    throw notOurs(`${at} is a run at ${got}, but the sweep's run ${i + 1} is at ${want} (runs duplicated, reordered or from another sweep)`);
  }
  const { wall: _wall, digest, ...figures } = run;
  if (digestOf(figures) !== digest)
    throw notOurs(
      `${at} (${run.shards} shard${run.shards === 1 ? '' : 's'}): its figures do not match its digest ${digest.slice(0, 12)}... (the file was edited or damaged)`,
    );
}

export function endProgress(dir: string): void {
  const file = fileIn(dir);
  try {
    rmSync(file, { force: true });
  } catch (err) {
    throw fileError(file, 'cannot remove', err);
  }
}

const ProgressSchema = z.strictObject({
  runId: z.string().max(100),
  scenario: z.string().regex(/^[0-9a-f]{64}$/, 'expected a SHA-256 digest (64 hex digits)'),
  startedAt: z.iso.datetime(),
  setup: z.record(z.string(), z.unknown()).optional(),
  runs: z.array(RunResultSchema),
});

/**
 * Largest progress file accepted for a sweep: a run is a few KB plus about
 * 200 bytes a shard (per-shard figures, state roots); this allows five
 * times that, and refuses a multi-GB file before reading it.
 */
function progressLimit(points: readonly SweepPoint[]): number {
  // A run: its figures, a kilobyte a shard, and its per-block columns (nine numbers of at most ~20 characters a block).
  return points.reduce((bytes, p) => bytes + 64 * 1024 + 1024 * p.shards + 200 * MAX_BLOCK_ROWS, 1024 * 1024);
}

/** The run id of a progress file left in a folder, if it reads as one. */
function otherRunIn(file: string): string | undefined {
  try {
    const json = JSON.parse(readBoundedTextFile(file, { maxBytes: 64 * 1024 * 1024, what: 'progress file' })) as { runId?: unknown };
    return typeof json.runId === 'string' && RUN_ID.test(json.runId) ? json.runId : undefined;
  } catch {
    return undefined;
  }
}
