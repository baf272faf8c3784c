/**
 * The part every parallel executor shares around its own simulation: fit the
 * block to the slot (gas limit, then time budget via capacity.ts), write the
 * chosen prefix's effects, and report it, with the dependency bound computed
 * from the keys each committed item actually read and wrote.
 */
import type { StateAccess } from '../state.js';
import type { ItemResult, VmContext } from '../vm.js';
import { gasFitPrefix, prefixBlock } from './block-items.js';
import { fitPrefix, type ProbeRun } from './capacity.js';
import { AccessLog, dependencyBound } from './dependency-bound.js';
import type { BlockCandidates, BlockExecution, ExecutionLimits, ExecutionStats } from './executor.js';

/** A simulated run of a block prefix, as the shared part needs it. */
export interface SimulatedRun extends ProbeRun {
  readonly n: number;
  /** One result per item (all set once the run is over). */
  readonly results: readonly (ItemResult | null)[];
  /** Writes the run's final values into the state (only the chosen prefix's run is flushed). */
  flush(state: StateAccess): void;
  /** Feeds item `i`'s reads from outside itself, then its writes, into `log`. */
  logAccess(i: number, log: AccessLog): void;
}

export function executeFitted<R extends SimulatedRun>(
  block: BlockCandidates,
  state: StateAccess,
  ctx: VmContext,
  limits: ExecutionLimits,
  simulate: (prefix: BlockCandidates) => R,
  statsOf: (run: R) => Omit<ExecutionStats, 'boundRaw' | 'boundAll'>,
): BlockExecution {
  const max = gasFitPrefix(block, ctx, limits.gasLimit);
  const budget = limits.timeBudget * limits.gasPerSecondPerThread;
  const { run } = fitPrefix(max, budget, (count) => simulate(prefixBlock(block, count)));
  run.flush(state);
  const n = run.n;
  const results = run.results as readonly ItemResult[]; // a finished run has every result
  const log = new AccessLog();
  const gas = new Float64Array(n);
  let gasUsed = 0;
  for (let i = 0; i < n; i++) {
    gas[i] = results[i]!.gasUsed;
    gasUsed += gas[i]!;
    log.beginItem();
    run.logAccess(i, log);
    log.endItem();
  }
  const bound = dependencyBound(log, gas, limits.threads);
  const receiptsIncluded = Math.min(n, block.receipts.length);
  return {
    receiptsIncluded,
    txsIncluded: n - receiptsIncluded,
    results,
    gasUsed,
    makespan: run.makespan / limits.gasPerSecondPerThread,
    stats: { ...statsOf(run), boundRaw: bound.boundRaw, boundAll: bound.boundAll },
  };
}
