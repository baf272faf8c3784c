/**
 * The whole-run cases of `npm run bench`. Each case runs in its own child
 * process (`node dist/bench/run.js --case <name>`), so its peak RSS is its
 * own: a warm-up run, then several measured runs, median reported.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parse } from 'yaml';
import { shardProcessPids } from '../crosslink/transports/redis/process-pool.js';
import { validateScenario } from '../simulator/config/load.js';
import type { Scenario } from '../simulator/config/schema.js';
import { runScenario } from '../simulator/run.js';
import { processCount } from '../simulator/transports.js';
import { FloorSampler } from './floor.js';
import { median } from './quantile.js';

export interface BenchCase {
  readonly name: string;
  readonly shards: number;
  /** Needs Redis (skipped with a note when unreachable). */
  readonly redis: boolean;
  readonly scenario: () => Scenario;
  /** A row of the scale table (cost per transaction against the shard count): measured once, its own warm-up aside. */
  readonly scale?: boolean;
}

export interface CaseResult {
  readonly name: string;
  readonly transport: string;
  readonly shards: number;
  readonly processes: number;
  readonly executor: string;
  readonly threads: number;
  readonly txPerWallSecond: number;
  /** Wall seconds of one whole run (median; null for a scale row, which counts only its later slots). */
  readonly wallSeconds: number | null;
  readonly cpuMicrosPerTx: number;
  readonly peakRssMb: number;
  readonly floorRatio: number;
  /** The floor paired with this case, measured in its process around its runs (tx per second, one thread). */
  readonly floorTxPerSecond: number;
}

/** Saturating uniform transfers over 100,000 accounts: the protocol's common case. */
function transfers(name: string, extra: Record<string, unknown>): Scenario {
  return validateScenario(
    {
      name,
      seed: 1,
      slots: { warmup: 2, measure: 6, drain: 2 },
      accounts: { count: 100_000 },
      workload: { kind: 'transfer', rate: 'saturate', saturation: 1.2 },
      ...extra,
    },
    `bench case ${name}`,
  );
}

/** A shipped config with its slots trimmed (the largest point of a sweep must stay under a minute), and keys replaced. */
function shipped(file: string, slots: Record<string, number>, replace: Record<string, unknown> = {}): Scenario {
  const raw = parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  delete raw['sweep'];
  return validateScenario({ ...raw, slots, ...replace }, file);
}

/**
 * The headline network study's point, on `preset` (its PBFT committees take no time on the ideal network): saturating,
 * or at a fixed `rate` of transfers a second.
 */
const networkPoint = (preset: string, rate?: number): Scenario => {
  const sc = shipped('configs/100k-network.yaml', { warmup: 1, measure: 2, drain: 1 }, { network: { preset } });
  return rate === undefined ? sc : validateScenario({ ...sc, workload: { ...sc.workload, rate } }, `configs/100k-network.yaml at ${rate} tx/s`);
};

/**
 * The rate of the equal-load pair: well below what 64 shards carry over global-2019 (12,753 tx/s saturated in the headline study), so both
 * cases simulate the same transactions and differ only by the network model's work.
 */
export const EQUAL_LOAD_TPS = 8_000;

/**
 * The network cases: the model must not become a study's bottleneck (the global case at half the ideal's rate or
 * more). Saturated, a global block holds a fraction of an ideal one, so their ratio is mostly the blocks' sizes; at
 * an equal load both simulate the same transactions and the ratio is the model's own cost.
 */
export const NETWORK_CASES = {
  ideal: 'network: 64 shards, ideal (100k-network.yaml)',
  global: 'network: 64 shards, 128-member PBFT, global-2019',
  idealEqual: `network: 64 shards at ${EQUAL_LOAD_TPS.toLocaleString('en-US')} tx/s, ideal`,
  globalEqual: `network: 64 shards at ${EQUAL_LOAD_TPS.toLocaleString('en-US')} tx/s, 128-member PBFT, global-2019`,
} as const;

/**
 * The equal-load pair (runPair): the ideal case first, the global one second, in alternation in one process,
 * so their ratio is of runs taken side by side.
 */
