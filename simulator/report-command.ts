/**
 * `shardsim report <results.json>`: the report page made again from a
 * sweep's results.json (the same bytes the sweep wrote, see output.ts),
 * beside it or at --out, light or self-contained; with --png, one PNG per
 * chart. results.json is read, checked and never written.
 */
import { dirname, join, resolve } from 'node:path';
import { makeDir, writeFilesAtomic } from './atomic-write.js';
import { readBoundedTextFile } from './bounded-file.js';
import { FileError, UsageError } from './errors.js';
import { shortPath } from './io-errors.js';
import { parseJsonText } from './json-file.js';
import { reportFiles } from './output.js';
import { findChromium } from './report/chromium.js';
import type { SweepResults } from './results.js';
import { checkSweepResults } from './sweep-results-schema.js';

export interface ReportCommandOptions {
  /** Where the page goes (default: the results' report file beside results.json, report.html). */
  readonly out?: string;
  /** A directory for one PNG per chart. */
  readonly png?: string;
  /** Plotly from plotly.min.js beside the page instead of inlined. */
  readonly light?: boolean;
}

export interface ReportWritten {
  readonly report: string;
  readonly pngs: readonly string[];
  /** Network requests the page made and was refused (none for a page shardsim wrote). */
  readonly refused: readonly string[];
  /** Wall-clock seconds the PNGs took (browser start, drawing, capture). */
  readonly pngSeconds: number;
}

/** The largest results.json read: a run is a few KB plus ~200 bytes a shard, and a sweep has at most 10,000 runs. */
const MAX_RESULTS_BYTES = 1 << 30;

/** A results.json, checked; every problem is a FileError naming the file and, for a wrong shape, the key (exit 2). */
export function readResultsFile(file: string): SweepResults {
  const text = readBoundedTextFile(file, { maxBytes: MAX_RESULTS_BYTES, what: 'results.json' });
  const refuse = (why: string): FileError =>
    new FileError(shortPath(file), `not a results.json shardsim can read: ${why}; give the results.json a sweep wrote (shardsim sweep <scenario> writes one)`);
  const check = checkSweepResults(parseJsonText(text, refuse));
  if (!check.ok) throw refuse(`${check.problems} (the file was edited or damaged, or comes from another program)`);
  return check.results;
}

export async function reportCommand(file: string, opts: ReportCommandOptions): Promise<ReportWritten> {
  const results = readResultsFile(file);
  const out = opts.out ?? join(dirname(file), results.files?.report ?? 'report.html');
  if (resolve(out) === resolve(file)) throw new UsageError(`--out ${out} is the results file itself; name another file for the page`);
  // Before anything is written: a missing browser fails the command with nothing half done.
  const browser = opts.png === undefined ? undefined : findChromium();
  makeDir(dirname(out));
  // A light sweep's page is rewritten light (the same bytes), unless asked otherwise: its results.json names plotly.min.js.
  const light = opts.light ?? results.files?.plotly !== undefined;
  writeFilesAtomic(reportFiles(out, results, { light }));
  if (opts.png === undefined || browser === undefined) return { report: out, pngs: [], refused: [], pngSeconds: 0 };
  const started = performance.now();
  // playwright-core is loaded only for --png: the page alone needs no browser.
  const { writeChartPngs } = await import('./report/chart-png.js');
  const pngs = await writeChartPngs(out, opts.png, browser);
  return { report: out, pngs: pngs.charts.map((p) => p.path), refused: pngs.refused, pngSeconds: (performance.now() - started) / 1000 };
}
