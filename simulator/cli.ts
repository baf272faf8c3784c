#!/usr/bin/env node
/**
 * The shardsim command line: `sweep`, `run`, `validate`, `report` and
 * `compare`. Bad input of any kind ends with one clear paragraph on stderr and
 * exit code 2; a violated invariant (a bug, not bad input) with exit code 1; a
 * stack trace only with `--log-level debug`. `compare` also ends with 1,
 * without an error, when a figure regressed.
 */
import { rmdirSync, type Stats, statfsSync, statSync } from 'node:fs';
import { totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ConfigError, type ErrorHeading, EXIT, RedisLostError, ShardsimError } from '../crosslink/common/errors.js';
import { endIdleShardProcesses } from '../crosslink/transports/redis/process-pool.js';
import { redactRedisUrl } from '../crosslink/transports/redis/url.js';
import { compareResults, comparisonJson, formatComparison, formatShare, parseMaxRegression } from './compare.js';
import { readResultsForCompare } from './compare-file.js';
import { type LoadedScenario, loadScenarioWithWarnings, type Override } from './config/load.js';
import { checkReferencedFiles } from './config/referenced-files.js';
import type { Scenario } from './config/schema.js';
import { ioReason } from './io-errors.js';
import { createLogger, LOG_LEVELS, type LogLevel } from './logger.js';
import { lockOutDir } from './out-lock.js';
import { PLOTLY_FILE, type WrittenFiles, writeResults } from './output.js';
import { ProgressBar } from './progress.js';
import {
  bigMemoryWarning,
  describeEstimate,
  estimateSweep,
  fmtBytes,
  longRunWarning,
  memoryRefusal,
  parseByteSize,
  type SweepEstimate,
} from './resource-estimate.js';
import type { SweepResults } from './results.js';
import { SECRET_ENV, sharedSecret } from './shared-secret.js';
import { formatSummary } from './summary-table.js';
import { runSweep } from './sweep.js';
import { type SweepPoint, sweepPoints } from './sweep-points.js';
import { checkRunId, endProgress, loadProgress, newRunId, runDir, saveProgress, startProgress } from './sweep-progress.js';
import { redisUrl } from './transports.js';
import { packageVersion } from './version.js';

interface CommonOptions {
  set: string[];
  axis: string[];
  seed?: number;
  out?: string;
  json?: boolean;
  quiet?: boolean;
  logLevel: LogLevel;
  logFile?: string;
  transport?: string;
  redisUrl?: string;
  workers: 'spawn' | 'external';
  processes?: number;
  keepRedis?: boolean;
  resume?: string;
  secretFile?: string;
  workerWait?: number;
  maxMemory?: number;
  findMax?: boolean;
  seeds?: number;
  light?: boolean;
}

let debug = false;

/** The exit code of a command that ends without an error: `compare` sets EXIT.regressed when a figure regressed. */
let commandExit: number = EXIT.ok;

/** An argument as a message quotes it: long ones cut, control characters escaped. */
function quoted(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
}

function parseInteger(name: string) {
  return (value: string): number => {
    const n = Number(value.trim());
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) {
      throw new InvalidArgumentError(`${name} must be a non-negative integer (at most 2^53 - 1), got ${quoted(value)}`);
    }
    return n;
  };
}

function parseMaxMemory(value: string): number {
  const n = parseByteSize(value);
  if (n === undefined) throw new InvalidArgumentError(`--max-memory expects a size such as 8GB or 512MB, got ${quoted(value)}`);
  return n;
}

const MAX_MEMORY_HELP = "refuse a sweep whose estimated peak memory exceeds this (e.g. 8GB; default: this machine's memory)";

function parseShardList(value: string): number[] {
  const parts = value.split(',').map((p) => p.trim());
  if (parts.some((p) => !/^\d{1,9}$/.test(p))) {
    throw new InvalidArgumentError(`expected a comma-separated list of shard counts like 1,2,4,8, got ${quoted(value)}`);
  }
  return parts.map(Number);
}

