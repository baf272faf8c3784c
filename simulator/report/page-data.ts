/**
 * The JSON a report page embeds for its drawing script: the shapes both sides
 * agree on. The Node side (page.ts, study-model.ts) writes them; the browser
 * client (client/draw.ts) reads them. Types only, importing nothing that
 * needs Node, so the client's own program (tsconfig.client.json: DOM types,
 * no Node) checks against them.
 */
import type { AxisValue } from './shared.js';

/** A figure as JSON carries it: JSON.stringify writes NaN and the infinities as null. */
export type JsonNumber = number | null;

/** What `--find-max` found at a point, as the client draws it (results.ts FindMaxResult). */
export interface PageFindMax {
  readonly maxSustainableTps: JsonNumber;
  readonly firstUnsustainableTps: JsonNumber;
  readonly latencySlo: JsonNumber;
  readonly probes: ReadonlyArray<{
    readonly rate: JsonNumber;
    readonly sustainable: boolean;
    readonly reasons: readonly string[];
    readonly throughputTps: JsonNumber;
    readonly p99: JsonNumber;
    readonly p99LowerBound: boolean;
  }>;
}

/**
 * The figures of one run the client draws: a structural subset of RunResult
 * (page.ts checks that a RunResult is one), so the embedded results.json
 * passes as is. Fields added after the first results files are optional:
 * hand-made and older results lack them.
 */
export interface PageRun {
  readonly shards: number;
  readonly seed?: number;
  readonly params: Readonly<Record<string, AxisValue>>;
  readonly throughputTps: JsonNumber;
  readonly offeredTps: JsonNumber;
  readonly crossShardRatio: JsonNumber;
  readonly loadImbalance?: JsonNumber;
  readonly latency: {
    readonly p50: JsonNumber;
    readonly p95: JsonNumber;
    readonly p99: JsonNumber;
    readonly completedShare?: JsonNumber;
    /** The figures that are only lower bounds (unfinished transactions reach them). */
    readonly lowerBound?: readonly string[];
  };
  readonly stability?: { readonly stable: boolean; readonly reasons: readonly string[] };
  readonly perShard: ReadonlyArray<{
    readonly shard: number;
    readonly utilisation: JsonNumber;
    readonly demand?: JsonNumber;
    /** The window's executed items, the denominator of aborts per item (summary-table.ts abortRate). */
    readonly txIncluded?: number;
    readonly receiptsApplied?: number;
  }>;
  readonly security: { readonly failureProbability: JsonNumber };
  readonly execution: { readonly executor: string; readonly threads: number; readonly speedup: JsonNumber; readonly aborts: JsonNumber };
  readonly findMax?: PageFindMax;
}

/** A sweep point's statistics over its seeds (point-stats.ts PointStats). */
export interface PagePoint {
  readonly shards: number;
  readonly params: Readonly<Record<string, AxisValue>>;
  readonly seeds: readonly number[];
  readonly figures: Readonly<
    Record<string, { readonly mean: JsonNumber; readonly sd: JsonNumber; readonly ci95: readonly [JsonNumber, JsonNumber]; readonly n: number }>
  >;
}

/** `<script type="application/json" id="shardsim-data">`: the sweep's results, exactly as results.json holds them. */
export interface PageData {
  readonly runs: readonly PageRun[];
  readonly seeds?: readonly number[];
  readonly points?: readonly PagePoint[];
}

/**
 * `<script type="application/json" id="shardsim-point-of">`: per run (results order), the index of
 * its point in `points` (-1 when none), matched in Node by point-stats.ts pointKey so the client
 * does not repeat the rule.
 */
export type PagePointOf = readonly number[];

/** The argument the page passes to the client's drawShardsimReport: what it shares with the rest of the report (shared.ts). */
export interface PageConstants {
  /** The scenario's throughput goal (report.targetTps), null when it sets none. */
  readonly targetTps: number | null;
  /** Series colours, cycled. */
  readonly palette: readonly string[];
  /** Whether the page has the parallel-execution chart (summary-table.ts executionShown). */
  readonly execution: boolean;
}

// ---------------------------------------------------------------------------
// The study: small multiples over the sweep's axes

/** How a study's x axis is scaled. */
export type StudyScale = 'log2' | 'log' | 'linear' | 'category';

export interface StudyLine {
  readonly value: AxisValue;
  readonly label: string;
  readonly colour: string;
  /** Per x value (the study's x.values order); null where no run has that point. */
  readonly speedup: readonly (number | null)[];
  readonly boundRaw: readonly (number | null)[];
  readonly boundAll: readonly (number | null)[];
  /** Throughput, or with --find-max the maximum sustainable rate (Study.sustained). */
  readonly throughputTps: readonly (number | null)[];
  readonly abortRate: readonly (number | null)[];
  readonly crossShardRatio: readonly (number | null)[];
  readonly loadImbalance: readonly (number | null)[];
}

/** The quantities a study can draw per panel; which ones it draws depends on what it varies. */
export type StudyQuantity = 'speedup' | 'heatmap' | 'aborts' | 'throughput' | 'cross' | 'imbalance';

export interface StudyPanel {
  readonly id: number;
  /** The fixed parameters, e.g. "block-stm, blockGasLimit 21,000,000". */
  readonly title: string;
  readonly fixed: Readonly<Record<string, AxisValue>>;
  readonly lines: readonly StudyLine[];
  /** Speedup over (line value × x value); absent when the study has no line axis. */
  readonly heatmap: {
    readonly x: readonly string[];
    readonly y: readonly string[];
    readonly z: ReadonlyArray<ReadonlyArray<number | null>>;
    readonly bound: ReadonlyArray<ReadonlyArray<number | null>>;
  } | null;
}

export interface Study {
  /** The sweep searched each point's maximum sustainable rate (--find-max): the throughput panels draw that rate. */
  readonly sustained: boolean;
  readonly axes: ReadonlyArray<{ readonly key: string; readonly short: string; readonly count: number }>;
  readonly x: {
    readonly key: string;
    readonly short: string;
    readonly values: readonly AxisValue[];
    readonly labels: readonly string[];
    readonly scale: StudyScale;
  };
  readonly line: { readonly key: string; readonly short: string } | null;
  readonly facets: ReadonlyArray<{ readonly key: string; readonly short: string }>;
  /** Grid columns for the small multiples (the first facet axis's values), 0 for auto. */
  readonly columns: number;
  /** Combinations of the facet axes with at least one run; at most MAX_PANELS are drawn. */
  readonly combinations: number;
  readonly panels: readonly StudyPanel[];
  /** What each panel draws, in page order. */
  readonly quantities: readonly StudyQuantity[];
  /** Each point is the mean over this many seeds (1: the run itself). */
  readonly seeds: number;
}

/** `id="shardsim-study"`, present only for a study: the study and whether the shard charts are drawn too. */
export interface PageStudy extends Study {
  readonly shardCharts: boolean;
}