export const NETWORK_PAIR: readonly [BenchCase, BenchCase] = [
  { name: NETWORK_CASES.idealEqual, shards: 64, redis: false, scenario: () => networkPoint('ideal', EQUAL_LOAD_TPS) },
  { name: NETWORK_CASES.globalEqual, shards: 64, redis: false, scenario: () => networkPoint('global-2019', EQUAL_LOAD_TPS) },
];

export const CASES: readonly BenchCase[] = [
  { name: 'memory 1 shard sequential', shards: 1, redis: false, scenario: () => transfers('m1', {}) },
  {
    name: 'memory 16 shards block-stm x8',
    shards: 16,
    redis: false,
    scenario: () => transfers('m16', { shard: { executor: 'block-stm', threads: 8 } }),
  },
  {
    name: 'memory 128 shards sequential',
    shards: 128,
    redis: false,
    scenario: () => transfers('m128', { slots: { warmup: 1, measure: 2, drain: 1 } }),
  },
  {
    name: 'redis 16 shards block-stm x8, 2 procs',
    shards: 16,
    redis: true,
    scenario: () => transfers('r16', { transport: 'redis', maxProcesses: 2, shard: { executor: 'block-stm', threads: 8 } }),
  },
  { name: NETWORK_CASES.ideal, shards: 64, redis: false, scenario: () => networkPoint('ideal') },
  { name: NETWORK_CASES.global, shards: 64, redis: false, scenario: () => networkPoint('global-2019') },
  { name: 'network: 1,024 shards, 128-member PBFT, global-2019', shards: 1024, redis: false, scenario: () => networkPoint('global-2019') },
  {
    name: '100k.yaml at 128 shards (3 slots)',
    shards: 128,
    redis: false,
    scenario: () => shipped('configs/100k.yaml', { warmup: 1, measure: 1, drain: 1 }),
  },
];

/**
 * The scale study: one network of 1M accounts (and one of 10M) split over 1
 * to 1,024 shards, on one thread so CPU per transaction compares the
 * protocol's work alone. Offered at 1.2x capacity with 5,000-tx mempools, so
 * a saturated run keeps a bounded backlog (the default 50,000 per shard would
 * hold 50M waiting transactions at 1,024 shards). A row counts nothing until
 * its first two slots are over (receipts then flow both ways: finality is 2
 * slots) and it has executed SCALE_WARM_TX transactions (the JIT's warm-up,
 * which a whole-run case gets from its warm-up run: a 1-shard row measured
 * from its third slot was still warming up, while a 1,024-shard row is past
 * that within its first slot); then it measures at least SCALE_MEASURE_TX.
 */
function scaled(name: string, shards: number, accounts: number): Scenario {
  const measure = Math.max(3, Math.ceil((SCALE_WARM_TX + SCALE_MEASURE_TX) / (shards * 1_100)));
  return validateScenario(
    {
      name,
      seed: 1,
      memoryThreads: 1,
      slots: { warmup: 1, measure, drain: 1 },
      accounts: { count: accounts },
      shard: { mempoolCapacity: 5_000 },
      workload: { kind: 'transfer', rate: 'saturate', saturation: 1.2 },
    },
    `bench case ${name}`,
  );
}

/** Slots a scale row leaves out at least: start-up and the first two slots (no receipts arriving yet). */
export const SCALE_SKIP_SLOTS = 2;
/** Transactions a scale row executes before it counts (about two seconds at one shard). */
export const SCALE_WARM_TX = 200_000;
/** Transactions a scale row counts at least (shorter 1-shard rows read up to a third apart). */
const SCALE_MEASURE_TX = 200_000;

export const SCALE_SHARDS = [1, 16, 128, 1024] as const;

export const SCALE_CASES: readonly BenchCase[] = [
  ...SCALE_SHARDS.map((shards) => ({
    name: `scale: ${shards} shard${shards === 1 ? '' : 's'}, 1M accounts`,
    shards,
    redis: false,
    scale: true,
    scenario: () => scaled(`s${shards}`, shards, 1_000_000),
  })),
  { name: 'scale: 16 shards, 10M accounts', shards: 16, redis: false, scale: true, scenario: () => scaled('s16-10m', 16, 10_000_000) },
];

