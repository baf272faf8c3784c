/** A credit receipt for the inbox's tests: its id from (source, slot, index), a fixed sender and receiver. */
import { type Receipt, ReceiptKind } from '../../crosslink/receipt.js';

export function creditReceipt(src: number, slot: number, dst: number, index: number, amount = 1 + index): Receipt {
  return {
    kind: ReceiptKind.Credit,
    srcShard: src,
    srcSlot: slot,
    index,
    dstShard: dst,
    txId: slot * 1_000 + index,
    from: 7,
    originShard: src,
    to: 9,
    amount,
    submitMs: 0,
    op: 0,
    a: 0,
    b: 0,
    c: 0,
    workGas: 0,
  };
}
