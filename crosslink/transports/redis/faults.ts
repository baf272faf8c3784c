/**
 * What a Redis failure means, and the bounds on waiting for Redis. Two kinds
 * of failure matter to a run: a Redis that does not answer (down, restarting,
 * unreachable), which is waited for up to a bound and retried across the
 * reconnect; and a Redis that answers with a refusal (out of memory, a
 * read-only replica, wrong credentials), which no wait cures and which ends
 * the run at once, naming the cause.
 */
import type { Redis } from 'ioredis';
import { SHARD_PROCESS_EXIT } from '../../common/errors.js';

/** `recovery.redisTimeoutSeconds`' default: how long a run waits for a Redis that does not answer, and hosts for their controller's heartbeat (its TTL). */
export const DEFAULT_REDIS_TIMEOUT_MS = 20_000;

/**
 * The exit code of a shard process that cannot go on for a reason its
 * successor would meet too (Redis refuses its writes, a checkpoint is
 * corrupt): the controller stops the run instead of restarting it.
 */
export const EXIT_FATAL = SHARD_PROCESS_EXIT.fatal;
/** The exit code of a shard process that gave up on a Redis that stopped answering. */
export const EXIT_REDIS_LOST = SHARD_PROCESS_EXIT.redisLost;

const REFUSALS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^OOM\b/, 'Redis reached its memory limit (maxmemory, with a policy that evicts nothing) and refuses writes; raise maxmemory or free memory'],
  [/^READONLY\b/, 'Redis is a read-only replica; point --redis-url at the primary'],
  [/^(NOAUTH|WRONGPASS)\b/, 'Redis refused the credentials; check the user and password in --redis-url (or REDIS_URL)'],
  [/^NOPERM\b/, 'the Redis user lacks a permission the run needs (an ACL rule); grant it the commands and keys of shardsim runs'],
  [/^MISCONF\b/, 'Redis cannot persist its data (MISCONF) and refuses writes; fix its disk or its save settings'],
];

/** The first line of a Redis error, and of the errors a failed transaction (EXECABORT) hides behind. */
function replyTexts(err: unknown): string[] {
  if (!(err instanceof Error)) return [];
  const previous = (err as Error & { previousErrors?: unknown[] }).previousErrors ?? [];
  return [err.message, ...previous.flatMap(replyTexts)];
}

/**
 * What a Redis refusal means for the user (undefined: not a refusal). An
 * EXECABORT is explained by the error that aborted the transaction.
 */
export function redisRefusal(err: unknown): string | undefined {
  for (const text of replyTexts(err)) {
    for (const [re, why] of REFUSALS) if (re.test(text)) return `${why} (Redis said: ${text.split('\n')[0]!.slice(0, 160)})`;
  }
  return undefined;
}

/**
 * Whether `err` only says the connection dropped under a command (a Redis
 * restart, a killed connection): the command may be sent again once Redis
 * answers. ioredis aborts a pipeline or transaction cut in half this way.
 */
export function isDropped(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err.name === 'AbortError') return true;
  return /Command aborted due to connection close|Connection is closed|ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|^LOADING\b|Stream isn't writeable|socket closed/i.test(
    err.message,
  );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs an idempotent Redis operation, and again whenever the connection drops
 * under it, until it succeeds or `boundMs` has passed since the first drop
 * (then the last error is thrown). Any other error is thrown at once.
 */
export async function retryDropped<T>(op: () => Promise<T>, boundMs: number, gaveUp: () => boolean = () => false): Promise<T> {
  let since: number | undefined;
  for (let attempt = 0; ; attempt++) {
    try {
      return await op();
    } catch (err) {
      since ??= Date.now();
      if (!isDropped(err) || gaveUp() || Date.now() - since > boundMs) throw err;
      await sleep(Math.min(1_000, 50 * 2 ** attempt));
    }
  }
}

/**
 * Resolves as `p` does, or with undefined after `ms` (for clean-up steps that
 * must not hold an exit up: a graceful close of a connection to a dead Redis
 * never completes).
 */
export async function within<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p.catch(() => undefined), new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Watches one connection: `probe` (a PING, or a write such as a heartbeat) is
 * sent every second, one at a time; if none is answered for `boundMs`,
 * `onLost` is called once; a probe that Redis refuses calls `onRefused`. The
 * silence is counted in ticks of at most two seconds, so an event loop held up
 * by a long computation is not taken for a silent Redis.
 */
export class RedisWatchdog {
  private timer: NodeJS.Timeout | undefined;
  private silentMs = 0;
  private lastTick = Date.now();
  private pending = false;
  private answered = true;
  private done = false;
  /** The last error the connection reported (why it is down), for messages. */
  lastError: Error | undefined;

  constructor(
    redis: Redis,
    private readonly boundMs: number,
    private readonly probe: () => Promise<unknown>,
    private readonly onLost: (silentMs: number, lastError: Error | undefined) => void,
    private readonly onRefused: (why: string) => void,
  ) {
    redis.on('error', (e: Error) => {
      this.lastError = e;
      // Credentials refused on reconnecting: no reconnect will fix it.
      const why = redisRefusal(e);
      if (why !== undefined) this.refused(why);
    });
  }

  start(intervalMs = 1_000): this {
    this.lastTick = Date.now();
    this.timer = setInterval(() => this.tick(), intervalMs);
    this.timer.unref();
    return this;
  }

  stop(): void {
    this.done = true;
    clearInterval(this.timer);
  }

  /** Milliseconds since Redis last answered a probe (0 while it answers). */
  get silence(): number {
    return this.silentMs;
  }

  private tick(): void {
    const now = Date.now();
    const step = Math.min(now - this.lastTick, 2_000);
    this.lastTick = now;
    if (this.done) return;
    this.silentMs = this.answered ? 0 : this.silentMs + step;
    this.answered = false;
    if (this.silentMs > this.boundMs) {
      this.stop();
      this.onLost(this.silentMs, this.lastError);
      return;
    }
    if (this.pending) return;
    this.pending = true;
    this.probe().then(
      () => {
        this.pending = false;
        this.answered = true;
      },
      (err: unknown) => {
        this.pending = false;
        const why = redisRefusal(err);
        if (why !== undefined) this.refused(why);
        else if (err instanceof Error) this.lastError = err;
      },
    );
  }

  private refused(why: string): void {
    if (this.done) return;
    this.stop();
    this.onRefused(why);
  }
}
