/**
 * Writing output so that a failure leaves nothing half-written: each file
 * goes to a temporary name in its own directory (a rename across file
 * systems is not atomic), is flushed to disk, and only then renamed into
 * place. A failed write removes its temporary files and leaves whatever was
 * there before untouched. Every error is a FileError naming the path and
 * the cause (a full or read-only disk is the user's to fix, not a bug).
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { FileError } from './errors.js';
import { fileError, shortPath } from './io-errors.js';

export interface FileContent {
  readonly path: string;
  /** Text (written as UTF-8) or bytes (a PNG, a copied bundle). */
  readonly text: string | Uint8Array;
}

/**
 * Creates `dir` and its missing parents one level at a time. Node's
 * recursive mkdir reports ENOENT for a directory under a read-only mount;
 * creating each level ourselves surfaces the real cause (EROFS, EACCES).
 */
export function makeDir(dir: string): void {
  const missing: string[] = [];
  for (let d = resolve(dir); ; d = dirname(d)) {
    let exists: boolean;
    try {
      const st = statSync(d, { throwIfNoEntry: false });
      if (st !== undefined && !st.isDirectory()) throw new FileError(shortPath(d), `cannot create ${shortPath(dir)}: ${shortPath(d)} is not a directory`);
      exists = st !== undefined;
    } catch (err) {
      throw fileError(d, 'cannot create directory', err);
    }
    if (exists || dirname(d) === d) break;
    missing.push(d);
  }
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw fileError(d, 'cannot create directory', err);
    }
  }
}

/** The temporary name `path` is written under: same directory, marked with this process. */
export const partialName = (path: string): string => `${path}.partial-${process.pid}`;

/** Writes `text` to `path` atomically (see the file comment). */
export function writeFileAtomic(path: string, text: string | Uint8Array): void {
  writeFilesAtomic([{ path, text }]);
}

/**
 * Writes every file to its temporary name first, then renames them in the
 * order given: with the marker of a complete set last (results.json), a
 * failure at any point never leaves a marker beside partial files.
 */
export function writeFilesAtomic(files: readonly FileContent[]): void {
  const written: string[] = [];
  try {
    for (const f of files) {
      const tmp = partialName(f.path);
      written.push(tmp);
      writeDurably(tmp, f.path, f.text);
    }
    for (const f of files) {
      try {
        renameSync(partialName(f.path), f.path);
      } catch (err) {
        throw fileError(f.path, 'cannot write', err);
      }
    }
  } catch (err) {
    for (const tmp of written) removeQuietly(tmp);
    throw err;
  }
}

/** Writes and flushes one file; `shown` is the name the user knows it by (not the temporary one). */
function writeDurably(tmp: string, shown: string, text: string | Uint8Array): void {
  let fd: number;
  try {
    fd = openSync(tmp, 'w');
  } catch (err) {
    throw fileError(shown, 'cannot write', err);
  }
  try {
    const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
    for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
    // A network or quota-limited file system may only report a full disk here.
    fsyncSync(fd);
  } catch (err) {
    throw fileError(shown, 'cannot write', err);
  } finally {
    try {
      closeSync(fd);
    } catch {
      // the write's own error, if any, is the one worth reporting
    }
  }
}

/** Removes a file if it is there; a failure to clean up must not hide the error that caused it. */
export function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // left behind; the error being reported says why
  }
}
