/**
 * The shape of a sweep's results (results.json). Every figure outside a
 * `wall` object is a deterministic function of (config, seed) and enters the
 * digests; `wall` holds wall-clock figures and is excluded from them.
 */

import type { Recovery } from '../crosslink/transport.js';
import type { BlockTable } from './block-figures.js';
import type { Scenario } from './config/schema.js';
import type { ExecFigures } from './exec-figures.js';
import type { PointStats } from './point-stats.js';

/**
 * Simulated seconds from submission to completion (last receipt applied),
 * over every transaction submitted in the measured window: one unfinished at
 * the run's end counts as at least the time to the run's end (censored), so
 * a figure that falls among those is a lower bound (simulator/censored-latency.ts).
 */
export interface LatencySummary {
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly mean: number;
  /** Transactions submitted in the measured window: the population of the figures. */
  readonly samples: number;
  /** Of those, the ones that completed by the run's end. */
  readonly completed: number;
  /** The ones that had not (pending, in flight, or dropped by a full mempool). */
  readonly censored: number;
  /** completed / samples. */
  readonly completedShare: number;
  /** The figures that are lower bounds because censored transactions reach them, e.g. ["p95", "p99", "mean"]; empty when every figure is exact. */
  readonly lowerBound: readonly ('p50' | 'p95' | 'p99' | 'mean')[];
}

/**
 * Whether the network kept up with what it was offered over the measured
 * window. Unstable when the offered load exceeds what it sustains: a full
 * mempool dropped transactions, or the backlog (transactions waiting in
 * mempools plus admitted receipts waiting for block space, summed over
 * shards at the end of a slot) grew over the window by more than 1% of the
 * window's offered transactions.
 */
export interface Stability {
  readonly stable: boolean;
  /** Why not, in words (empty when stable). */
  readonly reasons: readonly string[];
  /** The backlog at the end of the last slot before the window and at the end of the window. */
  readonly backlog: { readonly start: number; readonly end: number };
  /** Transactions refused by full mempools during the window. */
  readonly droppedInWindow: number;
}

/** One run of the search for the maximum sustainable throughput. */
export interface FindMaxProbe {
  /** Offered rate probed, transactions per simulated second. */
  readonly rate: number;
  /** What the workload really offered over the window (less than `rate` when a trace runs out). */
  readonly offeredTps: number;
  /** Sustainable: stable, and p99 latency exactly known and within the objective. */
  readonly sustainable: boolean;
  /** Why not, in words (empty when sustainable). */
  readonly reasons: readonly string[];
  readonly throughputTps: number;
  readonly p99: number;
  readonly p99LowerBound: boolean;
}

/** What `--find-max` found at a sweep point (the run's other figures are those of the highest sustainable rate). */
export interface FindMaxResult {
  /** The highest offered rate found sustainable (0 when none was). */
  readonly maxSustainableTps: number;
  /** The lowest rate found unsustainable (null when the search ran out of probes first). */
  readonly firstUnsustainableTps: number | null;
  /** The latency objective applied, simulated seconds. */
  readonly latencySlo: number;
  readonly tolerance: number;
  /** Every rate probed, in the order probed. */
  readonly probes: readonly FindMaxProbe[];
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
  /**
   * Demand over capacity, uncapped: the gas of the user transactions offered to the shard in the
   * window plus the gas the receipts it admitted in the window cost to apply (an action receipt: its
   * call too), over its block gas limit times the window's slots. Above 1, the shard is asked for
   * more than it can give (a hot shard).
   */
  readonly demand: number;
  readonly txIncluded: number;
  readonly receiptsApplied: number;
  readonly mempoolEnd: number;
  readonly delayedEnd: number;
}

export interface RunWall {
  /** Wall-clock seconds of the run; with `--find-max`, of the whole search at its point. */
  readonly seconds: number;
  /** Executed user transactions (all slots) per wall-clock second. */
  readonly simulatedTxPerWallSecond: number;
  /** Shard-process restarts and resumes the run lived through (absent when none). */
  readonly recoveries?: readonly Recovery[];
}

import type { CrossShardFigures } from './cross-shard-figures.js';
import type { Bottleneck, NetworkFigures } from './network-figures.js';
import type { PlacementFigures } from './repartition.js';

export interface RunResult {
  readonly shards: number;
  /** The seed of this run (runs of one sweep point differ only by it when the sweep has several seeds). */
  readonly seed: number;
  /** The sweep point: parameter path -> value. */
  readonly params: Readonly<Record<string, number | string>>;
  /** Completed transactions per simulated second over the measured window. */
  readonly throughputTps: number;
  /** Transactions generated per simulated second over the measured window. */
  readonly offeredTps: number;
  /** Share of committed transactions whose receiver lives on another shard. */
  readonly crossShardRatio: number;
  readonly latency: LatencySummary;
  readonly stability: Stability;
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
  /** Network, consensus and beacon figures (docs/network.md). */
  readonly network: NetworkFigures;
  /** accounts.repartition: the re-placements, the cross-shard share slot by slot, what moved (repartition.ts); absent for a fixed placement. */
  readonly placement?: PlacementFigures;
  /** The cross-shard protocol's figures (cross-shard-figures.ts; docs/protocols.md); absent in results written before them. */
  readonly crossShard?: CrossShardFigures;
  /** The constraint that binds this run (network-figures.ts bottleneckOf; docs/network.md). */
  readonly bottleneck: Bottleneck;
  /** Every committed block of the window, the first MAX_BLOCK_ROWS of them (block-figures.ts; blocks.csv); absent in results written before them. */
  readonly blocks?: BlockTable;
  /** With `--find-max`: the search at this point; absent otherwise. */
  readonly findMax?: FindMaxResult;
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
  /** The seeds every point ran with (one unless the sweep has several). */
  readonly seeds: readonly number[];
  readonly version: string;
  /** Hash over every run's deterministic figures. */
  readonly digest: string;
  readonly config: Scenario;
  readonly runs: readonly RunResult[];
  /** Per sweep point (shard count and parameters), every figure's mean, deviation and 95% interval over its seeds. */
  readonly points: readonly PointStats[];
  readonly wall: { readonly seconds: number; readonly startedAt: string };
  /** The files written with results.json, by name beside it (absent in results written before shardsim recorded them). */
  readonly files?: ResultFiles;
}

export interface ResultFiles {
  readonly report: string;
  readonly csv: string;
  /** Per-block figures of every run (absent in results written before them). */
  readonly blocks?: string;
  /** The plotly bundle a light report loads (`--light`); absent when the report inlines it. */
  readonly plotly?: string;
}
