/**
 * The figures a network model is built from: regions, the mean one-way
 * latency between each pair, each region's bandwidth, the share of validators
 * in each, and the time a validator takes to handle a message. Presets
 * (presets.ts) and custom tables share this shape; validate-tables.ts says
 * what a table must satisfy.
 */
export interface NetworkTables {
  /** Region names, in the order every other table follows. */
  readonly regions: readonly string[];
  /** latencyMs[a][b]: mean one-way latency, ms, from a validator in region a to one in region b (a square matrix). */
  readonly latencyMs: readonly (readonly number[])[];
  /** Upload bandwidth of a validator in each region, Mbit/s (10^6 bits a second); Infinity for unlimited. */
  readonly uploadMbps: readonly number[];
  /** Download bandwidth of a validator in each region, Mbit/s; Infinity for unlimited. */
  readonly downloadMbps: readonly number[];
  /** Share of the validators in each region (non-negative, summing to 1). */
  readonly shares: readonly number[];
  /** Time, ms, a validator takes to handle a received message before acting on it. */
  readonly processingMs: number;
}

/** A table as JSON carries it between processes: an unlimited bandwidth (Infinity) is null. */
export interface NetworkTablesJson extends Omit<NetworkTables, 'uploadMbps' | 'downloadMbps'> {
  readonly uploadMbps: readonly (number | null)[];
  readonly downloadMbps: readonly (number | null)[];
}

const toJson = (list: readonly number[]): (number | null)[] => list.map((b) => (b === Number.POSITIVE_INFINITY ? null : b));
const fromJson = (list: readonly (number | null)[]): number[] => list.map((b) => b ?? Number.POSITIVE_INFINITY);

export function tablesToJson(t: NetworkTables): NetworkTablesJson {
  return { ...t, uploadMbps: toJson(t.uploadMbps), downloadMbps: toJson(t.downloadMbps) };
}

export function tablesFromJson(t: NetworkTablesJson): NetworkTables {
  return { ...t, uploadMbps: fromJson(t.uploadMbps), downloadMbps: fromJson(t.downloadMbps) };
}
