/**
 * What running a parallel executor costs (`shard.executionCost: calibrated`):
 * on a conflict-free block of transfers Block-STM reaches the ratios it is
 * calibrated on (0.75x on one thread, 17.5x at most, where the serial commit
 * binds), below the thread count; contention brings it toward 1; results and
 * state are those of sequential execution; and `ideal` is the executor as it
 * was, with no cost beyond gas.
 */
import { describe, expect, it } from 'vitest';
import type { UserTx } from '../../../crosslink/tx.js';
import { buildAccountMap } from '../../../shards/account-map.js';
import { RECEIPTS_PROTOCOL } from '../../../shards/cross-shard.js';
import { ACCESS_LIST_COSTS, BLOCK_STM_COSTS, type ExecutionCostModel } from '../../../shards/executors/execution-cost.js';
import type { ExecutorName } from '../../../shards/executors/executor.js';
import { createExecutor } from '../../../shards/executors/index.js';
import { ShardState } from '../../../shards/state.js';
import type { VmContext } from '../../../shards/vm.js';
import { userTx } from '../../helpers/user-tx.js';

const GAS = { transfer: 21_000, receiptSend: 5_000, receiptApply: 5_000 };
const SPEED = 1_000_000;

/** `n` transfers among `accounts` accounts: sender i mod accounts, receiver the next, so any two share an account only when accounts are few. */
function block(n: number, accounts: number): UserTx[] {
  return Array.from({ length: n }, (_, i) => userTx({ id: i, from: i % accounts, to: (i + Math.floor(accounts / 2)) % accounts, gasLimit: GAS.transfer }));
}

function run(name: ExecutorName, cost: ExecutionCostModel, txs: UserTx[], accounts: number, threads: number) {
  const map = buildAccountMap(accounts, 1, () => 0);
  const ctx: VmContext = { shard: 0, map, frozen: null, gas: GAS, contracts: new Map(), slot: 0, cross: RECEIPTS_PROTOCOL, members: map.members[0]!.length };
  const state = new ShardState(accounts, 1_000, () => 0);
  const exec = createExecutor(name, cost).execute({ receipts: [], txs }, state, ctx, {
    gasLimit: 1e15,
    timeBudget: 1e9,
    gasPerSecondPerThread: SPEED,
    threads,
  });
  return { speedup: exec.gasUsed / SPEED / exec.makespan, exec, root: state.commit() };
}

describe('execution cost', () => {
  it('Block-STM on a conflict-free block: the calibrated ratios, below the thread count, capped by the serial commit', () => {
    const txs = block(2_000, 4_000);
    const at = (k: number) => run('block-stm', 'calibrated', txs, 4_000, k).speedup;
    expect(at(1)).toBeCloseTo(21_000 / 27_900, 2);
    for (const [k, expected] of [
      [4, (4 * 21_000) / 27_900],
      [8, (8 * 21_000) / 27_900],
      [16, (16 * 21_000) / 27_900],
    ] as const) {
      expect(at(k)).toBeLessThan(k);
      expect(at(k)).toBeGreaterThan(expected * 0.97);
      expect(at(k)).toBeLessThanOrEqual(expected * 1.001);
    }
    // At 32 threads the commit lane binds: one commit every 1,200 thread-gas.
    expect(at(32)).toBeCloseTo(21_000 / BLOCK_STM_COSTS.commitGas, 0);
    expect(at(32)).toBeLessThan(17.6);
  });

  it('contention brings Block-STM toward 1 (and below, what it costs to try)', () => {
    const speedups = [4_000, 16, 4, 2].map((accounts) => run('block-stm', 'calibrated', block(1_000, accounts), accounts, 16).speedup);
    for (let i = 1; i < speedups.length; i++) expect(speedups[i]).toBeLessThan(speedups[i - 1]!);
    expect(speedups[3]).toBeLessThan(1);
  });

  it('access-list pays its scheduler, its locks and its DAG: below the thread count, above Block-STM without conflicts', () => {
    const txs = block(2_000, 4_000);
    const one = run('access-list', 'calibrated', txs, 4_000, 1).speedup;
    const overhead = ACCESS_LIST_COSTS.taskGas + 3 * ACCESS_LIST_COSTS.lockGas;
    expect(one).toBeCloseTo(21_000 / (21_000 + overhead + 3 * ACCESS_LIST_COSTS.dagGasPerKey), 2);
    const sixteen = run('access-list', 'calibrated', txs, 4_000, 16).speedup;
    expect(sixteen).toBeLessThan(16);
    expect(sixteen).toBeGreaterThan(run('block-stm', 'calibrated', txs, 4_000, 16).speedup);
  });

  it('changes time only: results, gas and state are those of the ideal run and of sequential execution', () => {
    for (const accounts of [3, 50, 4_000]) {
      const txs = block(500, accounts);
      const seq = run('sequential', 'calibrated', txs, accounts, 1);
      expect(run('sequential', 'ideal', txs, accounts, 1).exec.makespan).toBe(seq.exec.makespan);
      for (const name of ['block-stm', 'access-list'] as const) {
        const [ideal, costed] = [run(name, 'ideal', txs, accounts, 8), run(name, 'calibrated', txs, accounts, 8)];
        expect(costed.root).toEqual(seq.root);
        expect(costed.exec.results).toEqual(ideal.exec.results);
        expect(costed.exec.gasUsed).toBe(ideal.exec.gasUsed);
        expect(costed.exec.makespan).toBeGreaterThan(ideal.exec.makespan);
      }
    }
  });
});
