/** Tiny scenarios for tests: the schema's defaults plus what a test changes. */
import { validateScenario } from '../../simulator/config/load.js';
import type { Scenario } from '../../simulator/config/schema.js';

type DeepPartial<T> = {
  [K in keyof T]?: NonNullable<T[K]> extends readonly unknown[] ? T[K] : NonNullable<T[K]> extends object ? DeepPartial<NonNullable<T[K]>> : T[K];
};

export function tinyScenario(overrides: DeepPartial<Scenario> = {}): Scenario {
  const base = {
    name: 'tiny',
    seed: 3,
    slots: { warmup: 1, measure: 4, drain: 4 },
    sweep: { shards: [1, 2, 4] },
    accounts: { count: 500, initialBalance: 10_000 },
    shard: { blockGasLimit: 2_000_000, gasPerSecondPerThread: 2_000_000, mempoolCapacity: 2_000 },
    workload: { rate: 300 },
  };
  return validateScenario(merge(base, overrides), 'test scenario');
}

function merge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] =
      v !== null && typeof v === 'object' && !Array.isArray(v) && prev !== null && typeof prev === 'object' && !Array.isArray(prev)
        ? merge(prev as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}
