/**
 * The key settings of a sweep's scenario, in words, for the head of its
 * report: what was offered, to how many accounts placed how, executed how,
 * in blocks of what size, measured over which slots, with which seeds and
 * objective. Read from results.config defensively: results written by hand
 * (tests) or by an older version lack fields, and a missing one is left out
 * rather than guessed.
 */
import type { SweepResults } from '../results.js';
import { thousands } from './shared.js';

/** One line of the settings list: a term and its value. */
export interface Setting {
  readonly term: string;
  readonly value: string;
}

type Loose = Readonly<Record<string, unknown>>;

function section(parent: Loose | undefined, key: string): Loose | undefined {
  const v = parent?.[key];
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Loose) : undefined;
}

function numberAt(parent: Loose | undefined, key: string): number | undefined {
  const v = parent?.[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function stringAt(parent: Loose | undefined, key: string): string | undefined {
  const v = parent?.[key];
  return typeof v === 'string' ? v : undefined;
}

/** "4, 8, 16" for a swept setting's values. */
function list(values: readonly unknown[]): string {
  return values.map((v) => (typeof v === 'number' ? thousands(v) : String(v))).join(', ');
}

function plural(n: number, word: string): string {
  return `${thousands(n)} ${word}${n === 1 ? '' : 's'}`;
}

/** The scenario's description (config.description), if it has one. */
export function scenarioDescription(results: SweepResults): string | undefined {
  return stringAt(results.config as unknown as Loose | undefined, 'description');
}

export function scenarioSettings(results: SweepResults): Setting[] {
  const config = results.config as unknown as Loose | undefined;
  const axes = section(section(config, 'sweep'), 'axes');
  // A setting the sweep varies shows its values, not the file's one.
  const swept = (path: string): string | undefined => {
    const values = axes?.[path];
    return Array.isArray(values) && values.length > 1 ? `swept: ${list(values)}` : undefined;
  };
  const out: Setting[] = [];
  const add = (term: string, value: string | undefined): void => {
    if (value !== undefined && value !== '') out.push({ term, value });
  };

  const workload = section(config, 'workload');
  const kind = swept('workload.kind') ?? stringAt(workload, 'kind');
  let kindText = kind;
  if (kind === 'mix') {
    const mix = section(workload, 'mix');
    const parts = mix === undefined ? [] : Object.entries(mix).map(([k, w]) => `${k} ${String(w)}`);
    if (parts.length > 0) kindText = `mix (${parts.join(', ')})`;
  }
  const trace = kind === 'trace' ? section(workload, 'trace') : undefined;
  if (trace !== undefined) {
    // The file's name is enough here; the path is in results.json.
    const file = stringAt(trace, 'file')?.split(/[\\/]/).pop();
    if (file !== undefined) kindText = `trace ${file}`;
  }
  const rate = workload?.['rate'];
  // A trace replayed by its blocks ignores workload.rate.
  const byBlocks = trace !== undefined && stringAt(trace, 'replay') !== 'rate';
  const perSlot = numberAt(trace, 'blocksPerSlot');
  const rateText = byBlocks
    ? `replayed by blocks${perSlot === undefined ? '' : ` (${perSlot} per slot)`}`
    : (swept('workload.rate') ??
      // With --find-max every run ran at the rate the search probed, not at the file's.
      (section(config, 'study')?.['findMax'] === true
        ? 'rate searched per point (--find-max)'
        : rate === 'saturate'
          ? `saturate ×${numberAt(workload, 'saturation') ?? 1.5} (block capacity)`
          : typeof rate === 'number'
            ? `${thousands(rate)} tx/s`
            : undefined));
  add('workload', [kindText, rateText].filter((t) => t !== undefined).join(', '));

  const accounts = section(config, 'accounts');
  const count = swept('accounts.count') ?? (numberAt(accounts, 'count') === undefined ? undefined : thousands(numberAt(accounts, 'count')!));
  const sweptPlacement = swept('accounts.partition');
  const partition = stringAt(accounts, 'partition');
  const file = stringAt(accounts, 'partitionFile');
  const placement =
    sweptPlacement !== undefined
      ? `placement ${sweptPlacement}`
      : partition === undefined
        ? undefined
        : `${partition} placement${file === undefined ? '' : ` (${file})`}`;
  add('accounts', [count, placement].filter((t) => t !== undefined).join(', '));

  const sweep = section(config, 'sweep');
  const shards = sweep?.['shards'];
  if (Array.isArray(shards) && shards.length > 0) add('shards', list(shards));

  const shard = section(config, 'shard');
  const executor = swept('shard.executor') ?? stringAt(shard, 'executor');
  const sweptThreads = swept('shard.threads');
  const threadCount = numberAt(shard, 'threads');
  const threads = sweptThreads !== undefined ? `threads ${sweptThreads}` : threadCount === undefined ? undefined : plural(threadCount, 'thread');
  // Sequential execution uses one thread whatever the setting says.
  add('executor', executor === 'sequential' ? executor : [executor, threads].filter(Boolean).join(', '));
  const gas =
    swept('shard.blockGasLimit') ?? (numberAt(shard, 'blockGasLimit') === undefined ? undefined : `${thousands(numberAt(shard, 'blockGasLimit')!)} gas`);
  add('block gas limit', gas);

  const slotSeconds = numberAt(config, 'slotSeconds');
  const slots = section(config, 'slots');
  const window = ['warmup', 'measure', 'drain']
    .map((k) => (numberAt(slots, k) === undefined ? undefined : `${k} ${numberAt(slots, k)}`))
    .filter((t) => t !== undefined);
  const slotText = slotSeconds === undefined ? undefined : `${slotSeconds} s each`;
  add('slots', [slotText, window.length === 0 ? undefined : window.join(', ')].filter(Boolean).join(': '));

  const finality = numberAt(config, 'finalityDelaySlots');
  if (finality !== undefined) add('finality delay', plural(finality, 'slot'));

  const seeds = results.seeds ?? [results.seed];
  add(seeds.length > 1 ? 'seeds' : 'seed', seeds.length > 1 ? `${seeds.join(', ')} (${seeds.length} runs per point)` : String(seeds[0]));

  // The search and its objective: the runs carry the objective applied; the config says whether it was asked for.
  const study = section(config, 'study');
  const searched = results.runs.find((run) => run.findMax !== undefined)?.findMax;
  if (searched !== undefined || study?.['findMax'] === true) {
    const slo = searched?.latencySlo ?? numberAt(study, 'latencySlo');
    const tolerance = searched?.tolerance ?? numberAt(study, 'tolerance');
    add('find-max', `highest sustainable rate${tolerance === undefined ? '' : `, within ${+(tolerance * 100).toFixed(2)}%`}`);
    if (slo !== undefined) add('latency objective', `p99 ≤ ${slo} s`);
  } else {
    const slo = numberAt(study, 'latencySlo');
    if (slo !== undefined) add('latency objective', `p99 ≤ ${slo} s`);
  }
  const target = numberAt(section(config, 'report'), 'targetTps');
  if (target !== undefined) add('goal', `${thousands(target)} TPS`);
  return out;
}
