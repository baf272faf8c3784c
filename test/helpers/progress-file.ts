/** Hand-made progress.json files for `--resume` tests, built from a real sweep's runs. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenario } from '../../simulator/config/load.js';
import { digestOf } from '../../simulator/digest.js';
import type { RunResult, SweepResults } from '../../simulator/results.js';
import { ROOT } from './cli.js';

export const QUICK = 'configs/quickstart.yaml';
/** Small enough for a run in about a second. */
export const QUICK_SETS = ['slots.measure=5', 'accounts.count=500'];
export const quickArgs = (shards: readonly number[]): string[] => [
  'sweep',
  QUICK,
  '--shards',
  shards.join(','),
  ...QUICK_SETS.flatMap((s) => ['--set', s]),
  '-q',
];

/** The scenario digest the CLI records for `quickArgs(shards)` (its --set overrides, then --shards). */
export function quickScenarioDigest(shards: readonly number[]): string {
  return digestOf(loadScenario(join(ROOT, QUICK), [...QUICK_SETS, `sweep.shards=[${shards.join(',')}]`]));
}

export const readResults = (dir: string): SweepResults => JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as SweepResults;

export function writeProgress(dir: string, runId: string, scenario: string, runs: readonly unknown[]): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'progress.json');
  writeFileSync(file, `${JSON.stringify({ runId, scenario, startedAt: '2026-12-05T06:30:00.000Z', runs })}\n`);
  return file;
}

/** A deep copy of a run to edit. */
export const copyRun = (run: RunResult): Record<string, unknown> => JSON.parse(JSON.stringify(run)) as Record<string, unknown>;