/** procfs answers ENOENT to every mkdir, and Node's recursive mkdir then retries forever. */
const PROC_SUPER_MAGIC = 0x9fa0;

/**
 * A path shardsim will create (`--out`, `--log-file`): its nearest existing
 * ancestor must be a directory we can create entries in. Checked up front so
 * a typo fails in a second, not after the sweep, and never hangs.
 */
function parseWritablePath(name: string, kind: 'directory' | 'file') {
  return (value: string): string => {
    if (value.trim() === '') throw new InvalidArgumentError(`${name} needs a path, got ${quoted(value)}`);
    let dir = resolve(value);
    for (;;) {
      let st: Stats | undefined;
      try {
        st = statSync(dir, { throwIfNoEntry: false });
      } catch {
        st = undefined; // ENOTDIR, EACCES: look further up for what is in the way
      }
      if (st !== undefined) {
        if (dir === resolve(value)) {
          if (kind === 'directory' && !st.isDirectory()) throw new InvalidArgumentError(`${name} ${quoted(value)} exists and is not a directory`);
          if (kind === 'file' && st.isDirectory()) throw new InvalidArgumentError(`${name} ${quoted(value)} is a directory; name a file`);
        } else if (!st.isDirectory()) {
          throw new InvalidArgumentError(`${name} ${quoted(value)}: ${quoted(dir)} is not a directory`);
        }
        if (statfsSync(dir).type === PROC_SUPER_MAGIC) throw new InvalidArgumentError(`${name} ${quoted(value)}: cannot create files under /proc`);
        return value;
      }
      const parent = dirname(dir);
      if (parent === dir) return value;
      dir = parent;
    }
  };
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

function withCommonOptions(cmd: Command): Command {
  return cmd
    .option('--seed <n>', 'seed of every random choice (overrides the scenario)', parseInteger('--seed'))
    .option(
      '--seeds <n>',
      'run every sweep point with n seeds (seed, seed+1, ...) and report mean, deviation and 95% interval (overrides study.seeds)',
      parseInteger('--seeds'),
    )
    .option(
      '--find-max',
      'search, at every sweep point, the highest offered rate the network sustains (no drops, bounded backlog, p99 under study.latencySlo); sets study.findMax',
    )
    .option('--set <path=value>', 'override any scenario key, validated like the file; repeatable (e.g. --set workload.rate=200000)', collect, [])
    .option(
      '--axis <path=v1,v2>',
      'sweep another parameter too (cartesian product with the other axes); repeatable (e.g. --axis shard.threads=1,8,32)',
      collect,
      [],
    )
    .addOption(
      new Option('--transport <name>', 'how shards talk: memory (one process) or redis (shard processes over Redis); overrides the scenario').choices([
        'memory',
        'redis',
      ]),
    )
    .option('--redis-url <url>', 'Redis for --transport redis: redis[s]://[user:password@]host[:port][/db] (default $REDIS_URL, then redis://127.0.0.1:6379)')
    .option('--processes <n>', 'most shard processes for --transport redis (overrides maxProcesses)', parseInteger('--processes'))
    .addOption(
      new Option('--workers <mode>', 'spawn shard processes here, or wait for `shardsim worker` processes started elsewhere')
        .choices(['spawn', 'external'])
        .default('spawn'),
    )
    .option('--keep-redis', "keep the run's Redis keys after it ends (debugging)")
    .option(
      '--secret-file <file>',
      `with --workers external: a file holding the secret shared with the workers, which sign control messages with it (default $${SECRET_ENV}; never on the command line)`,
    )
    .option(
      '--worker-wait <seconds>',
      'with --workers external: give up (exit 2) if workers have not taken up every shard host within this many seconds (default 300)',
      parseInteger('--worker-wait'),
    )
    .option(
      '--out <dir>',
      'where to write results.json, runs.csv and report.html (default results/<scenario>/<run-id>/)',
      parseWritablePath('--out', 'directory'),
    )
    .option(
      '--resume <run-id>',
      'continue an interrupted sweep (same file and options; with --transport redis the run under way continues from its checkpoints)',
    )
    .option(
      '--light',
      `load plotly.js from ${PLOTLY_FILE} written beside report.html instead of inlining it (a 5 MB smaller page; keep the two files together)`,
    )
    .option('--json', 'print results.json to stdout instead of the summary table')
    .option('-q, --quiet', 'no progress bar and no summary table')
    .addOption(new Option('--log-level <level>', 'structured log level (pino JSON on stderr)').choices(LOG_LEVELS).default('warn'))
    .option('--log-file <file>', 'write logs to this file instead of stderr', parseWritablePath('--log-file', 'file'))
    .option('--max-memory <size>', MAX_MEMORY_HELP, parseMaxMemory);
}

/**
 * The scenario with the command line's overrides, each blamed on its own
 * option when bad; the files it names are checked, and settings without
 * effect are warned about on stderr. Then the sweep's resource estimate: a
 * sweep that cannot fit in memory is refused here, before anything is
 * allocated; a large or long one is announced.
 */
function scenarioAndEstimate(
  file: string,
  opts: Pick<CommonOptions, 'set' | 'axis' | 'seed' | 'transport' | 'processes' | 'maxMemory' | 'findMax' | 'seeds'>,
  shards?: number[],
): { scenario: Scenario; estimate: SweepEstimate } {
  const overrides: Array<string | Override> = [...opts.set];
  if (opts.seed !== undefined) overrides.push({ spec: `seed=${opts.seed}`, option: '--seed', what: 'the seed' });
  if (opts.seeds !== undefined) overrides.push({ spec: `study.seeds=${opts.seeds}`, option: '--seeds', what: 'a seed count' });
  if (opts.findMax === true) overrides.push({ spec: 'study.findMax=true', option: '--find-max' });
  if (opts.transport !== undefined) overrides.push({ spec: `transport=${opts.transport}`, option: '--transport' });
  if (opts.processes !== undefined) overrides.push({ spec: `maxProcesses=${opts.processes}`, option: '--processes', what: 'a process count' });
  if (shards !== undefined) overrides.push({ spec: `sweep.shards=[${shards.join(',')}]`, option: '--shards', what: 'shard counts' });
  const loaded: LoadedScenario = loadScenarioWithWarnings(file, overrides, opts.axis);
  checkReferencedFiles(loaded.scenario);
  for (const w of loaded.warnings) process.stderr.write(`shardsim: warning: ${w}\n`);
  const estimate = estimateSweep(loaded.scenario);
  const available = opts.maxMemory ?? totalmem();
  const refusal = memoryRefusal(estimate, available, opts.maxMemory === undefined ? `this machine's memory; --max-memory sets another limit` : '--max-memory');
  if (refusal !== undefined) throw new ConfigError(file, refusal);
  const big = bigMemoryWarning(estimate, available);
  if (big !== undefined) process.stderr.write(`shardsim: warning: ${big}\n`);
  const long = longRunWarning(estimate);
  if (long !== undefined) process.stderr.write(`shardsim: warning: ${long}\n`);
  return { scenario: loaded.scenario, estimate };
}

async function sweepCommand(file: string, opts: CommonOptions, shards?: number[]): Promise<void> {
  debug = opts.logLevel === 'debug' || opts.logLevel === 'trace';
  const { scenario: sc, estimate } = scenarioAndEstimate(file, opts, shards);
  const logger = createLogger(opts.logLevel, opts.logFile);
  logger.info(
    { peakBytes: Math.round(estimate.peak.bytes), peakShards: estimate.peak.shards, cpuSeconds: Math.round(estimate.cpuSeconds) },
    'resource estimate',
  );
  const showProgress = ProgressBar.enabled(opts.quiet === true || opts.json === true);
  const bar = showProgress ? new ProgressBar() : undefined;
  const points = sweepPoints(sc);
  const slotsOf = (p: SweepPoint) => p.scenario.slots.warmup + p.scenario.slots.measure + p.scenario.slots.drain;
  // Work grows with the shard count: weigh each run's slots by it for an honest ETA.
  const weights = points.map((p) => p.shards * slotsOf(p));
  const total = weights.reduce((a, w) => a + w, 0);
  const before = weights.map((_, i) => weights.slice(0, i).reduce((a, w) => a + w, 0));
  const runId = opts.resume === undefined ? newRunId(sc.seed) : checkRunId(opts.resume);
  const dir = opts.out ?? runDir(sc, runId);
  // One sweep per output folder; released on every way out (a kill leaves a stale lock, taken over later).
  const lock = lockOutDir(dir, runId, (message) => logger.warn(message));
  process.once('exit', () => lock.release());
  const attempt = opts.resume === undefined ? startProgress(dir, sc, runId, new Date().toISOString()) : loadProgress(dir, sc, runId);
  let results: SweepResults;
  let saved = attempt.runs.length;
  try {
    // Inside the try: a log file that cannot be written fails the sweep like any other error, and cleans up the same way.
    logger.info(
      {
        scenario: sc.name,
        seed: sc.seed,
        shards: sc.sweep.shards,
        axes: sc.sweep.axes,
        runs: points.length,
        runId,
        resumedAfter: opts.resume === undefined ? undefined : attempt.runs.length,
      },
      'sweep starting',
    );
    if (bar !== undefined) process.stderr.write(`run id ${runId} (if it is interrupted: shardsim sweep ${file} ... --resume ${runId})\n`);
    results = await runSweep(sc, {
      logger,
      runId,
      resume: opts.resume === undefined ? undefined : attempt,
      onRunDone: (runs) => {
        saveProgress(dir, { ...attempt, runs });
        saved = runs.length;
      },
      redis: {
        url: opts.redisUrl,
        external: opts.workers === 'external',
        keepKeys: opts.keepRedis === true,
        // Read only for external workers: spawned processes get a random secret of their own.
        secret: opts.workers === 'external' ? sharedSecret(opts.secretFile) : undefined,
        workerWaitSeconds: opts.workerWait,
      },
      onProgress:
        bar &&
        ((run, runs, n, slot, slots) =>
          bar.update(before[run]! + (slot + 1) * n, total, `run ${run + 1}/${runs}: ${n} shard${n === 1 ? '' : 's'}, slot ${slot + 1}/${slots}`)),
    });
  } catch (err) {
    lock.release();
    // A lost Redis leaves the run resumable: its progress file stays, as do its keys in Redis.
    if (err instanceof RedisLostError)
      throw new RedisLostError(
        `${err.message}; ${join(dir, 'progress.json')} is kept. Once Redis is back with its data, resume with:\n  ${resumeCommand(runId)}`,
        err.slot,
        { cause: err },
      );
    // Any other failure never deletes finished runs: they stay in progress.json for --resume (the failed run starts over there).
    if (opts.resume === undefined && saved === 0) removeIfOnlyProgress(dir);
    else noteKeptRuns(dir, runId, saved);
    throw err;
  }
  bar?.done();
  let files: WrittenFiles;
  try {
    files = writeResults(dir, results, { light: opts.light === true });
  } catch (err) {
    noteKeptRuns(dir, runId, saved);
    throw err;
  }
  endProgress(dir);
  lock.release();
  logger.info({ dir, digest: results.digest }, 'results written');
  if (opts.json === true) {
    process.stdout.write(files.json);
  } else if (opts.quiet !== true) {
    process.stdout.write(`${formatSummary(results)}\n`);
    process.stdout.write(`results: ${files.results}\nreport:  ${files.report}\n`);
  }
}

/** After a failure: where the finished runs are, and how to continue once the cause (printed next) is fixed. */
function noteKeptRuns(dir: string, runId: string, runs: number): void {
  if (runs === 0) return;
  process.stderr.write(
    `shardsim: ${runs} finished run${runs === 1 ? ' is' : 's are'} kept in ${join(dir, 'progress.json')}; once the error below is fixed, continue with:\n  ${resumeCommand(runId)}\n`,
  );
}

/**
 * This very command with `--resume <run id>` (replacing any earlier one), as
 * it can be pasted into a shell; a password in --redis-url is shown as ***.
 */
function resumeCommand(runId: string, argv: readonly string[] = process.argv.slice(2)): string {
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--resume') {
      i++;
      continue;
    }
    if (a.startsWith('--resume=')) continue;
    if (a.startsWith('--redis-url=')) args.push(`--redis-url=${redactRedisUrl(a.slice('--redis-url='.length))}`);
    else args.push(argv[i - 1] === '--redis-url' ? redactRedisUrl(a) : a);
  }
  const quote = (a: string): string => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
  return ['shardsim', ...args, '--resume', runId].map(quote).join(' ');
}

