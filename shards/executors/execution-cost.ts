/**
 * What running a parallel executor costs beyond the gas of the work it runs
 * (`shard.executionCost`). `ideal`: nothing; an execution lasts its gas and a
 * validation its reads, so speedups reach the dependency bound. `calibrated`:
 * the work a real engine adds, in thread-gas (gas one thread runs), so that a
 * block of independent 21,000-gas transfers shows the ratios Block-STM's
 * authors measured.
 *
 * Calibration (docs/execution.md, "What parallel execution costs"): on Aptos
 * peer-to-peer transfers with little contention Block-STM reaches 170k tps
 * at 32 threads, 17x its sequential baseline (Gelashvili et al., "Block-STM",
 * PPoPP 2023; 20x, 110k tps, on Diem's), and is slower than sequential on
 * one thread. With the costs below a conflict-free block of transfers runs at
 *   min(k × 21,000 / (21,000 + overhead), 21,000 / COMMIT)
 * times sequential speed: 0.75x on one thread, 3.0x on 4, 6.0x on 8, 12.0x on
 * 16 and 17.5x on 32, where the sequential commit binds.
 */

export type ExecutionCostModel = 'ideal' | 'calibrated';

export interface BlockStmCosts {
  /** Every task (an execution, a validation, a halted execution): taking it from the collaborative scheduler and its bookkeeping. */
  readonly taskGas: number;
  /** Each read and write an execution makes through the multi-version memory instead of the state. */
  readonly accessGas: number;
  /** Each transaction's commit, one after another in block order (the rolling commit): a serial lane beside the threads. */
  readonly commitGas: number;
}

export interface AccessListCosts {
  /** Every item: taking it from the ready queue. */
  readonly taskGas: number;
  /** Each declared key: acquiring and releasing its lock. */
  readonly lockGas: number;
  /** Each declared key: inserting it into the dependency DAG, built before the first item starts. */
  readonly dagGasPerKey: number;
}

/**
 * Block-STM's costs: per transfer (one execution reading the sender's
 * balance and nonce and the recipient's balance and writing all three, and
 * one validation of the three reads) 2 × 1,500 + 6 × 600 + 3 × 100 = 6,900
 * thread-gas of overhead, a third of its gas (one thread: 21,000 / 27,900 =
 * 0.75x), and 1,200 of serial commit (at most 21,000 / 1,200 = 17.5x).
 */
export const BLOCK_STM_COSTS: BlockStmCosts = { taskGas: 1_500, accessGas: 600, commitGas: 1_200 };

/**
 * access-list's costs: the same scheduler cost a task as Block-STM's, a lock
 * a declared key acquired and released (a transfer declares three: 3,000 of
 * overhead, one thread 0.875x), and the DAG built first at 50 a key (a map
 * insertion, a few hundred times cheaper than a transfer). No published
 * figure calibrates them (Solana's scheduler is measured on its own
 * workloads); they are of Block-STM's order, so the two compare on costs of
 * one kind.
 */
export const ACCESS_LIST_COSTS: AccessListCosts = { taskGas: 1_500, lockGas: 500, dagGasPerKey: 50 };
