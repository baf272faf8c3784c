/**
 * What a network table must satisfy before a model is built from it: every
 * per-region list as long as the region list, a square latency matrix of
 * finite non-negative means, positive bandwidths (Infinity allowed: no
 * limit), shares that are non-negative and sum to 1, and a finite
 * non-negative processing time. A table that breaks one is bad input: a
 * ConfigError naming the key at fault (`network.latencyMs.1.2`, the key
 * paths the scenario schema reports) and the regions it concerns.
 */
import { ConfigError } from '../common/errors.js';
import type { NetworkTables } from './tables.js';

/** How far the shares' sum may stray from 1 (decimal shares such as SimBlock's do not sum to 1 exactly in binary). */
export const SHARE_SUM_TOLERANCE = 1e-9;

/** Throws a ConfigError naming the first fault of `tables`; `where` is the key path of the table in the scenario. */
export function validateNetworkTables(tables: NetworkTables, where = 'network'): void {
  const { regions } = tables;
  const n = regions.length;
  if (n === 0) throw new ConfigError(`${where}.regions`, 'list at least one region');
  const seen = new Set<string>();
  regions.forEach((name, i) => {
    if (name.length === 0) throw new ConfigError(`${where}.regions.${i}`, 'a region needs a name');
    if (seen.has(name)) throw new ConfigError(`${where}.regions.${i}`, `region "${name}" is listed twice; name each region once`);
    seen.add(name);
  });

  const m = tables.latencyMs;
  if (m.length !== n) {
    throw new ConfigError(`${where}.latencyMs`, `the latency matrix must be square with one row per region: ${n} regions but ${m.length} rows`);
  }
  m.forEach((row, a) => {
    if (row.length !== n) {
      throw new ConfigError(
        `${where}.latencyMs.${a}`,
        `the latency matrix must be square: row ${a} (from ${regions[a]}) has ${row.length} entries, not one per region (${n})`,
      );
    }
    row.forEach((ms, b) => {
      if (!(Number.isFinite(ms) && ms >= 0)) {
        throw new ConfigError(
          `${where}.latencyMs.${a}.${b}`,
          `the mean latency from ${regions[a]} to ${regions[b]} must be a finite number of ms >= 0, got ${ms}`,
        );
      }
    });
  });

  for (const key of ['uploadMbps', 'downloadMbps'] as const) {
    const list = tables[key];
    if (list.length !== n) throw new ConfigError(`${where}.${key}`, `give one bandwidth per region: ${n} regions but ${list.length} values`);
    list.forEach((mbps, r) => {
      // Infinity is allowed (no limit: transmission takes no time); NaN and zero are not.
      if (!(mbps > 0)) throw new ConfigError(`${where}.${key}.${r}`, `the bandwidth of ${regions[r]} must be a positive number of Mbit/s, got ${mbps}`);
    });
  }

  const shares = tables.shares;
  if (shares.length !== n) throw new ConfigError(`${where}.shares`, `give one share per region: ${n} regions but ${shares.length} values`);
  let sum = 0;
  shares.forEach((s, r) => {
    if (!(Number.isFinite(s) && s >= 0)) throw new ConfigError(`${where}.shares.${r}`, `the share of ${regions[r]} must be a number >= 0, got ${s}`);
    sum += s;
  });
  if (!(Math.abs(sum - 1) <= SHARE_SUM_TOLERANCE)) throw new ConfigError(`${where}.shares`, `the region shares must sum to 1, but they sum to ${sum}`);

  const p = tables.processingMs;
  if (!(Number.isFinite(p) && p >= 0)) throw new ConfigError(`${where}.processingMs`, `must be a finite number of ms >= 0, got ${p}`);
}
