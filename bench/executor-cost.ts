/**
 * What each executor costs the simulator: wall microseconds per executed
 * transaction for blocks of 1,000 transfers over 10,000 accounts on 16
 * virtual threads, the executor alone (no protocol, no commitment), with
 * the default execution cost model.
 */
import { performance } from 'node:perf_hooks';
import type { UserTx } from '../crosslink/tx.js';
import { buildAccountMap } from '../shards/account-map.js';
import { RECEIPTS_PROTOCOL } from '../shards/cross-shard.js';
import type { ExecutorName } from '../shards/executors/executor.js';
import { createExecutor } from '../shards/executors/index.js';
import { ShardState } from '../shards/state.js';
import type { VmContext } from '../shards/vm.js';
import { validateScenario } from '../simulator/config/load.js';
import { createWorkload } from '../simulator/workload.js';
import { median } from './quantile.js';

export interface ExecutorCost {
  readonly executor: ExecutorName;
  readonly threads: number;
  readonly accounts: number;
  readonly blockTxs: number;
  readonly wallMicrosPerTx: number;
}

const ACCOUNTS = 10_000;
const THREADS = 16;
const BLOCKS = 20;

export function measureExecutors(rounds = 5): ExecutorCost[] {
  const sc = validateScenario(
    {
      name: 'executor-cost',
      seed: 1,
      accounts: { count: ACCOUNTS, initialBalance: 1_000_000_000 },
      shard: { blockGasLimit: 21_000_000, gasPerSecondPerThread: 1e12, threads: THREADS },
      workload: { kind: 'transfer', rate: 'saturate', saturation: 1 },
    },
    'bench executor cost',
  );
  const map = buildAccountMap(ACCOUNTS, 1, () => 0);
  const workload = createWorkload(sc, map);
  const blocks = Array.from({ length: BLOCKS }, (_, s) => {
    const txs: UserTx[] = [];
    workload.each(s, (tx) => txs.push(tx));
    return txs;
  });
  const limits = { gasLimit: sc.shard.blockGasLimit, timeBudget: 1, gasPerSecondPerThread: sc.shard.gasPerSecondPerThread, threads: THREADS };
  const out: ExecutorCost[] = [];
  for (const name of ['sequential', 'block-stm', 'access-list'] as const) {
    // With the scenario's execution cost (calibrated by default): the simulator's work as studies run it.
    const executor = createExecutor(name, sc.shard.executionCost);
    const state = new ShardState(ACCOUNTS, sc.accounts.initialBalance);
    const ctx: VmContext = {
      shard: 0,
      map,
      frozen: null,
      gas: sc.gas,
      contracts: new Map(),
      slot: 0,
      cross: RECEIPTS_PROTOCOL,
      members: map.members[0]!.length,
    };
    const pass = (): number => {
      let ns = 0;
      let txs = 0;
      for (let s = 0; s < BLOCKS; s++) {
        ctx.slot = s;
        const t = performance.now();
        const exec = executor.execute({ receipts: [], txs: blocks[s]! }, state, ctx, limits);
        ns += (performance.now() - t) * 1000;
        txs += exec.txsIncluded;
        state.commit();
      }
      return ns / txs;
    };
    pass();
    const samples: number[] = [];
    for (let r = 0; r < rounds; r++) samples.push(pass());
    out.push({ executor: name, threads: THREADS, accounts: ACCOUNTS, blockTxs: blocks[0]!.length, wallMicrosPerTx: median(samples) });
  }
  return out;
}
