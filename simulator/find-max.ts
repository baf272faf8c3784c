/**
 * The maximum sustainable throughput at one sweep point: the highest offered
 * rate the network keeps up with. A sweep at one fixed offered rate cannot
 * say it: below capacity every shard count shows the offered rate, above it
 * the backlog grows without bound and the figures depend on how long the
 * run is. Each probe is a whole run at one `workload.rate`; a rate is
 * sustainable when the run is stable (nothing dropped, backlog not growing,
 * results.ts `Stability`) and its p99 latency, over every transaction of the
 * window, is exactly known and within the objective. The search doubles (or
 * halves) from a start rate until it brackets the boundary, then bisects
 * until the bracket is within the tolerance: deterministic, like each run.
 */
import { ConfigError } from '../crosslink/common/errors.js';
import type { Recovery } from '../crosslink/transport.js';
import { bucketLow, bucketOf } from '../shards/latency-histogram.js';
import type { Scenario } from './config/schema.js';
import { digestOf } from './digest.js';
import type { FindMaxProbe, FindMaxResult, RunResult, RunWall } from './results.js';
import { slotCapacityTx } from './slot-capacity.js';

/** Runs the scenario (with a probed rate) at the point's shard count. */
export type ProbeRun = (sc: Scenario, probe: number) => Promise<RunResult>;

/** The latency objective, simulated seconds: the scenario's, or a cross-shard transaction's path plus a little queueing. */
export function latencySloOf(sc: Scenario): number {
  return sc.study.latencySlo ?? (sc.finalityDelaySlots + 4) * sc.slotSeconds;
}

/** The first rate probed: the scenario's `study.startRate`, its numeric `workload.rate`, else what the network's blocks can hold, in transfers (slot-capacity.ts). */
export function startRateOf(sc: Scenario, shards: number): number {
  if (sc.study.startRate !== undefined) return sc.study.startRate;
  if (sc.workload.rate !== 'saturate') return sc.workload.rate;
  return Math.max(1, (slotCapacityTx(sc, shards) * shards) / sc.slotSeconds);
}

/** Refuses a scenario whose load is not set by `workload.rate`. */
export function checkFindMax(sc: Scenario): void {
  if (sc.workload.kind === 'trace' && sc.workload.trace?.replay !== 'rate') {
    throw new ConfigError('study.findMax', 'the search varies workload.rate, but a trace replayed by blocks ignores it; set workload.trace.replay: rate');
  }
}

/**
 * Whether a p99 is within the objective: the histogram reports a bucket's
 * midpoint (1.5% wide at most), so a p99 whose bucket starts at or below the
 * objective meets it; a latency of exactly the objective is not failed by
 * the rounding.
 */
function withinObjective(p99Seconds: number, sloSeconds: number): boolean {
  return Number.isFinite(p99Seconds) && bucketLow(bucketOf(p99Seconds * 1000)) <= sloSeconds * 1000;
}

/**
 * The probe of `rate`: sustainable when the workload really offered that
 * rate (a trace that runs out offers less, and a light load proves nothing),
 * the run was stable, and its p99 is exactly known and within the objective.
 */
function verdict(run: RunResult, rate: number, sc: Scenario, slo: number): FindMaxProbe {
  const reasons: string[] = [];
  // One transaction over the window is the most a whole-number rate can lose to rounding.
  const shortfall = rate * (1 - sc.study.tolerance) - 1 / (sc.slots.measure * sc.slotSeconds);
  if (run.offeredTps < shortfall) reasons.push(`the workload offered only ${run.offeredTps} of the ${rate} tx/s probed (a trace that ran out?)`);
  reasons.push(...run.stability.reasons);
  const p99LowerBound = run.latency.lowerBound.includes('p99');
  if (run.latency.samples === 0) reasons.push('no transaction was submitted in the measured window');
  else if (p99LowerBound) reasons.push(`p99 latency is at least ${run.latency.p99} s: transactions were still unfinished at the end`);
  else if (!withinObjective(run.latency.p99, slo)) reasons.push(`p99 latency ${run.latency.p99} s is over the objective of ${slo} s`);
  return {
    rate,
    offeredTps: run.offeredTps,
    sustainable: reasons.length === 0,
    reasons,
    throughputTps: run.throughputTps,
    p99: run.latency.p99,
    p99LowerBound,
  };
}

/** A rate as the search probes it: a whole number of transactions per simulated second, at least one. */
function whole(rate: number): number {
  return Math.max(1, Math.round(rate));
}

export async function findMaxSustainable(sc: Scenario, shards: number, run: ProbeRun): Promise<RunResult> {
  checkFindMax(sc);
  const slo = latencySloOf(sc);
  const { tolerance, maxProbes } = sc.study;
  const probes: FindMaxProbe[] = [];
  let best: RunResult | undefined;
  let lowest: { readonly rate: number; readonly run: RunResult } | undefined;
  // The whole search's wall clock: every probe's seconds and transactions, and any recovery any probe lived through.
  let wallSeconds = 0;
  let executed = 0;
  const recoveries: Recovery[] = [];
  let lo = 0;
  let hi = Number.POSITIVE_INFINITY;
  const probe = async (rate: number): Promise<boolean> => {
    const result = await run({ ...sc, workload: { ...sc.workload, rate } }, probes.length);
    wallSeconds += result.wall.seconds;
    executed += result.wall.simulatedTxPerWallSecond * result.wall.seconds;
    recoveries.push(...(result.wall.recoveries ?? []));
    const v = verdict(result, rate, sc, slo);
    probes.push(v);
    if (v.sustainable) {
      lo = rate;
      best = result;
    } else {
      hi = rate;
      if (lowest === undefined || rate < lowest.rate) lowest = { rate, run: result };
    }
    return v.sustainable;
  };

  // Bracket: double while sustainable, halve while not (down to one transaction a second).
  let rate = whole(startRateOf(sc, shards));
  if (await probe(rate)) {
    while (hi === Number.POSITIVE_INFINITY && probes.length < maxProbes) await probe((rate = whole(rate * 2)));
  } else {
    while (lo === 0 && rate > 1 && probes.length < maxProbes) await probe((rate = whole(rate / 2)));
  }
  // Bisect the bracket to the tolerance.
  while (lo > 0 && hi !== Number.POSITIVE_INFINITY && (hi - lo) / lo > tolerance && probes.length < maxProbes) {
    const mid = whole((lo + hi) / 2);
    if (mid <= lo || mid >= hi) break;
    await probe(mid);
  }

  const chosen = best ?? lowest!.run;
  const findMax: FindMaxResult = {
    maxSustainableTps: lo,
    firstUnsustainableTps: hi === Number.POSITIVE_INFINITY ? null : hi,
    latencySlo: slo,
    tolerance,
    probes,
  };
  // In the results' key order (findMax before stateRoots), and covered by the run's digest: the search is as deterministic as a run.
  const { stateRoots, digest: _, wall: _wall, ...head } = chosen;
  const body = { ...head, findMax, stateRoots };
  const wall: RunWall = {
    seconds: wallSeconds,
    simulatedTxPerWallSecond: wallSeconds > 0 ? executed / wallSeconds : 0,
    ...(recoveries.length > 0 ? { recoveries } : {}),
  };
  return { ...body, digest: digestOf(body), wall };
}
