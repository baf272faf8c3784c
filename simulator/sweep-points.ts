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
  /** The scenario at this point, its `seed` set to the run's. */
  readonly scenario: Scenario;
  readonly shards: number;
  /** The axis values of this point (parameter path -> value), shards and seed not included. */
  readonly axes: Readonly<Record<string, number | string>>;
}

/**
 * The seeds every point runs with: a `seed` axis lists them; else
 * `study.seeds` consecutive ones from the scenario's seed. Seeds are not a
 * parameter: the runs of one point that differ only by seed are samples of
 * the same figures (point-stats.ts).
 */
export function sweepSeeds(sc: Scenario): number[] {
  const axis = sc.sweep.axes.seed;
  if (axis !== undefined) {
    if (sc.study.seeds > 1) throw new ConfigError('sweep.axes.seed', 'a seed axis lists the seeds; it cannot be combined with study.seeds (--seeds)');
    if (axis.some((v) => typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > 2 ** 32 - 1)) {
      throw new ConfigError('sweep.axes.seed', 'seeds are whole numbers from 0 to 2^32 - 1');
    }
    if (new Set(axis).size !== axis.length) throw new ConfigError('sweep.axes.seed', 'each seed once: a repeated seed repeats a run exactly');
    return axis as number[];
  }
  const first = sc.seed;
  if (first + sc.study.seeds - 1 > 2 ** 32 - 1)
    throw new ConfigError('study.seeds', `seeds ${first} to ${first + sc.study.seeds - 1} pass 2^32 - 1; lower the seed`);
  return Array.from({ length: sc.study.seeds }, (_, i) => first + i);
}

/** Points a sweep may have at most: a guard against a typo multiplying into days of runs. */
export const MAX_POINTS = 10_000;

export function sweepPoints(sc: Scenario): SweepPoint[] {
  const seeds = sweepSeeds(sc);
  const axes = Object.entries(sc.sweep.axes).filter(([path]) => path !== 'seed');
  let combos: Array<Record<string, number | string>> = [{}];
  for (const [path, values] of axes) {
    if (path === 'shards' || path.startsWith('sweep.') || path.startsWith('study.')) {
      throw new ConfigError(
        `sweep.axes.${path}`,
        'the shard count is swept by sweep.shards, seeds by study.seeds or a seed axis; other sweep and study settings cannot be axes',
      );
    }
    combos = combos.flatMap((c) => values.map((v) => ({ ...c, [path]: v })));
  }
  const total = combos.length * sc.sweep.shards.length * seeds.length;
  if (total > MAX_POINTS) throw new ConfigError('sweep', `${total} runs is more than ${MAX_POINTS}; narrow the axes`);
  const points: SweepPoint[] = [];
  for (const combo of combos) {
    const scenario = axes.length === 0 ? sc : withValues(sc, combo);
    const seeded = seeds.map((seed) => (seed === scenario.seed ? scenario : { ...scenario, seed }));
    for (const shards of sc.sweep.shards) for (const one of seeded) points.push({ scenario: one, shards, axes: combo });
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
