import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ReceiptBatch, SealedBatches } from '../../crosslink/batch.js';
import { batchDigest, batchValue, sealBatches, verifyBatch } from '../../crosslink/batch.js';
import type { Hash } from '../../crosslink/hash.js';
import { hashEquals, ZERO_HASH } from '../../crosslink/hash.js';
import type { BlockHeader } from '../../crosslink/header.js';
import { merkleRoot } from '../../crosslink/merkle.js';
import type { Receipt } from '../../crosslink/receipt.js';
import { ReceiptKind } from '../../crosslink/receipt.js';
import { compressFromTag } from '../helpers/compress.js';

const RUNS = { numRuns: 150 };

const SRC = 3;
const SLOT = 17;
const MAX_DST = 7;

function header(receiptsRoot: Hash, shard = SRC, slot = SLOT): BlockHeader {
  return {
    shard,
    slot,
    parentHash: ZERO_HASH,
    stateRoot: ZERO_HASH,
    txRoot: ZERO_HASH,
    receiptsRoot,
    gasUsed: 0,
    txCount: 0,
    receiptCount: 0,
  };
}

/** The parts of a receipt a generator varies; the source and block position are filled in. */
const receiptBody = fc.record({
  kind: fc.constantFrom(ReceiptKind.Credit, ReceiptKind.Refund),
  dstShard: fc.integer({ min: 0, max: MAX_DST }),
  txId: fc.nat({ max: 2 ** 40 }),
  from: fc.nat({ max: 2 ** 31 }),
  originShard: fc.integer({ min: 0, max: MAX_DST }),
  to: fc.nat({ max: 2 ** 31 }),
  amount: fc.nat({ max: 10 ** 12 }),
  submitMs: fc.nat({ max: 10 ** 9 }),
  op: fc.nat({ max: 4 }),
  a: fc.nat({ max: 2 ** 40 }),
  b: fc.nat({ max: 2 ** 40 }),
  c: fc.nat({ max: 2 ** 40 }),
  // Mostly 0 (one block a record), sometimes a trace's gas (a tail block).
  workGas: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, fc.nat({ max: 2 ** 40 })),
});

/** A block's outgoing receipts, in block order, each with its index in the block. */
const outgoing = fc
  .array(receiptBody, { minLength: 1, maxLength: 40 })
  .map((bodies): Receipt[] => bodies.map((b, index) => ({ ...b, srcShard: SRC, srcSlot: SLOT, index })));

function sealed(receipts: readonly Receipt[]): SealedBatches {
  return sealBatches(SRC, SLOT, receipts);
}

function withReceipts(batch: ReceiptBatch, receipts: readonly Receipt[]): ReceiptBatch {
  return { ...batch, receipts };
}

/** A sealed block and one of its batches. */
const blockAndBatch = outgoing.chain((receipts) => {
  const s = sealed(receipts);
  return fc.record({
    receipts: fc.constant(receipts),
    sealed: fc.constant(s),
    batchIndex: fc.nat(s.batches.length - 1),
  });
});

/**
 * A receipt's 63-byte record, zero-padded to one block, little endian: kind u8, index u32, txId u56, from, originShard,
 * to u32, amount, submitMs u56, op u32, a, b, c u56; then, when workGas is not 0, byte 63 is 1 and a second block holds
 * workGas u56.
 */
function receiptRecord(r: Receipt): Uint8Array {
  const block = new Uint8Array(r.workGas === 0 ? 64 : 128);
  const v = new DataView(block.buffer);
  const u56 = (at: number, x: number): void => {
    v.setUint32(at, x % 2 ** 32, true);
    const hi = Math.floor(x / 2 ** 32);
    v.setUint16(at + 4, hi & 0xffff, true);
    v.setUint8(at + 6, hi >>> 16);
  };
  v.setUint8(0, r.kind);
  v.setUint32(1, r.index, true);
  u56(5, r.txId);
  v.setUint32(12, r.from, true);
  v.setUint32(16, r.originShard, true);
  v.setUint32(20, r.to, true);
  u56(24, r.amount);
  u56(31, r.submitMs);
  v.setUint32(38, r.op, true);
  u56(42, r.a);
  u56(49, r.b);
  u56(56, r.c);
  if (r.workGas !== 0) {
    block[63] = 1;
    u56(64, r.workGas);
  }
  return block;
}

