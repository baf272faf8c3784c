/** The executor registry: scenario name -> implementation. */
import { AccessListExecutor } from './access-list.js';
import { BlockStmExecutor } from './block-stm.js';
import type { Executor, ExecutorName } from './executor.js';
import { SequentialExecutor } from './sequential.js';

export function createExecutor(name: ExecutorName): Executor {
  switch (name) {
    case 'sequential':
      return new SequentialExecutor();
    case 'block-stm':
      return new BlockStmExecutor();
    case 'access-list':
      return new AccessListExecutor();
  }
}
