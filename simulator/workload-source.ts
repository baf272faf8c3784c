/**
 * Where a run's transactions come from, before placement: the synthetic
 * kinds (workload.ts) or a trace file (workloads/trace-replay.ts). A source
 * fixes the account population and the contracts, gives the graph placement
 * its sample, and binds to a placement to produce the stream. Opened once
 * per scenario and shared by every run of a sweep.
 */

import type { UserTx } from '../crosslink/tx.js';
import type { AccountMap } from '../shards/account-map.js';
import type { ContractSpec } from '../shards/contracts/contract.js';
import type { Scenario } from './config/schema.js';
import { placeAccounts } from './partition.js';
import type { TxGraphSample } from './partition-graph.js';
import { createWorkload, envelopeFor, slotVolume, type Workload } from './workload.js';
import { contractLayout } from './workloads/layout.js';
import { scanTrace, traceSlots } from './workloads/trace-replay.js';

export interface WorkloadSource {
  readonly accounts: number;
  readonly contracts: readonly ContractSpec[];
  /** Who pays whom at the start of the stream (for graph placement). */
  sample(): Promise<TxGraphSample>;
  bind(map: AccountMap): Workload;
  /** Resolves a 0x-less hex address to an account id (trace replay; partition files). */
  readonly resolve?: ((address: string) => number | undefined) | undefined;
  /** Rows read and skipped (trace replay). */
  readonly trace?: { readonly rows: number; readonly skipped: number; readonly creations: number } | undefined;
}

const sources = new WeakMap<Scenario, Promise<WorkloadSource>>();

export function openWorkloadSource(sc: Scenario): Promise<WorkloadSource> {
  let s = sources.get(sc);
  if (s === undefined) sources.set(sc, (s = sc.workload.kind === 'trace' ? traceSource(sc) : syntheticSource(sc)));
  return s;
}

async function syntheticSource(sc: Scenario): Promise<WorkloadSource> {
  const layout = contractLayout(sc);
  return {
    accounts: sc.accounts.count,
    contracts: layout.specs,
    async sample() {
      // The stream does not depend on placement (unless a cross-shard ratio is set, which graph placement refuses).
      const w = createWorkload(sc, placeAccounts({ kind: 'hash', accounts: sc.accounts.count, shards: 1 }), layout);
      const txs: UserTx[] = [];
      for (let s = 0; s < sc.accounts.partitionSampleSlots; s++) w.each(s, (tx) => txs.push(tx));
      return { from: Uint32Array.from(txs, (t) => t.from), to: Uint32Array.from(txs, (t) => t.to), length: txs.length };
    },
    bind: (map) => createWorkload(sc, map, layout),
  };
}

async function traceSource(sc: Scenario): Promise<WorkloadSource> {
  const perSlot = sc.workload.rate === 'saturate' ? 1_000 : sc.workload.rate * sc.slotSeconds;
  // The graph placement learns from the rows the first partitionSampleSlots slots replay.
  const scan = await scanTrace(sc, sc.accounts.partitionSampleSlots);
  const slotMs = sc.slotSeconds * 1000;
  return {
    accounts: scan.ids.size,
    contracts: scan.contracts,
    sample: async () => scan.sample,
    resolve: (address) => scan.ids.get(address),
    trace: { rows: scan.rows, skipped: scan.skipped, creations: scan.creations },
    bind(map) {
      const envelope = envelopeFor(sc, map, scan.contracts);
      const slots = traceSlots(sc, scan);
      const t = sc.workload.trace!;
      let id = 0;
      // Slots of `replay: blocks` at one block a slot that replayed any row: their block is firstBlock + slot.
      const replayed = new Set<number>();
      return {
        perSlot: t.replay === 'rate' ? perSlot : slotVolume(sc, map.shards)(0)[0],
        close: () => slots.close(),
        async each(slot, emit) {
          const drafts = await slots.next(slot);
          if (drafts.length > 0) replayed.add(slot);
          drafts.forEach(({ draft }, i) => emit(envelope(draft, id++, slot * slotMs + Math.floor(((i + 0.5) * slotMs) / drafts.length))));
        },
        sourceBlockOf(slot) {
          if (t.replay === 'each-block') return scan.slotBlocks[slot] ?? null;
          return t.replay === 'blocks' && t.blocksPerSlot === 1 && replayed.has(slot) ? scan.firstBlock + slot : null;
        },
      };
    },
  };
}