/** The records of `receipts`, one or two blocks each, back to back. */
function records(receipts: readonly Receipt[]): Uint8Array {
  const each = receipts.map(receiptRecord);
  const out = new Uint8Array(each.reduce((n, r) => n + r.length, 0));
  let at = 0;
  for (const r of each) {
    out.set(r, at);
    at += r.length;
  }
  return out;
}

describe('batch digests and the receipts root', () => {
  it("a batch's digest is SHA-256's compression chained from SHA-256('shardsim/receipt-batch') over each receipt's 63-byte record, zero-padded to a block (and its work gas in a second block)", () => {
    fc.assert(
      fc.property(outgoing, (receipts) => {
        expect(hashEquals(batchDigest(receipts), compressFromTag('shardsim/receipt-batch', records(receipts)))).toBe(true);
        expect(hashEquals(batchDigest(receipts.slice(0, 1)), compressFromTag('shardsim/receipt-batch', receiptRecord(receipts[0]!)))).toBe(true);
      }),
      { numRuns: 30 },
    );
  });

  it("a batch digest commits to an action's work gas; a receipt without one keeps its one-block record", () => {
    fc.assert(
      fc.property(outgoing, fc.integer({ min: 1, max: 2 ** 40 }), (receipts, gas) => {
        const without = receipts.map((r) => ({ ...r, workGas: 0 }));
        const first = without[0]!;
        const withGas = [{ ...first, workGas: gas }, ...without.slice(1)];
        expect(hashEquals(batchDigest(withGas), batchDigest(without))).toBe(false);
        expect(hashEquals(batchDigest(withGas), batchDigest([{ ...first, workGas: gas + 1 }, ...without.slice(1)]))).toBe(false);
        expect(receiptRecord(first).length).toBe(64);
      }),
      { numRuns: 30 },
    );
  });

  it('a batch digest depends on the order of its receipts and on every one of them', () => {
    fc.assert(
      fc.property(
        outgoing.filter((rs) => rs.length >= 2),
        (receipts) => {
          const d = batchDigest(receipts);
          expect(hashEquals(d, batchDigest([...receipts].reverse()))).toBe(false);
          expect(hashEquals(d, batchDigest(receipts.slice(1)))).toBe(false);
          expect(hashEquals(d, batchDigest(receipts.slice(0, -1)))).toBe(false);
        },
      ),
      { numRuns: 30 },
    );
  });

  it("a block's receipts root is the Merkle root of its batch leaves: one compression, from SHA-256('shardsim/batch-leaf'), of (dst u32, count u32, value f64, batch digest)", () => {
    fc.assert(
      fc.property(outgoing, (receipts) => {
        const s = sealed(receipts);
        const leaves = s.batches.map((b) => {
          const block = new Uint8Array(64);
          const v = new DataView(block.buffer);
          v.setUint32(0, b.dstShard, true);
          v.setUint32(4, b.receipts.length, true);
          v.setFloat64(8, batchValue(b.receipts), true);
          block.set(compressFromTag('shardsim/receipt-batch', records(b.receipts)), 16);
          return compressFromTag('shardsim/batch-leaf', block);
        });
        expect(hashEquals(s.receiptsRoot, merkleRoot(leaves))).toBe(true);
      }),
      { numRuns: 30 },
    );
  });
});

