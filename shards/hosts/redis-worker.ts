/**
 * The shard process entry point (`shardsim worker`): hosts the shards of one
 * assignment over the Redis transport. Spawned by a controller with an
 * explicit assignment, or started by hand on any machine that reaches the
 * run's Redis, where it takes assignments from the lobby queue one run at a time.
 */
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { TransportError } from '../../crosslink/common/errors.js';
import { assertRedisReachable, bullConnection, redisOptions } from '../../crosslink/transports/redis/connection.js';
import { type Assignment, K, LOBBY_PREFIX, LOBBY_QUEUE } from '../../crosslink/transports/redis/names.js';
import { RedisShardHost } from '../../crosslink/transports/redis/shard-host.js';
import { checkAssignment } from '../../crosslink/wire/control.js';
import { createShard, genesisFromOwners, type ShardSetup } from '../shard-setup.js';

/** Hosts one assignment until its controller closes the run (or dies: then it throws, having let the run go). */
export async function hostAssignment(url: string, assignment: Assignment, secret: string): Promise<void> {
  const host = await RedisShardHost.connect(url, assignment, secret);
  try {
    const { json, blobs } = await host.readSetup(['owner', 'frozen']);
    const setup = json as ShardSetup;
    const owner = blobs['owner'];
    if (owner == null) throw new TransportError(`run ${assignment.prefix} has no account placement in Redis`);
    // Copy: a Buffer from Redis need not be 2-byte aligned for a Uint16Array view.
    const owners = new Uint16Array(owner.slice().buffer);
    const genesis = genesisFromOwners(setup, owners, blobs['frozen'] ?? null);
    await host.serve(setup.shardCount, (shard, net) => createShard(shard, setup, genesis, net));
  } catch (err) {
    await host.shutdown();
    throw err;
  }
}

/** What a lobby worker tells its log. */
export interface LobbyEvents {
  hosting?(a: Assignment): void;
  /** An assignment whose controller is no longer there (or was replaced): dropped unserved. */
  discarded?(a: Assignment): void;
  /** An assignment this worker cannot read (another protocol version, a malformed job): failed unserved. */
  refused?(err: Error): void;
  /** A run this worker hosted ended; `err` when it did not end by its controller's close (abandoned, failed). */
  ended?(a: Assignment, err?: Error): void;
}

/**
 * Serves runs from the lobby forever (until the process is stopped): each
 * assignment job is held, locked, for the whole run it hosts. Control
 * messages are signed under `secret`, the one the controller was given.
 */
export async function serveLobby(url: string, secret: string, events: LobbyEvents = {}): Promise<never> {
  await assertRedisReachable(url);
  const redis = new Redis(redisOptions(url));
  redis.on('error', () => {}); // a failed read below is retried by the next assignment
  const lobby = new Worker(
    LOBBY_QUEUE,
    async (job) => {
      let a: Assignment;
      try {
        a = checkAssignment(job.data, `assignment job ${job.id ?? '?'}`);
      } catch (err) {
        // A controller of another shardsim (or a job of another shape): refused by name, never misread.
        events.refused?.(err instanceof Error ? err : new Error(String(err)));
        throw err;
      }
      // A dead controller's assignment would be hosted for nobody, until its lock ran out.
      if ((await redis.get(K.controller(a.prefix))) !== a.controller) {
        events.discarded?.(a);
        return;
      }
      events.hosting?.(a);
      try {
        await hostAssignment(url, a, secret);
        events.ended?.(a);
      } catch (err) {
        events.ended?.(a, err instanceof Error ? err : new Error(String(err)));
        throw err;
      }
    },
    // A run can last hours; the lock is renewed while the event loop turns.
    { connection: bullConnection(url), prefix: LOBBY_PREFIX, concurrency: 1, lockDuration: 300_000, maxStalledCount: 0 },
  );
  await lobby.waitUntilReady();
  return new Promise<never>(() => {});
}

/** A spawned worker exits when its controller is gone (an orphan would host a dead run forever). */
export function exitWithParent(): void {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) process.exit(3);
  }, 1_000).unref();
}
