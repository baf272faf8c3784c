import { describe, expect, it } from 'vitest';
import type { CaseResult } from '../../bench/cases.js';
import { scaleRows } from '../../bench/scale-rounds.js';

const row = (shards: number, cpu: number, floor: number, rss = 100): CaseResult => ({
  name: `scale: ${shards} shards`,
  transport: 'memory',
  shards,
  processes: 1,
  executor: 'sequential',
  threads: 1,
  txPerWallSecond: 1e6 / cpu,
  wallSeconds: null,
  cpuMicrosPerTx: cpu,
  peakRssMb: rss,
  floorRatio: 1e6 / cpu / floor,
  floorTxPerSecond: floor,
});

describe('bench scale table over rounds', () => {
  it('pairs each row with the 1-shard row of its own round and reports the median and range of the ratios', () => {
    const rows = scaleRows([
      [row(1, 10, 100_000), row(1024, 12, 100_000, 2_000)],
      [row(1, 20, 50_000), row(1024, 18, 60_000, 2_500)], // a slow round: both rows slow
      [row(1, 10, 100_000), row(1024, 11, 100_000, 2_100)],
    ]);
    expect(rows.map((r) => r.name)).toEqual(['scale: 1 shards', 'scale: 1024 shards']);
    const big = rows[1]!;
    expect(big.cpuMicrosPerTx).toBe(12); // median of 12, 18, 11
    expect(big.peakRssMb).toBe(2_500);
    if (!('vsOneShardCpu' in big)) throw new Error('no ratios');
    expect(big.vsOneShardCpu).toEqual({ median: 1.1, min: 0.9, max: 1.2 });
    // Floor units: 18 x 60,000 against 20 x 50,000 in the slow round.
    expect(big.vsOneShardFloorUnits.median).toBeCloseTo(1.1);
    expect(big.vsOneShardFloorUnits.min).toBeCloseTo(1.08);
    expect(big.vsOneShardFloorUnits.max).toBeCloseTo(1.2);
    expect(big.rounds).toBe(3);
  });

  it('gives no ratios to rounds without their 1-shard row', () => {
    const rows = scaleRows([[row(16, 9, 100_000)], [row(16, 11, 100_000)]]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.cpuMicrosPerTx).toBe(10);
    expect('vsOneShardCpu' in rows[0]!).toBe(false);
  });
});