/** Removes an output folder that holds nothing but this attempt's progress file. */
function removeIfOnlyProgress(dir: string): void {
  endProgress(dir);
  try {
    rmdirSync(dir);
  } catch {
    // not empty (earlier results, or --out named a folder in use): leave it
  }
}

export function buildProgram(): Command {
  const program = new Command('shardsim')
    .description('Simulate a sharded blockchain: parallel execution in shards, cross-shard receipts with Merkle proofs, shard-count sweeps.')
    .version(packageVersion())
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();

  withCommonOptions(
    program
      .command('sweep')
      .description('run the scenario at every point of its sweep (shard counts x any axes) and write results.json, runs.csv and report.html')
      .argument('<file>', 'scenario file (YAML or JSON), e.g. configs/quickstart.yaml')
      .option('--shards <list>', 'shard counts to sweep, e.g. 1,2,4,8 (overrides sweep.shards)', parseShardList),
  ).action(async (file: string, opts: CommonOptions & { shards?: number[] }) => sweepCommand(file, opts, opts.shards));

  withCommonOptions(
    program
      .command('run')
      .description('run the scenario once at one shard count (a sweep of one point)')
      .argument('<file>', 'scenario file (YAML or JSON)')
      .requiredOption('--shards <n>', 'number of shards', parseInteger('--shards')),
  ).action(async (file: string, opts: CommonOptions & { shards: number }) => sweepCommand(file, opts, [opts.shards]));

  program
    .command('validate')
    .description('check a scenario file (and any --set overrides) without running it')
    .argument('<file>', 'scenario file (YAML or JSON)')
    .option('--set <path=value>', 'override a scenario key before validating; repeatable', collect, [])
    .option('--axis <path=v1,v2>', 'add a sweep axis before validating; repeatable', collect, [])
    .option('--print', 'print the scenario with every default filled in, as JSON')
    .option('--max-memory <size>', MAX_MEMORY_HELP, parseMaxMemory)
    .action((file: string, opts: { set: string[]; axis: string[]; print?: boolean; maxMemory?: number }) => {
      const { scenario: sc, estimate } = scenarioAndEstimate(file, opts);
      const runs = estimate.runs;
      if (opts.print === true) process.stdout.write(`${JSON.stringify(sc, null, 2)}\n`);
      else {
        process.stdout.write(`ok: ${file} (scenario "${sc.name}", ${runs} run${runs === 1 ? '' : 's'}; shard counts ${sc.sweep.shards.join(', ')})\n`);
        process.stdout.write(`${describeEstimate(estimate)}; memory available ${fmtBytes(opts.maxMemory ?? totalmem())}\n`);
      }
    });

  program
    .command('report')
    .description('write the report page of a results.json again (the same bytes its sweep wrote), and with --png one PNG per chart')
    .argument('<results>', 'a results.json written by shardsim sweep or run')
    .option('--out <file>', "where to write the page (default: the results' report.html beside results.json)", parseWritablePath('--out', 'file'))
    .option(
      '--png <dir>',
      "write one PNG per chart into this directory, named by the chart's id (drawn in the system's Chromium: $CHROMIUM_PATH, or chromium on PATH)",
      parseWritablePath('--png', 'directory'),
    )
    .option('--light', `load plotly.js from ${PLOTLY_FILE} written beside the page instead of inlining it (the default when the sweep wrote a light page)`)
    .option('--no-light', 'inline plotly.js even when the sweep wrote a light page')
    .action(async (file: string, opts: { out?: string; png?: string; light?: boolean }) => {
      const { reportCommand } = await import('./report-command.js');
      const written = await reportCommand(file, opts);
      if (written.refused.length > 0)
        process.stderr.write(
          `shardsim: warning: the page asked for ${written.refused.length} network resource(s), refused: ${written.refused.slice(0, 3).join(', ')}\n`,
        );
      process.stdout.write(`report: ${written.report}\n`);
      if (opts.png !== undefined)
        process.stdout.write(
          `png:    ${written.pngs.length} chart${written.pngs.length === 1 ? '' : 's'} in ${opts.png} (${written.pngSeconds.toFixed(1)} s)\n`,
        );
    });

  program
    .command('worker')
    .description(
      'host shards for runs on the Redis transport: start one per machine (or core) and point the controller at the same Redis with --workers external',
    )
    .option('--redis-url <url>', 'the Redis the controller uses (default $REDIS_URL, then redis://127.0.0.1:6379)')
    .option('--secret-file <file>', `a file holding the secret shared with the controller (default $${SECRET_ENV}; never on the command line)`)
    .addOption(new Option('--log-level <level>', 'structured log level').choices(LOG_LEVELS).default('info'))
    .option('--log-file <file>', 'write logs to this file instead of stderr', parseWritablePath('--log-file', 'file'))
    .action(async (opts: { redisUrl?: string; secretFile?: string; logLevel: LogLevel; logFile?: string }) => {
      debug = opts.logLevel === 'debug' || opts.logLevel === 'trace';
      const url = redisUrl({ url: opts.redisUrl });
      const secret = sharedSecret(opts.secretFile);
      if (secret === undefined)
        throw new ConfigError(
          'shardsim worker',
          `control messages are signed with a secret shared with the controller: set $${SECRET_ENV} (or pass --secret-file) to the controller's value`,
        );
      const logger = createLogger(opts.logLevel, opts.logFile);
      // A controller's own shard processes start from shards/hosts/redis-process.js instead (less to load).
      const { serveLobby } = await import('../shards/hosts/redis-worker.js');
      logger.info({ redis: redactRedisUrl(url) }, 'worker waiting for runs');
      await serveLobby(url, secret, {
        hosting: (a) => logger.info({ run: a.prefix, shards: a.shards }, 'hosting shards'),
        discarded: (a) => logger.warn({ run: a.prefix }, 'assignment discarded: its controller is gone'),
        refused: (err) => logger.error({ err: err.message }, 'assignment refused'),
        ended: (a, err) =>
          err === undefined
            ? logger.info({ run: a.prefix }, 'run closed')
            : logger.warn({ run: a.prefix, err: err.message }, 'run left; back to waiting for runs'),
      });
    });

  program
    .command('clean')
    .description(
      "list the runs whose keys are in Redis (live or stale), and with --yes remove the stale ones' keys; a live run (its controller beating) is never touched",
    )
    .option('--redis-url <url>', 'the Redis to clean (default $REDIS_URL, then redis://127.0.0.1:6379); its /db selects the database')
    .option('--yes', 'remove the stale runs listed (without it, only list them)')
    .action(async (opts: { redisUrl?: string; yes?: boolean }) => {
      const { cleanRuns } = await import('./clean.js');
      process.stdout.write(`${await cleanRuns(redisUrl({ url: opts.redisUrl }), opts.yes === true)}\n`);
    });

  program
    .command('compare')
    .description(
      "compare a sweep's results.json with a baseline's, point by point (shard count and swept parameters; seeds averaged): exit 1 when a figure is worse than the baseline by more than --max-regression, 2 when the files cannot be compared",
    )
    .argument('<baseline>', 'results.json of the reference sweep')
    .argument('<current>', 'results.json of the sweep to check against it')
    .addOption(
      new Option('--max-regression <share>', 'largest relative worsening tolerated, as 5% or 0.05')
        .argParser((value: string) => {
          const share = parseMaxRegression(value);
          if (share === undefined)
            throw new InvalidArgumentError(`--max-regression expects a percentage such as 5% or a fraction such as 0.05, got ${quoted(value)}`);
          return share;
        })
        .default(0.05, formatShare(0.05)),
    )
    .option('--json', 'print the comparison as JSON instead of the table')
    .action((baseline: string, current: string, opts: { maxRegression: number; json?: boolean }) => {
      const comparison = compareResults(readResultsForCompare(baseline), readResultsForCompare(current), opts.maxRegression);
      for (const w of comparison.warnings) process.stderr.write(`shardsim: warning: ${w}\n`);
      process.stdout.write(opts.json === true ? comparisonJson(comparison) : formatComparison(comparison));
      if (comparison.verdict === 'regression') commandExit = EXIT.regressed;
    });

  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  commandExit = EXIT.ok;
  try {
    await program.parseAsync(argv as string[]);
    return commandExit;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.ok;
      return EXIT.badInput; // commander already printed the message
    }
    if (err instanceof ShardsimError) return report(err.heading, err.message, err.stack, err.exitCode);
    const sys = err as NodeJS.ErrnoException | undefined;
    if (typeof sys?.syscall === 'string' && typeof sys.code === 'string' && typeof sys.path === 'string') {
      // A file the user named (--out, --log-file) cannot be written: their environment, not a bug.
      return report('error', `cannot ${sys.syscall} ${sys.path}: ${sys.code} (${sys.message.replace(/^\w+: /, '').split(',')[0]})`, sys.stack, EXIT.badInput);
    }
    const e = err as Error | undefined;
    return report('internal error', e?.message ?? String(err), e?.stack, EXIT.failed);
  }
}

