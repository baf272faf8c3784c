/**
 * Key and queue names of the Redis transport. Every key of a run lives under
 * one prefix with a Redis Cluster hash tag, `{ss:<run id>}`, so a run's keys
 * share a slot (as BullMQ requires on Cluster), two runs never mix, and a run
 * can remove exactly its own keys when it ends.
 */

import type { ShardSummary } from '../../transport.js';
import type { WireCommand, WireReport } from '../../wire/codec.js';

/**
 * A host whose heartbeat key is older than this is taken for dead. Generous:
 * a busy shard process (a long slot on a loaded machine) cannot beat while it
 * computes, and a spawned process's death is seen at once from its exit anyway.
 */
export const ALIVE_TTL_MS = 30_000;

/**
 * Heartbeat keys (the controller's, the hosts') outlive the run's Redis
 * timeout by this much: a Redis restart within the timeout, or an event loop
 * held up by a long slot, must not let a live process's heartbeat expire.
 */
export const HEARTBEAT_GRACE_MS = 10_000;

/** A host's heartbeat TTL for a run whose Redis timeout is `redisTimeoutMs`. */
export const aliveTtlMs = (redisTimeoutMs: number): number => Math.max(ALIVE_TTL_MS, redisTimeoutMs + HEARTBEAT_GRACE_MS);

/**
 * After a dropped connection, a job a worker had taken is found stalled and
 * delivered again: check often, and never give up on it (BullMQ's default
 * fails a job after one stall). Redelivery is safe: inboxes drop duplicate
 * batches, hosts answer repeated commands from a cache.
 */
export const RECOVERY = { stalledInterval: 2_000, maxStalledCount: 1_000, lockDuration: 10_000 } as const;

/**
 * Every key of a run expires this long after the controller last refreshed
 * it: an interrupted run's keys stay long enough for `--resume`, and do not
 * stay forever (`shardsim clean` removes them sooner).
 */
export const RUN_KEY_TTL_SECONDS = 24 * 3_600;

export const runPrefix = (runId: string): string => `{ss:${runId}}`;

/** The queue external workers wait on for assignments (`shardsim worker`). */
export const LOBBY_PREFIX = '{shardsim}';
export const LOBBY_QUEUE = 'lobby';

export const Q = {
  /**
   * Commands for the shards hosted by one worker process (one job per shard
   * per slot). Each (re)start of a host gets a new epoch and so a new queue:
   * a process that is presumed dead but lingers can never take the commands
   * meant for its successor.
   */
  host: (host: number, epoch: number) => `host-${host}-e${epoch}`,
  /**
   * Receipt batches for the shards of one host process: one job per source
   * shard, slot and destination host, carrying that block's batches for each
   * of the host's shards (each batch still sealed and proven on its own).
   */
  receipts: (host: number) => `rcpt-h${host}`,
  /** Everything hosts tell the controller: ready, slot reports, summaries, errors. */
  reports: 'reports',
} as const;

export const K = {
  setup: (prefix: string) => `${prefix}:setup`,
  blob: (prefix: string, name: string) => `${prefix}:blob:${name}`,
  /** A host's heartbeat, refreshed every second; its value is the host process's pid. */
  alive: (prefix: string, host: number) => `${prefix}:alive:${host}`,
  /** Epochs handed out to host (re)starts (INCR). */
  epoch: (prefix: string) => `${prefix}:epoch`,
  /** A shard's latest checkpoint (node:v8 serialized; it names its slot). */
  checkpoint: (prefix: string, shard: number) => `${prefix}:ckpt:${shard}`,
  /** Receipt batches delivered to a shard since its checkpoint of `slot` (-1: since genesis). */
  deliveries: (prefix: string, shard: number, slot: number) => `${prefix}:dlog:${shard}:${slot}`,
  /** The controller's log: every completed slot's reports, one entry per slot (what `--resume` replays). */
  slotLog: (prefix: string) => `${prefix}:slot-log`,
  /** The controller's heartbeat: its id, with a TTL of the controller timeout, refreshed every second. */
  controller: (prefix: string) => `${prefix}:controller`,
  /** When the controller last beat (ms since the epoch), kept as long as the run's keys: what `shardsim clean` shows. */
  seen: (prefix: string) => `${prefix}:seen`,
} as const;

/** A shard's command for one slot. `replay` tags a command re-sent to a restored shard; its report comes back with the tag. */
export type SlotJob = { readonly type: 'slot'; readonly shard: number; readonly command: WireCommand; readonly replay?: string };

/** What the controller sends a host, per shard (or, for a slot of the run, for all its shards at once). */
export type HostCommand =
  | SlotJob
  /**
   * One slot's commands for every shard of the host, in one job: BullMQ runs
   * three Lua scripts a job (add, take, finish), so a job per shard per slot
   * cost 16 shards on 2 processes 32 command and report jobs a slot; grouped, 4.
   */
  | { readonly type: 'slots'; readonly jobs: readonly SlotJob[] }
  | { readonly type: 'finish'; readonly shard: number }
  | { readonly type: 'close' };

/** What hosts send the controller. */
export type HostMessage =
  /** `restored`: the slot of the checkpoint the shard was restored from (-1: built from genesis). */
  | { readonly type: 'ready'; readonly shard: number; readonly host: number; readonly epoch: number; readonly restored: number }
  | { readonly type: 'slot'; readonly shard: number; readonly report: WireReport; readonly replay?: string }
  | { readonly type: 'summary'; readonly shard: number; readonly summary: ShardSummary }
  | { readonly type: 'error'; readonly shard: number; readonly slot: number; readonly message: string }
  | { readonly type: 'closed'; readonly host: number }
  /** The answers to one 'slots' command, together. */
  | { readonly type: 'answers'; readonly messages: readonly HostMessage[] };

/** The assignment and the IPC messages around it are versioned and checked (wire/control.ts). */
export type { Assignment, FromHostProcess, ToHostProcess } from '../../wire/control.js';
