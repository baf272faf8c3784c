/**
 * The slot log and resuming from it. Every completed slot's reports are
 * appended to the log in Redis before the next slot's commands go out, so a
 * controller that died can be resumed (`--resume`): the new controller checks
 * the stored setup is the same scenario, reads the log, waits for the old
 * controller's host processes to be gone, and then fast-forwards: it answers
 * each logged slot from the log without running the shards (controller.ts,
 * `runSlot`). Its freshly started shards restore from their checkpoints and
 * are replayed up to the log's end (recovery.ts, `catchUp`).
 */
import type { Redis } from 'ioredis';
import { ScenarioMismatchError, TransportError } from '../../common/errors.js';
import { describeDifference, firstDifference } from '../../common/first-difference.js';
import type { WireReport } from '../../wire/codec.js';
import { redactRedisUrl } from './connection.js';
import { K } from './names.js';

/** Appends a slot's reports to the slot log only if the log ends just before that slot (KEYS[1]: the log; ARGV: slot, entry). */
const LOG_AT = "if redis.call('llen', KEYS[1]) == tonumber(ARGV[1]) then return redis.call('rpush', KEYS[1], ARGV[2]) end return 0";
/** How long a resumed run waits for the processes of the controller that died to be gone. */
const OLD_HOSTS_GONE_MS = 40_000;

/**
 * Logs a completed slot's reports (JSON texts, by shard). Appended only where
 * the log ends at this slot, so an append sent again after a dropped
 * connection is not logged twice.
 */
export function appendToSlotLog(redis: Redis, prefix: string, slot: number, texts: readonly string[]): Promise<unknown> {
  return redis.eval(LOG_AT, 1, K.slotLog(prefix), slot, `[${texts.join(',')}]`);
}

/** Whether Redis holds a resumable run under `prefix` (its setup and its log). */
export async function holdsResumableRun(redis: Redis, prefix: string): Promise<boolean> {
  return (await redis.exists(K.setup(prefix), K.slotLog(prefix))) === 2;
}

/**
 * A resumed run's log: the reports of every slot its first controller
 * completed, once the stored setup is found to be this one (`setupJson`) and
 * the first controller's host processes are gone.
 */
export async function readSlotLog(
  redis: Redis,
  run: { readonly url: string; readonly prefix: string; readonly hosts: ReadonlyArray<unknown> },
  setupJson: string,
): Promise<WireReport[][]> {
  const p = run.prefix;
  const stored = await redis.get(K.setup(p));
  if (stored === null) throw new TransportError(`Redis at ${redactRedisUrl(run.url)} holds no run ${p} to resume (it finished, or its keys were removed)`);
  if (stored !== setupJson) {
    const d = firstDifference(safeJson(stored), safeJson(setupJson));
    throw new ScenarioMismatchError(p, d === undefined ? '' : describeDifference(d));
  }
  const logged = (await redis.lrange(K.slotLog(p), 0, -1)).map((e) => JSON.parse(e) as WireReport[]);
  await awaitOldHostsGone(redis, p, run.hosts.length);
  return logged;
}

/**
 * The dying controller's processes follow it within a second or two, but
 * one in the middle of a slot finishes that first. A host is alive while its
 * heartbeat key keeps being refreshed; its successor must not start before.
 */
async function awaitOldHostsGone(redis: Redis, prefix: string, hostCount: number): Promise<void> {
  const keys = Array.from({ length: hostCount }, (_, h) => K.alive(prefix, h));
  const deadline = Date.now() + OLD_HOSTS_GONE_MS;
  for (;;) {
    const before = await Promise.all(keys.map((k) => redis.pttl(k)));
    if (before.every((ms) => ms < 0)) break;
    await new Promise((r) => setTimeout(r, 2_500));
    const after = await Promise.all(keys.map((k) => redis.pttl(k)));
    // Refreshed every second: a key that only ran down for 2.5 s has nobody behind it.
    if (after.every((ms, i) => ms < 0 || ms < before[i]! - 2_000)) break;
    if (Date.now() > deadline) throw new TransportError(`run ${prefix} still has live shard processes; is its first controller still running?`);
  }
  if (keys.length > 0) await redis.del(...keys);
}

/** A stored JSON text as a value to compare; the text itself when it does not parse. */
function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
