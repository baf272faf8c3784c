/** The executor registry: scenario name -> implementation. */
import type { Executor, ExecutorName } from './executor.js';
import { SequentialExecutor } from './sequential.js';

export function createExecutor(name: ExecutorName): Executor {
  switch (name) {
    case 'sequential':
      return new SequentialExecutor();
  }
}
