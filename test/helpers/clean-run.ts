/** A hand-built run for the report's tests. */
import type { RunResult } from '../../simulator/results.js';
import { idealNetworkFigures, NO_BLOCKS } from './network-figures.js';

/** A run in which nothing a section shows happens: every transaction completed ok, hash placement, no faults, no trace. */
export function cleanRun(shards: number, overrides: Partial<RunResult> = {}): RunResult {
  return {
    shards,
    seed: 42,
    params: { shards, 'accounts.partition': 'hash' },
    throughputTps: 1000,
    offeredTps: 1000,
    crossShardRatio: 1 - 1 / shards,
    loadImbalance: 1.02,
    trace: null,
    faults: null,
    byKind: {},
    latency: { p50: 2, p95: 4, p99: 5, mean: 2.5, samples: 1000, completed: 1000, censored: 0, completedShare: 1, lowerBound: [] },
    stability: { stable: true, reasons: [], backlog: { start: 0, end: 0 }, droppedInWindow: 0 },
    transactions: { submitted: 1200, mempoolDropped: 0, completed: 1200, completedFailed: 0, pending: 0 },
    receipts: { sent: 800, applied: 800, refunds: 0, rejected: 0, duplicates: 0, inFlight: 0, delayedBacklog: 0 },
    utilisation: { mean: 0.5, max: 0.55 },
    perShard: Array.from({ length: shards }, (_, shard) => ({
      shard,
      utilisation: 0.5,
      demand: 0.5 + shard / 100,
      txIncluded: 100,
      receiptsApplied: 50,
      mempoolEnd: 0,
      delayedEnd: 0,
    })),
    execution: {
      executor: 'sequential',
      threads: 1,
      speedup: 1,
      estimateWaits: 0,
      bound: { raw: 1, all: 1 },
      makespan: 0.01,
      reexecutions: 0,
      validations: 0,
      aborts: 0,
      wastedGas: 0,
    },
    network: idealNetworkFigures(),
    bottleneck: 'load',
    blocks: NO_BLOCKS,
    security: { validators: 4000, committeeSize: 4000 / shards, adversaryFraction: 0.25, threshold: 1 / 3, failureProbability: 1e-9 },
    stateRoots: Array.from({ length: shards }, () => '0x00'),
    digest: `run-${shards}`,
    wall: { seconds: 1, simulatedTxPerWallSecond: 1000 },
    ...overrides,
  };
}
