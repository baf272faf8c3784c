/**
 * Writes a sweep's three files. All three are written under temporary names
 * first and renamed into place only once every one is complete, results.json
 * last, so a directory holding a results.json always holds a complete set:
 * nothing half-written passes for finished work, and a full or read-only
 * disk leaves no temporary files behind (simulator/atomic-write.ts).
 *
 * The report page is made from the results as results.json holds them, read
 * back the way `shardsim report` reads the file, so that command makes the
 * same bytes again from the same file.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InternalError } from '../crosslink/common/errors.js';
import { type FileContent, makeDir, writeFilesAtomic } from './atomic-write.js';
import { blocksCsv } from './block-figures.js';
import { fileError } from './io-errors.js';
import { prettyJson } from './pretty-json.js';
import { plotlyBundlePath, renderReport } from './report/page.js';
import type { ResultFiles, SweepResults } from './results.js';
import { toCsv } from './runs-csv.js';
import { checkSweepResults } from './sweep-results-schema.js';

/** The plotly bundle a light page loads, beside it. */
export const PLOTLY_FILE = 'plotly.min.js';

export interface OutputOptions {
  /** A light report: plotly in plotly.min.js beside the page instead of inlined. */
  readonly light?: boolean;
}

export interface WrittenFiles {
  readonly dir: string;
  readonly results: string;
  readonly csv: string;
  /** blocks.csv: every run's per-block figures. */
  readonly blocks: string;
  readonly report: string;
  /** With a light report: the plotly bundle beside it. */
  readonly plotly?: string;
  /** The text of results.json (what `--json` prints). */
  readonly json: string;
}

export function writeResults(dir: string, results: SweepResults, options: OutputOptions = {}): WrittenFiles {
  makeDir(dir);
  const names: ResultFiles =
    options.light === true
      ? { report: 'report.html', csv: 'runs.csv', blocks: 'blocks.csv', plotly: PLOTLY_FILE }
      : { report: 'report.html', csv: 'runs.csv', blocks: 'blocks.csv' };
  const json = `${prettyJson({ ...results, files: names })}\n`;
  const readBack = checkSweepResults(JSON.parse(json));
  // The schema is kept in step with results.ts at compile time; this is a bug, not bad input.
  if (!readBack.ok) throw new InternalError(`the sweep's results do not pass the results.json schema (${readBack.problems})`);
  const files: WrittenFiles = {
    dir,
    results: join(dir, 'results.json'),
    csv: join(dir, names.csv),
    blocks: join(dir, 'blocks.csv'),
    report: join(dir, names.report),
    ...(options.light === true ? { plotly: join(dir, PLOTLY_FILE) } : {}),
    json,
  };
  writeFilesAtomic([
    { path: files.csv, text: toCsv(results) },
    { path: files.blocks, text: blocksCsv(results.runs) },
    ...reportFiles(files.report, readBack.results, options),
    { path: files.results, text: json },
  ]);
  return files;
}

/**
 * The report page at `path` (and with `light`, the plotly bundle beside it,
 * listed first so the page is never renamed into place without it).
 */
export function reportFiles(path: string, results: SweepResults, options: OutputOptions): FileContent[] {
  if (options.light !== true) return [{ path, text: renderReport(results) }];
  return [
    { path: join(dirname(path), PLOTLY_FILE), text: plotlyBundle() },
    { path, text: renderReport(results, { plotlySrc: PLOTLY_FILE }) },
  ];
}

function plotlyBundle(): Uint8Array {
  const path = plotlyBundlePath();
  try {
    return readFileSync(path);
  } catch (err) {
    throw fileError(path, 'cannot read the plotly bundle', err);
  }
}
