/**
 * `shardsim clean`: lists the runs whose keys are in Redis and removes the
 * stale ones with `--yes`. A run whose controller (or any host) still beats
 * is listed as live and never removed.
 */
import { Redis } from 'ioredis';
import { listRuns, type RunKeys, removeRun } from '../crosslink/transports/redis/clean.js';
import { assertRedisReachable, redactRedisUrl, redisOptions } from '../crosslink/transports/redis/connection.js';

function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s ago`;
  if (s < 7_200) return `${Math.round(s / 60)} min ago`;
  return `${(s / 3_600).toFixed(1)} h ago`;
}

function expiry(ttl: number | null): string {
  if (ttl === null) return '-';
  if (ttl < 0) return 'never';
  return ttl < 7_200 ? `${Math.round(ttl / 60)} min` : `${(ttl / 3_600).toFixed(1)} h`;
}

export function formatRuns(runs: readonly RunKeys[], now: number): string {
  const rows = [['RUN', 'KEYS', 'STATE', 'LAST HEARTBEAT', 'EXPIRES IN']];
  for (const r of runs) {
    rows.push([
      r.prefix,
      String(r.keys),
      r.live ? 'live' : 'stale',
      r.lastSeen === null ? 'unknown' : `${new Date(r.lastSeen).toISOString()} (${ago(now - r.lastSeen)})`,
      expiry(r.ttlSeconds),
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** Lists the runs in the database `url` names, and with `remove` deletes the stale ones. Returns what it printed. */
export async function cleanRuns(url: string, remove: boolean): Promise<string> {
  await assertRedisReachable(url);
  const redis = new Redis(redisOptions(url));
  redis.on('error', () => {});
  try {
    const runs = await listRuns(redis);
    const shown = redactRedisUrl(url);
    if (runs.length === 0) return `no shardsim run keys in ${shown}`;
    const stale = runs.filter((r) => !r.live);
    const lines = [formatRuns(runs, Date.now()), ''];
    if (!remove) {
      const keys = stale.reduce((a, r) => a + r.keys, 0);
      lines.push(
        stale.length === 0
          ? 'no stale runs: nothing to remove'
          : `${stale.length} stale run(s), ${keys} key(s): run again with --yes to remove them (a run you may still --resume goes with them)`,
      );
      return lines.join('\n');
    }
    let removed = 0;
    let keys = 0;
    for (const r of stale) {
      const n = await removeRun(redis, r.prefix);
      if (n === null) {
        lines.push(`kept ${r.prefix}: it came back to life`);
        continue;
      }
      removed++;
      keys += n;
    }
    lines.push(`removed ${removed} stale run(s), ${keys} key(s); kept ${runs.length - removed} live run(s)`);
    return lines.join('\n');
  } finally {
    redis.disconnect();
  }
}
