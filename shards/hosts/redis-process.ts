/**
 * Entry point of the shard processes a controller spawns for Redis runs
 * (crosslink/transports/redis/process-pool.ts). A process hosts one run's assignment at a
 * time, handed to it over the IPC channel, and after the run closes waits
 * for the next: the controller keeps its processes between the runs of a
 * sweep (and a benchmark's repeated runs), so each run skips process
 * start-up, module loading and JIT warm-up. It loads only what hosting
 * needs, not the CLI with its config schemas and report code.
 *
 * The Redis URL comes from SHARDSIM_REDIS_URL (never argv: `ps` would show a
 * password). People start workers with `shardsim worker` instead.
 */
import { SHARD_PROCESS_EXIT, ShardsimError } from '../../crosslink/common/errors.js';
import type { FromHostProcess, ToHostProcess } from '../../crosslink/transports/redis/names.js';
import { checkToHostProcess, PROTOCOL_VERSION } from '../../crosslink/wire/control.js';
import { exitWithParent, hostAssignment } from './redis-worker.js';

function fail(message: string, code: number): never {
  process.stderr.write(`shardsim shard process: ${message}\n`);
  process.exit(code);
}

const url = process.env['SHARDSIM_REDIS_URL'];
const send = process.send?.bind(process);
if (send === undefined)
  fail('started without an IPC channel: this is the entry of processes a controller spawns; start a worker with `shardsim worker`', SHARD_PROCESS_EXIT.usage);
if (url === undefined) fail('SHARDSIM_REDIS_URL is not set', SHARD_PROCESS_EXIT.usage);

exitWithParent();
// The controller is gone (or let this process go): nothing more will come.
process.on('disconnect', () => process.exit(0));

let busy = false;
process.on('message', (raw: unknown) => {
  let m: ToHostProcess;
  try {
    m = checkToHostProcess(raw);
  } catch (err) {
    // Another shardsim's controller (or a message of another kind): nothing this process can host.
    fail(err instanceof Error ? err.message : String(err), SHARD_PROCESS_EXIT.fatal);
  }
  if (busy) fail(`got run ${m.assignment.prefix} while hosting another`, SHARD_PROCESS_EXIT.failed);
  busy = true;
  hostAssignment(url, m.assignment, m.secret).then(
    () => {
      busy = false;
      send({ type: 'idle', protocol: PROTOCOL_VERSION } satisfies FromHostProcess);
    },
    // The code, the error's to decide, tells the controller whether a successor could do better (see SHARD_PROCESS_EXIT).
    (err: unknown) =>
      fail(err instanceof Error ? err.message : String(err), err instanceof ShardsimError ? err.shardProcessExitCode : SHARD_PROCESS_EXIT.failed),
  );
});
