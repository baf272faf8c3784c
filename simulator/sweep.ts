/**
 * A sweep: the scenario run once per shard count, in the order given. The
 * sweep digest covers every run's digest, so two sweeps agree byte for byte
 * exactly when their digests do.
 */
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { runPrefix } from '../crosslink/transports/redis/names.js';
import type { Scenario } from './config/schema.js';
import { digestOf } from './digest.js';
import { findMaxSustainable } from './find-max.js';
import { pointStats } from './point-stats.js';
import type { RunResult, SweepResults } from './results.js';
import { runScenario } from './run.js';
import { sweepPoints, sweepSeeds } from './sweep-points.js';
import type { RedisRunOptions } from './transports.js';
import { packageVersion } from './version.js';

/** Index of the run in the sweep, its shard count, and the slot it just finished. */
export type SweepProgress = (run: number, runs: number, shards: number, slot: number, totalSlots: number) => void;

export interface SweepOptions {
  readonly logger?: Logger | undefined;
  readonly onProgress?: SweepProgress | undefined;
  readonly redis?: RedisRunOptions | undefined;
  /** Names each run's Redis keys (`{ss:<run id>.<index>}`), so an interrupted sweep can be resumed. */
  readonly runId?: string | undefined;
  /** Resuming: the runs an earlier attempt finished (skipped), and its start time. */
  readonly resume?: { readonly runs: readonly RunResult[]; readonly startedAt: string } | undefined;
  /** Called with every finished run so far, after each run (progress files). */
  readonly onRunDone?: ((runs: readonly RunResult[]) => void) | undefined;
}

export async function runSweep(sc: Scenario, opts: SweepOptions = {}): Promise<SweepResults> {
  const startedAt = opts.resume?.startedAt ?? new Date().toISOString();
  const t0 = performance.now();
  const points = sweepPoints(sc);
  const runs: RunResult[] = (opts.resume?.runs ?? []).slice(0, points.length);
  const resumeAt = opts.resume === undefined ? -1 : runs.length;
  for (let i = runs.length; i < points.length; i++) {
    const { scenario, shards, axes } = points[i]!;
    opts.logger?.info({ shards, ...axes, run: i + 1, of: points.length, resume: i === resumeAt }, 'run starting');
    const progress = opts.onProgress;
    const onSlot = progress && ((slot: number, total: number) => progress(i, points.length, shards, slot, total));
    const redisFor = (tag: string, resume: boolean): RedisRunOptions => ({
      ...opts.redis,
      ...(opts.runId === undefined ? {} : { prefix: runPrefix(`${opts.runId}.${tag}`) }),
      resume,
    });
    const run = sc.study.findMax
      ? // Each probe is a run of its own; a resumed point starts its search over.
        await findMaxSustainable(scenario, shards, (probe, k) =>
          runScenario(probe, shards, { logger: opts.logger, onSlot, redis: redisFor(`${i}.p${k}`, false), params: axes }),
        )
      : await runScenario(scenario, shards, { logger: opts.logger, onSlot, redis: redisFor(String(i), i === resumeAt), params: axes });
    runs.push(run);
    opts.onRunDone?.(runs);
  }
  return {
    scenario: sc.name,
    seed: sc.seed,
    seeds: sweepSeeds(sc),
    version: packageVersion(),
    digest: digestOf({ seed: sc.seed, runs: runs.map((r) => r.digest) }),
    config: sc,
    runs,
    points: pointStats(runs),
    wall: { seconds: (performance.now() - t0) / 1000, startedAt },
  };
}
