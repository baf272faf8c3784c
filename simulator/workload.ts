/**
 * The user transaction stream: one global stream fixed by (config, seed).
 * Slot s draws from its own seeded stream, so a slot can be generated without
 * the ones before it (a resumed or distributed controller gets the same
 * transactions). Kinds (workloads/) decide who does what; this wraps their
 * drafts into transactions: ids, submission times, gas, destination shard.
 */
import { CALL_TX_BYTES, TRANSFER_TX_BYTES } from '../crosslink/network/message-sizes.js';
import { TxKind, type UserTx } from '../crosslink/tx.js';
import type { AccountMap } from '../shards/account-map.js';
import type { ContractSpec } from '../shards/contracts/contract.js';
import { CONTRACTS } from '../shards/contracts/index.js';
import type { Scenario } from './config/schema.js';
import { mix32, Rng, Stream } from './prng.js';
import { slotCapacityTx } from './slot-capacity.js';
import { ammGenerator, daoGenerator, nftGenerator, paymentsGenerator, tokenGenerator } from './workloads/contract-kinds.js';
import type { Draft, KindGenerator } from './workloads/draft.js';
import { type ContractLayout, contractLayout, kindWeights } from './workloads/layout.js';
import { transferGenerator } from './workloads/transfer.js';

export interface Workload {
  /**
   * Hands `emit` the transactions submitted during `slot`, in stream order,
   * one at a time: at 1,024 shards a slot submits over a million, and held
   * as an array until routed they outlived the young generation.
   */
  each(slot: number, emit: (tx: UserTx) => void): void | Promise<void>;
  /** Offered transactions per slot (exact for saturate; average for a rate). */
  readonly perSlot: number;
  /** The original block a slot replayed, when it replayed exactly one whole block (trace replay); null otherwise. Ask after `each(slot)`. */
  sourceBlockOf?(slot: number): number | null;
  /** Releases what the stream holds open (a trace file). */
  close?(): Promise<void>;
}

/** Ids of scheduled transactions (payroll runs) live above the regular stream's. */
const SCHEDULED_ID_BASE = 2 ** 50;

/** Offered transactions in `slot`: how many, and the id of the first. */
export function slotVolume(sc: Scenario, shards: number): (slot: number) => [count: number, firstId: number] {
  const w = sc.workload;
  if (w.rate === 'saturate') {
    const perSlot = Math.ceil(w.saturation * shards * slotCapacityTx(sc, shards));
    return (slot) => [perSlot, slot * perSlot];
  }
  const perSlot = w.rate * sc.slotSeconds;
  return (slot) => {
    const first = Math.floor(slot * perSlot);
    return [Math.floor((slot + 1) * perSlot) - first, first];
  };
}

/** A slot's transactions as an array (samples, tests, small streams). */
export async function slotTxs(w: Workload, slot: number): Promise<UserTx[]> {
  const out: UserTx[] = [];
  await w.each(slot, (tx) => out.push(tx));
  return out;
}

/** The synthetic kinds' stream: generated on the spot, never waits. */
export interface SyntheticWorkload extends Workload {
  each(slot: number, emit: (tx: UserTx) => void): void;
}

export function createWorkload(sc: Scenario, map: AccountMap, layout: ContractLayout = contractLayout(sc)): SyntheticWorkload {
  const slotMs = sc.slotSeconds * 1000;
  const kinds = kindWeights(sc).map(([kind, weight]) => [generatorFor(kind, sc, map, layout), weight] as const);
  const total = kinds.reduce((a, [, w]) => a + w, 0);
  const envelope = envelopeFor(sc, map, layout.specs);
  const volume = slotVolume(sc, map.shards);
  const choose = (rng: Rng): KindGenerator => {
    if (kinds.length === 1) return kinds[0]![0];
    let u = rng.next() * total;
    for (const [g, w] of kinds) if ((u -= w) < 0) return g;
    return kinds[kinds.length - 1]![0];
  };
  const [sample] = volume(0);
  return {
    perSlot: sc.workload.rate === 'saturate' ? sample : sc.workload.rate * sc.slotSeconds,
    each(slot, emit) {
      const [count, firstId] = volume(slot);
      const rng = new Rng(sc.seed, Stream.Workload, slot);
      let e = 0;
      for (const [g] of kinds) for (const d of g.scheduled?.(slot) ?? []) emit(envelope(d, SCHEDULED_ID_BASE + slot * 10_000 + e++, slot * slotMs));
      for (let i = 0; i < count; i++) {
        const d = choose(rng).next(rng);
        emit(envelope(d, firstId + i, slot * slotMs + Math.floor(((i + 0.5) * slotMs) / count)));
      }
    },
  };
}

/** Wraps a draft into the transaction a shard receives: id, time, destination shard, gas. */
export function envelopeFor(sc: Scenario, map: AccountMap, contracts: readonly ContractSpec[]): (d: Draft, id: number, submitMs: number) => UserTx {
  const specs = new Map(contracts.map((c) => [c.id, c]));
  // An explicit literal (one shape for every transaction) rather than `{ ...d, ... }`:
  // the spread cost more than drawing the transaction (7% of a saturated run).
  return (d, id, submitMs) => {
    const toShard = map.owner[d.to]!;
    const gasLimit = gasLimitOf(sc, specs, d, toShard === map.owner[d.from]);
    const bytes = d.bytes ?? (d.kind === TxKind.Call ? CALL_TX_BYTES : TRANSFER_TX_BYTES);
    const workGas = d.workGas ?? 0;
    return { kind: d.kind, from: d.from, to: d.to, amount: d.amount, op: d.op, a: d.a, b: d.b, c: d.c, id, submitMs, toShard, gasLimit, bytes, workGas };
  };
}

function generatorFor(kind: ReturnType<typeof kindWeights>[number][0], sc: Scenario, map: AccountMap, layout: ContractLayout): KindGenerator {
  switch (kind) {
    case 'transfer':
      return transferGenerator(sc, layout.users, map);
    case 'token':
      return tokenGenerator(sc, layout);
    case 'amm':
      return ammGenerator(sc, layout);
    case 'nft':
      return nftGenerator(sc, layout);
    case 'dao':
      return daoGenerator(layout);
    case 'payments':
      return paymentsGenerator(sc, layout);
  }
}

/** The gas a sender allows: what the VM will charge its shard (shards/vm.ts txGas). */
function gasLimitOf(sc: Scenario, specs: ReadonlyMap<number, ContractSpec>, d: Draft, local: boolean): number {
  if (!local) return sc.gas.transfer + sc.gas.receiptSend;
  if (d.kind !== TxKind.Call) return sc.gas.transfer;
  const spec = specs.get(d.to);
  if (spec === undefined) return sc.gas.transfer;
  return sc.gas.transfer + (d.workGas !== undefined && d.workGas > 0 ? d.workGas : CONTRACTS[spec.kind].gas(d.op, d.a, d.b, d.c));
}

/** Accounts that refuse incoming value, chosen by seed: a freeze list. */
export function frozenAccounts(sc: Scenario, n: number): Uint8Array | null {
  const ratio = sc.accounts.frozenRatio;
  if (ratio === 0) return null;
  const out = new Uint8Array(n);
  const threshold = ratio * 2 ** 32;
  const salt = mix32(sc.seed ^ (Stream.Frozen * 0x9e37_79b9));
  for (let id = 0; id < n; id++) if (mix32(id ^ salt) < threshold) out[id] = 1;
  return out;
}
