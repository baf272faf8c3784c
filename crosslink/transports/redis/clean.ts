/**
 * Finding and removing the keys that runs left in Redis (`shardsim clean`).
 * A run's keys share its prefix `{ss:<id>}`. A run is live while its
 * controller's heartbeat key exists or any of its hosts' heartbeat keys
 * does (runs of versions without a controller heartbeat); a live run is
 * never removed. Everything else is stale: a controller that was killed or
 * lost Redis, and left keys that a `--resume` would need.
 */
import type { Redis } from 'ioredis';
import { keysStartingWith } from './connection.js';
import { deleteRunKeys } from './controller.js';
import { K } from './names.js';

export interface RunKeys {
  readonly prefix: string;
  readonly keys: number;
  /** A controller or host heartbeat key exists. */
  readonly live: boolean;
  /** When the controller last beat (ms since the epoch); null if unknown (older versions, or never). */
  readonly lastSeen: number | null;
  /** Seconds until the run's setup key expires (-1: no expiry, null: no setup key). */
  readonly ttlSeconds: number | null;
}

/** Every run's keys in the database, with whether it is live, by prefix. */
export async function listRuns(redis: Redis): Promise<RunKeys[]> {
  const counts = new Map<string, number>();
  const hostBeats = new Set<string>();
  for await (const keys of keysStartingWith(redis, '{ss:')) {
    for (const key of keys) {
      const end = key.indexOf('}');
      if (end < 0) continue;
      const prefix = key.slice(0, end + 1);
      counts.set(prefix, (counts.get(prefix) ?? 0) + 1);
      if (key.startsWith(`${prefix}:alive:`)) hostBeats.add(prefix);
    }
  }
  const out: RunKeys[] = [];
  for (const [prefix, keys] of [...counts].sort(([a], [b]) => a.localeCompare(b))) {
    const [beat, seen, ttl] = await Promise.all([redis.exists(K.controller(prefix)), redis.get(K.seen(prefix)), redis.ttl(K.setup(prefix))]);
    out.push({ prefix, keys, live: beat === 1 || hostBeats.has(prefix), lastSeen: seen === null ? null : Number(seen), ttlSeconds: ttl === -2 ? null : ttl });
  }
  return out;
}

/**
 * Removes a stale run's keys, checking just before that it is still stale
 * (a `--resume` may have started it since it was listed). Returns how many
 * keys went, or null if the run was live and kept.
 */
export async function removeRun(redis: Redis, prefix: string): Promise<number | null> {
  if ((await redis.exists(K.controller(prefix))) === 1) return null;
  if (await anyKey(redis, `${prefix}:alive:`)) return null;
  return deleteRunKeys(redis, prefix);
}

/** Whether some key starts with `start` (SCAN to the end: one call may return nothing and still not be done). */
async function anyKey(redis: Redis, start: string): Promise<boolean> {
  for await (const keys of keysStartingWith(redis, start)) if (keys.length > 0) return true;
  return false;
}