describe('sealBatches', () => {
  it('seals nothing with the zero root when a block sends no receipts', () => {
    const s = sealBatches(SRC, SLOT, []);
    expect(s.batches).toEqual([]);
    expect(s.outbound).toEqual(new Float64Array(0));
    expect(hashEquals(s.receiptsRoot, ZERO_HASH)).toBe(true);
  });

  it('reports each batch to the beacon as a (destination, receipt count, value) triple, in batch order', () => {
    fc.assert(
      fc.property(outgoing, (receipts) => {
        const { batches, outbound } = sealed(receipts);
        const want = batches.flatMap((b) => [b.dstShard, b.receipts.length, b.receipts.reduce((v, r) => v + r.amount, 0)]);
        expect([...outbound]).toEqual(want);
      }),
      RUNS,
    );
  });

  it('groups receipts into one batch per destination, in ascending destination order', () => {
    fc.assert(
      fc.property(outgoing, (receipts) => {
        const { batches } = sealed(receipts);
        const dsts = [...new Set(receipts.map((r) => r.dstShard))].sort((a, b) => a - b);
        expect(batches.map((b) => b.dstShard)).toEqual(dsts);
        batches.forEach((b, i) => {
          expect(b.srcShard).toBe(SRC);
          expect(b.srcSlot).toBe(SLOT);
          expect(b.leafIndex).toBe(i);
          expect(b.leafCount).toBe(dsts.length);
          // Every receipt of this destination, in block order, and nothing else.
          expect(b.receipts).toEqual(receipts.filter((r) => r.dstShard === b.dstShard));
        });
      }),
      RUNS,
    );
  });

  it('every sealed batch verifies at its destination against the header carrying the sealed root', () => {
    fc.assert(
      fc.property(outgoing, (receipts) => {
        const s = sealed(receipts);
        const h = header(s.receiptsRoot);
        for (const b of s.batches) expect(verifyBatch(b, h, b.dstShard)).toEqual({ ok: true });
      }),
      RUNS,
    );
  });

  it('the receipts root commits to every receipt: changing one changes the root', () => {
    fc.assert(
      fc.property(outgoing, fc.nat(), (receipts, which) => {
        const i = which % receipts.length;
        const changed = receipts.slice();
        changed[i] = { ...receipts[i]!, amount: receipts[i]!.amount + 1 };
        expect(hashEquals(sealed(receipts).receiptsRoot, sealed(changed).receiptsRoot)).toBe(false);
      }),
      RUNS,
    );
  });

  it('batchValue is the sum of the amounts', () => {
    fc.assert(
      fc.property(outgoing, (receipts) => {
        expect(batchValue(receipts)).toBe(receipts.reduce((s, r) => s + r.amount, 0));
      }),
      RUNS,
    );
    expect(batchValue([])).toBe(0);
  });
});

