/**
 * Expands a scenario's sweep into its points: the cartesian product of its
 * axes (first axis outermost), then every shard count. Each point is the
 * scenario with the axis values set, validated like a file, so a bad axis
 * is a ConfigError naming `sweep.axes.<path>`.
 */
import { ConfigError } from '../crosslink/common/errors.js';
import { formatIssues } from './config/load.js';
import { type Scenario, ScenarioSchema } from './config/schema.js';

export interface SweepPoint {
  readonly scenario: Scenario;
  readonly shards: number;
  /** The axis values of this point (parameter path -> value), shards not included. */
  readonly axes: Readonly<Record<string, number | string>>;
}

/** Points a sweep may have at most: a guard against a typo multiplying into days of runs. */
export const MAX_POINTS = 10_000;

export function sweepPoints(sc: Scenario): SweepPoint[] {
  const axes = Object.entries(sc.sweep.axes);
  let combos: Array<Record<string, number | string>> = [{}];
  for (const [path, values] of axes) {
    if (path === 'shards' || path.startsWith('sweep.')) {
      throw new ConfigError(`sweep.axes.${path}`, 'the shard count is swept by sweep.shards; other sweep settings cannot be axes');
    }
    combos = combos.flatMap((c) => values.map((v) => ({ ...c, [path]: v })));
  }
  const total = combos.length * sc.sweep.shards.length;
  if (total > MAX_POINTS) throw new ConfigError('sweep', `${total} runs is more than ${MAX_POINTS}; narrow the axes`);
  const points: SweepPoint[] = [];
  for (const combo of combos) {
    const scenario = axes.length === 0 ? sc : withValues(sc, combo);
    for (const shards of sc.sweep.shards) points.push({ scenario, shards, axes: combo });
  }
  return points;
}

function withValues(sc: Scenario, combo: Record<string, number | string>): Scenario {
  const raw = structuredClone(sc) as unknown as Record<string, unknown>;
  for (const [path, value] of Object.entries(combo)) {
    const keys = path.split('.');
    let node = raw;
    for (const k of keys.slice(0, -1)) {
      const next = node[k];
      if (next === null || typeof next !== 'object' || Array.isArray(next)) {
        throw new ConfigError(`sweep.axes.${path}`, `"${k}" is not a section of the scenario`);
      }
      node = next as Record<string, unknown>;
    }
    const last = keys[keys.length - 1]!;
    if (!(last in node)) throw new ConfigError(`sweep.axes.${path}`, 'no such scenario key');
    node[last] = value;
  }
  const res = ScenarioSchema.safeParse(raw);
  if (!res.success) {
    const where = Object.entries(combo)
      .map(([p, v]) => `${p}=${JSON.stringify(v)}`)
      .join(', ');
    throw new ConfigError(`sweep.axes (${where})`, formatIssues(res.error.issues));
  }
  return res.data;
}
