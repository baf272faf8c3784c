/**
 * System errors of file reads and writes in words a user acts on. A full or
 * read-only disk is the user's environment, not a shardsim bug: it becomes a
 * FileError (exit 2) that names the path, never an "internal error".
 */
import { FileError } from './errors.js';

const WORDS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'is a directory',
  EEXIST: 'already exists',
  ENAMETOOLONG: 'the file name is too long',
  ELOOP: 'too many levels of symbolic links',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  EIO: 'input/output error (a failing disk or a lost network mount?)',
  EFBIG: 'the file is larger than the file system allows',
  EBUSY: 'the file is busy',
  ETXTBSY: 'the file is busy',
  ENXIO: 'no such device',
  ENODEV: 'no such device',
  ESTALE: 'stale network file handle',
};

/** The cause of a failed file operation in words, with the system code: "no space left on the device (ENOSPC)". */
export function ioReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const words = code === undefined ? undefined : WORDS[code];
  if (words !== undefined) return `${words} (${code})`;
  const message = String((err as Error | undefined)?.message ?? err);
  // Node's own text starts with the code and ends with the syscall and path, which the caller names anyway.
  return message.replace(/^[A-Z]+: /, '').split(',')[0]!;
}

/** A file name for a message: a path past 200 characters keeps its start and its end. */
export function shortPath(path: string): string {
  return path.length > 200 ? `${path.slice(0, 100)}...${path.slice(-97)}` : path;
}

/** `err` from `action` on `path` as a FileError, unless it is a ShardsimError already. */
export function fileError(path: string, action: string, err: unknown): FileError {
  if (err instanceof FileError) return err;
  return new FileError(shortPath(path), `${action}: ${ioReason(err)}`, { cause: err });
}
