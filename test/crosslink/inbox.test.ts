import { describe, expect, it } from 'vitest';
import { type ReceiptBatch, sealBatches } from '../../crosslink/batch.js';
import { ZERO_HASH } from '../../crosslink/hash.js';
import type { BlockHeader } from '../../crosslink/header.js';
import { Inbox } from '../../crosslink/inbox.js';
import { type Receipt, ReceiptKind } from '../../crosslink/receipt.js';

const SRC = 0;
const DST = 1;
const SLOT = 3;

function credit(index: number, amount: number, dstShard = DST): Receipt {
  return { kind: ReceiptKind.Credit, srcShard: SRC, srcSlot: SLOT, index, dstShard, txId: index, from: 0, originShard: SRC, to: 5, amount, submitMs: 0, op: 0, a: 0, b: 0, c: 0 };
}

/** The honest batch for DST with its proof as a view into `buffer` (as a mailbox hands it out), and its source header. */
function lentBatch(buffer: Uint8Array): { batch: ReceiptBatch; header: BlockHeader } {
  // A second destination, so that the batch's leaf needs a proof.
  const sealed = sealBatches(SRC, SLOT, [credit(0, 40), credit(1, 2), credit(2, 7, 2)]);
  const honest = sealed.batches[0]!;
  buffer.set(honest.proof);
  const header: BlockHeader = { shard: SRC, slot: SLOT, parentHash: ZERO_HASH, stateRoot: ZERO_HASH, txRoot: ZERO_HASH, receiptsRoot: sealed.receiptsRoot, gasUsed: 0, txCount: 0, receiptCount: 3 };
  return { batch: { ...honest, proof: buffer.subarray(0, honest.proof.length) }, header };
}

describe('inbox', () => {
  it('keeps a held batch valid after the buffer it was delivered in is reused', () => {
    const buffer = new Uint8Array(64);
    const { batch, header } = lentBatch(buffer);
    expect(batch.proof.length).toBeGreaterThan(0);
    const inbox = new Inbox(DST, 3);
    inbox.deliver(batch); // its block is not final yet: held
    inbox.keepHeld();
    buffer.fill(0xee); // the network writes the next slot's batches over it
    inbox.addCrosslinks(SLOT, [{ header, count: 2, value: 42 }]);
    expect(inbox.admitReady().map((r) => r.amount)).toEqual([40, 2]);
    expect(inbox.stats.rejectedBatches).toBe(0);
  });

  it('rejects the same batch when its proof is overwritten before it is kept (what keepHeld prevents)', () => {
    const buffer = new Uint8Array(64);
    const { batch, header } = lentBatch(buffer);
    const inbox = new Inbox(DST, 3);
    inbox.deliver(batch);
    buffer.fill(0xee);
    inbox.addCrosslinks(SLOT, [{ header, count: 2, value: 42 }]);
    expect(inbox.admitReady()).toEqual([]);
    expect(inbox.stats.rejectedByReason['bad-proof']).toBe(1);
  });
});
