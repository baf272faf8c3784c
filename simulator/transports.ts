/**
 * Opens the transport a scenario asks for, with its shards running: in this
 * process (`memory`, on the main thread or spread over worker threads), or in
 * shard processes coordinating through Redis (`redis`), spawned here or taken
 * up by workers started elsewhere.
 */
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { Logger } from 'pino';
import { ConfigError, ScenarioMismatchError, TransportError } from '../crosslink/common/errors.js';
import type { Transport } from '../crosslink/transport.js';
import { MemoryNetwork, MemoryTransport } from '../crosslink/transports/memory/memory-transport.js';
import { randomSecret } from '../crosslink/transports/redis/control-auth.js';
import type { RedisTransport } from '../crosslink/transports/redis/controller.js';
import { runPrefix } from '../crosslink/transports/redis/names.js';
import type { ProcessPool } from '../crosslink/transports/redis/process-pool.js';
import { DEFAULT_REDIS_URL, redactRedisUrl } from '../crosslink/transports/redis/url.js';
import { ThreadedTransport } from '../crosslink/transports/threads/threaded-transport.js';
import { redisProcessEntry } from '../shards/hosts/redis-process-entry.js';
import { threadHostUrl } from '../shards/hosts/thread-main.js';
import { createShard, type Genesis, type ShardSetup } from '../shards/shard-setup.js';
import type { Scenario } from './config/schema.js';
import { SECRET_ENV } from './shared-secret.js';

export interface RedisRunOptions {
  /** Defaults to $REDIS_URL, then redis://127.0.0.1:6379. */
  readonly url?: string | undefined;
  /** Wait for `shardsim worker` processes started elsewhere instead of spawning them. */
  readonly external?: boolean | undefined;
  /** Leave the run's keys in Redis (debugging). */
  readonly keepKeys?: boolean | undefined;
  /** The run's key prefix (`{ss:<id>}`); one per sweep point, so `--resume` finds it again. */
  readonly prefix?: string | undefined;
  /** Continue the run under `prefix` from its checkpoints and report log. */
  readonly resume?: boolean | undefined;
  /** With `external`: the secret shared with the workers (SHARDSIM_SECRET or --secret-file), which sign and check control messages with it. */
  readonly secret?: string | undefined;
  /** With `external`: how long to wait for workers to take up every host before giving up (default DEFAULT_WORKER_WAIT_SECONDS). */
  readonly workerWaitSeconds?: number | undefined;
}

/**
 * A resumed run whose stored scenario differs, as the command line words it:
 * the controller names no option, the simulator knows which a resume repeats.
 */
export function withResumeOptions(err: unknown): unknown {
  return err instanceof ScenarioMismatchError
    ? new ConfigError('--resume', `${err.shortMessage}; resume with the same file, --set and --seed options`, { cause: err })
    : err;
}

/** How long an external controller waits for its workers by default: long enough to start them by hand, never forever. */
export const DEFAULT_WORKER_WAIT_SECONDS = 300;

export function redisUrl(opts: RedisRunOptions | undefined): string {
  return opts?.url ?? process.env['REDIS_URL'] ?? DEFAULT_REDIS_URL;
}

/** How many shard processes a run gets: the cap, or one per shard up to the CPU count. */
export function processCount(sc: Scenario, shards: number): number {
  const cap = sc.maxProcesses === 'auto' ? Math.max(2, availableParallelism()) : sc.maxProcesses;
  return Math.max(1, Math.min(shards, cap));
}

/** How many threads (this one included) the memory transport spreads shards over: the knob, or one per shard up to the CPU count. */
export function memoryThreadCount(sc: Scenario, shards: number): number {
  const cap = sc.memoryThreads === 'auto' ? availableParallelism() : sc.memoryThreads;
  return Math.max(1, Math.min(shards, cap));
}

/** The genesis arrays a shard host outside this thread rebuilds the run's placement from. */
function genesisBlobs(genesis: Genesis): Record<string, Uint8Array> {
  const owner = genesis.map.owner;
  const blobs: Record<string, Uint8Array> = { owner: new Uint8Array(owner.buffer, owner.byteOffset, owner.byteLength) };
  if (genesis.frozen !== null) blobs['frozen'] = genesis.frozen;
  return blobs;
}

/** Shards spread round-robin over `hosts` processes. */
export function assignShards(shards: number, hosts: number): number[][] {
  const out: number[][] = Array.from({ length: hosts }, () => []);
  for (let s = 0; s < shards; s++) out[s % hosts]!.push(s);
  return out;
}

