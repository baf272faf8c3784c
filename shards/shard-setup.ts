/**
 * Everything a shard process needs to build its shards, in shard terms (no
 * scenario, no workload): limits, gas, the measured window, the executor, and
 * the account placement as a plain owner array. Both transports build shards
 * through `createShard`, so in-process and multi-process shards are the same code.
 */

import { InternalError } from '../crosslink/common/errors.js';
import { FaultPlan, type FaultSettings } from '../crosslink/fault-plan.js';
import type { ShardNetwork } from '../crosslink/transport.js';
import { type AccountMap, accountMapFromOwners } from './account-map.js';
import type { AgreementSetup } from './consensus/slot-agreement.js';
import type { ContractSpec } from './contracts/contract.js';
import type { CrossShardSetup } from './cross-shard.js';
import type { ExecutionCostModel } from './executors/execution-cost.js';
import type { ExecutorName } from './executors/executor.js';
import { createExecutor } from './executors/index.js';
import type { GasSchedule } from './gas.js';
import { Shard } from './shard.js';

/** The JSON part of a setup (the arrays travel as binary). */
export interface ShardSetup {
  readonly shardCount: number;
  readonly accounts: number;
  readonly initialBalance: number;
  readonly gas: GasSchedule;
  readonly blockGasLimit: number;
  /** Share of the block gas limit receipts may use; the rest of them wait. */
  readonly receiptGasShare: number;
  readonly mempoolCapacity: number;
  readonly gasPerSecondPerThread: number;
  readonly threads: number;
  readonly slotMs: number;
  /** Measured window [from, to) in slots: throughput and latency count only there. */
  readonly windowFrom: number;
  readonly windowTo: number;
  readonly executor: ExecutorName;
  /** What the parallel executors cost beyond gas. */
  readonly executionCost: ExecutionCostModel;
  /** Contracts deployed at genesis. */
  readonly contracts: readonly ContractSpec[];
  /** Injected faults, or null for a clean run. */
  readonly faults: FaultSettings | null;
  /** How each block's committee agreement is timed over the network, or null for instant agreement (consensus.protocol ideal). */
  readonly agreement: AgreementSetup | null;
  /** Receipt bytes the shard admits a slot (network.receiptBytesPerSlot); null for no cap. */
  readonly receiptBytesPerSlot: number | null;
  /** The cross-shard protocol (crossShard), with its brokers. */
  readonly crossShard: CrossShardSetup;
  /** Whether accounts move between shards (accounts.repartition): every shard's state then holds a place for every account. */
  readonly movable: boolean;
}

/** The account placement and freeze list every shard of a run shares. */
export interface Genesis {
  readonly map: AccountMap;
  readonly frozen: Uint8Array | null;
}

/** Rebuilds the account map from an owner array (global id -> shard). */
export function genesisFromOwners(setup: ShardSetup, owner: Uint16Array, frozen: Uint8Array | null): Genesis {
  if (owner.length < setup.accounts) throw new InternalError(`an owner array of ${owner.length} accounts for a setup of ${setup.accounts}`);
  // A copy: the map keeps its owner array (a movable map's moves change it), the caller keeps its own.
  return { map: accountMapFromOwners(owner.slice(0, setup.accounts), setup.shardCount, setup.movable), frozen };
}

export function createShard(shard: number, setup: ShardSetup, genesis: Genesis, net: ShardNetwork): Shard {
  return new Shard(
    {
      ...setup,
      shard,
      map: genesis.map,
      frozen: genesis.frozen,
      executor: createExecutor(setup.executor, setup.executionCost),
      faults: setup.faults === null ? null : new FaultPlan(setup.faults),
    },
    net,
  );
}