describe('verifyBatch rejects altered batches', () => {
  const fields = ['amount', 'to', 'txId', 'index', 'from', 'originShard', 'submitMs', 'op', 'a', 'b', 'c'] as const;

  for (const field of fields) {
    it(`a batch with one receipt's ${field} altered fails with 'bad-proof'`, () => {
      fc.assert(
        fc.property(blockAndBatch, fc.nat(), fc.integer({ min: 1, max: 1000 }), (t, which, delta) => {
          const b = t.sealed.batches[t.batchIndex]!;
          const i = which % b.receipts.length;
          const receipts = b.receipts.slice();
          receipts[i] = { ...receipts[i]!, [field]: receipts[i]![field] + delta };
          const verdict = verifyBatch(withReceipts(b, receipts), header(t.sealed.receiptsRoot), b.dstShard);
          expect(verdict).toEqual({ ok: false, reason: 'bad-proof' });
        }),
        RUNS,
      );
    });
  }

  it("a batch with one receipt's kind switched fails with 'bad-proof'", () => {
    fc.assert(
      fc.property(blockAndBatch, fc.nat(), (t, which) => {
        const b = t.sealed.batches[t.batchIndex]!;
        const i = which % b.receipts.length;
        const receipts = b.receipts.slice();
        const r = receipts[i]!;
        receipts[i] = { ...r, kind: r.kind === ReceiptKind.Credit ? ReceiptKind.Refund : ReceiptKind.Credit };
        expect(verifyBatch(withReceipts(b, receipts), header(t.sealed.receiptsRoot), b.dstShard)).toEqual({
          ok: false,
          reason: 'bad-proof',
        });
      }),
      RUNS,
    );
  });

  it("a batch with a receipt dropped fails with 'bad-proof'", () => {
    fc.assert(
      fc.property(blockAndBatch, fc.nat(), (t, which) => {
        const b = t.sealed.batches[t.batchIndex]!;
        const i = which % b.receipts.length;
        const receipts = [...b.receipts.slice(0, i), ...b.receipts.slice(i + 1)];
        expect(verifyBatch(withReceipts(b, receipts), header(t.sealed.receiptsRoot), b.dstShard)).toEqual({
          ok: false,
          reason: 'bad-proof',
        });
      }),
      RUNS,
    );
  });

  it("a batch with a well-formed receipt added fails with 'bad-proof', even a zero-value one", () => {
    fc.assert(
      fc.property(blockAndBatch, receiptBody, fc.nat(), (t, body, at) => {
        const b = t.sealed.batches[t.batchIndex]!;
        const extra: Receipt = { ...body, srcShard: SRC, srcSlot: SLOT, dstShard: b.dstShard, index: 1000 + at, amount: 0 };
        const pos = at % (b.receipts.length + 1);
        const receipts = [...b.receipts.slice(0, pos), extra, ...b.receipts.slice(pos)];
        expect(verifyBatch(withReceipts(b, receipts), header(t.sealed.receiptsRoot), b.dstShard)).toEqual({
          ok: false,
          reason: 'bad-proof',
        });
      }),
      RUNS,
    );
  });

  it("a batch with a receipt duplicated fails with 'bad-proof'", () => {
    fc.assert(
      fc.property(blockAndBatch, fc.nat(), (t, which) => {
        const b = t.sealed.batches[t.batchIndex]!;
        const i = which % b.receipts.length;
        const receipts = [...b.receipts, b.receipts[i]!];
        expect(verifyBatch(withReceipts(b, receipts), header(t.sealed.receiptsRoot), b.dstShard)).toEqual({
          ok: false,
          reason: 'bad-proof',
        });
      }),
      RUNS,
    );
  });

  it("a batch with its receipts reordered fails with 'bad-proof'", () => {
    fc.assert(
      fc.property(
        blockAndBatch.filter((t) => t.sealed.batches[t.batchIndex]!.receipts.length > 1),
        (t) => {
          const b = t.sealed.batches[t.batchIndex]!;
          const receipts = [...b.receipts.slice(1), b.receipts[0]!];
          expect(verifyBatch(withReceipts(b, receipts), header(t.sealed.receiptsRoot), b.dstShard)).toEqual({
            ok: false,
            reason: 'bad-proof',
          });
        },
      ),
      RUNS,
    );
  });

  it("a batch with an emptied receipt list fails with 'bad-proof'", () => {
    fc.assert(
      fc.property(blockAndBatch, (t) => {
        const b = t.sealed.batches[t.batchIndex]!;
        expect(verifyBatch(withReceipts(b, []), header(t.sealed.receiptsRoot), b.dstShard)).toEqual({
          ok: false,
          reason: 'bad-proof',
        });
      }),
      RUNS,
    );
  });

  it("a batch presented under another batch's leaf index or proof fails with 'bad-proof'", () => {
    fc.assert(
      fc.property(
        blockAndBatch.filter((t) => t.sealed.batches.length > 1),
        (t) => {
          const b = t.sealed.batches[t.batchIndex]!;
          const other = t.sealed.batches[(t.batchIndex + 1) % t.sealed.batches.length]!;
          const h = header(t.sealed.receiptsRoot);
          expect(verifyBatch({ ...b, leafIndex: other.leafIndex }, h, b.dstShard)).toEqual({ ok: false, reason: 'bad-proof' });
          expect(verifyBatch({ ...b, proof: other.proof }, h, b.dstShard)).toEqual({ ok: false, reason: 'bad-proof' });
        },
      ),
      RUNS,
    );
  });

  it("a receipt naming another source shard, slot or destination makes the batch 'malformed'", () => {
    const retarget = {
      srcShard: (r: Receipt) => ({ ...r, srcShard: r.srcShard + 1 }),
      srcSlot: (r: Receipt) => ({ ...r, srcSlot: r.srcSlot + 1 }),
      dstShard: (r: Receipt) => ({ ...r, dstShard: r.dstShard + 1 }),
    };
    fc.assert(
      fc.property(blockAndBatch, fc.nat(), fc.constantFrom(...(Object.keys(retarget) as Array<keyof typeof retarget>)), (t, which, f) => {
        const b = t.sealed.batches[t.batchIndex]!;
        const i = which % b.receipts.length;
        const receipts = b.receipts.slice();
        receipts[i] = retarget[f](receipts[i]!);
        expect(verifyBatch(withReceipts(b, receipts), header(t.sealed.receiptsRoot), b.dstShard)).toEqual({
          ok: false,
          reason: 'malformed',
        });
      }),
      RUNS,
    );
  });

  it("a receipt with a field beyond its width in the leaf record makes the batch 'malformed' (no truncation aliases)", () => {
    // Each would hash like the honest receipt if the leaf's fixed-width fields were simply truncated.
    const widen = {
      index: (r: Receipt) => ({ ...r, index: r.index + 2 ** 32 }),
      from: (r: Receipt) => ({ ...r, from: r.from + 2 ** 32 }),
      to: (r: Receipt) => ({ ...r, to: r.to + 2 ** 32 }),
      originShard: (r: Receipt) => ({ ...r, originShard: r.originShard + 2 ** 32 }),
      op: (r: Receipt) => ({ ...r, op: r.op + 2 ** 32 }),
      kind: (r: Receipt) => ({ ...r, kind: (r.kind + 256) as Receipt['kind'] }),
      txId: (r: Receipt) => ({ ...r, txId: r.txId + 2 ** 56 }),
      a: (r: Receipt) => ({ ...r, a: r.a + 2 ** 56 }),
      b: (r: Receipt) => ({ ...r, b: r.b + 0.5 }),
      c: (r: Receipt) => ({ ...r, c: -r.c - 1 }),
      submitMs: (r: Receipt) => ({ ...r, submitMs: r.submitMs + 2 ** 56 }),
    };
    fc.assert(
      fc.property(blockAndBatch, fc.nat(), fc.constantFrom(...(Object.keys(widen) as Array<keyof typeof widen>)), (t, which, f) => {
        const b = t.sealed.batches[t.batchIndex]!;
        const i = which % b.receipts.length;
        const receipts = b.receipts.slice();
        receipts[i] = widen[f](receipts[i]!);
        expect(verifyBatch(withReceipts(b, receipts), header(t.sealed.receiptsRoot), b.dstShard)).toEqual({
          ok: false,
          reason: 'malformed',
        });
      }),
      RUNS,
    );
  });

  it("a receipt with a negative, fractional or unsafe amount makes the batch 'malformed'", () => {
    fc.assert(
      fc.property(blockAndBatch, fc.nat(), fc.constantFrom(-1, 0.5, 2 ** 53, Number.NaN, Number.POSITIVE_INFINITY), (t, which, amount) => {
        const b = t.sealed.batches[t.batchIndex]!;
        const i = which % b.receipts.length;
        const receipts = b.receipts.slice();
        receipts[i] = { ...receipts[i]!, amount };
        expect(verifyBatch(withReceipts(b, receipts), header(t.sealed.receiptsRoot), b.dstShard)).toEqual({
          ok: false,
          reason: 'malformed',
        });
      }),
      RUNS,
    );
  });
});

