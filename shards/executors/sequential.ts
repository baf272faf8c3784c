/**
 * The reference executor: one virtual thread, items in block order. Its
 * makespan is total gas over one thread's speed, so threads do not help it;
 * it is the baseline every parallel executor's speedup is measured against.
 */
import type { BlockCandidates, BlockExecution, ExecutionLimits, Executor } from './executor.js';
import type { StateAccess } from '../state.js';
import { executeReceipt, executeTx, type ItemResult, receiptGas, txGas, type VmContext } from '../vm.js';

export class SequentialExecutor implements Executor {
  readonly name = 'sequential' as const;

  execute(block: BlockCandidates, state: StateAccess, ctx: VmContext, limits: ExecutionLimits): BlockExecution {
    // The time budget, in gas one thread can run within it.
    const timeGas = limits.timeBudget * limits.gasPerSecondPerThread;
    const cap = Math.min(limits.gasLimit, timeGas);
    const results: ItemResult[] = [];
    let gasUsed = 0;
    let receiptsIncluded = 0;
    for (const r of block.receipts) {
      if (gasUsed + receiptGas(ctx) > cap) break;
      const res = executeReceipt(r, ctx, state);
      gasUsed += res.gasUsed;
      results.push(res);
      receiptsIncluded++;
    }
    let txsIncluded = 0;
    if (receiptsIncluded === block.receipts.length) {
      for (const tx of block.txs) {
        if (gasUsed + Math.max(tx.gasLimit, txGas(tx, ctx)) > cap) break;
        const res = executeTx(tx, ctx, state);
        gasUsed += res.gasUsed;
        results.push(res);
        txsIncluded++;
      }
    }
    const executions = receiptsIncluded + txsIncluded;
    return {
      receiptsIncluded,
      txsIncluded,
      results,
      gasUsed,
      makespan: gasUsed / limits.gasPerSecondPerThread,
      stats: { executions, reexecutions: 0, validations: 0, aborts: 0, wastedGas: 0 },
    };
  }
}
