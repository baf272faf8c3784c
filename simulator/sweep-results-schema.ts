/**
 * The shape of a sweep's results (SweepResults, results.json) as zod, for
 * what shardsim reads back (`shardsim report`): a hand-edited, truncated or
 * foreign file is refused with the key path at fault instead of failing deep
 * in the page. Built on the run and scenario schemas; a compile-time check
 * below keeps it in step with results.ts.
 *
 * The report page embeds the results as JSON, and a page made again from
 * results.json must be the same bytes as the sweep's: the sweep renders its
 * page from its own results.json text read back through here (output.ts), and
 * what is read back keeps the key order of the text (zod would give the
 * schema's) and its NaN figures (written as null, read back as NaN).
 */
import { z } from 'zod';
import { ScenarioSchema } from './config/schema.js';
import { describeIssues } from './json-file.js';
import type { SweepResults } from './results.js';
import { RunResultSchema } from './run-result-schema.js';

/** A figure: JSON writes NaN as null; it reads back as NaN, as the sweep made it. */
const num = z.union([z.number(), z.null().transform(() => Number.NaN)]);

/** A file written beside results.json: a bare name (never a path, so a report is never written elsewhere because a file says so). */
const fileName = z.string().regex(/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$/, 'expected a file name beside results.json (letters, digits, ".", "_", "-"; no path)');

const seed = z.number().int().min(0);

const FigureStatsSchema = z.strictObject({ mean: num, sd: num, ci95: z.tuple([num, num]), n: z.number().int().min(0) });

const PointStatsSchema = z.strictObject({
  shards: z.number().int().min(1),
  params: z.record(z.string().max(200), z.union([z.number(), z.string().max(1000)])),
  seeds: z.array(seed).max(1_000),
  figures: z.record(z.string().max(200), FigureStatsSchema),
});

export const SweepResultsSchema = z.strictObject({
  scenario: z.string().max(200),
  seed,
  seeds: z.array(seed).min(1).max(1_000),
  version: z.string().max(100),
  digest: z.string().regex(/^[0-9a-f]{64}$/, 'expected a SHA-256 digest (64 hex digits)'),
  config: ScenarioSchema,
  runs: z.array(RunResultSchema).min(1, 'a sweep has at least one run'),
  points: z.array(PointStatsSchema),
  wall: z.strictObject({ seconds: num, startedAt: z.string().max(100) }),
  files: z.strictObject({ report: fileName, csv: fileName, blocks: fileName.exactOptional(), plotly: fileName.exactOptional() }).exactOptional(),
});

/** Fails to compile when SweepResults gains a field the schema does not produce. */
type Parsed = z.output<typeof SweepResultsSchema>;
const _inStep: (p: Parsed) => SweepResults = (p) => p;
void _inStep;

export type SweepResultsCheck = { readonly ok: true; readonly results: SweepResults } | { readonly ok: false; readonly problems: string };

/**
 * Checks a value parsed from results.json. The results come back in the
 * value's key order, so that JSON.stringify gives the text they came from.
 */
export function checkSweepResults(value: unknown): SweepResultsCheck {
  const parsed = SweepResultsSchema.safeParse(value);
  if (!parsed.success) return { ok: false, problems: describeIssues(parsed.error.issues) };
  return { ok: true, results: inKeyOrderOf(parsed.data, value) as SweepResults };
}

/**
 * `parsed` with each object's keys in the order `original` has them (keys
 * only `parsed` has, defaults zod filled in, go last). Values are `parsed`'s.
 */
function inKeyOrderOf(parsed: unknown, original: unknown): unknown {
  if (Array.isArray(parsed)) {
    const orig = Array.isArray(original) ? original : [];
    return parsed.map((item: unknown, i) => inKeyOrderOf(item, orig[i]));
  }
  if (!isPlainObject(parsed)) return parsed;
  const orig = isPlainObject(original) ? original : {};
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(orig)) if (Object.hasOwn(parsed, key)) out[key] = inKeyOrderOf(parsed[key], orig[key]);
  for (const key of Object.keys(parsed)) if (!Object.hasOwn(out, key)) out[key] = parsed[key];
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
