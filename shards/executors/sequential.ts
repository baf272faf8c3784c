/**
 * The reference executor: one virtual thread, items in block order. Its
 * makespan is total gas over one thread's speed, so threads do not help it;
 * it is the baseline every parallel executor's speedup is measured against.
 * It still reports the block's parallelism bound (a property of the block),
 * from the keys each item read and wrote.
 */
import type { StateAccess } from '../state.js';
import { type ItemResult, receiptGas, txGas, type VmContext } from '../vm.js';
import { type ExecuteItem, executeItem } from './block-items.js';
import { AccessLog, AccessRecorder, dependencyBound } from './dependency-bound.js';
import type { BlockCandidates, BlockExecution, ExecutionLimits, Executor } from './executor.js';

export interface SequentialOptions {
  /** Replaces the VM (tests use it for items whose keys depend on what they read). */
  readonly executeItem?: ExecuteItem;
}

/** Passes reads and writes through to the state, logging the keys. */
class RecordingView implements StateAccess {
  state!: StateAccess;
  constructor(readonly rec: AccessRecorder) {}
  read(key: number): number {
    this.rec.read(key);
    return this.state.read(key);
  }
  write(key: number, value: number): void {
    this.rec.write(key);
    this.state.write(key, value);
  }
}

export class SequentialExecutor implements Executor {
  readonly name = 'sequential' as const;
  private readonly run: ExecuteItem;

  constructor(opts: SequentialOptions = {}) {
    this.run = opts.executeItem ?? executeItem;
  }

  execute(block: BlockCandidates, state: StateAccess, ctx: VmContext, limits: ExecutionLimits): BlockExecution {
    // The time budget, in gas one thread can run within it.
    const timeGas = limits.timeBudget * limits.gasPerSecondPerThread;
    const cap = Math.min(limits.gasLimit, timeGas);
    const log = new AccessLog();
    const view = new RecordingView(new AccessRecorder(log));
    view.state = state;
    const results: ItemResult[] = [];
    const gas: number[] = [];
    let gasUsed = 0;
    let receiptsIncluded = 0;
    const step = (index: number): void => {
      const res = this.run(block, index, ctx, view);
      view.rec.flush(true);
      gasUsed += res.gasUsed;
      gas.push(res.gasUsed);
      results.push(res);
    };
    for (let i = 0; i < block.receipts.length; i++) {
      if (gasUsed + receiptGas(block.receipts[i]!, ctx) > cap) break;
      step(i);
      receiptsIncluded++;
    }
    let txsIncluded = 0;
    if (receiptsIncluded === block.receipts.length) {
      for (const tx of block.txs) {
        if (gasUsed + Math.max(tx.gasLimit, txGas(tx, ctx)) > cap) break;
        step(receiptsIncluded + txsIncluded);
        txsIncluded++;
      }
    }
    const executions = receiptsIncluded + txsIncluded;
    const bound = dependencyBound(log, gas, limits.threads);
    return {
      receiptsIncluded,
      txsIncluded,
      results,
      gasUsed,
      makespan: gasUsed / limits.gasPerSecondPerThread,
      stats: {
        executions,
        reexecutions: 0,
        validations: 0,
        aborts: 0,
        estimateWaits: 0,
        wastedGas: 0,
        boundRaw: bound.boundRaw,
        boundAll: bound.boundAll,
      },
    };
  }
}
