/**
 * Reads a scenario file (YAML, or JSON, which is YAML too), applies
 * `--set path=value` overrides, and validates the result. Every failure is a
 * ConfigError naming the file and the key path.
 *
 * The input may be hostile (a shared config, a fuzzer): reads are bounded in
 * bytes and in time (a FIFO or /dev/zero never hangs), YAML alias bombs and
 * deep nesting are refused, and duplicate keys are found in linear time
 * (the yaml package's own `uniqueKeys` check is quadratic in the keys of a map).
 */
import { dirname, isAbsolute, join } from 'node:path';
import { type Document, isAlias, isCollection, isScalar, LineCounter, parseDocument, type ScalarTag, visit } from 'yaml';
import { ConfigError } from '../../crosslink/common/errors.js';
import { readBoundedRegularFile } from '../bounded-file.js';
import { FileError } from '../errors.js';
import { type FormatContext, formatIssues, type IssueOrigin, issueParts, lineOf, shorten } from './issues.js';
import { settingsWithoutEffect } from './no-effect.js';
import { type Scenario, ScenarioSchema } from './schema.js';

export { formatIssues } from './issues.js';

/**
 * Scenario files larger than this are refused before parsing. A config is a
 * few KB; the yaml parser needs about 2 s per MiB of dense flow collections.
 */
export const MAX_FILE_BYTES = 256 * 1024;
/** Longest wait for data from a pipe given as the scenario file (`<(cmd)`, a FIFO). */
const PIPE_TIMEOUT_MS = 3_000;
/** Deepest nesting accepted; a scenario is 4 levels deep (sweep.axes.<path>.[values]). */
const MAX_DEPTH = 32;
/** Most aliases expanded when converting YAML to values: a "billion laughs" document is refused. */
const MAX_ALIAS_COUNT = 100;

/**
 * An override from the command line: `spec` is `path=value` as for --set;
 * `option` is how the user wrote it (`--shards`), so a bad value is blamed on
 * it and not on the file; `what` names the value in messages ("shard counts").
 */
export interface Override {
  readonly spec: string;
  readonly option: string;
  readonly what?: string;
}

/** A validated scenario, and one line for each setting in it that has no effect. */
export interface LoadedScenario {
  readonly scenario: Scenario;
  readonly warnings: readonly string[];
}

export function loadScenario(file: string, overrides: ReadonlyArray<string | Override> = [], axes: readonly string[] = []): Scenario {
  return loadScenarioWithWarnings(file, overrides, axes).scenario;
}

export function loadScenarioWithWarnings(file: string, overrides: ReadonlyArray<string | Override> = [], axes: readonly string[] = []): LoadedScenario {
  const raw = readScenarioFile(file);
  // Paths in the file are relative to the file; paths given with --set, to the current directory.
  resolveFilePaths(raw, dirname(file));
  const origins: IssueOrigin[] = [];
  for (const o of overrides) {
    const spec = typeof o === 'string' ? o : o.spec;
    const option = typeof o === 'string' ? `--set ${shorten(o)}` : o.option;
    applyOverride(raw, spec, option);
    origins.push({ path: spec.slice(0, Math.max(0, spec.indexOf('='))).trim(), option, what: typeof o === 'string' ? undefined : o.what });
  }
  for (const a of axes) applyAxis(raw, a);
  const scenario = validateScenario(raw, file, origins);
  return { scenario, warnings: settingsWithoutEffect(raw, scenario) };
}

/** Scenario keys that hold a file path. */
const PATH_KEYS: ReadonlyArray<readonly string[]> = [
  ['workload', 'trace', 'file'],
  ['accounts', 'partitionFile'],
];

/** Rewrites the file's relative paths (PATH_KEYS) to be relative to `base`, the scenario's folder. */
function resolveFilePaths(raw: Record<string, unknown>, base: string): void {
  for (const keys of PATH_KEYS) {
    let node: unknown = raw;
    for (const k of keys.slice(0, -1))
      node = node !== null && typeof node === 'object' && Object.hasOwn(node, k) ? (node as Record<string, unknown>)[k] : undefined;
    const last = keys[keys.length - 1]!;
    if (node === null || typeof node !== 'object' || Array.isArray(node) || !Object.hasOwn(node, last)) continue;
    const value = (node as Record<string, unknown>)[last];
    // join keeps a relative path relative (configs/traces/x.csv), so messages and the digest stay short and stable.
    if (typeof value === 'string' && value !== '' && !isAbsolute(value)) (node as Record<string, unknown>)[last] = join(base, value);
  }
}

