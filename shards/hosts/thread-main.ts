/**
 * The entry module of a shard thread (the threaded memory transport): for
 * each run the controller opens on this thread, builds the assigned shards
 * from the run's setup and account placement, as a Redis shard process does
 * (redis-worker.ts), and serves them. Loading it anywhere else does nothing, so it
 * is safe to import (the controller does, for `threadHostUrl`).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import { TransportError } from '../../crosslink/common/errors.js';
import { type ShardFactory, serveThread, type ThreadRun } from '../../crosslink/transports/threads/thread-shard-host.js';
import type { ThreadWorkerData } from '../../crosslink/transports/threads/threaded-transport.js';
import { createShard, genesisFromOwners, type ShardSetup } from '../shard-setup.js';

/**
 * This module as a thread entry: this very file once built, or its build in
 * dist/ when this runs from source under a test runner (a thread runs JavaScript only).
 */
export function threadHostUrl(): URL {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.js')) return pathToFileURL(here);
  const built = fileURLToPath(new URL('../../dist/shards/hosts/thread-main.js', import.meta.url));
  if (existsSync(built)) return pathToFileURL(built);
  throw new TransportError('cannot find dist/shards/hosts/thread-main.js to start shard threads; run `npm run build` first');
}

/** The shards of one run, as this thread builds them. */
function shardsOf(run: ThreadRun): ShardFactory {
  const setup = run.setup as ShardSetup;
  const owner = run.blobs['owner'];
  if (owner === undefined) throw new TransportError('a shard thread got a run without its account placement');
  // Copy: the bytes need not be 2-byte aligned for a Uint16Array view.
  const genesis = genesisFromOwners(setup, new Uint16Array(owner.slice().buffer), run.blobs['frozen'] ?? null);
  return (shard, net) => createShard(shard, setup, genesis, net);
}

const data = workerData as Partial<ThreadWorkerData> | null;
if (parentPort !== null && data?.kind === 'shardsim-thread-host') serveThread(parentPort, shardsOf);
