/**
 * The controller's heartbeat and the expiry of a run's keys.
 *
 * Every second the controller sets `<prefix>:controller` to its id with a TTL
 * of the run's Redis timeout plus HEARTBEAT_GRACE_MS: hosts and external workers check that the key
 * still holds the id of the controller that assigned them, and abandon the
 * run when it is gone (the controller died) or changed (a `--resume` took
 * over), so a dead controller never holds workers or blocks its own resume.
 *
 * Every ten seconds it also gives each of the run's keys that has no expiry
 * (or one set by this sweep) a fresh one of RUN_KEY_TTL_SECONDS, so keys of
 * a run whose controller died vanish a day later. Keys with a short expiry
 * of their own (BullMQ's locks, hosts' heartbeats) keep it.
 */
import type { Redis } from 'ioredis';
import { keysStartingWith } from './connection.js';
import { HEARTBEAT_GRACE_MS, K, RUN_KEY_TTL_SECONDS } from './names.js';

const BEAT_MS = 1_000;
const SWEEP_EVERY_BEATS = 10;
/** A key expiring later than this carries the sweep's TTL (no BullMQ lock or heartbeat lives an hour). */
const OURS_ABOVE_MS = 3_600_000;

/**
 * Sets the run TTL on each key that has none or a long one; atomic per key
 * (a key given a short expiry between a read and a write keeps it).
 */
const EXPIRE_SCRIPT = `
local n = 0
for _, k in ipairs(KEYS) do
  local t = redis.call('PTTL', k)
  if t == -1 or t > tonumber(ARGV[2]) then
    redis.call('PEXPIRE', k, ARGV[1])
    n = n + 1
  end
end
return n`;

/** Gives every key under `prefix` the run TTL (see EXPIRE_SCRIPT); returns how many were set. */
export async function expireRunKeys(redis: Redis, prefix: string, ttlSeconds = RUN_KEY_TTL_SECONDS): Promise<number> {
  let set = 0;
  for await (const keys of keysStartingWith(redis, prefix)) {
    if (keys.length > 0) set += Number(await redis.eval(EXPIRE_SCRIPT, keys.length, ...keys, String(ttlSeconds * 1000), String(OURS_ABOVE_MS)));
  }
  return set;
}

export class ControllerBeat {
  private timer: NodeJS.Timeout | undefined;
  private beats = 0;
  /** A beat still waiting on Redis (disconnected): the next ones are skipped, not queued behind it. */
  private busy = false;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    /** This controller's id: the heartbeat's value, and every assignment's `controller`. */
    readonly id: string,
    private readonly timeoutMs: number,
  ) {}

  /** Beats once (awaited: hosts started next must find it) and keeps beating. */
  async start(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => void this.tick(), BEAT_MS);
    this.timer.unref();
  }

  /** Stops beating; `forget` also removes the heartbeat, so hosts still listening let the run go at once. */
  async stop(forget: boolean): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    if (forget) await this.redis.del(K.controller(this.prefix)).catch(() => undefined);
  }

  /** The run's keys get their TTL now (after the setup is written) rather than at the next sweep. */
  sweep(): Promise<number> {
    return expireRunKeys(this.redis, this.prefix);
  }

  private async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      await this.beat();
      if (++this.beats % SWEEP_EVERY_BEATS === 0) await this.sweep();
    } catch {
      // Redis unreachable: the transport's liveness check bounds that; the key simply runs down.
    } finally {
      this.busy = false;
    }
  }

  private async beat(): Promise<void> {
    await this.redis
      .multi()
      .set(K.controller(this.prefix), this.id, 'PX', this.timeoutMs + HEARTBEAT_GRACE_MS)
      .set(K.seen(this.prefix), String(Date.now()), 'EX', RUN_KEY_TTL_SECONDS)
      .exec();
  }
}
