/**
 * Redis connection settings from a URL, the URL as it may be shown (never
 * with its password), and a fast reachability check: an unreachable Redis is
 * reported within seconds with a TransportError, not a hang or a stack.
 */
import type { ConnectionOptions } from 'bullmq';
import { Redis, type RedisOptions as IoRedisOptions } from 'ioredis';

/** ioredis options, without ioredis 6's RESP3 reply mapping (we use the default). */
export type RedisOptions = Omit<IoRedisOptions, 'replyMapping'>;
import { TransportError } from './errors.js';
import { redactRedisUrl } from './redis-url.js';

export { DEFAULT_REDIS_URL, redactRedisUrl } from './redis-url.js';

/** ioredis options for a `redis://` or `rediss://` URL (user, password, db, TLS). */
export function redisOptions(url: string): RedisOptions {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new TransportError(`"${redactRedisUrl(url)}" is not a Redis URL; expected redis://[user:password@]host[:port][/db] or rediss://...`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new TransportError(`${redactRedisUrl(url)}: unsupported scheme "${u.protocol}"; use redis:// or rediss://`);
  }
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0) throw new TransportError(`${redactRedisUrl(url)}: the database number must be a non-negative integer`);
  const opts: RedisOptions = {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port === '' ? 6379 : Number(u.port),
    db,
    // BullMQ's blocking workers require this; commands wait for a reconnect instead of failing.
    maxRetriesPerRequest: null,
    connectTimeout: 4_000,
  };
  if (u.username !== '') opts.username = decodeURIComponent(u.username);
  if (u.password !== '') opts.password = decodeURIComponent(u.password);
  if (u.protocol === 'rediss:') opts.tls = { servername: u.hostname };
  return opts;
}

/**
 * The same options for a BullMQ Worker, which opens its own (blocking)
 * connections. The cast only bridges BullMQ's copy of the ioredis option type,
 * which declares optional fields without `| undefined`.
 */
export function bullConnection(url: string): ConnectionOptions {
  return redisOptions(url) as ConnectionOptions;
}

/** Connects once and PINGs; throws a TransportError naming the (redacted) URL within `timeoutMs`. */
export async function assertRedisReachable(url: string, timeoutMs = 4_000): Promise<void> {
  const shown = redactRedisUrl(url);
  const opts: RedisOptions = Object.assign(redisOptions(url), {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  const client = new Redis(opts);
  client.on('error', () => {}); // reported below, once
  try {
    await withTimeout(client.connect().then(() => client.ping()), timeoutMs, shown);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new TransportError(`cannot reach Redis at ${shown}: ${why}. Start Redis, or pass --redis-url (or set REDIS_URL).`, { cause: err });
  } finally {
    client.disconnect();
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, shown: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer from ${shown} within ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
