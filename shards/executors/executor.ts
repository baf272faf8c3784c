/**
 * The executor contract. Given a block's candidate items (admitted receipts
 * first, then mempool transactions, both in order) it executes the longest
 * prefix that fits the block's gas limit and execution-time budget, and
 * reports the virtual time that took. Parallel executors (Block-STM,
 * access-list) implement the same contract and must reach the same state
 * as `sequential` for the same included prefix.
 */
import type { Receipt } from '../../crosslink/receipt.js';
import type { UserTx } from '../../crosslink/tx.js';
import type { StateAccess } from '../state.js';
import type { ItemResult, VmContext } from '../vm.js';
import type { ReportedExecStats } from './exec-stats.js';

export interface BlockCandidates {
  readonly receipts: readonly Receipt[];
  readonly txs: readonly UserTx[];
}

export interface ExecutionLimits {
  readonly gasLimit: number;
  /** Virtual seconds available for execution in the slot. */
  readonly timeBudget: number;
  /** Execution speed of one virtual thread. */
  readonly gasPerSecondPerThread: number;
  readonly threads: number;
}

/** What an executor measured of a block: the reported figures (exec-stats.ts) and its own count of executions. */
export interface ExecutionStats extends ReportedExecStats {
  /** Execution tasks run, every incarnation counted (Block-STM's halted ones too). */
  readonly executions: number;
}

export interface BlockExecution {
  /** How many receipts and transactions (each a prefix of its list) made it into the block. */
  readonly receiptsIncluded: number;
  readonly txsIncluded: number;
  /** One result per included item: receipts first, then transactions. */
  readonly results: readonly ItemResult[];
  readonly gasUsed: number;
  /** Virtual seconds from the block's first task to its last. */
  readonly makespan: number;
  readonly stats: ExecutionStats;
}

export type ExecutorName = 'sequential' | 'block-stm' | 'access-list';

export interface Executor {
  readonly name: ExecutorName;
  execute(block: BlockCandidates, state: StateAccess, ctx: VmContext, limits: ExecutionLimits): BlockExecution;
}
