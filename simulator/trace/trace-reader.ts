/**
 * Replays a real (or synthetic) transaction trace as a stream of TraceRows:
 * CSV records from csv-lines.ts, mapped by the chosen format's columns, with
 * a check that blocks do not run backwards. Memory stays bounded by one
 * record whatever the file's size.
 */
import { type Stats, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { TraceError } from '../errors.js';
import { readCsvRecords } from './csv-lines.js';
import { type BoundFormat, bindFormat, TRACE_FORMATS, type TraceColumns, type TraceFormat, type TraceRow } from './formats.js';

export interface ReadTraceOptions {
  readonly file: string;
  readonly format: TraceFormat;
  /** A `custom` format's columns. */
  readonly columns?: TraceColumns;
  /** `error`: the first bad row throws a TraceError naming the file, line and column; `skip`: bad rows are counted and skipped. */
  readonly onBadRow: 'error' | 'skip';
  /**
   * Longest record accepted, in bytes; a longer one always throws (in `skip` mode too).
   * @defaultValue 1 MiB
   */
  readonly maxLineBytes?: number;
  /**
   * How many blocks a row may step back from the highest block seen so far
   * (exports are sorted, but some interleave neighbouring blocks); more is a bad row.
   * @defaultValue 8
   */
  readonly blockTolerance?: number;
}

/** Counts kept up to date as the rows are consumed. */
export interface TraceStats {
  /** Rows yielded so far. */
  rows: number;
  /** Bad rows skipped (always 0 in `error` mode). */
  skipped: number;
  /** Line of the first bad row, or null. */
  firstBadLine: number | null;
}

export const DEFAULT_BLOCK_TOLERANCE = 8;

/**
 * Opens a trace for streaming. A missing file, an unknown format or bad
 * options throw here; everything else (header, rows) when iterating.
 */
export function readTrace(opts: ReadTraceOptions): { rows: AsyncGenerator<TraceRow>; stats: TraceStats } {
  const { file } = opts;
  if (!TRACE_FORMATS.includes(opts.format)) {
    throw new TraceError(file, undefined, `unknown trace format "${String(opts.format)}"; expected one of ${TRACE_FORMATS.join(', ')}`);
  }
  const tolerance = opts.blockTolerance ?? DEFAULT_BLOCK_TOLERANCE;
  if (!Number.isInteger(tolerance) || tolerance < 0) {
    throw new TraceError(file, undefined, `blockTolerance must be a non-negative integer, got ${tolerance}`);
  }
  let stat: Stats | undefined;
  try {
    stat = statSync(file, { throwIfNoEntry: false });
  } catch (err) {
    // ENOTDIR (a path through a regular file), ENAMETOOLONG, EACCES on a parent directory.
    throw new TraceError(file, undefined, `cannot open the trace file (${(err as Error).message})`, { cause: err });
  }
  if (stat === undefined) throw new TraceError(file, undefined, `trace file not found (looked for ${resolve(file)})`);
  if (!stat.isFile()) throw new TraceError(file, undefined, 'is not a regular file; expected a CSV trace (plain or .gz)');
  const stats: TraceStats = { rows: 0, skipped: 0, firstBadLine: null };
  return { rows: traceRows(opts, tolerance, stats), stats };
}

async function* traceRows(opts: ReadTraceOptions, tolerance: number, stats: TraceStats): AsyncGenerator<TraceRow> {
  const { file, format, onBadRow, columns } = opts;
  const records = readCsvRecords(file, opts.maxLineBytes === undefined ? {} : { maxLineBytes: opts.maxLineBytes });
  let bound: BoundFormat | null = null;
  let highestBlock = -1;
  for await (const record of records) {
    if (bound === null) {
      if (record.fields === null) throw new TraceError(file, record.line, `the header line ${record.problem}`);
      bound = bindFormat(format, record.fields, file, record.line, columns);
      continue;
    }
    let problem: string;
    if (record.fields === null) {
      problem = record.problem;
    } else {
      const row = bound.map(record.fields, record.line);
      if (typeof row === 'string') {
        problem = row;
      } else if (row.block + tolerance < highestBlock) {
        problem = `column ${bound.blockColumn}: block ${row.block} goes back more than ${tolerance} blocks from block ${highestBlock}`;
      } else {
        if (row.block > highestBlock) highestBlock = row.block;
        stats.rows++;
        yield row;
        continue;
      }
    }
    stats.firstBadLine ??= record.line;
    if (onBadRow === 'error') {
      throw new TraceError(file, record.line, `bad ${format} row: ${problem} (onBadRow: 'skip' counts and skips such rows)`);
    }
    stats.skipped++;
  }
  if (bound === null) throw new TraceError(file, undefined, `the file is empty; expected a header line naming the ${format} columns`);
}
