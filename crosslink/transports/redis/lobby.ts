/**
 * How the controller gets a host process for an assignment: spawned on this
 * machine (process-pool.ts), or offered on the lobby, a queue shared by every
 * run on the Redis server, to workers started elsewhere (`shardsim worker`,
 * shards/hosts/redis-worker.ts), the first of which takes it up.
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { recoversOnItsOwn, redisOptions } from './connection.js';
import { DEFAULT_REDIS_TIMEOUT_MS, within } from './faults.js';
import { type Assignment, LOBBY_PREFIX, LOBBY_QUEUE } from './names.js';

/**
 * Starts a host process for an assignment (spawned here, or offered to
 * external workers); may return how to stop that process again (a start that
 * failed, so that a late process never competes with its successor).
 */
export type HostStarter = (assignment: Assignment) => (() => void) | undefined;

const JOB = { removeOnComplete: true, removeOnFail: true, attempts: 1 } as const;

/** Offers the hosts' assignments on the lobby, for workers started elsewhere (`shardsim worker`). */
export function lobbyStarter(url: string): HostStarter {
  return (a) => {
    const redis = new Redis(redisOptions(url));
    redis.on('error', () => {});
    const lobby = recoversOnItsOwn(new Queue(LOBBY_QUEUE, { connection: redis, prefix: LOBBY_PREFIX }));
    // Bounded: with Redis gone, neither the add nor a graceful close would ever complete.
    // The controller's id in the job id: a run started over (its epochs from 1 again) must not meet its dead predecessor's waiting job, which BullMQ would keep in place of the new one.
    void within(
      lobby.add('assignment', a, { ...JOB, jobId: `${a.prefix.replace(/[^A-Za-z0-9-]/g, '')}-${a.controller}-${a.host}-${a.epoch}` }),
      DEFAULT_REDIS_TIMEOUT_MS,
    )
      .then(() => within(lobby.close(), 2_000))
      .finally(() => redis.disconnect());
  };
}
