/**
 * Writes a sweep's three files. Each is written under a temporary name and
 * renamed into place, results.json last, so a directory holding a
 * results.json always holds a complete set: nothing half-written passes for
 * finished work.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderReport } from './report-html.js';
import type { SweepResults } from './results.js';
import { toCsv } from './runs-csv.js';

export interface WrittenFiles {
  readonly dir: string;
  readonly results: string;
  readonly csv: string;
  readonly report: string;
}

export function writeResults(dir: string, results: SweepResults): WrittenFiles {
  mkdirSync(dir, { recursive: true });
  const files: WrittenFiles = {
    dir,
    results: join(dir, 'results.json'),
    csv: join(dir, 'runs.csv'),
    report: join(dir, 'report.html'),
  };
  const put = (file: string, text: string): void => {
    const tmp = `${file}.partial-${process.pid}`;
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  };
  put(files.csv, toCsv(results));
  put(files.report, renderReport(results));
  put(files.results, `${JSON.stringify(results, null, 2)}\n`);
  return files;
}
