/**
 * Redis connection settings from a URL, the URL as it may be shown (never
 * with its password), and a fast reachability check: an unreachable Redis is
 * reported within seconds with a TransportError, not a hang or a stack.
 */
import type { ConnectionOptions } from 'bullmq';
import { type RedisOptions as IoRedisOptions, Redis } from 'ioredis';

/** ioredis options, without ioredis 6's RESP3 reply mapping (we use the default). */
export type RedisOptions = Omit<IoRedisOptions, 'replyMapping'>;

import { TransportError } from '../../common/errors.js';
import { redactRedisUrl } from './url.js';

export { DEFAULT_REDIS_URL, redactRedisUrl } from './url.js';

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
  if (u.hostname === '') throw new TransportError(`"${redactRedisUrl(url)}" names no host; expected redis://[user:password@]host[:port][/db]`);
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

/**
 * BullMQ queues and workers report a dropped connection as an 'error' event
 * (printed when nobody listens) while they reconnect on their own. Those are
 * not failures of the run: a Redis that stays away is caught by the
 * controller's liveness check, a dead process by its exit.
 */
export function recoversOnItsOwn<T extends { on(event: 'error', listener: (err: Error) => void): unknown }>(emitter: T): T {
  emitter.on('error', () => {});
  return emitter;
}

/** Errors that mean nothing answers at that address: reported at once, not retried. */
const UNREACHABLE = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|no answer/;

/**
 * Connects and PINGs; throws a TransportError naming the (redacted) URL
 * within `timeoutMs`. A connection dropped under it (a Redis restart, CLIENT
 * KILL) is retried until then; an address where nothing answers is not.
 */
export async function assertRedisReachable(url: string, timeoutMs = 4_000): Promise<void> {
  const shown = redactRedisUrl(url);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = Math.max(250, deadline - Date.now());
    const opts: RedisOptions = Object.assign(redisOptions(url), {
      lazyConnect: true,
      connectTimeout: left,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    const client = new Redis(opts);
    // The socket's own error (ECONNREFUSED...) says more than the "Connection is closed" that follows it.
    let socketError: Error | undefined;
    client.on('error', (e: Error) => (socketError ??= e));
    try {
      await withTimeout(
        client.connect().then(() => client.ping()),
        left,
        shown,
      );
      await assertDatabase(client, url);
      return;
    } catch (err) {
      if (err instanceof TransportError) throw err;
      const why = socketError?.message ?? (err instanceof Error ? err.message : String(err));
      if (UNREACHABLE.test(why) || Date.now() + 100 >= deadline) {
        throw new TransportError(`cannot reach Redis at ${shown}: ${why}. Start Redis, or pass --redis-url (or set REDIS_URL).`, { cause: err });
      }
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      client.disconnect();
    }
  }
}

/**
 * A database the server does not have fails SELECT, which ioredis only
 * reports as an 'error' event before carrying on in database 0: a URL
 * ending in /99999 would silently share db 0 with everything else.
 */
async function assertDatabase(client: Redis, url: string): Promise<void> {
  const db = redisOptions(url).db ?? 0;
  if (db === 0) return;
  try {
    await client.select(db);
  } catch (err) {
    let range = '';
    try {
      // Not every server allows CONFIG (managed Redis): the range is a courtesy.
      const reply = (await client.config('GET', 'databases')) as unknown as string[];
      if (reply[1] !== undefined) range = ` (it has ${reply[1]}: 0 to ${Number(reply[1]) - 1})`;
    } catch {
      // no range to show
    }
    throw new TransportError(
      `${redactRedisUrl(url)}: database ${db} does not exist on this server${range}: ${(err as Error).message}. Pick a database in range in the URL's /db, or raise the server's \`databases\` setting.`,
      { cause: err },
    );
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

/**
 * Every key whose name starts with `start`, in the batches SCAN returns (never
 * KEYS, which blocks the server); SCAN's glob characters in `start` are
 * escaped. A batch may be empty before the scan is done.
 */
export async function* keysStartingWith(redis: Redis, start: string): AsyncGenerator<string[]> {
  const pattern = `${start.replace(/[*?[\]\\]/g, '\\$&')}*`;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    yield keys;
  } while (cursor !== '0');
}
