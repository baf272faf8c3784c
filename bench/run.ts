/**
 * `npm run bench`: one table of whole-run figures (simulated transactions per
 * wall-clock second, CPU microseconds per transaction, peak RSS, ratio to the
 * floor measured in the same run), plus what each executor costs, on stdout
 * and as results/bench/latest.json so commits can be compared. Benchmarks
 * report; they never fail a build (performance targets live here, not in tests).
 *
 *   node dist/bench/run.js [--runs N] [--only <substring>] [--no-redis] [--no-scale]
 *   node dist/bench/run.js --case <name>   (one case, JSON on stdout: what the parent spawns)
 *   node dist/bench/run.js --help
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { assertRedisReachable } from '../crosslink/transports/redis/connection.js';
import {
  type BenchCase,
  CASES,
  type CaseResult,
  EQUAL_LOAD_TPS,
  NETWORK_CASES,
  NETWORK_PAIR,
  type PairResult,
  runCase,
  runPair,
  SCALE_CASES,
  SCALE_WARM_TX,
} from './cases.js';
import { measureExecutors } from './executor-cost.js';
import { measureFloor } from './floor.js';
import { median } from './quantile.js';
import { type CostRatio, scaleRows } from './scale-rounds.js';

const USAGE = `usage: node dist/bench/run.js [--runs N] [--only <substring>] [--no-redis] [--no-scale]
       node dist/bench/run.js --case <name> [--runs N]
  --runs N         measured runs per case, median reported; rounds of the scale table (default 3)
  --only <text>    only the cases whose name holds <text>
  --no-redis       skip the redis case (skipped anyway, with a note, when Redis is unreachable)
  --no-scale       skip the scale table (its 1,024-shard row takes minutes)
  --case <name>    run one case here and print its JSON (what the table's child processes do)
  --pair           run the equal-load network pair here, in alternation, and print its JSON
  REDIS_URL        the Redis the redis case uses (default redis://127.0.0.1:6379)
Other benches: node dist/bench/sha256.js (npm run bench:sha256: the hand-written
SHA-256 compression against noble's), node --expose-gc dist/bench/long-run-memory.js
(npm run bench:long-run: memory over a long run).
`;

const OPTIONS = {
  runs: { type: 'string', default: '3' },
  only: { type: 'string' },
  case: { type: 'string' },
  pair: { type: 'boolean', default: false },
  'no-redis': { type: 'boolean', default: false },
  'no-scale': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

const args = (() => {
  try {
    return parseArgs({ options: OPTIONS, strict: true, allowPositionals: false });
  } catch (err) {
    process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    process.exit(2);
  }
})();
if (args.values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const runs = Number(args.values.runs);
if (!Number.isInteger(runs) || runs < 1) {
  process.stderr.write(`bench: --runs must be a whole number of at least 1, got "${args.values.runs}"\n`);
  process.exit(2);
}
const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

const caseList = (): string => [...CASES, ...NETWORK_PAIR, ...SCALE_CASES].map((x) => `  ${x.name}\n`).join('');

if (args.values.pair) {
  process.stdout.write(`${JSON.stringify(await runPair(NETWORK_PAIR[0], NETWORK_PAIR[1], runs, redisUrl))}\n`);
  process.exit(0);
}

const caseName = args.values.case;
if (caseName !== undefined) {
  const c = [...CASES, ...SCALE_CASES].find((x) => x.name === caseName);
  if (c === undefined) {
    process.stderr.write(`bench: no case named "${caseName}"; the cases are:\n${caseList()}`);
    process.exit(2);
  }
  process.stdout.write(`${JSON.stringify(await runCase(c, c.scale === true ? 1 : runs, redisUrl))}\n`);
  process.exit(0);
}

const only = args.values.only;
const selected = (c: BenchCase): boolean => only === undefined || c.name.includes(only);
if (![...CASES, ...NETWORK_PAIR, ...SCALE_CASES].some(selected)) {
  process.stderr.write(`bench: --only "${only}" matches no case; the cases are:\n${caseList()}`);
  process.exit(2);
}
const redisWanted = CASES.some((c) => c.redis && selected(c));
const notes: string[] = [];
let withRedis = false;
if (redisWanted && args.values['no-redis']) notes.push('redis case skipped (--no-redis)');
else if (redisWanted) {
  withRedis = await assertRedisReachable(redisUrl).then(
    () => true,
    () => false,
  );
  if (!withRedis) notes.push(`redis case skipped: no Redis at ${redisUrl} (set REDIS_URL)`);
}

const floorTxPerSecond = measureFloor();
const self = fileURLToPath(import.meta.url);

/** One case in a child process of its own (its peak RSS is its own); null, with a note, if it failed. */
function runChild(c: BenchCase): CaseResult | null {
  process.stderr.write(`bench: ${c.name} ...\n`);
  return childJson<CaseResult>(['--case', c.name], c.name);
}

/** What a child process of this script printed last, as JSON; null, with a note, if it failed. */
function childJson<T>(argv: readonly string[], what: string): T | null {
  const child = spawnSync(process.execPath, [self, ...argv, '--runs', String(runs)], {
    encoding: 'utf8',
    env: { ...process.env, REDIS_URL: redisUrl },
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 20,
  });
  const line = child.stdout.trim().split('\n').pop() ?? '';
  if (child.status !== 0 || !line.startsWith('{')) {
    notes.push(`${what}: failed (exit ${child.status})`);
    return null;
  }
  return JSON.parse(line) as T;
}

