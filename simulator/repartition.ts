/**
 * Dynamic re-placement (accounts.repartition), the controller's side: it
 * keeps the transactions of the last `windowSlots` slots, and every
 * `everySlots` slots learns the placement again from them by constrained
 * label propagation started from the current one (BrokerChain's CLPA, which
 * BlockEmulator re-runs each epoch over the epoch's transactions), within
 * the placement's imbalance bound. The accounts whose shard changed move:
 * the plan goes to every shard with that slot's command, and the shards
 * carry each account's state over as a proven receipt (shards/shard.ts).
 * Contracts stay where they are: their storage does not move.
 */
import { RECEIPT_BYTES } from '../crosslink/network/message-sizes.js';
import type { MovePlan, ShardSummary } from '../crosslink/transport.js';
import { type AccountMap, applyMoves } from '../shards/account-map.js';
import { sumCounters } from './counter-sums.js';
import { crossShardShare, graphPartition, type TxGraphSample } from './partition-graph.js';

export interface RepartitionSettings {
  readonly everySlots: number;
  readonly windowSlots: number;
  readonly imbalance: number;
}

/** One re-placement: its slot, the accounts it moved, and the cross-shard share of its window's transactions before and after. */
export interface RepartitionEpoch {
  readonly slot: number;
  readonly moved: number;
  readonly windowCrossBefore: number;
  readonly windowCrossAfter: number;
}

/** A run's re-placement figures (results.json `placement`). */
export interface PlacementFigures {
  readonly epochs: readonly RepartitionEpoch[];
  /** Of each slot's offered transactions (warmup and window), the share whose receiver lived on another shard when it was offered. */
  readonly crossShardBySlot: readonly number[];
  /** Accounts the shards sent away, and that arrived by the end of the run. */
  readonly accountsMoved: number;
  readonly accountsArrived: number;
  /** Transactions refused at a shard their sender had left while they waited there. */
  readonly movedRefused: number;
  /** Transactions that reached an account's new shard before its state did, and waited for it there. */
  readonly waitedForState: number;
  /** Bytes of the moving accounts' state as it travelled (a receipt record each hop, forwarded ones included). */
  readonly stateBytes: number;
}

export function placementFigures(
  p: { readonly epochs: readonly RepartitionEpoch[]; readonly crossShardBySlot: readonly number[] },
  summaries: readonly ShardSummary[],
): PlacementFigures {
  const c = sumCounters(summaries, ['accountsLeft', 'accountsArrived', 'movedRefused', 'parkedTxs', 'migrateReceiptsEmitted']);
  return {
    epochs: p.epochs,
    crossShardBySlot: p.crossShardBySlot,
    accountsMoved: c.accountsLeft,
    accountsArrived: c.accountsArrived,
    movedRefused: c.movedRefused,
    waitedForState: c.parkedTxs,
    stateBytes: c.migrateReceiptsEmitted * RECEIPT_BYTES,
  };
}

export class Repartitioner {
  /** The window's transactions, one (senders, receivers) pair of lists a slot, oldest first. */
  private readonly window: Array<{ readonly slot: number; readonly from: number[]; readonly to: number[] }> = [];
  private readonly fixed: Uint8Array;
  readonly epochs: RepartitionEpoch[] = [];

  constructor(
    private readonly settings: RepartitionSettings,
    private readonly map: AccountMap,
    contracts: readonly number[],
  ) {
    this.fixed = new Uint8Array(map.accounts);
    for (const id of contracts) this.fixed[id] = 1;
  }

  /** Records a transaction of `slot` (slots in ascending order). */
  record(slot: number, from: number, to: number): void {
    let last = this.window[this.window.length - 1];
    if (last === undefined || last.slot !== slot) {
      last = { slot, from: [], to: [] };
      this.window.push(last);
      while (this.window[0]!.slot <= slot - this.settings.windowSlots) this.window.shift();
    }
    last.from.push(from);
    last.to.push(to);
  }

  /** At a re-placement slot, the moves learned from the window before it, applied to the map; undefined elsewhere or when nothing moves. */
  planAt(slot: number): MovePlan | undefined {
    const { everySlots, windowSlots, imbalance } = this.settings;
    if (slot === 0 || slot % everySlots !== 0) return undefined;
    const sample = this.sampleBefore(slot, windowSlots);
    const before = this.map.owner;
    const after = graphPartition(this.map.accounts, this.map.shards, sample, { initial: before, fixed: this.fixed, imbalance });
    const moves: number[] = [];
    for (let id = 0; id < after.length; id++) if (after[id] !== before[id]) moves.push(id, before[id]!, after[id]!);
    this.epochs.push({ slot, moved: moves.length / 3, windowCrossBefore: crossShardShare(before, sample), windowCrossAfter: crossShardShare(after, sample) });
    if (moves.length === 0) return undefined;
    const plan: MovePlan = { epoch: this.map.epoch + 1, moves: Uint32Array.from(moves) };
    applyMoves(this.map, plan);
    return plan;
  }

  /** The transactions of the `slots` slots before `slot`. */
  private sampleBefore(slot: number, slots: number): TxGraphSample {
    let n = 0;
    for (const w of this.window) if (w.slot >= slot - slots && w.slot < slot) n += w.from.length;
    const from = new Uint32Array(n);
    const to = new Uint32Array(n);
    let i = 0;
    for (const w of this.window) {
      if (w.slot < slot - slots || w.slot >= slot) continue;
      from.set(w.from, i);
      to.set(w.to, i);
      i += w.from.length;
    }
    return { from, to, length: n };
  }
}
