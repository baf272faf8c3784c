/**
 * Schema problems as messages a user can act on: the key path (or the
 * command-line option that set it), the value given, and what is accepted —
 * an enum's values, a bound, "did you mean" for a misspelt key.
 */
import type { z } from 'zod';
import { ScenarioSchema } from './schema.js';

/** Most problems listed in one message; the rest are counted. */
const MAX_LISTED_ISSUES = 20;

/**
 * Where a value came from when it was not the file: the option that set it
 * (`--set workload.rate=fast`, `--shards`) and, optionally, a name for what it
 * holds ("shard counts") used in place of the key path.
 */
export interface IssueOrigin {
  /** A key path, dot-separated; issues at or under it are blamed on `option`. */
  readonly path: string;
  readonly option: string;
  readonly what?: string | undefined;
}

export interface FormatContext {
  /** The validated input, to quote the value given. */
  readonly input?: unknown;
  /** Overrides, in the order applied (the last one setting a path wins). */
  readonly origins?: readonly IssueOrigin[];
}

/**
 * One line per problem: the key path (or the option that set it), then what
 * is expected. Keys come from the user's file, so each is shortened and
 * quoted when it is not a plain name, and a file with thousands of unknown
 * keys yields a short message.
 */
export function formatIssues(issues: readonly z.core.$ZodIssue[], ctx: FormatContext = {}): string {
  const lines = issues.map((i) => lineOf(issueParts(i, ctx)));
  if (lines.length === 1) return lines[0]!;
  const listed = lines.slice(0, MAX_LISTED_ISSUES);
  if (lines.length > listed.length) listed.push(`... and ${lines.length - listed.length} more`);
  return `${lines.length} problems\n  ${listed.join('\n  ')}`;
}

/** One problem, split: the option that set the value (if not the file), the key path (if not implied), what is wrong. */
export interface IssueParts {
  readonly option?: string | undefined;
  readonly key?: string | undefined;
  readonly text: string;
}

export function lineOf(p: IssueParts): string {
  return [p.option, p.key, p.text].filter((x) => x !== undefined).join(': ');
}

/** The override that set `path` (or a section above it), if any. */
export function originOf(path: readonly PropertyKey[], origins: readonly IssueOrigin[] | undefined, orBelow = false): IssueOrigin | undefined {
  if (origins === undefined) return undefined;
  const joined = path.map(String).join('.');
  for (let k = origins.length - 1; k >= 0; k--) {
    const o = origins[k]!;
    if (joined === o.path || joined.startsWith(`${o.path}.`)) return o;
    // An unknown key the override created on its way to its path (`--set shards.threads=4`).
    if (orBelow && o.path.startsWith(`${joined}.`)) return o;
  }
  return undefined;
}

export function issueParts(i: z.core.$ZodIssue, ctx: FormatContext): IssueParts {
  const keyPath = i.path.length > 0 ? i.path.map((k) => showKey(String(k))).join('.') : '(top level)';
  const origin = i.code === 'unrecognized_keys' ? originOf([...i.path, i.keys[0] ?? ''], ctx.origins, true) : originOf(i.path, ctx.origins);
  // Blamed on an option, the key path is left out when the option names it (or `what` stands for it).
  const key = origin !== undefined && (origin.what !== undefined || origin.path === i.path.join('.')) ? undefined : keyPath;
  const subject = origin?.what;
  const option = origin?.option;
  if (i.code === 'unrecognized_keys') {
    const where = i.path.length > 0 ? `${keyPath}.` : '';
    const known = knownKeys(i.path);
    const listed = i.keys.slice(0, MAX_LISTED_ISSUES).map((k) => {
      const near = suggest(k, known);
      // Not a slip in this section: maybe the right key in another one (workload.threads -> shard.threads).
      const hint = near === undefined ? elsewhere(k, i.path.map(String).join('.')) : `${where}${near}`;
      return `${where}${showKey(k)}${hint === undefined ? '' : ` (did you mean ${hint}?)`}`;
    });
    if (i.keys.length > listed.length) listed.push(`and ${i.keys.length - listed.length} more`);
    return { option, text: `${listed.join(', ')}: unknown key${i.keys.length > 1 ? 's' : ''} (check the spelling; see docs/scenario-reference.md)` };
  }
  const value = valueAt(ctx.input, i.path);
  const given = value.found ? `, got ${showValue(value.value)}` : '';
  switch (i.code) {
    case 'invalid_value':
      return { option, key, text: `expected one of ${i.values.map((v) => showValue(v)).join(', ')}${given}${enumHint(value, i.values)}` };
    case 'invalid_union': {
      const accepted = unionAccepts(i);
      if (accepted !== undefined) return { option, key, text: `expected ${accepted}${given}` };
      break;
    }
    case 'invalid_type':
      return { option, key, text: `expected ${article(i.expected)}${given}` };
    case 'too_small':
    case 'too_big': {
      if (i.origin === 'number' || i.origin === 'int' || i.origin === 'bigint') {
        const bound = i.code === 'too_small' ? i.minimum : i.maximum;
        const op = i.code === 'too_small' ? (i.inclusive === false ? '>' : '>=') : i.inclusive === false ? '<' : '<=';
        const v = value.found ? `${showValue(value.value)} is too ${i.code === 'too_small' ? 'small' : 'big'}: ` : '';
        return { option, key, text: `${v}${subject === undefined ? 'must be' : `${subject} must be`} ${op} ${String(bound)}` };
      }
      break;
    }
    default:
      break;
  }
  return { option, key, text: i.message };
}

