import { describe, expect, it } from 'vitest';
import { type Receipt, ReceiptKind } from '../../crosslink/receipt.js';
import { TxKind } from '../../crosslink/tx.js';
import type { ContractKind, ContractSpec } from '../../shards/contracts/contract.js';
import { kindOfReceipt, kindOfTx } from '../../shards/kind-of.js';

const KINDS: ContractKind[] = ['token', 'amm', 'nft', 'dao'];
/** Contract of kind KINDS[i] on account 100 + i. */
const contracts: ReadonlyMap<number, ContractSpec> = new Map(KINDS.map((kind, i) => [100 + i, { id: 100 + i, kind }]));

const receipt = (kind: ReceiptKind, to: number): Receipt => ({
  kind,
  srcShard: 0,
  srcSlot: 0,
  index: 0,
  dstShard: 1,
  txId: 0,
  from: 1,
  originShard: 0,
  to,
  amount: 5,
  submitMs: 0,
  op: 0,
  a: 0,
  b: 0,
  c: 0,
  workGas: 0,
});

describe('the kind a transaction counts under', () => {
  it('a transfer is `transfer`, even to a contract account; a call is its contract kind', () => {
    expect(kindOfTx({ kind: TxKind.Transfer, to: 3 }, contracts)).toBe('transfer');
    expect(kindOfTx({ kind: TxKind.Transfer, to: 100 }, contracts)).toBe('transfer');
    KINDS.forEach((kind, i) => expect(kindOfTx({ kind: TxKind.Call, to: 100 + i }, contracts)).toBe(kind));
    expect(kindOfTx({ kind: TxKind.Call, to: 3 }, contracts)).toBe('call');
  });

  it('credits and refunds continue transfers; action and data receipts the call of their `to`', () => {
    for (const to of [3, 100]) {
      expect(kindOfReceipt(receipt(ReceiptKind.Credit, to), contracts)).toBe('transfer');
      expect(kindOfReceipt(receipt(ReceiptKind.Refund, to), contracts)).toBe('transfer');
    }
    KINDS.forEach((kind, i) => {
      expect(kindOfReceipt(receipt(ReceiptKind.Data, 100 + i), contracts)).toBe(kind);
      expect(kindOfReceipt(receipt(ReceiptKind.Action, 100 + i), contracts)).toBe(kind);
    });
    expect(kindOfReceipt(receipt(ReceiptKind.Data, 3), contracts)).toBe('call');
  });
});
