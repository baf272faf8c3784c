/**
 * The messages that hand a shard process its work: a worker's assignment
 * (a lobby job for `shardsim worker`, or over IPC to a spawned shard
 * process) and the IPC messages around it. Each carries the protocol
 * version and is checked where it arrives, so a process of another shardsim
 * refuses it by name instead of misreading it.
 */
import { WireFormatError } from '../common/errors.js';
import { PROTOCOL_VERSION, versionMismatch } from './layout.js';

/** An assignment: which shards a worker process hosts for which run. */
export interface Assignment {
  /** PROTOCOL_VERSION of the controller that made it. */
  readonly protocol: number;
  readonly prefix: string;
  readonly host: number;
  readonly shards: readonly number[];
  /** This start of the host (its command queue is named after it). */
  readonly epoch: number;
  /** Checkpoint each shard after every this many slots (0: never; a crash then stops the run). */
  readonly checkpointEvery: number;
  /** The host of every shard of the run, by shard: where its receipt batches go. */
  readonly hostOf: readonly number[];
  /** The id of the controller that made the assignment (its heartbeat key's value): a host whose controller is gone or replaced abandons the run. */
  readonly controller: string;
  /** How long the host waits for a silent Redis before it gives the run up (`recovery.redisTimeoutSeconds`). */
  readonly redisTimeoutMs?: number;
}

/**
 * What a controller sends a pooled shard process over IPC, and what it
 * answers. `secret`: the run's control-message key (control-auth.ts), over
 * IPC since neither argv nor the environment of a pooled process fits a
 * per-run secret.
 */
export type ToHostProcess = { readonly type: 'host'; readonly protocol: number; readonly assignment: Assignment; readonly secret: string };
export type FromHostProcess = { readonly type: 'idle'; readonly protocol: number };

const isWhole = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;
const isWholes = (x: unknown): x is number[] => Array.isArray(x) && x.every(isWhole);

/** `x` as an assignment; throws WireFormatError (naming both versions where they differ) for anything else. */
export function checkAssignment(x: unknown, what = 'an assignment'): Assignment {
  if (typeof x !== 'object' || x === null) throw new WireFormatError(`${what} is not an assignment`);
  const a = x as Partial<Record<keyof Assignment, unknown>>;
  const why = versionMismatch(what, a.protocol);
  if (why !== undefined) throw new WireFormatError(why);
  const bad: string[] = [];
  if (typeof a.prefix !== 'string' || a.prefix === '') bad.push('prefix');
  if (!isWhole(a.host)) bad.push('host');
  if (!isWholes(a.shards) || a.shards.length === 0) bad.push('shards');
  if (!isWhole(a.epoch)) bad.push('epoch');
  if (!isWhole(a.checkpointEvery)) bad.push('checkpointEvery');
  if (!isWholes(a.hostOf)) bad.push('hostOf');
  if (typeof a.controller !== 'string') bad.push('controller');
  if (a.redisTimeoutMs !== undefined && !isWhole(a.redisTimeoutMs)) bad.push('redisTimeoutMs');
  if (bad.length > 0) throw new WireFormatError(`${what} is malformed: ${bad.join(', ')} missing or of the wrong type`);
  return x as Assignment;
}

/** `x` as an IPC message of `type` from `who`, its version checked; throws WireFormatError for anything else. */
function ipcMessage(x: unknown, type: string, who: string): Record<string, unknown> {
  const m = x as Record<string, unknown> | null;
  if (typeof m !== 'object' || m === null || m.type !== type) throw new WireFormatError(`an IPC message from ${who} is not one ${who} sends`);
  const why = versionMismatch(`the IPC message from ${who}`, m.protocol);
  if (why !== undefined) throw new WireFormatError(why);
  return m;
}

/** `x` as a controller's IPC message to a shard process; throws WireFormatError for anything else. */
export function checkToHostProcess(x: unknown): ToHostProcess {
  const m = ipcMessage(x, 'host', 'the controller');
  if (typeof m.secret !== 'string') throw new WireFormatError("the controller's IPC message carries no secret");
  checkAssignment(m.assignment, 'the assignment over IPC');
  return x as ToHostProcess;
}

/** `x` as a shard process's IPC message; throws WireFormatError for anything else. */
export function checkFromHostProcess(x: unknown): FromHostProcess {
  ipcMessage(x, 'idle', 'a shard process');
  return x as FromHostProcess;
}

export { PROTOCOL_VERSION };
