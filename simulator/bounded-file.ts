/**
 * Reading a file a user names (scenario, partition file, progress.json)
 * without trusting it: at most `maxBytes`, never more held in memory, and
 * only from a regular file. The type is checked with fstat on the opened
 * descriptor, so a path swapped between a check and the read changes
 * nothing; /dev/zero, a directory or a socket is refused before any read,
 * and a FIFO either is refused or (scenario files, `<(cmd)`) read with a
 * deadline, never hanging.
 */
import { isUtf8 } from 'node:buffer';
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { FileError } from './errors.js';
import { fileError, shortPath } from './io-errors.js';

export interface BoundedReadOptions {
  /** Largest file accepted, in bytes; a bigger one is refused without being read. */
  readonly maxBytes: number;
  /** What the file is, for messages: "scenario", "partition file", "progress file". */
  readonly what: string;
  /** Also read FIFOs (a shell's `<(cmd)`), waiting at most this long for data and for the end of file. */
  readonly pipeTimeoutMs?: number | undefined;
}

/** First buffer for a file of unknown size (a pipe); doubled as data comes, up to maxBytes + 1. */
const FIRST_CHUNK = 64 * 1024;

/**
 * Why a file of this type cannot be read as data (undefined: a regular file):
 * one wording wherever a file the user names is checked, before or at reading.
 */
export function notARegularFile(st: Stats): string | undefined {
  if (st.isFile()) return undefined;
  if (st.isDirectory()) return 'is a directory, not a file';
  return st.isFIFO() ? 'not a regular file (a FIFO or pipe)' : 'not a regular file (a device or socket)';
}

export function readBoundedRegularFile(path: string, opts: BoundedReadOptions): Buffer {
  const shown = shortPath(path);
  const cannot = `cannot read ${opts.what}`;
  let fd: number;
  try {
    // Non-blocking: opening a FIFO without a writer would otherwise block forever.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw fileError(path, cannot, err);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new FileError(shown, `${cannot}: is a directory, not a ${opts.what}`);
    const pipe = st.isFIFO();
    const notRegular = notARegularFile(st);
    if (notRegular !== undefined && !(pipe && opts.pipeTimeoutMs !== undefined))
      throw new FileError(shown, `${cannot}: ${notRegular}; give the ${opts.what} as a file`);
    if (st.isFile() && st.size > opts.maxBytes) throw tooBig(shown, opts, st.size);
    let buf = Buffer.alloc(Math.min(opts.maxBytes + 1, st.isFile() ? st.size + 1 : FIRST_CHUNK));
    const deadline = Date.now() + (opts.pipeTimeoutMs ?? 0);
    let len = 0;
    for (;;) {
      // A regular file may grow while it is read (or be a /proc file sized 0): the bound holds on what is read.
      if (len === buf.length) {
        const bigger = Buffer.alloc(Math.min(opts.maxBytes + 1, buf.length * 2));
        buf.copy(bigger, 0, 0, len);
        buf = bigger;
      }
      let n: number;
      try {
        n = readSync(fd, buf, len, buf.length - len, null);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN' || !pipe) throw err;
        n = -1; // a writer is there but has not written yet
      }
      // On a pipe, end-of-file before any data may only mean its writer has not opened it yet.
      if (n > 0) len += n;
      else if (n === 0 && (!pipe || len > 0)) break;
      else if (Date.now() > deadline) {
        throw new FileError(
          shown,
          `${cannot}: the pipe gave ${len === 0 ? 'no data' : 'no end of file'} within ${(opts.pipeTimeoutMs ?? 0) / 1000} s (is anything writing to it?)`,
        );
      } else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
      if (len > opts.maxBytes) throw tooBig(shown, opts, undefined);
    }
    return buf.subarray(0, len);
  } catch (err) {
    throw fileError(path, cannot, err);
  } finally {
    closeSync(fd);
  }
}

/**
 * The file as text: refused when it holds a NUL byte or is not UTF-8 (a
 * binary file given by mistake would otherwise parse as no rows at all). A
 * leading byte-order mark is dropped.
 */
export function readBoundedTextFile(path: string, opts: BoundedReadOptions): string {
  const buf = readBoundedRegularFile(path, opts);
  const nul = buf.indexOf(0);
  if (nul >= 0)
    throw new FileError(shortPath(path), `not a text file: a NUL byte at offset ${nul} (a binary or compressed file?); a ${opts.what} is UTF-8 text`);
  if (!isUtf8(buf)) throw new FileError(shortPath(path), `not a text file: it is not valid UTF-8; a ${opts.what} is UTF-8 text`);
  const text = buf.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function tooBig(shown: string, opts: BoundedReadOptions, size: number | undefined): FileError {
  const what = size === undefined ? `more than ${opts.maxBytes}` : String(size);
  return new FileError(shown, `file is ${what} bytes; a ${opts.what} must be at most ${opts.maxBytes} (is this the right file?)`);
}