// Floor samples (FloorSampler.rateNow) are taken with no forced collection
// first: after one, V8 sizes the heap from the little that survived, and the
// next run, paying for regrowing it, read a fifth slow.

/** Floor blocks just before each run (about 3 ms each): enough for a quartile, few enough to stay beside the run. */
const FLOOR_BLOCKS = 15;

/** Floor blocks on each side of a scale row, whose run lasts up to a minute: twice a whole-run case's, still a tenth of a second. */
const SCALE_FLOOR_BLOCKS = 30;

/**
 * One scale row: wall rate and CPU per transaction over the slots after
 * its warm-up (see `scaled`; this process only: memoryThreads is 1), and the floor:
 * the mean of its upper quartiles just before the run and just after its
 * last measured slot. The rows run minutes apart on a machine whose speed
 * drifts, also within a row's minute, so the table compares their costs in
 * floor units.
 */
async function runScaleCase(c: BenchCase, sc: Scenario): Promise<{ rate: number; cpu: number; floor: number }> {
  const f = new FloorSampler();
  const before = f.rateNow(SCALE_FLOOR_BLOCKS);
  let after = before;
  let mark: { cpu: NodeJS.CpuUsage; t: number; tx: number } | undefined;
  let end: { cpu: number; t: number; tx: number } | undefined;
  await runScenario(sc, c.shards, {
    onSlot: (slot, total, executed) => {
      if (mark === undefined && slot >= SCALE_SKIP_SLOTS - 1 && executed >= SCALE_WARM_TX)
        mark = { cpu: process.cpuUsage(), t: performance.now(), tx: executed };
      if (slot === total - 1 && mark !== undefined) {
        const used = process.cpuUsage(mark.cpu);
        end = { cpu: used.user + used.system, t: performance.now(), tx: executed };
        after = f.rateNow(SCALE_FLOOR_BLOCKS);
      }
    },
  });
  if (mark === undefined || end === undefined || end.tx <= mark.tx) throw new Error(`${c.name}: no slots measured`);
  const tx = end.tx - mark.tx;
  return { rate: tx / ((end.t - mark.t) / 1000), cpu: end.cpu / tx, floor: (before + after) / 2 };
}

/** Fields of /proc/<pid>/stat after the command name (field 3 of proc(5) first); none if it is gone. */
function procStat(pid: number | 'self'): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/**
 * CPU seconds of this process's shard processes (a redis run's), from /proc
 * on Linux: reaped children (cutime, cstime: fields 16-17) plus the pooled
 * ones still running (utime, stime: fields 14-15), in ticks of 1/100 s.
 */
function childCpuSeconds(): number {
  const self = procStat('self');
  let ticks = self === null ? 0 : Number(self[13]) + Number(self[14]);
  for (const pid of shardProcessPids()) {
    const f = procStat(pid);
    if (f !== null) ticks += Number(f[11]) + Number(f[12]);
  }
  return ticks / 100;
}

/**
 * Runs one case here: a whole warm-up run (the JIT keeps optimizing for a
 * second or more: after a one-slot warm-up the first measured runs read a
 * fifth slow), then `runs` measured runs. CPU per transaction counts this process and,
 * for redis, its shard processes. Each run is paired with floor samples
 * taken just before it, in this process: on a shared machine whose
 * speed drifts by a fifth from one second to the next, a ratio of figures
 * taken side by side holds where one of figures taken a minute apart does
 * not. The floor ratio is the median of the runs' ratios.
 */
export async function runCase(c: BenchCase, runs: number, redisUrl: string): Promise<CaseResult> {
  const sc = c.scenario();
  const opts = { redis: { url: redisUrl } };
  if (c.scale === true) {
    // One long run each; its first slots are the warm-up.
    const { rate, cpu, floor } = await runScaleCase(c, sc);
    return { ...describeCase(c, sc), txPerWallSecond: rate, wallSeconds: null, cpuMicrosPerTx: cpu, floorRatio: rate / floor, floorTxPerSecond: floor };
  }
  await runScenario(sc, c.shards, opts);
  const f = new FloorSampler();
  const measured: MeasuredRun[] = [];
  for (let r = 0; r < runs; r++) measured.push(await measureRun(c, sc, opts, f));
  return caseResult(c, sc, measured);
}

