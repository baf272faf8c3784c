/**
 * The scale table from several rounds of its rows (each round runs every
 * row once, one after another). On a machine whose speed drifts by a fifth
 * or more between minutes, one round's ratio of two rows swings as much as
 * the goal's whole margin; the median of rounds, each row paired with the
 * 1-shard row of its own round, does not.
 */
import type { CaseResult } from './cases.js';
import { median } from './quantile.js';

/** A row's cost over the 1-shard row's of the same round: median and range over rounds. */
export interface CostRatio {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export interface ScaleRow extends CaseResult {
  readonly rounds: number;
  /** CPU per transaction over the 1-shard row's. */
  readonly vsOneShardCpu: CostRatio;
  /** The same, each cost in units of the floor measured around its own run (CPU per tx x floor rate). */
  readonly vsOneShardFloorUnits: CostRatio;
}

const ratioOf = (xs: readonly number[]): CostRatio => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs) });
const inFloors = (r: CaseResult): number => (r.cpuMicrosPerTx * r.floorTxPerSecond) / 1e6;

/**
 * One row per case, in first-round order: medians of the rounds' figures
 * (peak RSS: the largest), and the cost ratios. A round without its 1-shard
 * row (it failed, or was not selected) gives no ratios; rows without any
 * ratio get none.
 */
export function scaleRows(rounds: readonly (readonly CaseResult[])[]): Array<CaseResult | ScaleRow> {
  const names = [...new Set(rounds.flat().map((r) => r.name))];
  return names.map((name) => {
    const runs = rounds.flatMap((round) => round.filter((r) => r.name === name));
    const cpu: number[] = [];
    const floorUnits: number[] = [];
    for (const round of rounds) {
      const r = round.find((x) => x.name === name);
      const base = round.find((x) => x.shards === 1);
      if (r === undefined || base === undefined) continue;
      cpu.push(r.cpuMicrosPerTx / base.cpuMicrosPerTx);
      floorUnits.push(inFloors(r) / inFloors(base));
    }
    const row: CaseResult = {
      ...runs[0]!,
      txPerWallSecond: median(runs.map((r) => r.txPerWallSecond)),
      cpuMicrosPerTx: median(runs.map((r) => r.cpuMicrosPerTx)),
      peakRssMb: Math.max(...runs.map((r) => r.peakRssMb)),
      floorRatio: median(runs.map((r) => r.floorRatio)),
      floorTxPerSecond: median(runs.map((r) => r.floorTxPerSecond)),
    };
    return cpu.length === 0 ? row : { ...row, rounds: runs.length, vsOneShardCpu: ratioOf(cpu), vsOneShardFloorUnits: ratioOf(floorUnits) };
  });
}
