/**
 * A run's totals of its blocks' figures over the measured window, driven by
 * the two figure tables: the protocol's (crosslink/slot-metrics.ts) and the
 * executor's (shards/executors/exec-stats.ts, read out of each report's
 * `exec` block). Each figure combines by its row's aggregation, block after
 * block in report order: that order fixes the floating-point sums, hence the
 * digests.
 */
import { type Aggregation, type MetricField, SLOT_METRIC_NUMS, SLOT_METRICS, type SlotMetricName } from '../crosslink/slot-metrics.js';
import type { SlotReport } from '../crosslink/transport.js';
import { EXEC_STATS } from '../shards/executors/exec-stats.js';
import { type ExecFigures, layOutExecFigures } from './exec-figures.js';

const SUM = 0;
const MEAN = 1;
const GAS_MEAN = 2;
const MAX = 3;
const CODES: Record<Aggregation, number> = { sum: SUM, mean: MEAN, gasMean: GAS_MEAN, max: MAX };

/** Running aggregates of one table's figures. */
class TableTotals {
  private readonly kind: Uint8Array;
  private readonly acc: Float64Array;

  constructor(private readonly table: readonly MetricField[]) {
    this.kind = Uint8Array.from(table, (f) => CODES[f.over]);
    this.acc = Float64Array.from(table, (f) => (f.over === 'max' ? -Infinity : 0));
  }

  add(k: number, v: number, gas: number): void {
    switch (this.kind[k]) {
      case GAS_MEAN:
        this.acc[k]! += v * gas;
        break;
      case MAX:
        if (v > this.acc[k]!) this.acc[k] = v;
        break;
      default:
        this.acc[k]! += v;
    }
  }

  /** Row k's running sum (gas-weighted for `gasMean`; the largest value for `max`). */
  raw(k: number): number {
    return this.acc[k]!;
  }

  /** Row k's aggregate over `blocks` blocks weighing `gas`. */
  value(k: number, blocks: number, gas: number): number {
    const empty = this.table[k]!.empty ?? 0;
    switch (this.kind[k]) {
      case MEAN:
        return blocks > 0 ? this.acc[k]! / blocks : empty;
      case GAS_MEAN:
        return gas > 0 ? this.acc[k]! / gas : empty;
      case MAX:
        return blocks > 0 ? this.acc[k]! : empty;
      default:
        return this.acc[k]!;
    }
  }
}

const slotIndex = new Map<SlotMetricName, number>(SLOT_METRICS.map((f, k) => [f.name, k]));
const indexOf = (name: SlotMetricName): number => slotIndex.get(name)!;

export class SlotTotals {
  /** Blocks added (one per shard and slot of the window). */
  blocks = 0;
  /** Their gas: the weight of `gasMean` figures. */
  gas = 0;
  /** Seconds the blocks take executed sequentially: each block's gas at one thread's speed, summed block by block. */
  sequentialSeconds = 0;
  private readonly slot = new TableTotals(SLOT_METRICS);
  private readonly exec = new TableTotals(EXEC_STATS);
  /** Per shard, the sum of each protocol figure: shard * SLOT_METRIC_NUMS + row. */
  private readonly perShard: Float64Array;

  constructor(
    shards: number,
    private readonly gasPerSecondPerThread: number,
  ) {
    this.perShard = new Float64Array(shards * SLOT_METRIC_NUMS);
  }

  add(r: SlotReport): void {
    const m = r.metrics;
    const gas = m.gasUsed;
    const base = r.shard * SLOT_METRIC_NUMS;
    for (let k = 0; k < SLOT_METRICS.length; k++) {
      const v = m[SLOT_METRICS[k]!.name];
      this.slot.add(k, v, gas);
      this.perShard[base + k]! += v;
    }
    for (let k = 0; k < EXEC_STATS.length; k++) this.exec.add(k, r.exec[k]!, gas);
    this.sequentialSeconds += gas / this.gasPerSecondPerThread;
    this.blocks++;
    this.gas += gas;
  }

  /** Figure `name` over the window, by its aggregation. */
  total(name: SlotMetricName): number {
    return this.slot.value(indexOf(name), this.blocks, this.gas);
  }

  /** The running sum of figure `name` (a `sum` or `mean` one) over the window's blocks. */
  sum(name: SlotMetricName): number {
    return this.slot.raw(indexOf(name));
  }

  /** The sum of figure `name` over the window's blocks of `shard`. */
  ofShard(shard: number, name: SlotMetricName): number {
    return this.perShard[shard * SLOT_METRIC_NUMS + indexOf(name)]!;
  }

  /** The executor's figures over the window, by their aggregations, laid out for the results. */
  execFigures(): ExecFigures {
    return layOutExecFigures((k) => this.exec.value(k, this.blocks, this.gas));
  }
}
