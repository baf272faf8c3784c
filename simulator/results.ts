/**
 * The shape of a sweep's results (results.json). Every figure outside a
 * `wall` object is a deterministic function of (config, seed) and enters the
 * digests; `wall` holds wall-clock figures and is excluded from them.
 */
import type { Recovery } from '../crosslink/transport.js';
import type { Scenario } from './config/schema.js';
import type { ExecFigures } from './exec-figures.js';

export interface LatencySummary {
  /** Simulated seconds from submission to completion (last receipt applied). */
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly mean: number;
  /** Transactions submitted in the measured window that completed (the histogram's population). */
  readonly samples: number;
}

/**
 * The executor's figures come from their table (shards/executors/exec-stats.ts,
 * laid out by exec-figures.ts): each row aggregated over the window's blocks,
 * e.g. `bound`, the gas-weighted mean of min(threads, W/D) over RAW edges only
 * and over all conflict edges.
 */
export interface ExecutionSummary extends ExecFigures {
  readonly executor: string;
  readonly threads: number;
  /** Sequential time over the executor's makespan, summed over the run's blocks. */
  readonly speedup: number;
  /** Mean virtual seconds of execution per block. */
  readonly makespan: number;
}

export interface ShardFigures {
  readonly shard: number;
  /** Mean fraction of block capacity used over the measured window. */
  readonly utilisation: number;
  readonly txIncluded: number;
  readonly receiptsApplied: number;
  readonly mempoolEnd: number;
  readonly delayedEnd: number;
}

export interface RunWall {
  readonly seconds: number;
  /** Executed user transactions (all slots) per wall-clock second. */
  readonly simulatedTxPerWallSecond: number;
  /** Shard-process restarts and resumes the run lived through (absent when none). */
  readonly recoveries?: readonly Recovery[];
}

export interface RunResult {
  readonly shards: number;
  /** The sweep point: parameter path -> value. */
  readonly params: Readonly<Record<string, number | string>>;
  /** Completed transactions per simulated second over the measured window. */
  readonly throughputTps: number;
  /** Transactions generated per simulated second over the measured window. */
  readonly offeredTps: number;
  /** Share of committed transactions whose receiver lives on another shard. */
  readonly crossShardRatio: number;
  readonly latency: LatencySummary;
  readonly transactions: {
    readonly submitted: number;
    readonly mempoolDropped: number;
    readonly completed: number;
    readonly completedFailed: number;
    /** Still in a mempool or carried by an in-flight receipt at the end: pending, not lost. */
    readonly pending: number;
  };
  /** The measured window's transactions by workload kind (`transfer`, or the called contract's kind: shards/kind-of.ts), keys sorted. */
  readonly byKind: Readonly<Record<string, KindFigures>>;
  readonly receipts: {
    readonly sent: number;
    readonly applied: number;
    readonly refunds: number;
    readonly rejected: number;
    readonly duplicates: number;
    readonly inFlight: number;
    /** Receipts admitted but waiting for block space at the end (the delayed-receipt queue). */
    readonly delayedBacklog: number;
  };
  readonly utilisation: { readonly mean: number; readonly max: number };
  /** Busiest shard's work (transactions + receipts executed in the window) over the mean: 1 is perfectly even. */
  readonly loadImbalance: number;
  readonly perShard: readonly ShardFigures[];
  readonly execution: ExecutionSummary;
  readonly security: SecuritySummary;
  /** Trace replay: rows replayed, malformed rows skipped (`onBadRow: skip`), contract creations left out; null otherwise. */
  readonly trace: { readonly rows: number; readonly skipped: number; readonly creations: number } | null;
  /** Injected faults (null for a clean run): batches forged by kind, batches rejected by reason, duplicates dropped. */
  readonly faults: {
    readonly silentSlots: number;
    readonly forgedBatches: Readonly<Record<string, number>>;
    readonly rejectedBatchesByReason: Readonly<Record<string, number>>;
    readonly duplicateBatches: number;
  } | null;
  /** Final state root of each shard, hex. */
  readonly stateRoots: readonly string[];
  readonly digest: string;
  readonly wall: RunWall;
}

/** One workload kind's transactions of the measured window. */
export interface KindFigures {
  /** Generated in the window (as `offeredTps`, mempool drops included). */
  readonly offered: number;
  /** Of those, completed by the end of the run (as latency's `samples`), failures included. */
  readonly completed: number;
  /** Of those completed, how many as failures (a failed call or transfer, a refunded credit). */
  readonly failed: number;
}

export interface SecuritySummary {
  readonly validators: number;
  readonly committeeSize: number;
  readonly adversaryFraction: number;
  readonly threshold: number;
  /** Probability that at least one shard's committee reaches the adversarial threshold in an epoch. */
  readonly failureProbability: number;
}

export interface SweepResults {
  readonly scenario: string;
  readonly seed: number;
  readonly version: string;
  /** Hash over every run's deterministic figures. */
  readonly digest: string;
  readonly config: Scenario;
  readonly runs: readonly RunResult[];
  readonly wall: { readonly seconds: number; readonly startedAt: string };
}
