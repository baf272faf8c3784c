/**
 * Entry point of a shard process the controller spawns for a Redis run
 * (simulator/worker-pool.ts). It loads only what hosting needs, not the CLI
 * with its config schemas and report code: a spawned process is ready about
 * 0.2 s sooner, which every run of a sweep pays once per process.
 *
 *   node dist/shards/host-main.js --prefix <p> --host <n> --shards <a,b,..> --epoch <n> --checkpoint-every <n>
 *
 * The Redis URL comes from SHARDSIM_REDIS_URL (never argv: `ps` would show a
 * password). People start workers with `shardsim worker` instead.
 */
import { exitWithParent, hostAssignment } from './worker.js';

function fail(message: string, code: number): never {
  process.stderr.write(`shardsim shard process: ${message}\n`);
  process.exit(code);
}

function flags(argv: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i]!;
    const value = argv[i + 1];
    if (!name.startsWith('--') || value === undefined) fail(`bad arguments near "${name}"`, 2);
    out.set(name.slice(2), value);
  }
  return out;
}

const nat = (f: Map<string, string>, name: string): number => {
  const v = f.get(name);
  if (v === undefined || !/^\d{1,9}$/.test(v)) fail(`--${name} must be a non-negative integer, got ${String(v)}`, 2);
  return Number(v);
};

const f = flags(process.argv.slice(2));
const url = process.env['SHARDSIM_REDIS_URL'];
if (url === undefined) fail('SHARDSIM_REDIS_URL is not set', 2);
const prefix = f.get('prefix');
if (prefix === undefined) fail('--prefix is missing', 2);
const shardList = f.get('shards') ?? '';
if (!/^\d{1,9}(,\d{1,9})*$/.test(shardList)) fail(`--shards must be a list like 0,2,4, got "${shardList}"`, 2);

exitWithParent();
try {
  await hostAssignment(url, {
    prefix,
    host: nat(f, 'host'),
    shards: shardList.split(',').map(Number),
    epoch: nat(f, 'epoch'),
    checkpointEvery: nat(f, 'checkpoint-every'),
  });
  process.exit(0);
} catch (err) {
  fail(err instanceof Error ? err.message : String(err), 1);
}
