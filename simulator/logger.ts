/**
 * Structured logs with pino: JSON lines to stderr, or to a file with
 * `--log-file`. Stdout stays for the summary table and `--json`.
 */
import { pino, type Logger } from 'pino';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export function createLogger(level: LogLevel, file?: string): Logger {
  const dest = file === undefined ? pino.destination({ fd: 2, sync: true }) : pino.destination({ dest: file, mkdir: true, sync: true });
  return pino({ level, base: { app: 'shardsim' } }, dest);
}
