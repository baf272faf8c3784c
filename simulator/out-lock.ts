/**
 * One sweep at a time per output folder: `<out>/shardsim.lock`, created with
 * O_EXCL (exactly one of two racing sweeps gets it) and holding the owner's
 * pid and host. Without it two sweeps into one `--out` overwrite each
 * other's results and one removes the other's progress.json.
 *
 * A lock whose process is gone (killed, machine rebooted) is stale: on the
 * same host, a pid that no longer runs is taken over with a warning, which
 * is what `--resume` after a crash needs. A lock from another host cannot be
 * checked from here and is refused like a live one.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, rmdirSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { makeDir, removeQuietly } from './atomic-write.js';
import { readBoundedTextFile } from './bounded-file.js';
import { FileError } from './errors.js';
import { fileError } from './io-errors.js';

export const LOCK_FILE = 'shardsim.lock';

export interface OutLock {
  readonly file: string;
  /** Removes the lock if it is still this process's (idempotent). */
  release(): void;
}

interface Holder {
  readonly pid: number;
  readonly host: string;
  readonly runId: string;
  readonly token: string;
}

export function lockOutDir(dir: string, runId: string, warn: (message: string) => void): OutLock {
  const created = !existsSync(dir);
  makeDir(dir);
  const file = join(dir, LOCK_FILE);
  const me: Holder = { pid: process.pid, host: hostname(), runId, token: randomBytes(8).toString('hex') };
  for (let attempt = 0; ; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, 'wx');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw fileError(file, 'cannot create the lock file', err);
      const holder = readHolder(file);
      if (holder === 'gone' && attempt < 5) continue; // released between our open and our read
      if (holder === undefined || holder === 'gone') {
        throw new FileError(dir, `is locked by ${file}, which shardsim cannot read; if no sweep is writing to this folder, remove the lock file`);
      }
      const stale = holder.host === me.host && !processRuns(holder.pid);
      if (!stale || attempt > 0) {
        throw new FileError(
          dir,
          `another sweep (run ${holder.runId}, process ${holder.pid} on ${holder.host}) is writing to this folder; wait for it to finish or give another --out` +
            (holder.host === me.host ? '' : ` (if that process is gone, remove ${file})`),
        );
      }
      warn(`${file}: taking over the lock of run ${holder.runId}: its process ${holder.pid} no longer runs`);
      try {
        unlinkSync(file);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw fileError(file, 'cannot remove the stale lock file', e);
      }
      continue;
    }
    try {
      writeSync(fd, `${JSON.stringify(me)}\n`);
    } catch (err) {
      closeSync(fd);
      removeQuietly(file);
      throw fileError(file, 'cannot write the lock file', err);
    }
    closeSync(fd);
    let held = true;
    return {
      file,
      release() {
        if (!held) return;
        held = false;
        // Only our own lock: never one another sweep took over after declaring ours stale.
        const now = readHolder(file);
        if (typeof now === 'object' && now.token === me.token) {
          try {
            unlinkSync(file);
          } catch {
            // a lock left behind is stale once we exit, and taken over then
          }
        }
        // A folder made only to hold the lock (a refused --resume, a sweep that failed at once) goes with it.
        if (created) {
          try {
            rmdirSync(dir);
          } catch {
            // not empty: it holds results or progress
          }
        }
      },
    };
  }
}

/** The lock's holder; 'gone' when the file disappeared, undefined when it does not read as a lock. */
function readHolder(file: string): Holder | 'gone' | undefined {
  let text: string;
  try {
    text = readBoundedTextFile(file, { maxBytes: 4096, what: 'lock file' });
  } catch (err) {
    return err instanceof FileError && err.errno === 'ENOENT' ? 'gone' : undefined;
  }
  try {
    const h = JSON.parse(text) as Partial<Holder>;
    if (
      typeof h.pid === 'number' &&
      Number.isSafeInteger(h.pid) &&
      h.pid > 0 &&
      typeof h.host === 'string' &&
      typeof h.runId === 'string' &&
      typeof h.token === 'string'
    ) {
      return { pid: h.pid, host: h.host.slice(0, 200), runId: h.runId.slice(0, 100), token: h.token };
    }
  } catch {
    // fall through: not a lock we wrote
  }
  return undefined;
}

/** Whether a process with this pid runs on this host (EPERM: it runs, as another user). */
function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
