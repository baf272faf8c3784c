/**
 * A sweep: the scenario run once per shard count, in the order given. The
 * sweep digest covers every run's digest, so two sweeps agree byte for byte
 * exactly when their digests do.
 */
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { Scenario } from './config/schema.js';
import { digestOf } from './digest.js';
import type { RunResult, SweepResults } from './results.js';
import { runScenario } from './run.js';
import { sweepPoints } from './sweep-points.js';
import type { RedisRunOptions } from './transports.js';
import { packageVersion } from './version.js';

export interface SweepProgress {
  /** Index of the run in the sweep, its shard count, and the slot it just finished. */
  (run: number, runs: number, shards: number, slot: number, totalSlots: number): void;
}

export interface SweepOptions {
  readonly logger?: Logger | undefined;
  readonly onProgress?: SweepProgress | undefined;
  readonly redis?: RedisRunOptions | undefined;
}

export async function runSweep(sc: Scenario, opts: SweepOptions = {}): Promise<SweepResults> {
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const runs: RunResult[] = [];
  const points = sweepPoints(sc);
  for (let i = 0; i < points.length; i++) {
    const { scenario, shards, axes } = points[i]!;
    opts.logger?.info({ shards, ...axes, run: i + 1, of: points.length }, 'run starting');
    const progress = opts.onProgress;
    const onSlot = progress && ((slot: number, total: number) => progress(i, points.length, shards, slot, total));
    runs.push(await runScenario(scenario, shards, { logger: opts.logger, onSlot, redis: opts.redis, params: axes }));
  }
  return {
    scenario: sc.name,
    seed: sc.seed,
    version: packageVersion(),
    digest: digestOf({ seed: sc.seed, runs: runs.map((r) => r.digest) }),
    config: sc,
    runs,
    wall: { seconds: (performance.now() - t0) / 1000, startedAt },
  };
}