const main: CaseResult[] = [];
for (const c of CASES) {
  if (!selected(c) || (c.redis && !withRedis)) continue;
  const r = runChild(c);
  if (r !== null) main.push(r);
}
// The equal-load pair runs in one child, its two cases in alternation (cases.ts runPair); its rows follow the saturated network cases.
let pair: PairResult | null = null;
if (NETWORK_PAIR.some(selected)) {
  process.stderr.write(`bench: ${NETWORK_PAIR[0].name} and ${NETWORK_PAIR[1].name}, in alternation ...\n`);
  pair = childJson<PairResult>(['--pair'], 'the equal-load network pair');
  if (pair !== null) {
    const at = main.findIndex((r) => r.name === NETWORK_CASES.global);
    main.splice(at < 0 ? main.length : at + 1, 0, pair.first, pair.second);
  }
}
// Scale rows run `runs` rounds, every row once a round: see scale-rounds.ts.
const rounds: CaseResult[][] = [];
if (!args.values['no-scale'] && SCALE_CASES.some(selected)) {
  for (let round = 0; round < runs; round++) {
    const got: CaseResult[] = [];
    for (const c of SCALE_CASES) {
      if (!selected(c)) continue;
      const r = runChild(c);
      if (r !== null) got.push(r);
    }
    rounds.push(got);
  }
}
const scale = scaleRows(rounds);
const results: CaseResult[] = [...main, ...scale];
const executors = measureExecutors();

const num = (n: number, d = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const row = (cells: readonly string[]): string => `| ${cells.join(' | ')} |\n`;
let out = `\nWhole runs: saturating transfers, median of ${runs} runs after a warm-up, each case in its own process\n\n`;
out += row(['case', 'tx / wall s', 'CPU us / tx', 'peak RSS MB', 'x floor']);
out += row(['---', '---:', '---:', '---:', '---:']);
for (const r of main) {
  out += row([r.name, num(r.txPerWallSecond), num(r.cpuMicrosPerTx, 1), num(r.peakRssMb), `${num(r.floorRatio * 100)}%`]);
}
out += row([`floor (hashing + state only)`, num(floorTxPerSecond), num(1e6 / floorTxPerSecond, 1), '', '100%']);
const networkRatio = (ideal: string, global: string): { tx: number; wall: number | null } | null => {
  const i = main.find((r) => r.name === ideal);
  const g = main.find((r) => r.name === global);
  if (i === undefined || g === undefined) return null;
  return {
    tx: (100 * g.txPerWallSecond) / i.txPerWallSecond,
    wall: g.wallSeconds !== null && i.wallSeconds !== null ? (100 * g.wallSeconds) / i.wallSeconds : null,
  };
};
const saturated = networkRatio(NETWORK_CASES.ideal, NETWORK_CASES.global);
if (saturated !== null) {
  // Both cases run the same shards for the same slots; the global one's blocks hold a fraction of the transactions.
  const wall = saturated.wall === null ? '' : `; it runs the same shards and slots in ${num(saturated.wall)}% of the ideal case's wall time`;
  notes.push(
    `network model, saturated: the 64-shard PBFT case on global-2019 simulates ${num(saturated.tx)}% of the ideal case's transactions per wall second${wall}`,
  );
}
if (pair !== null) {
  const pct = (v: readonly number[]): string => `${num(100 * median(v))}% (${num(100 * Math.min(...v))}-${num(100 * Math.max(...v))}%)`;
  notes.push(
    `network model, at ${num(EQUAL_LOAD_TPS)} tx/s on both (the same transactions), ${pair.rateRatios.length} rounds in alternation in one process: global-2019 simulates ${pct(pair.rateRatios)} of the ideal case's transactions per wall second, median (range) of each round's ratio, and ${pct(pair.cpuRatios)} per CPU second (the target: at least 50%)`,
  );
}
for (const e of executors) {
  out += row([`executor ${e.executor} x${e.threads}, ${num(e.blockTxs)}-tx blocks`, num(1e6 / e.wallMicrosPerTx), num(e.wallMicrosPerTx, 1), '', '']);
}
out +=
  "\nCPU us / tx counts every process of the case (a redis case's shard processes too); x floor: each run over the floor measured just before it, median (the floor row: measured once, here); executor rows: the executor alone, wall us per executed tx.\n";
if (scale.length > 0) {
  const ratio = (x: CostRatio | undefined): string => (x === undefined ? '' : `${num(x.median, 2)} (${num(x.min, 2)}-${num(x.max, 2)})`);
  out += `\nScale: one thread, saturating transfers (1.2x capacity), each row run once a round in ${rounds.length} round${rounds.length === 1 ? '' : 's'} (medians), measured after its first two slots and ${num(SCALE_WARM_TX)} transactions (start-up and JIT warm-up left out); cost relative to the 1-shard row of the same round, median (range), in CPU per tx and in units of the floor measured around each run (before it and after its last slot)\n\n`;
  out += row(['case', 'tx / wall s', 'CPU us / tx', 'peak RSS MB', 'x 1-shard CPU', 'x 1-shard floor units']);
  out += row(['---', '---:', '---:', '---:', '---:', '---:']);
  for (const r of scale) {
    const s = 'vsOneShardCpu' in r ? r : undefined;
    out += row([r.name, num(r.txPerWallSecond), num(r.cpuMicrosPerTx, 1), num(r.peakRssMb), ratio(s?.vsOneShardCpu), ratio(s?.vsOneShardFloorUnits)]);
  }
}
for (const n of notes) out += `note: ${n}\n`;
process.stdout.write(out);

const dir = join('results', 'bench');
mkdirSync(dir, { recursive: true });
writeFileSync(
  join(dir, 'latest.json'),
  `${JSON.stringify({ cases: results, floorTxPerSecond, executors, notes, node: process.version, cpus: cpus().length, at: new Date().toISOString() }, null, 2)}\n`,
);
process.stdout.write(`\nwritten: ${join(dir, 'latest.json')}\n`);
