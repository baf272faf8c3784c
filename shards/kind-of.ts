/**
 * The workload kind a transaction counts under in a run's `byKind`: `transfer`
 * for a native value transfer, and for a contract call the kind of the
 * contract it calls (token, amm, nft, dao, router, accessed: shards/contracts/), so a
 * `payments` workload counts under `token` (its stablecoins are tokens) and
 * a replayed trace's calls under `token` (their stand-in contract).
 *
 * The controller names a transaction from its envelope when it is offered;
 * the shard where it completes names it from the item that completes it,
 * which carries what decides the kind (the contract specs are every shard's,
 * ShardOptions.contracts):
 * - a transaction that completes in its own block (a local transfer or call,
 *   or any transaction failing at its source): its envelope kind and `to`;
 * - a credit or refund receipt: `transfer`, as only a transfer sends a credit
 *   and a refund only answers a refused credit;
 * - a data receipt: a call, and its `to` is still the contract called (the
 *   action's `to`, copied into the data receipt, shards/vm.ts).
 * A call of an account that holds no contract (it fails in the VM; no
 * workload makes one) counts as `call`.
 */
import { type Receipt, ReceiptKind } from '../crosslink/receipt.js';
import { TxKind } from '../crosslink/tx.js';
import type { ContractKind, ContractSpec } from './contracts/contract.js';

export type KindName = 'transfer' | ContractKind | 'call';

/** The kind of a transaction from its envelope (its kind and `to`). */
export function kindOfTx(tx: { readonly kind: TxKind; readonly to: number }, contracts: ReadonlyMap<number, ContractSpec>): KindName {
  return tx.kind === TxKind.Call ? (contracts.get(tx.to)?.kind ?? 'call') : 'transfer';
}

/** The kind of the transaction a receipt continues. */
export function kindOfReceipt(r: Receipt, contracts: ReadonlyMap<number, ContractSpec>): KindName {
  // Only a call's legs (its action and its result) name a contract; every other receipt continues a transfer.
  return r.kind === ReceiptKind.Action || r.kind === ReceiptKind.Data ? (contracts.get(r.to)?.kind ?? 'call') : 'transfer';
}