/** One measured whole run of a case, with the floor sampled just before it. */
interface MeasuredRun {
  readonly rate: number;
  readonly wallSeconds: number;
  readonly cpuMicrosPerTx: number;
  readonly floor: number;
}

async function measureRun(c: BenchCase, sc: Scenario, opts: { redis: { url: string } }, f: FloorSampler): Promise<MeasuredRun> {
  const floor = f.rateNow(FLOOR_BLOCKS);
  const c0 = process.cpuUsage();
  const k0 = childCpuSeconds();
  const t0 = performance.now();
  const run = await runScenario(sc, c.shards, opts);
  const wallMs = performance.now() - t0;
  const used = process.cpuUsage(c0);
  const kids = childCpuSeconds() - k0;
  const executed = run.wall.simulatedTxPerWallSecond * run.wall.seconds;
  return { rate: executed / (wallMs / 1000), wallSeconds: wallMs / 1000, cpuMicrosPerTx: (used.user + used.system + kids * 1e6) / executed, floor };
}

/** A case's row from its measured runs: medians, and the median of each run's rate over its floor. */
function caseResult(c: BenchCase, sc: Scenario, runs: readonly MeasuredRun[]): CaseResult {
  return {
    ...describeCase(c, sc),
    txPerWallSecond: median(runs.map((r) => r.rate)),
    wallSeconds: median(runs.map((r) => r.wallSeconds)),
    cpuMicrosPerTx: median(runs.map((r) => r.cpuMicrosPerTx)),
    floorRatio: median(runs.map((r) => r.rate / r.floor)),
    floorTxPerSecond: median(runs.map((r) => r.floor)),
  };
}

/** Two cases run in alternation in one process, and how the second compares with the first run beside it. */
export interface PairResult {
  readonly first: CaseResult;
  readonly second: CaseResult;
  /** Per round: the second's transactions per wall second over the first's. */
  readonly rateRatios: readonly number[];
  /** Per round: the first's CPU per transaction over the second's (the second's transactions per CPU second, relative). */
  readonly cpuRatios: readonly number[];
}

/**
 * Runs two cases in alternation in this process, `runs` rounds after a warm-up run of each, the order
 * swapped every round (first-second, then second-first): on a shared machine whose speed changes by half
 * from one second to the next, only figures taken side by side compare, so each round's ratio is of two
 * runs back to back, and the medians of those ratios are the comparison.
 */
export async function runPair(first: BenchCase, second: BenchCase, runs: number, redisUrl: string): Promise<PairResult> {
  const opts = { redis: { url: redisUrl } };
  const cases = [first, second] as const;
  const scenarios = cases.map((c) => c.scenario());
  for (let i = 0; i < 2; i++) await runScenario(scenarios[i]!, cases[i]!.shards, opts);
  const f = new FloorSampler();
  const measured: [MeasuredRun[], MeasuredRun[]] = [[], []];
  const rateRatios: number[] = [];
  const cpuRatios: number[] = [];
  for (let r = 0; r < runs; r++) {
    const order = r % 2 === 0 ? [0, 1] : [1, 0];
    for (const i of order) measured[i]!.push(await measureRun(cases[i]!, scenarios[i]!, opts, f));
    const a = measured[0][r]!;
    const b = measured[1][r]!;
    rateRatios.push(b.rate / a.rate);
    cpuRatios.push(a.cpuMicrosPerTx / b.cpuMicrosPerTx);
  }
  return { first: caseResult(first, scenarios[0]!, measured[0]), second: caseResult(second, scenarios[1]!, measured[1]), rateRatios, cpuRatios };
}

/** What a case is, and its process's peak RSS so far. */
function describeCase(c: BenchCase, sc: Scenario): Omit<CaseResult, 'txPerWallSecond' | 'wallSeconds' | 'cpuMicrosPerTx' | 'floorRatio' | 'floorTxPerSecond'> {
  return {
    name: c.name,
    transport: sc.transport,
    shards: c.shards,
    processes: sc.transport === 'memory' ? 1 : processCount(sc, c.shards),
    executor: sc.shard.executor,
    threads: sc.shard.threads,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
}
