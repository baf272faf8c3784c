/**
 * Structured logs with pino: JSON lines to stderr, or to a file with
 * `--log-file`. Stdout stays for the summary table and `--json`.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { type DestinationStream, type Logger, pino } from 'pino';
import { makeDir } from './atomic-write.js';
import { fileError } from './io-errors.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export function createLogger(level: LogLevel, file?: string): Logger {
  const dest = file === undefined ? pino.destination({ fd: 2, sync: true }) : logFile(file);
  return pino({ level, base: { app: 'shardsim' } }, dest);
}

/**
 * The log file as a synchronous stream whose write errors are FileErrors:
 * a full disk (`--log-file /dev/full`) ends the command with exit 2 naming
 * the file, not an "internal error" from inside pino.
 */
function logFile(file: string): DestinationStream {
  makeDir(dirname(file));
  let fd: number;
  try {
    fd = openSync(file, 'a');
  } catch (err) {
    throw fileError(file, 'cannot open the log file', err);
  }
  let failed = false;
  return {
    write(line: string): void {
      // After the first failure (already thrown to the command), later lines are dropped rather than thrown again from wherever they are logged.
      if (failed) return;
      const bytes = Buffer.from(line, 'utf8');
      try {
        for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
      } catch (err) {
        failed = true;
        try {
          closeSync(fd);
        } catch {
          // the write's error is the one to report
        }
        throw fileError(file, 'cannot write the log file', err);
      }
    },
  };
}
