/**
 * Writes a sweep's three files. All three are written under temporary names
 * first and renamed into place only once every one is complete, results.json
 * last, so a directory holding a results.json always holds a complete set:
 * nothing half-written passes for finished work, and a full or read-only
 * disk leaves no temporary files behind (simulator/atomic-write.ts).
 */
import { join } from 'node:path';
import { makeDir, writeFilesAtomic } from './atomic-write.js';
import { renderReport } from './report/page.js';
import type { SweepResults } from './results.js';
import { toCsv } from './runs-csv.js';

export interface WrittenFiles {
  readonly dir: string;
  readonly results: string;
  readonly csv: string;
  readonly report: string;
}

export function writeResults(dir: string, results: SweepResults): WrittenFiles {
  makeDir(dir);
  const files: WrittenFiles = {
    dir,
    results: join(dir, 'results.json'),
    csv: join(dir, 'runs.csv'),
    report: join(dir, 'report.html'),
  };
  writeFilesAtomic([
    { path: files.csv, text: toCsv(results) },
    { path: files.report, text: renderReport(results) },
    { path: files.results, text: `${JSON.stringify(results, null, 2)}\n` },
  ]);
  return files;
}
