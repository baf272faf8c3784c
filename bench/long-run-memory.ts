/**
 * Whether a run's memory grows with its length: runs a scenario on the
 * memory transport at one shard count for many slots and prints, after a
 * full collection (`node --expose-gc`), RSS and what the run holds (live heap
 * plus array buffers) at slot `--at`, every 50th slot and the last. A run
 * that holds nothing per slot it has run reads the same held figure at every
 * slot; RSS also moves with how many pages V8 keeps for its heap after a
 * collection, which it sizes by its own heuristics.
 *
 *   npm run bench:long-run -- [scenario] [--shards 1024] [--slots 200]
 *     [--at 20] [--set key=value ...]
 */
import { loadScenario } from '../simulator/config/load.js';
import { runScenario } from '../simulator/run.js';

interface Args {
  file: string;
  shards: number;
  slots: number;
  at: number;
  sets: string[];
}

function parseArgs(argv: readonly string[]): Args {
  const a: Args = { file: 'configs/quickstart.yaml', shards: 1024, slots: 200, at: 20, sets: [] };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]!;
    if (!k.startsWith('--')) {
      a.file = k;
      continue;
    }
    const v = argv[++i];
    if (v === undefined) throw new Error(`${k} needs a value`);
    if (k === '--set') a.sets.push(v);
    else if (k === '--shards' || k === '--slots' || k === '--at') a[k.slice(2) as 'shards' | 'slots' | 'at'] = Number(v);
    else throw new Error(`unknown argument ${k}`);
  }
  return a;
}

const args = parseArgs(process.argv.slice(2));
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) process.stderr.write('note: without --expose-gc the figures include garbage not yet collected\n');
const sc = loadScenario(args.file, [...args.sets, 'slots.warmup=0', `slots.measure=${args.slots}`, 'slots.drain=0', 'transport=memory']);
const mb = (b: number): string => (b / 2 ** 20).toFixed(1);
const readings: Array<{ slot: number; rss: number; held: number }> = [];
await runScenario(sc, args.shards, {
  onSlot: (slot) => {
    const s = slot + 1;
    if (s !== args.at && s !== args.slots && s % 50 !== 0) return;
    gc?.();
    const m = process.memoryUsage();
    readings.push({ slot: s, rss: m.rss, held: m.heapUsed + m.arrayBuffers });
    process.stdout.write(
      `slot ${s}: RSS ${mb(m.rss)} MB, held ${mb(m.heapUsed + m.arrayBuffers)} MB (heap ${mb(m.heapUsed)} of ${mb(m.heapTotal)} MB, array buffers ${mb(m.arrayBuffers)} MB)\n`,
    );
  },
});
const first = readings.find((r) => r.slot === args.at);
const last = readings.find((r) => r.slot === args.slots);
if (first !== undefined && last !== undefined) {
  const pct = (x: number, y: number): string => `${(((y - x) / x) * 100).toFixed(1)}%`;
  process.stdout.write(`slot ${args.at} -> ${args.slots}: RSS ${pct(first.rss, last.rss)}, held ${pct(first.held, last.held)}\n`);
}
