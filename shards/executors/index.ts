/** The executor registry: scenario name -> implementation. */
import { AccessListExecutor } from './access-list.js';
import { BlockStmExecutor } from './block-stm.js';
import { ACCESS_LIST_COSTS, BLOCK_STM_COSTS, type ExecutionCostModel } from './execution-cost.js';
import type { Executor, ExecutorName } from './executor.js';
import { SequentialExecutor } from './sequential.js';

/** The executor `name`, its costs beyond gas as `cost` models them (sequential has none: it is the baseline). */
export function createExecutor(name: ExecutorName, cost: ExecutionCostModel = 'ideal'): Executor {
  const calibrated = cost === 'calibrated';
  switch (name) {
    case 'sequential':
      return new SequentialExecutor();
    case 'block-stm':
      return new BlockStmExecutor(calibrated ? { costs: BLOCK_STM_COSTS } : {});
    case 'access-list':
      return new AccessListExecutor(calibrated ? { costs: ACCESS_LIST_COSTS } : {});
  }
}
