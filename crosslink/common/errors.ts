/**
 * Typed errors. Every error shardsim raises on purpose is a ShardsimError with
 * a stable `code`; the CLI maps them to exit code 2 and a one-paragraph message.
 * The base lives in crosslink/ because it is the bottom of the import graph
 * (shards/ and simulator/ both import it; it imports nothing).
 */
export type ShardsimErrorCode =
  | 'CONFIG'
  | 'TRACE'
  | 'TRANSPORT'
  | 'INVARIANT'
  | 'USAGE'
  | 'FILE'
  | 'PROTOCOL';

export class ShardsimError extends Error {
  readonly code: ShardsimErrorCode;
  constructor(code: ShardsimErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** A scenario file or `--set` override that does not match the schema. */
export class ConfigError extends ShardsimError {
  /** Where the problem is: a file path, a key path, or both. */
  readonly where: string;
  constructor(where: string, message: string, options?: { cause?: unknown }) {
    super('CONFIG', `${where}: ${message}`, options);
    this.where = where;
  }
}

/** A trace file that cannot be replayed: names the file and, where it applies, the line. */
export class TraceError extends ShardsimError {
  readonly file: string;
  readonly line: number | undefined;
  constructor(file: string, line: number | undefined, message: string, options?: { cause?: unknown }) {
    super('TRACE', `${file}${line === undefined ? '' : `:${line}`}: ${message}`, options);
    this.file = file;
    this.line = line;
  }
}

/** Bad command-line usage the schema cannot see (unknown flag value, missing file). */
export class UsageError extends ShardsimError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('USAGE', message, options);
  }
}

/**
 * A file shardsim reads or writes that it cannot use: a disk that is full or
 * read-only, a device where a file belongs, a progress file that fails its
 * checks. Names the path; `errno` is the system's code when there is one.
 */
export class FileError extends ShardsimError {
  readonly path: string;
  /** What is wrong, without the path (callers that wrap it in another error reuse it). */
  readonly detail: string;
  readonly errno: string | undefined;
  constructor(path: string, detail: string, options?: { cause?: unknown }) {
    super('FILE', `${path}: ${detail}`, options);
    this.path = path;
    this.detail = detail;
    const code = (options?.cause as { code?: unknown } | undefined)?.code;
    this.errno = typeof code === 'string' ? code : undefined;
  }
}

/** A transport that cannot reach its peers. The URL is shown without its password. */
export class TransportError extends ShardsimError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('TRANSPORT', message, options);
  }
}

/**
 * Redis stopped answering for longer than `recovery.redisTimeoutSeconds`: the
 * run was stopped, but what it had done is kept (progress file, checkpoints
 * and slot log in Redis), so it can be resumed once Redis is back. The CLI
 * exits with its own code (3) and prints the `--resume` command.
 */
export class RedisLostError extends TransportError {
  constructor(
    message: string,
    /** The slot under way when Redis was lost (-1: before the first). */
    readonly slot: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * A failure a restarted shard process would meet again: Redis refuses the
 * run's writes (out of memory, read-only, credentials), or a checkpoint cannot
 * be read. The run stops at once instead of spending its restarts on it.
 */
export class FatalTransportError extends TransportError {}

/**
 * A message from another process that this one cannot read: another
 * protocol version (a worker or controller of another shardsim), or a body
 * of the wrong shape. Fatal: a successor would read the same message.
 */
export class WireFormatError extends FatalTransportError {}

/** A protocol rule broken by a peer (a message that must never happen between honest parties). */
export class ProtocolError extends ShardsimError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('PROTOCOL', message, options);
  }
}

/** Where an invariant broke: the shard (none for a check over all shards' sums) and the slot. */
export interface InvariantSite {
  readonly shard?: number | undefined;
  readonly slot: number;
}

/** An invariant that does not hold: the run's figures must not be trusted. Names the invariant, the shard and the slot. */
export class InvariantError extends ShardsimError {
  readonly invariant: string;
  /** The shard whose account broke it; undefined when only the sum over all shards does. */
  readonly shard: number | undefined;
  readonly slot: number;
  constructor(invariant: string, site: InvariantSite, detail: string) {
    const where = site.shard === undefined ? 'over all shards' : `at shard ${site.shard}`;
    super('INVARIANT', `invariant "${invariant}" violated ${where}, slot ${site.slot}: ${detail}`);
    this.invariant = invariant;
    this.shard = site.shard;
    this.slot = site.slot;
  }
}