describe('verifyBatch checks where a batch comes from and goes to', () => {
  it("a batch checked by a shard other than its destination fails with 'wrong-destination'", () => {
    fc.assert(
      fc.property(blockAndBatch, fc.integer({ min: 0, max: MAX_DST + 3 }), (t, self) => {
        const b = t.sealed.batches[t.batchIndex]!;
        fc.pre(self !== b.dstShard);
        expect(verifyBatch(b, header(t.sealed.receiptsRoot), self)).toEqual({ ok: false, reason: 'wrong-destination' });
      }),
      RUNS,
    );
  });

  it("a batch checked against another slot's header fails with 'wrong-source'", () => {
    fc.assert(
      fc.property(blockAndBatch, fc.integer({ min: 0, max: 1000 }), (t, slot) => {
        fc.pre(slot !== SLOT);
        const b = t.sealed.batches[t.batchIndex]!;
        // Even when that header carries the very same receipts root.
        expect(verifyBatch(b, header(t.sealed.receiptsRoot, SRC, slot), b.dstShard)).toEqual({
          ok: false,
          reason: 'wrong-source',
        });
      }),
      RUNS,
    );
  });

  it("a batch checked against another shard's header fails with 'wrong-source'", () => {
    fc.assert(
      fc.property(blockAndBatch, fc.integer({ min: 0, max: 64 }), (t, shard) => {
        fc.pre(shard !== SRC);
        const b = t.sealed.batches[t.batchIndex]!;
        expect(verifyBatch(b, header(t.sealed.receiptsRoot, shard, SLOT), b.dstShard)).toEqual({
          ok: false,
          reason: 'wrong-source',
        });
      }),
      RUNS,
    );
  });

  it("a batch relabelled as coming from another slot (receipts untouched) fails with 'malformed'", () => {
    fc.assert(
      fc.property(blockAndBatch, (t) => {
        const b = t.sealed.batches[t.batchIndex]!;
        const relabelled = { ...b, srcSlot: SLOT + 1 };
        expect(verifyBatch(relabelled, header(t.sealed.receiptsRoot, SRC, SLOT + 1), b.dstShard)).toEqual({
          ok: false,
          reason: 'malformed',
        });
      }),
      RUNS,
    );
  });

  it("a batch checked against a header of the same slot with another receipts root fails with 'bad-proof'", () => {
    fc.assert(
      fc.property(blockAndBatch, outgoing, (t, otherReceipts) => {
        const otherRoot = sealed(otherReceipts).receiptsRoot;
        fc.pre(!hashEquals(otherRoot, t.sealed.receiptsRoot));
        const b = t.sealed.batches[t.batchIndex]!;
        expect(verifyBatch(b, header(otherRoot), b.dstShard)).toEqual({ ok: false, reason: 'bad-proof' });
      }),
      RUNS,
    );
  });
});
