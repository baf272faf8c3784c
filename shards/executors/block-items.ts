/**
 * A block's items as executors address them: one index over receipts first,
 * then transactions (as NEAR applies delayed receipts before new
 * transactions). Also the gas rule every executor packs by, so they agree on
 * which prefix the gas limit allows.
 */
import type { StateAccess } from '../state.js';
import { executeReceipt, executeTx, type ItemResult, receiptGas, txGas, type VmContext } from '../vm.js';
import type { BlockCandidates } from './executor.js';

/** Runs item `index` of `block` against `state`. Executors take one to let tests swap the VM. */
export type ExecuteItem = (block: BlockCandidates, index: number, ctx: VmContext, state: StateAccess) => ItemResult;

export const executeItem: ExecuteItem = (block, index, ctx, state) => {
  const r = block.receipts.length;
  return index < r ? executeReceipt(block.receipts[index]!, ctx, state) : executeTx(block.txs[index - r]!, ctx, state);
};

export function itemCount(block: BlockCandidates): number {
  return block.receipts.length + block.txs.length;
}

/** Gas the VM charges item `index`, known before execution. */
export function intrinsicGas(block: BlockCandidates, index: number, ctx: VmContext): number {
  const r = block.receipts.length;
  return index < r ? receiptGas(block.receipts[index]!, ctx) : txGas(block.txs[index - r]!, ctx);
}

/**
 * The longest prefix whose gas fits `cap`: each item must fit with the larger
 * of its gas limit and its intrinsic gas on top of the intrinsic gas of the
 * items before it (what `sequential` checks, since the VM charges intrinsic
 * gas). A receipt that does not fit ends the block, transactions included.
 */
export function gasFitPrefix(block: BlockCandidates, ctx: VmContext, cap: number): number {
  let used = 0;
  for (let i = 0; i < block.receipts.length; i++) {
    const g = receiptGas(block.receipts[i]!, ctx);
    if (used + g > cap) return i;
    used += g;
  }
  const r = block.receipts.length;
  for (let j = 0; j < block.txs.length; j++) {
    const tx = block.txs[j]!;
    const g = txGas(tx, ctx);
    if (used + Math.max(tx.gasLimit, g) > cap) return r + j;
    used += g;
  }
  return r + block.txs.length;
}

/** The block made of the first `count` items. */
export function prefixBlock(block: BlockCandidates, count: number): BlockCandidates {
  const r = Math.min(count, block.receipts.length);
  const t = count - r;
  return {
    receipts: r === block.receipts.length ? block.receipts : block.receipts.slice(0, r),
    txs: t === block.txs.length ? block.txs : block.txs.slice(0, t),
  };
}
