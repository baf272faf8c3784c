/**
 * A results.json read for `shardsim compare`: only the fields a comparison
 * needs, checked, and everything else let through untouched. Not
 * RunResultSchema, which is strict: a comparison must read results written
 * by an older or newer shardsim (a field added or dropped elsewhere in a run
 * changes nothing here), and the figures it compares are few.
 */
import { z } from 'zod';
import { readBoundedTextFile } from './bounded-file.js';
import { FileError } from './errors.js';
import { shortPath } from './io-errors.js';
import { parseJsonWith } from './json-file.js';

/** A figure: JSON writes NaN (no value, e.g. latency with no samples) as null; it reads back as NaN. */
const num = z.union([z.number(), z.null().transform(() => Number.NaN)]);

const CompareRunSchema = z.looseObject({
  shards: z.number().int().min(1),
  params: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
  /** The run's own seed, where results carry one (several seeds per point); else the file's. */
  seed: z.number().optional(),
  throughputTps: num,
  crossShardRatio: num,
  latency: z.looseObject({
    p50: num,
    p99: num,
    /** Names of latency figures that are only lower bounds (transactions still unfinished at the end). */
    lowerBound: z.array(z.string()).optional(),
  }),
  execution: z.looseObject({ speedup: num }),
  findMax: z.looseObject({ maxSustainableTps: num }).nullish(),
});

const CompareResultsSchema = z.looseObject({
  scenario: z.string(),
  seed: z.number(),
  version: z.string().optional(),
  runs: z.array(CompareRunSchema),
});

export type CompareRun = z.output<typeof CompareRunSchema>;

export interface CompareResults {
  /** The path as given, for messages. */
  readonly file: string;
  readonly scenario: string;
  readonly seed: number;
  readonly version: string | undefined;
  readonly runs: readonly CompareRun[];
}

/** Far above any sweep's results.json (a 128-shard run is tens of kB), far below what would hurt to hold. */
const MAX_RESULTS_BYTES = 512 * 1024 * 1024;

/** The results file at `path`, or a FileError (exit 2) saying why it cannot be compared. */
export function readResultsForCompare(path: string): CompareResults {
  const text = readBoundedTextFile(path, { maxBytes: MAX_RESULTS_BYTES, what: 'results file' });
  const notResults = (why: string): FileError => new FileError(shortPath(path), `not a shardsim results file (results.json of a sweep): ${why}`);
  const r = parseJsonWith(text, CompareResultsSchema, notResults);
  if (r.runs.length === 0) throw notResults('it holds no runs');
  return { file: path, scenario: r.scenario, seed: r.seed, version: r.version, runs: r.runs };
}