/** Writes a failure's paragraph on stderr as its heading asks, and returns the exit code. */
function report(heading: ErrorHeading, message: string, stack: string | undefined, exitCode: number): number {
  process.stderr.write(`shardsim: ${heading}: ${message}\n`);
  if (heading === 'run failed') process.stderr.write('No results were written: figures from a run that breaks an invariant cannot be trusted.\n');
  if (heading === 'internal error')
    process.stderr.write(debug ? `${stack}\n` : 'Run again with --log-level debug for the stack trace, and please report it.\n');
  else if (debug && stack !== undefined) process.stderr.write(`${stack}\n`);
  return exitCode;
}

// Standard output on a full disk (`--json > /dev/full`): one message and exit 2, not an unhandled 'error' event.
// A closed pipe (`| head`) is the reader's choice and stays quiet.
let stdoutFailure: NodeJS.ErrnoException | undefined;
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  stdoutFailure ??= err;
});
process.once('exit', () => {
  if (stdoutFailure === undefined || stdoutFailure.code === 'EPIPE') return;
  process.stderr.write(`shardsim: error: cannot write to standard output: ${ioReason(stdoutFailure)}\n`);
  process.exitCode = EXIT.badInput;
});
process.exitCode = await main(process.argv);
// Shard processes kept for further runs of this controller go with it.
await endIdleShardProcesses();
// Everything is closed by now; should a connection to a lost Redis still be
// reconnecting somewhere, it must not keep the command from exiting.
setTimeout(() => process.exit(), 3_000).unref();