/** "a number or "saturate"" for a union of a number and literals; undefined for other unions. */
function unionAccepts(i: z.core.$ZodIssueInvalidUnion): string | undefined {
  const parts: string[] = [];
  for (const branch of i.errors) {
    const first = branch[0];
    if (branch.length !== 1 || first === undefined || first.path.length > 0) return undefined;
    if (first.code === 'invalid_type') parts.push(article(first.expected));
    else if (first.code === 'invalid_value') parts.push(first.values.map((v) => showValue(v)).join(' or '));
    else if (first.code === 'too_small' || first.code === 'too_big') parts.push(first.message.replace(/^Too (small|big): expected /, 'a '));
    else return undefined;
  }
  return parts.length > 0 ? parts.join(' or ') : undefined;
}

function article(expected: string): string {
  if (expected === 'number' || expected === 'int') return 'a number';
  if (expected === 'object') return 'a section (a mapping of keys)';
  if (expected === 'array') return 'a list, e.g. [1, 2]';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function enumHint(value: { found: boolean; value?: unknown }, values: readonly unknown[]): string {
  if (!value.found || typeof value.value !== 'string') return '';
  const hint = suggest(
    value.value,
    values.filter((v): v is string => typeof v === 'string'),
  );
  return hint === undefined ? '' : ` (did you mean ${hint}?)`;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): { found: boolean; value?: unknown } {
  if (input === undefined) return { found: false };
  let node: unknown = input;
  for (const k of path) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, k)) return { found: false };
    node = (node as Record<PropertyKey, unknown>)[k];
  }
  return { found: true, value: node };
}

function showValue(v: unknown): string {
  if (typeof v === 'string') return shorten(JSON.stringify(v), 66);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a section';
  return typeof v;
}

/** The keys the schema accepts in the section at `path` ([] for the top level). */
export function knownKeys(path: readonly PropertyKey[]): string[] {
  let s: unknown = ScenarioSchema;
  for (const k of path) {
    const shape = shapeOf(s);
    if (shape === undefined || !Object.hasOwn(shape, String(k))) return [];
    s = shape[String(k)];
  }
  const shape = shapeOf(s);
  return shape === undefined ? [] : Object.keys(shape);
}

/** Every key path of the schema's sections, `shard.threads` and so on. */
function allKeyPaths(): string[] {
  const out: string[] = [];
  const walk = (path: string[]): void => {
    for (const k of knownKeys(path)) {
      out.push([...path, k].join('.'));
      if (path.length < 3) walk([...path, k]);
    }
  };
  walk([]);
  return out;
}

let keyPaths: string[] | undefined;

/** The full path of a key spelt exactly so (any case) in one other section, if there is exactly one. */
function elsewhere(key: string, section: string): string | undefined {
  if (key.length > 64) return undefined;
  keyPaths ??= allKeyPaths();
  const lower = key.toLowerCase();
  const hits = keyPaths.filter((p) => p.slice(p.lastIndexOf('.') + 1).toLowerCase() === lower && p.slice(0, Math.max(0, p.lastIndexOf('.'))) !== section);
  return hits.length === 1 ? hits[0] : undefined;
}

/** The object shape under any default/optional/prefault wrappers, or undefined. */
function shapeOf(schema: unknown): Record<string, unknown> | undefined {
  let s = schema as { _zod?: { def: Record<string, unknown> } } | undefined;
  for (let depth = 0; depth < 8 && s?._zod !== undefined; depth++) {
    const def = s._zod.def;
    if (def['type'] === 'object') return def['shape'] as Record<string, unknown>;
    const inner = def['innerType'] ?? def['in'];
    if (inner === undefined) return undefined;
    s = inner as typeof s;
  }
  return undefined;
}

/**
 * The closest of `candidates` to `word` by edit distance (case-insensitive),
 * when close enough to be a slip: at most 1 edit for short words, 2 from
 * 5 characters, 3 from 9.
 */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  if (word.length > 64) return undefined;
  const w = word.toLowerCase();
  const limit = w.length < 5 ? 1 : w.length < 9 ? 2 : 3;
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const c of candidates) {
    const d = levenshtein(w, c.toLowerCase());
    if (d < bestDistance && d < Math.max(w.length, c.length)) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** Edit distance (insertions, deletions, substitutions), two rows of the table at a time. */
export function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    }
    prev = row;
  }
  return prev[b.length]!;
}

/** A key from the user's input as a message shows it: plain names as they are, anything else quoted and shortened. */
export function showKey(k: string): string {
  return /^[A-Za-z0-9_.-]{1,64}$/.test(k) ? k : shorten(JSON.stringify(k), 66);
}

/** A user-supplied string cut to a readable length for a message. */
export function shorten(s: string, max = 80): string {
  return s.length > max ? `${s.slice(0, max - 3)}...` : s;
}
