/**
 * Typed errors. Every error shardsim raises on purpose is a ShardsimError: a
 * stable `code` naming its kind, the `shortMessage` saying what is wrong
 * (without where), structured `details`, the standard `cause`, and, decided
 * by its class, the exit code of the command it ends and how the command
 * line heads its message. The command line asks the error; it holds no table.
 *
 * The base lives in crosslink/ because it is the bottom of the import graph
 * (shards/ and simulator/ both import it; it imports nothing). Errors only
 * the simulator raises (trace, usage and file errors) live in simulator/errors.ts.
 */

/** Exit codes of the `shardsim` command (README, "Errors and exit codes"). */
export const EXIT = {
  ok: 0,
  /** A run broke an invariant, or an internal error: no results written. */
  failed: 1,
  /** `shardsim compare`: a figure is worse than the baseline by more than --max-regression (not an error). */
  regressed: 1,
  /** Bad input, or a file that cannot be read or written. */
  badInput: 2,
  /** Redis stopped answering; the run can be resumed. */
  redisLost: 3,
} as const;

/**
 * Exit codes of a spawned shard process, which tell its controller whether a
 * successor could do better: after `fatal` (Redis refuses its writes, a
 * checkpoint is corrupt) the run stops instead of restarting the process.
 */
export const SHARD_PROCESS_EXIT = { failed: 1, usage: 2, fatal: 4, redisLost: 5 } as const;

/**
 * How the command line heads an error's message: `error` for bad input and a
 * troubled environment, `run failed` for a run whose figures cannot be
 * trusted, `internal error` for a bug in shardsim.
 */
export type ErrorHeading = 'error' | 'run failed' | 'internal error';

/** Structured facts about an error, for logs and callers that rephrase it. */
export type ErrorDetails = Readonly<Record<string, string | number | boolean | null | undefined>>;

export interface ShardsimErrorOptions {
  cause?: unknown;
  details?: ErrorDetails;
  /** Where the problem is (a file, a key, an option); the message reads `where: shortMessage`. */
  where?: string;
}

export abstract class ShardsimError extends Error {
  /** A stable identifier of the error's kind (e.g. `CONFIG`), for code that tells errors apart. */
  abstract readonly code: string;
  /** What is wrong, without where (callers that wrap it in another error reuse it). */
  readonly shortMessage: string;
  readonly details: ErrorDetails | undefined;
  /** The exit code of the `shardsim` command this error ends. */
  readonly exitCode: number = EXIT.badInput;
  /** The exit code of a spawned shard process this error ends. */
  readonly shardProcessExitCode: number = SHARD_PROCESS_EXIT.failed;
  readonly heading: ErrorHeading = 'error';

