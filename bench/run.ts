/**
 * `npm run bench`: figures for the hot paths (hashing, Merkle, state
 * commitment, block execution) and whole runs, as a table on stdout and as
 * results/bench/latest.json so commits can be compared. Benchmarks report;
 * they never fail a build (performance targets live here, not in tests).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { hashBytes, hashPairInto } from '../crosslink/hash.js';
import { MerkleTree } from '../crosslink/merkle.js';
import { ShardState, balanceKey } from '../shards/state.js';
import { validateScenario } from '../simulator/config/load.js';
import { runScenario } from '../simulator/run.js';
import { processCount } from '../simulator/transports.js';
import { assertRedisReachable } from '../crosslink/redis-connection.js';

interface Micro {
  readonly name: string;
  readonly nsPerOp: number;
}

/** Median of several timed rounds after a warm-up round. */
function micro(name: string, ops: number, fn: () => void, rounds = 5): Micro {
  fn();
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t = performance.now();
    fn();
    samples.push(((performance.now() - t) * 1e6) / ops);
  }
  samples.sort((a, b) => a - b);
  return { name, nsPerOp: samples[Math.floor(samples.length / 2)]! };
}

const micros: Micro[] = [];
const nodes = new Uint8Array(32 * 3).fill(7);
micros.push(micro('sha256 inner node (hashPairInto)', 200_000, () => {
  for (let i = 0; i < 200_000; i++) hashPairInto(nodes, 0, 1, 2);
}));
const small = new Uint8Array(42).fill(3);
micros.push(micro('sha256 of a 42-byte leaf', 200_000, () => {
  for (let i = 0; i < 200_000; i++) hashBytes(small);
}));
const leaves = Array.from({ length: 1_000 }, (_, i) => hashBytes(new Uint8Array([i & 255, i >> 8])));
micros.push(micro('Merkle tree of 1,000 leaves (per leaf)', 1_000 * 50, () => {
  for (let i = 0; i < 50; i++) new MerkleTree(leaves);
}));
const state = new ShardState(100_000, 1_000_000);
let touch = 0;
micros.push(micro('state commit, 2,000 dirty of 100,000 accounts (per account)', 2_000 * 20, () => {
  for (let b = 0; b < 20; b++) {
    for (let i = 0; i < 2_000; i++) {
      const k = balanceKey((touch = (touch * 1_103_515_245 + 12_345) % 100_000));
      state.write(k, state.read(k) + 1);
    }
    state.commit();
  }
}));

interface Case {
  readonly name: string;
  readonly shards: number;
  readonly overrides: Record<string, unknown>;
}

const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const withRedis = process.argv.includes('--no-redis') ? false : await assertRedisReachable(redisUrl).then(() => true, () => false);

const cases: Case[] = [
  { name: 'memory 1 shard sequential', shards: 1, overrides: {} },
  { name: 'memory 16 shards sequential', shards: 16, overrides: {} },
  { name: 'memory 64 shards sequential', shards: 64, overrides: { accounts: { count: 200_000 } } },
  ...(withRedis
    ? [1, 2, 4].map((p) => ({ name: `redis 16 shards, ${p} process${p > 1 ? 'es' : ''}`, shards: 16, overrides: { transport: 'redis', maxProcesses: p } }))
    : []),
];

interface CaseResult {
  readonly name: string;
  readonly transport: string;
  readonly shards: number;
  readonly processes: number;
  readonly executor: string;
  readonly txPerWallSecond: number;
  readonly cpuMicrosPerTx: number;
  readonly peakRssMb: number;
}

const results: CaseResult[] = [];
for (const c of cases) {
  const sc = validateScenario(
    {
      name: 'bench',
      seed: 1,
      slots: { warmup: 2, measure: 6, drain: 2 },
      accounts: { count: 100_000 },
      workload: { rate: 'saturate', saturation: 1.2 },
      ...c.overrides,
    },
    'bench',
  );
  const opts = { redis: { url: redisUrl } };
  await runScenario(sc, c.shards, opts); // warm-up
  const rates: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < 3; r++) {
    // CPU of this process only: for redis cases the shard processes' CPU is not counted here.
    const c0 = process.cpuUsage();
    const run = await runScenario(sc, c.shards, opts);
    const used = process.cpuUsage(c0);
    const executed = run.wall.simulatedTxPerWallSecond * run.wall.seconds;
    rates.push(run.wall.simulatedTxPerWallSecond);
    cpu.push((used.user + used.system) / executed);
  }
  rates.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  results.push({
    name: c.name,
    transport: sc.transport,
    shards: c.shards,
    processes: sc.transport === 'memory' ? 1 : processCount(sc, c.shards),
    executor: sc.shard.executor,
    txPerWallSecond: rates[1]!,
    cpuMicrosPerTx: cpu[1]!,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  });
}

const pad = (s: string, n: number) => s.padEnd(n);
const num = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
process.stdout.write('\nHot paths\n');
for (const m of micros) process.stdout.write(`  ${pad(m.name, 64)} ${num(m.nsPerOp).padStart(8)} ns/op\n`);
process.stdout.write('\nWhole runs (median of 3 after a warm-up; saturating transfers)\n');
process.stdout.write(`  ${pad('case', 32)} ${'tx/wall s'.padStart(12)} ${'CPU us/tx*'.padStart(10)} ${'peak RSS MB'.padStart(12)}\n`);
for (const r of results) {
  process.stdout.write(`  ${pad(r.name, 32)} ${num(r.txPerWallSecond).padStart(12)} ${num(r.cpuMicrosPerTx, 1).padStart(10)} ${num(r.peakRssMb).padStart(12)}\n`);
}
process.stdout.write('  * CPU of the controller process; for redis cases the shard processes work on top of it.\n');
if (!withRedis) process.stdout.write(`  (redis cases skipped: no Redis at ${redisUrl})\n`);
const dir = join('results', 'bench');
mkdirSync(dir, { recursive: true });
writeFileSync(
  join(dir, 'latest.json'),
  `${JSON.stringify({ micro: micros, cases: results, node: process.version, cpus: cpus().length, at: new Date().toISOString() }, null, 2)}\n`,
);
process.stdout.write(`\nwritten: ${join(dir, 'latest.json')}\n`);
