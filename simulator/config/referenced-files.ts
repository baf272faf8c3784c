/**
 * The files a scenario names (a trace, a partition file) must exist and be
 * readable regular files: checked by `validate` and before a sweep starts, so
 * a typo is found in a second and named with its key.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '../../crosslink/common/errors.js';
import { notARegularFile } from '../bounded-file.js';
import type { Scenario } from './schema.js';

export function checkReferencedFiles(sc: Scenario): void {
  if (sc.workload.kind === 'trace' && sc.workload.trace !== undefined) checkFile('workload.trace.file', sc.workload.trace.file, 'trace file');
  if (sc.accounts.partitionFile !== undefined) checkFile('accounts.partitionFile', sc.accounts.partitionFile, 'partition file');
}

function checkFile(key: string, file: string, what: string): void {
  const shown = file.length > 200 ? `${file.slice(0, 100)}...${file.slice(-97)}` : file;
  let reason: string | undefined;
  try {
    const st = statSync(file, { throwIfNoEntry: false });
    if (st === undefined) reason = `no such file (looked for ${resolve(file)}; a path in a scenario file is relative to that file's folder)`;
    else {
      const notRegular = notARegularFile(st);
      if (notRegular !== undefined) reason = `cannot read ${what}: ${notRegular}`;
      else accessSync(file, constants.R_OK);
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    reason =
      code === 'EACCES'
        ? 'not readable (permission denied)'
        : code === 'ENOTDIR'
          ? 'a part of the path is not a folder'
          : `cannot read it (${code ?? (err as Error).message})`;
  }
  if (reason !== undefined) throw new ConfigError(`${key} ${shown}`, reason);
}
