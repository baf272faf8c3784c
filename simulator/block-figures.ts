/**
 * Per-block figures of a run's measured window: one entry per committed
 * block (every shard, every window slot), in (slot, shard) order, so a
 * replay of real blocks can be compared block by block with another
 * system's figures. results.json and blocks.csv keep the first
 * MAX_BLOCK_ROWS of a run's blocks; `total` says how many it had.
 *
 * A block's speedup is its gas at one thread's speed over its makespan, the
 * run-level `execution.speedup` for one block (null for a block with no
 * execution time); `bound` is the executor's parallelism bound over
 * read-after-write edges (`execution.bound.raw` for one block).
 */
import type { SlotReport } from '../crosslink/transport.js';
import { EXEC_STATS } from '../shards/executors/exec-stats.js';

/** Blocks of one run kept in results.json and blocks.csv: a 32-shard replay of 128 blocks fits whole. */
export const MAX_BLOCK_ROWS = 4_096;

export interface BlockTable {
  /** Committed blocks of the window; the columns below hold the first min(total, MAX_BLOCK_ROWS). */
  readonly total: number;
  readonly shard: readonly number[];
  readonly slot: readonly number[];
  /** The trace's block number when the slot replayed exactly one original block, else null. */
  readonly sourceBlock: ReadonlyArray<number | null>;
  /** User transactions included (committed or failed). */
  readonly transactions: readonly number[];
  /** Gas of the block, applied receipts included. */
  readonly gas: readonly number[];
  readonly makespanSeconds: ReadonlyArray<number>;
  readonly speedup: ReadonlyArray<number | null>;
  readonly aborts: readonly number[];
  readonly bound: readonly number[];
}

const ABORTS = EXEC_STATS.findIndex((f) => f.name === 'aborts');
const BOUND = EXEC_STATS.findIndex((f) => f.name === 'boundRaw');

/** Collects a run's window blocks as their slots' reports arrive. */
export class BlockRecorder {
  private total = 0;
  private readonly t = {
    shard: [] as number[],
    slot: [] as number[],
    sourceBlock: [] as Array<number | null>,
    transactions: [] as number[],
    gas: [] as number[],
    makespanSeconds: [] as number[],
    speedup: [] as Array<number | null>,
    aborts: [] as number[],
    bound: [] as number[],
  };

  constructor(private readonly gasPerSecondPerThread: number) {}

  /** One window slot's reports (any order) and the original block it replayed, if one. */
  addSlot(reports: readonly SlotReport[], sourceBlock: number | null): void {
    const byShard = [...reports].sort((a, b) => a.shard - b.shard);
    for (const r of byShard) {
      this.total++;
      if (this.t.shard.length >= MAX_BLOCK_ROWS) continue;
      const m = r.metrics;
      const t = this.t;
      t.shard.push(r.shard);
      t.slot.push(r.slot);
      t.sourceBlock.push(sourceBlock);
      t.transactions.push(m.txIncluded);
      t.gas.push(m.gasUsed);
      t.makespanSeconds.push(m.makespan);
      t.speedup.push(m.makespan > 0 ? m.gasUsed / this.gasPerSecondPerThread / m.makespan : null);
      t.aborts.push(r.exec[ABORTS]!);
      t.bound.push(r.exec[BOUND]!);
    }
  }

  table(): BlockTable {
    return { total: this.total, ...this.t };
  }
}

/** The CSV columns, in order, with the table column each comes from (runs.csv's naming: snake_case, unit last). */
const COLUMNS = [
  ['shard', 'shard'],
  ['slot', 'slot'],
  ['source_block', 'sourceBlock'],
  ['transactions', 'transactions'],
  ['gas', 'gas'],
  ['makespan_s', 'makespanSeconds'],
  ['speedup_x', 'speedup'],
  ['aborts', 'aborts'],
  ['bound_threads', 'bound'],
] as const satisfies ReadonlyArray<readonly [string, Exclude<keyof BlockTable, 'total'>]>;

/** blocks.csv: a header, then every kept block of every run; `run` is the run's row in runs.csv (from 1). CRLF line ends, as runs.csv. */
export function blocksCsv(runs: ReadonlyArray<{ readonly blocks?: BlockTable }>): string {
  const lines = [['run', ...COLUMNS.map(([name]) => name)].join(',')];
  runs.forEach((run, i) => {
    const b = run.blocks;
    if (b === undefined) return; // results written before per-block figures
    for (let k = 0; k < b.shard.length; k++) {
      const cells = COLUMNS.map(([, key]) => {
        const v = b[key][k];
        return v === null || v === undefined || Number.isNaN(v) ? '' : String(v);
      });
      lines.push([String(i + 1), ...cells].join(','));
    }
  });
  return `${lines.join('\r\n')}\r\n`;
}
