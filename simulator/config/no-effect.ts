/**
 * Settings the user wrote that the chosen options ignore (`shard.threads`
 * with the sequential executor, an `amm:` section under `kind: token`).
 * They are valid, so they are warnings: one line each, naming the key and
 * the option that makes it idle. Only keys present in the input count;
 * defaults never warn.
 */
import type { Scenario } from './schema.js';

const SECTIONS = ['token', 'amm', 'nft', 'dao', 'payments'] as const;

export function settingsWithoutEffect(raw: unknown, sc: Scenario): string[] {
  const has = (path: string): boolean => {
    let node: unknown = raw;
    for (const k of path.split('.')) {
      if (node === null || typeof node !== 'object' || Array.isArray(node) || !Object.hasOwn(node, k)) return false;
      node = (node as Record<string, unknown>)[k];
    }
    return node !== undefined;
  };
  const out: string[] = [];
  // A setting idle at the file's value of an option may act at another value the sweep gives it.
  const swept = Object.keys(sc.sweep.axes);
  const idle = (path: string, because: string): void => {
    const option = /with ([\w.]+)/.exec(because)?.[1];
    if (swept.some((a) => a === path || (option !== undefined && (a === option || a.startsWith(`${option}.`) || option.startsWith(`${a}.`))))) return;
    if (has(path)) out.push(`${path} has no effect ${because}`);
  };
  const w = sc.workload;
  // A kind runs when it is the kind, or has a positive weight in a mix.
  const runs = (kind: string): boolean => w.kind === kind || (w.kind === 'mix' && ((w.mix as Record<string, number | undefined>)[kind] ?? 0) > 0);

  if (sc.shard.executor === 'sequential') {
    idle('shard.threads', 'with shard.executor: sequential (it runs on one thread)');
    idle('shard.executionCost', 'with shard.executor: sequential (it is the baseline the parallel executors pay against)');
  }
  if (!runs('transfer')) {
    const why = `with workload.kind: ${w.kind} (it applies to transfer workloads)`;
    for (const k of ['distribution', 'zipfExponent', 'crossShardRatio', 'amount']) idle(`workload.${k}`, why);
  } else if (w.distribution !== 'zipf') {
    idle('workload.zipfExponent', `with workload.distribution: ${w.distribution} (it is the skew of zipf)`);
  }
  for (const k of SECTIONS) if (!runs(k)) idle(`workload.${k}`, `with workload.kind: ${w.kind} (set kind: ${k}, or give it a weight in a mix)`);
  if (w.kind !== 'mix') idle('workload.mix', `with workload.kind: ${w.kind} (set kind: mix)`);
  if (w.kind !== 'trace') idle('workload.trace', `with workload.kind: ${w.kind} (set kind: trace)`);
  if (w.rate !== 'saturate') idle('workload.saturation', `with workload.rate: ${w.rate} (it applies to rate: saturate)`);
  if (w.kind === 'trace') {
    idle('accounts.count', 'with workload.kind: trace (the trace brings its own accounts)');
    if (w.trace !== undefined && w.trace.replay !== 'blocks')
      idle('workload.trace.blocksPerSlot', `with workload.trace.replay: ${w.trace.replay} (it applies to replay: blocks)`);
  }
  if (sc.accounts.partition !== 'graph') idle('accounts.partitionSampleSlots', `with accounts.partition: ${sc.accounts.partition} (it applies to graph)`);
  if (sc.accounts.partition !== 'graph') idle('accounts.partitionImbalance', `with accounts.partition: ${sc.accounts.partition} (it applies to graph)`);
  if (sc.crossShard.protocol !== 'broker') idle('crossShard.broker', `with crossShard.protocol: ${sc.crossShard.protocol} (it applies to broker)`);
  if (sc.transport === 'memory') idle('maxProcesses', "with transport: memory (it applies to redis; memoryThreads is the memory transport's)");
  // Checkpoints, restarts and resume from a log are the Redis transport's (progress.json resumes either).
  if (sc.transport === 'memory') idle('recovery', "with transport: memory (crash recovery is the redis transport's)");
  if (sc.transport === 'redis') idle('memoryThreads', "with transport: redis (it applies to memory; maxProcesses is the redis transport's)");
  const f = sc.faults;
  if (f !== undefined) {
    if (f.byzantine.shards.length === 0)
      for (const k of ['ratio', 'kinds']) idle(`faults.byzantine.${k}`, 'with faults.byzantine.shards: [] (no Byzantine shard)');
    if (f.delay.ratio === 0) for (const k of ['minSlots', 'maxSlots']) idle(`faults.delay.${k}`, 'with faults.delay.ratio: 0');
  }
  return out;
}
