/** Where the entry script of spawned Redis shard processes (redis-process.ts) is, for the process pool to start it. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TransportError } from '../../crosslink/common/errors.js';

/** The built entry: beside this module in dist/, or in dist/ when this runs from source under a test runner (a process runs JavaScript only). */
export function redisProcessEntry(): string {
  for (const candidate of [new URL('./redis-process.js', import.meta.url), new URL('../../dist/shards/hosts/redis-process.js', import.meta.url)]) {
    const path = fileURLToPath(candidate);
    if (existsSync(path)) return path;
  }
  throw new TransportError('cannot find dist/shards/hosts/redis-process.js to start shard processes; run `npm run build` first');
}