export async function openTransport(
  sc: Scenario,
  setup: ShardSetup,
  genesis: Genesis,
  opts: { readonly redis?: RedisRunOptions | undefined; readonly logger?: Logger | undefined },
): Promise<Transport> {
  const shards = setup.shardCount;
  if (sc.transport === 'memory') {
    const threads = memoryThreadCount(sc, shards);
    if (threads > 1) {
      const transport = await ThreadedTransport.open({
        script: threadHostUrl(),
        shards,
        hosts: assignShards(shards, threads),
        setup,
        blobs: genesisBlobs(genesis),
        // The first share runs here, beside the controller, which is idle while the shards run.
        local: (shard, net) => createShard(shard, setup, genesis, net),
      });
      opts.logger?.debug({ threads }, 'memory transport on worker threads');
      return transport;
    }
    const network = new MemoryNetwork(shards);
    return new MemoryTransport(Array.from({ length: shards }, (_, i) => createShard(i, setup, genesis, network.endpointFor(i))));
  }
  // Loaded only for Redis runs: BullMQ and ioredis cost every other start a few hundred ms.
  const [{ RedisTransport }, { ProcessPool }] = await Promise.all([
    import('../crosslink/transports/redis/controller.js'),
    import('../crosslink/transports/redis/process-pool.js'),
  ]);
  const url = redisUrl(opts.redis);
  const external = opts.redis?.external === true;
  // Spawned processes get a fresh secret over IPC; workers elsewhere can only share one set up beforehand.
  const secret = external ? opts.redis?.secret : randomSecret();
  if (secret === undefined) {
    throw new ConfigError(
      '--workers external',
      `control messages between the controller and its workers are signed with a shared secret: set $${SECRET_ENV} (or pass --secret-file) to the same value for the controller and every \`shardsim worker\``,
    );
  }
  const prefix = opts.redis?.prefix ?? runPrefix(randomUUID().slice(0, 13));
  // Resuming needs what the first attempt left in Redis; without it (it died before its first slot, or ran in memory) the run starts over.
  const redisTimeoutMs = sc.recovery.redisTimeoutSeconds * 1000;
  const resume = opts.redis?.resume === true && opts.redis.prefix !== undefined && (await RedisTransport.canResume(url, prefix, redisTimeoutMs));
  if (opts.redis?.resume === true && !resume) opts.logger?.warn({ prefix }, 'nothing to resume in Redis for this run: it starts over');
  const hosts = assignShards(shards, processCount(sc, shards));
  const transport = await RedisTransport.open(
    {
      url,
      prefix,
      shards,
      hosts,
      keepKeys: opts.redis?.keepKeys === true,
      checkpointEvery: sc.recovery.checkpointEvery,
      restarts: sc.recovery.restarts,
      secret,
      redisTimeoutMs,
    },
    { json: setup, blobs: genesisBlobs(genesis) },
    resume,
  ).catch((err: unknown) => {
    throw withResumeOptions(err);
  });
  transport.onRejected = (why) => opts.logger?.warn({ prefix, rejected: transport.rejected }, `control message rejected: ${why}`);
  opts.logger?.info({ redis: redactRedisUrl(url), prefix, processes: hosts.length, external: opts.redis?.external === true, resume }, 'redis transport open');
  let pool: ProcessPool | undefined;
  try {
    if (external) {
      const waitSeconds = opts.redis?.workerWaitSeconds ?? DEFAULT_WORKER_WAIT_SECONDS;
      opts.logger?.warn(
        { processes: hosts.length, waitSeconds },
        `waiting for ${hosts.length} external worker(s): start \`shardsim worker --redis-url <url>\` on the worker machines`,
      );
      const timer = setTimeout(() => {
        transport.fail(
          new TransportError(
            `no \`shardsim worker\` took up all ${hosts.length} host(s) of run ${prefix} on ${redactRedisUrl(url)} within ${waitSeconds} s (--worker-wait): start workers with the same Redis URL and $${SECRET_ENV}, or wait longer`,
          ),
        );
      }, waitSeconds * 1000);
      try {
        // The first start waits for workers as long as --worker-wait allows (the timer above), not the restart bound.
        await transport.start(RedisTransport.externalStarter(url), resume, Number.POSITIVE_INFINITY);
      } finally {
        clearTimeout(timer);
      }
    } else {
      const spawned = new ProcessPool({
        entry: redisProcessEntry(),
        url,
        secret,
        onDeath: (a, what, fatal) => transport.hostDied(a.host, what, a.epoch, fatal),
      });
      pool = spawned;
      await transport.start((assignment) => spawned.start(assignment), resume);
    }
  } catch (err) {
    await transport.close(async () => pool?.kill());
    throw err;
  }
  if (opts.logger !== undefined) {
    const logger = opts.logger;
    transport.onRecovery = (r) =>
      logger.warn(
        { ...r },
        r.host < 0 ? 'resumed: restored shards replayed up to the last logged slot' : 'shard process restarted: its shards restored and replayed',
      );
  }
  return pool === undefined ? transport : withPool(transport, pool);
}

/** The transport, closing its processes after it. */
function withPool(transport: RedisTransport, pool: ProcessPool): Transport {
  return {
    name: transport.name,
    runSlot: (c) => transport.runSlot(c),
    finish: () => transport.finish(),
    // A failed run's processes are killed at once; a finished run's go back to the idle pool.
    close: () => transport.close((failed) => (failed ? pool.kill() : pool.close())),
    recoveries: transport.recoveries,
  };
}