/** The same key-path syntax as the schema's `sweep.axes` keys: no `__proto__`, no empty segment. */
const KEY_PATH = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*$/;

/** Adds a sweep axis from `path=v1,v2,...` (numbers where they parse, else strings). */
export function applyAxis(raw: Record<string, unknown>, spec: string): void {
  const where = `--axis ${shorten(spec)}`;
  const eq = spec.indexOf('=');
  const path = spec.slice(0, eq).trim();
  const values = spec
    .slice(eq + 1)
    .split(',')
    .map((v) => v.trim());
  if (eq <= 0 || values.some((v) => v === '')) {
    throw new ConfigError(where, 'expected path=v1,v2,..., e.g. --axis shard.threads=1,8,32');
  }
  if (!KEY_PATH.test(path)) throw new ConfigError(where, `${shorten(JSON.stringify(path))} is not a key path (dot-separated keys, e.g. shard.threads)`);
  const sweep = section(raw, 'sweep', where);
  const axes = section(sweep, 'axes', where, 'sweep.axes');
  // defineProperty, not assignment: a path is data and must never reach a setter.
  Object.defineProperty(axes, path, {
    value: values.map((v) => (/^-?\d+(_\d+)*(\.\d+)?(e-?\d+)?$/i.test(v) ? Number(v.replace(/_/g, '')) : v)),
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/** `node[key]` as a mapping, created when absent; a ConfigError when it is something else. */
function section(node: Record<string, unknown>, key: string, where: string, name = key): Record<string, unknown> {
  const next = Object.hasOwn(node, key) ? node[key] : undefined;
  if (next === undefined || next === null) {
    const fresh: Record<string, unknown> = {};
    Object.defineProperty(node, key, { value: fresh, enumerable: true, writable: true, configurable: true });
    return fresh;
  }
  if (typeof next !== 'object' || Array.isArray(next)) throw new ConfigError(where, `"${name}" is not a section, cannot set a key inside it`);
  return next as Record<string, unknown>;
}

export function readScenarioFile(file: string): Record<string, unknown> {
  const text = readBounded(file).toString('utf8');
  const value = parseYamlText(text, shortenPath(file), true);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(shortenPath(file), 'a scenario must be a mapping of keys (name, workload, shard, ...)');
  }
  return value as Record<string, unknown>;
}

/**
 * The file's bytes through the shared bounded reader (at most
 * MAX_FILE_BYTES; devices and sockets refused; a FIFO read with a deadline),
 * its errors as ConfigErrors like every other scenario problem.
 */
function readBounded(path: string): Buffer {
  let buf: Buffer;
  try {
    buf = readBoundedRegularFile(path, { maxBytes: MAX_FILE_BYTES, what: 'scenario', pipeTimeoutMs: PIPE_TIMEOUT_MS });
  } catch (err) {
    if (err instanceof FileError) throw new ConfigError(err.path, err.shortMessage, { cause: err });
    throw err;
  }
  if (buf.length === 0) throw new ConfigError(shortenPath(path), 'the file is empty; a scenario is a mapping of keys (name, workload, shard, ...)');
  return buf;
}

/**
 * Parses one YAML document to plain values, or throws a ConfigError naming
 * `where` (with line and column, for a file). Warnings (an
 * unknown `!!tag`) are errors too: a scenario never needs them.
 */
function parseYamlText(text: string, where: string, positions: boolean): unknown {
  const lineCounter = new LineCounter();
  const at = (offset: number | undefined): string => {
    if (offset === undefined || !positions) return where;
    const pos = lineCounter.linePos(offset);
    return `${where}:${pos.line}:${pos.col}`;
  };
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false, logLevel: 'error', customTags: (tags) => [...tags, SEPARATED_INT] });
  } catch (err) {
    throw notReadable(where, err);
  }
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem !== undefined) {
    const message =
      problem.code === 'MULTIPLE_DOCS'
        ? 'holds more than one YAML document (a "---" line); a scenario is one document'
        : /call stack/i.test(problem.message)
          ? 'nested too deeply (a scenario is a few levels deep)'
          : problem.message.split('\n')[0]!;
    throw new ConfigError(at(problem.pos[0]), `not valid YAML/JSON: ${message}`);
  }
  try {
    visit(doc, {
      Map(_key, map, path) {
        if (path.filter(isCollection).length >= MAX_DEPTH)
          throw new ConfigError(at(map.range?.[0]), `nested more than ${MAX_DEPTH} levels deep (a scenario is a few levels deep)`);
        // Linear duplicate check, by the key as an object property will spell it (1 and "1" collide).
        const seen = new Set<string>();
        for (const pair of map.items) {
          const key = pair.key;
          if (!isScalar(key) || isAlias(key) || (key.value !== null && typeof key.value === 'object')) {
            const range = (key as { range?: [number, number, number] } | null)?.range;
            throw new ConfigError(at(range?.[0] ?? map.range?.[0]), 'keys must be plain names, not lists, mappings or aliases');
          }
          const name = String(key.value);
          if (seen.has(name)) throw new ConfigError(at(key.range?.[0]), `not valid YAML/JSON: duplicate key ${shorten(JSON.stringify(name))}`);
          seen.add(name);
        }
        return undefined;
      },
      Seq(_key, seq, path) {
        if (path.filter(isCollection).length >= MAX_DEPTH)
          throw new ConfigError(at(seq.range?.[0]), `nested more than ${MAX_DEPTH} levels deep (a scenario is a few levels deep)`);
        return undefined;
      },
    });
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw notReadable(where, err);
  }
}