  constructor(shortMessage: string, options?: ShardsimErrorOptions) {
    super(
      options?.where === undefined ? shortMessage : `${options.where}: ${shortMessage}`,
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.shortMessage = shortMessage;
    this.details = options?.details;
    this.name = new.target.name;
  }
}

/** A scenario file, `--set` override or option value that does not match the schema. */
export class ConfigError extends ShardsimError {
  readonly code: string = 'CONFIG';
  /** Where the problem is: a file path, a key path, an option, or both. */
  readonly where: string;
  constructor(where: string, message: string, options?: { cause?: unknown }) {
    super(message, { ...options, where, details: { where } });
    this.where = where;
  }
}

/**
 * A run resumed in Redis whose stored scenario differs from the one given now.
 * It names no command-line option: the simulator says which options to repeat.
 */
export class ScenarioMismatchError extends ShardsimError {
  readonly code: string = 'SCENARIO_MISMATCH';
  constructor(
    /** The run's key prefix. */
    readonly run: string,
    /** The first difference, as describeDifference words it ('' when none is found). */
    readonly difference: string,
  ) {
    super(`the scenario differs from the one run ${run} started with${difference === '' ? '' : ` ${difference}`}`, { details: { run, difference } });
  }
}

/** A transport that cannot reach its peers. The URL is shown without its password. */
export class TransportError extends ShardsimError {
  readonly code: string = 'TRANSPORT';
  constructor(message: string, options?: ShardsimErrorOptions) {
    super(message, options);
  }
}

/**
 * Redis stopped answering for longer than `recovery.redisTimeoutSeconds`: the
 * run was stopped, but what it had done is kept (progress file, checkpoints
 * and slot log in Redis), so it can be resumed once Redis is back. The CLI
 * exits with its own code and prints the `--resume` command.
 */
export class RedisLostError extends TransportError {
  override readonly code: string = 'REDIS_LOST';
  override readonly exitCode: number = EXIT.redisLost;
  override readonly shardProcessExitCode: number = SHARD_PROCESS_EXIT.redisLost;
  constructor(
    message: string,
    /** The slot under way when Redis was lost (-1: before the first). */
    readonly slot: number,
    options?: { cause?: unknown },
  ) {
    super(message, { ...options, details: { slot } });
  }
}

/**
 * A failure a restarted shard process would meet again: Redis refuses the
 * run's writes (out of memory, read-only, credentials), or a checkpoint cannot
 * be read. The run stops at once instead of spending its restarts on it.
 */
export class FatalTransportError extends TransportError {
  override readonly code: string = 'TRANSPORT_FATAL';
  override readonly shardProcessExitCode: number = SHARD_PROCESS_EXIT.fatal;
}

/** A checkpoint or snapshot that does not fit what restores it (another shard, shard count or version, or bytes that are no checkpoint). */
export class CheckpointError extends ShardsimError {
  readonly code: string = 'CHECKPOINT';
  constructor(message: string, options?: ShardsimErrorOptions) {
    super(message, options);
  }
}

/**
 * A message from another process that this one cannot read: another
 * protocol version (a worker or controller of another shardsim), or a body
 * of the wrong shape. Fatal: a successor would read the same message.
 */
export class WireFormatError extends FatalTransportError {}

/** A protocol rule broken by a peer (a message that must never happen between honest parties). */
export class ProtocolError extends ShardsimError {
  readonly code: string = 'PROTOCOL';
  override readonly exitCode: number = EXIT.failed;
  override readonly heading: ErrorHeading = 'run failed';
  constructor(message: string, options?: ShardsimErrorOptions) {
    super(message, options);
  }
}

/** Where an invariant broke: the shard (none for a check over all shards' sums) and the slot. */
export interface InvariantSite {
  readonly shard?: number | undefined;
  readonly slot: number;
}

/** An invariant that does not hold: the run's figures must not be trusted. Names the invariant, the shard and the slot. */
export class InvariantError extends ShardsimError {
  readonly code: string = 'INVARIANT';
  override readonly exitCode: number = EXIT.failed;
  override readonly heading: ErrorHeading = 'run failed';
  readonly invariant: string;
  /** The shard whose account broke it; undefined when only the sum over all shards does. */
  readonly shard: number | undefined;
  readonly slot: number;
  constructor(invariant: string, site: InvariantSite, detail: string) {
    const where = site.shard === undefined ? 'over all shards' : `at shard ${site.shard}`;
    super(detail, { where: `invariant "${invariant}" violated ${where}, slot ${site.slot}`, details: { invariant, shard: site.shard, slot: site.slot } });
    this.invariant = invariant;
    this.shard = site.shard;
    this.slot = site.slot;
  }
}

/** A state the code must never reach (a bug in shardsim, not in its input): reported as an internal error. */
export class InternalError extends ShardsimError {
  readonly code: string = 'INTERNAL';
  override readonly exitCode: number = EXIT.failed;
  override readonly heading: ErrorHeading = 'internal error';
  constructor(message: string, options?: ShardsimErrorOptions) {
    super(message, options);
  }
}
