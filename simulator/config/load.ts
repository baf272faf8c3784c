/**
 * Reads a scenario file (YAML, or JSON, which is YAML too), applies
 * `--set path=value` overrides, and validates the result. Every failure is a
 * ConfigError naming the file and the key path.
 */
import { readFileSync } from 'node:fs';
import { parseDocument, parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../../crosslink/errors.js';
import { type Scenario, ScenarioSchema } from './schema.js';

/** Scenario files larger than this are refused before parsing (a config is a few KB). */
const MAX_FILE_BYTES = 1 << 20;

export function loadScenario(file: string, overrides: readonly string[] = [], axes: readonly string[] = []): Scenario {
  const raw = readScenarioFile(file);
  for (const o of overrides) applyOverride(raw, o);
  for (const a of axes) applyAxis(raw, a);
  return validateScenario(raw, file);
}

/** Adds a sweep axis from `path=v1,v2,...` (numbers where they parse, else strings). */
export function applyAxis(raw: Record<string, unknown>, spec: string): void {
  const eq = spec.indexOf('=');
  const path = spec.slice(0, eq).trim();
  const values = spec
    .slice(eq + 1)
    .split(',')
    .map((v) => v.trim());
  if (eq <= 0 || values.some((v) => v === '')) {
    throw new ConfigError(`--axis ${spec}`, 'expected path=v1,v2,..., e.g. --axis shard.threads=1,8,32');
  }
  const sweep = (raw['sweep'] ??= {}) as Record<string, unknown>;
  if (typeof sweep !== 'object' || sweep === null || Array.isArray(sweep)) throw new ConfigError(`--axis ${spec}`, '"sweep" is not a section');
  const axes = (sweep['axes'] ??= {}) as Record<string, unknown>;
  axes[path] = values.map((v) => (/^-?\d+(\.\d+)?(e-?\d+)?$/i.test(v) ? Number(v) : v));
}

export function readScenarioFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    const buf = readFileSync(file);
    if (buf.length > MAX_FILE_BYTES) throw new ConfigError(file, `file is ${buf.length} bytes; a scenario must be under ${MAX_FILE_BYTES}`);
    text = buf.toString('utf8');
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a scenario file' : String((err as Error).message);
    throw new ConfigError(file, `cannot read scenario: ${why}`, { cause: err });
  }
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const where = e.linePos?.[0] ? `${file}:${e.linePos[0].line}:${e.linePos[0].col}` : file;
    throw new ConfigError(where, `not valid YAML/JSON: ${e.message.split('\n')[0]}`);
  }
  const value: unknown = doc.toJS({ maxAliasCount: 100 });
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(file, 'a scenario must be a mapping of keys (name, workload, shard, ...)');
  }
  return value as Record<string, unknown>;
}

/** Applies one `path=value` override; the value is read as a YAML scalar or flow list. */
export function applyOverride(raw: Record<string, unknown>, override: string): void {
  const eq = override.indexOf('=');
  if (eq <= 0) throw new ConfigError(`--set ${override}`, 'expected path=value, e.g. --set shard.threads=16');
  const path = override.slice(0, eq).trim();
  const keys = path.split('.');
  if (keys.some((k) => !/^[A-Za-z][A-Za-z0-9_]*$/.test(k))) {
    throw new ConfigError(`--set ${override}`, `"${path}" is not a key path (dot-separated keys, e.g. workload.rate)`);
  }
  let value: unknown;
  try {
    value = parseYaml(override.slice(eq + 1));
  } catch (err) {
    throw new ConfigError(`--set ${override}`, `cannot read the value: ${(err as Error).message.split('\n')[0]}`);
  }
  let node: Record<string, unknown> = raw;
  for (const k of keys.slice(0, -1)) {
    const next = node[k];
    if (next === undefined) node[k] = {};
    else if (next === null || typeof next !== 'object' || Array.isArray(next)) {
      throw new ConfigError(`--set ${override}`, `"${k}" is not a section, cannot set a key inside it`);
    }
    node = node[k] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]!] = value;
}

export function validateScenario(raw: unknown, source: string): Scenario {
  const res = ScenarioSchema.safeParse(raw);
  if (res.success) return res.data;
  throw new ConfigError(source, formatIssues(res.error.issues));
}

/** One line per problem: the key path, then what is expected. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  const lines = issues.map((i) => {
    const path = i.path.length > 0 ? i.path.map(String).join('.') : '(top level)';
    if (i.code === 'unrecognized_keys') {
      const where = i.path.length > 0 ? `${path}.` : '';
      return `${i.keys.map((k) => where + k).join(', ')}: unknown key${i.keys.length > 1 ? 's' : ''} (check the spelling; see the README's scenario reference)`;
    }
    return `${path}: ${i.message}`;
  });
  return lines.length === 1 ? lines[0]! : `${lines.length} problems\n  ${lines.join('\n  ')}`;
}