/**
 * Integers written with digit separators, `10_000`, as the scenario reference
 * prints them (YAML 1.2's core schema reads them as strings). Only digits
 * between underscores, so a name like `v_1` stays a string.
 */
const SEPARATED_INT: ScalarTag = {
  tag: 'tag:yaml.org,2002:int',
  default: true,
  test: /^[-+]?[0-9]+(?:_[0-9]+)+$/,
  identify: () => false,
  resolve: (str: string) => Number(str.replace(/_/g, '')),
};

/** An exception from the yaml package turned into a message (alias bombs, stack overflow). */
function notReadable(where: string, err: unknown): ConfigError {
  const message = String((err as Error | undefined)?.message ?? err);
  const why = /alias count/i.test(message)
    ? `too many YAML aliases (more than ${MAX_ALIAS_COUNT} expansions; a "billion laughs" document?)`
    : err instanceof RangeError
      ? `nested too deeply to read (${message})`
      : message.split('\n')[0]!;
  return new ConfigError(where, `not valid YAML/JSON: ${why}`, { cause: err });
}

/** Applies one `path=value` override; the value is read as a YAML scalar or flow list. */
export function applyOverride(raw: Record<string, unknown>, override: string, where = `--set ${shorten(override)}`): void {
  const eq = override.indexOf('=');
  if (eq <= 0) throw new ConfigError(where, 'expected path=value, e.g. --set shard.threads=16');
  const path = override.slice(0, eq).trim();
  if (!KEY_PATH.test(path)) {
    throw new ConfigError(where, `${shorten(JSON.stringify(path))} is not a key path (dot-separated keys, e.g. workload.rate)`);
  }
  const value = parseYamlText(override.slice(eq + 1), where, false);
  const keys = path.split('.');
  let node: Record<string, unknown> = raw;
  // Own properties only: `constructor`, `toString` and friends are not sections of a scenario.
  for (const k of keys.slice(0, -1)) node = section(node, k, where, k);
  Object.defineProperty(node, keys[keys.length - 1]!, { value, enumerable: true, writable: true, configurable: true });
}

/** A file name for a message: a path past 200 characters keeps its start and its end. */
function shortenPath(file: string): string {
  return file.length > 200 ? `${file.slice(0, 100)}...${file.slice(-97)}` : file;
}

export function validateScenario(raw: unknown, source: string, origins: readonly IssueOrigin[] = []): Scenario {
  const res = ScenarioSchema.safeParse(raw);
  if (res.success) return res.data;
  const ctx: FormatContext = { input: raw, origins };
  const issues = res.error.issues;
  // One problem with a value from the command line: blame the option alone, not the file.
  if (issues.length === 1) {
    const parts = issueParts(issues[0]!, ctx);
    if (parts.option !== undefined) throw new ConfigError(parts.option, lineOf({ key: parts.key, text: parts.text }));
  }
  throw new ConfigError(shortenPath(source), formatIssues(issues, ctx));
}
