/**
 * Errors only the simulator raises: a trace file that cannot be replayed, bad
 * usage, a file it cannot use. The base and the errors lower layers raise
 * live in crosslink/common/errors.ts.
 */
import { ShardsimError } from '../crosslink/common/errors.js';

/** A trace file that cannot be replayed: names the file and, where it applies, the line. */
export class TraceError extends ShardsimError {
  readonly code: string = 'TRACE';
  readonly file: string;
  readonly line: number | undefined;
  constructor(file: string, line: number | undefined, message: string, options?: { cause?: unknown }) {
    super(message, { ...options, where: `${file}${line === undefined ? '' : `:${line}`}`, details: { file, line } });
    this.file = file;
    this.line = line;
  }
}

/** Bad command-line usage the schema cannot see (unknown flag value, missing file). */
export class UsageError extends ShardsimError {
  readonly code: string = 'USAGE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * A file shardsim reads or writes that it cannot use: a disk that is full or
 * read-only, a device where a file belongs, a progress file that fails its
 * checks. Names the path; `errno` is the system's code when there is one.
 */
export class FileError extends ShardsimError {
  readonly code: string = 'FILE';
  readonly path: string;
  readonly errno: string | undefined;
  constructor(path: string, detail: string, options?: { cause?: unknown }) {
    const code = (options?.cause as { code?: unknown } | undefined)?.code;
    const errno = typeof code === 'string' ? code : undefined;
    super(detail, { ...options, where: path, details: { path, errno } });
    this.path = path;
    this.errno = errno;
  }
}

/**
 * The browser that renders a report's PNGs (`shardsim report --png`) is
 * missing, or will not start: the user's environment, so exit 2 with what
 * to install or set.
 */
export class BrowserError extends ShardsimError {
  readonly code: string = 'BROWSER';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
