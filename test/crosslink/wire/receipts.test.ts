import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batchDigest } from '../../../crosslink/batch.js';
import { WireFormatError } from '../../../crosslink/common/errors.js';
import type { Receipt } from '../../../crosslink/receipt.js';
import { compileHashRecord, PROTOCOL_VERSION, RECEIPT_FIELDS } from '../../../crosslink/wire/layout.js';
import { batchCount, batchNums, decodeBatch, encodeBatch, encodeBatches, readBatch, type WireBatch } from '../../../crosslink/wire/receipts.js';
import { batch, validReceipt } from './arbitraries.js';
import { numbersOf, withNumbers } from './packed.js';

/** Through JSON, as a Redis job body travels. */
const viaJson = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

describe('receipt batches on the wire', () => {
  it('a thread message gives back every batch, every receipt field exactly (-0, NaN and fractions included)', () => {
    fc.assert(
      fc.property(fc.array(batch, { maxLength: 6 }), (batches) => {
        const w = encodeBatches(batches);
        expect(batchCount(w)).toBe(batches.length);
        const back = [];
        for (let k = 0, i = 1, h = 0; k < batches.length; k++) {
          back.push(readBatch(w.f, i, w.b, h));
          i += batchNums(batches[k]!);
          h += batches[k]!.proof.length;
        }
        expect(back).toEqual(batches);
      }),
      { numRuns: 80 },
    );
  });

  it('a Redis job body gives back the batch exactly, with its own proof buffer', () => {
    fc.assert(
      fc.property(batch, (b) => {
        const back = decodeBatch(viaJson(encodeBatch(b)));
        expect(back).toEqual(b);
        expect(back.proof.byteOffset).toBe(0);
        expect(back.proof.buffer.byteLength).toBe(b.proof.length);
      }),
      { numRuns: 80 },
    );
  });

  it('a Redis job body holds the thread message of that one batch, its numbers packed', () => {
    const b = { srcShard: 1, srcSlot: 2, dstShard: 3, receipts: [validReceipt({ dstShard: 3 })], leafIndex: 0, leafCount: 1, proof: new Uint8Array([9, 8]) };
    const w = encodeBatches([b]);
    const body = encodeBatch(b);
    expect(numbersOf(body)).toEqual(w.f.subarray(1));
    expect(Buffer.from(body.b, 'base64')).toEqual(Buffer.from(w.b));
    expect(body.v).toBe(PROTOCOL_VERSION);
    expect(body.dst).toBe(3);
  });

  it('refuses a body of another protocol version, naming both', () => {
    const body = encodeBatch({ srcShard: 1, srcSlot: 2, dstShard: 3, receipts: [], leafIndex: 0, leafCount: 1, proof: new Uint8Array(0) });
    expect(() => decodeBatch({ ...body, v: PROTOCOL_VERSION + 1 })).toThrow(WireFormatError);
    expect(() => decodeBatch({ ...body, v: PROTOCOL_VERSION + 1 })).toThrow(
      new RegExp(`protocol version ${PROTOCOL_VERSION + 1}.*speaks protocol version ${PROTOCOL_VERSION}`),
    );
    const { v: _v, ...unversioned } = body;
    expect(() => decodeBatch(unversioned as WireBatch)).toThrow(/no protocol version/);
  });

  it('refuses malformed bodies: cut short, run long, a receipt count or destination that does not match', () => {
    const b = { srcShard: 1, srcSlot: 2, dstShard: 3, receipts: [validReceipt(), validReceipt()], leafIndex: 0, leafCount: 1, proof: new Uint8Array(64) };
    const body = encodeBatch(b);
    const nums = numbersOf(body);
    expect(() => decodeBatch(withNumbers(body, nums.subarray(0, nums.length - 1)))).toThrow(WireFormatError);
    expect(() => decodeBatch(withNumbers(body, Float64Array.of(...nums, 0)))).toThrow(WireFormatError);
    const packed = Buffer.from(body.f, 'base64');
    expect(() => decodeBatch({ ...body, f: packed.subarray(0, packed.length - 3).toString('base64') })).toThrow(/numbers end inside one|fewer numbers/);
    expect(() => decodeBatch({ ...body, b: Buffer.alloc(32).toString('base64') })).toThrow(WireFormatError);
    expect(() => decodeBatch({ ...body, dst: 4 })).toThrow(WireFormatError);
    expect(() => decodeBatch({ ...body, f: 7 } as unknown as WireBatch)).toThrow(/lacks its buffers/);
    expect(() => decodeBatch(null as unknown as WireBatch)).toThrow(WireFormatError);
    const fractional = nums.slice();
    fractional[6] = 0.5;
    expect(() => decodeBatch(withNumbers(body, fractional))).toThrow(WireFormatError);
  });
});

describe("a receipt's hashed record (the batch digest's, compiled from RECEIPT_FIELDS)", () => {
  // Its layout byte for byte is batch.test.ts's (against an independent writer of the record); here, its width checks and one fixed digest.
  const rec = compileHashRecord();

  it('is 63 bytes, one block with room to spare', () => expect(rec.bytes).toBe(63));

  it('keeps the digest of a fixed batch', () => {
    const receipts = [
      validReceipt(),
      validReceipt({ kind: 3 as Receipt['kind'], index: 1, txId: 2 ** 40 + 5, amount: 2 ** 52, op: 2 ** 32 - 1, a: 1, b: 2, c: 3 }),
    ];
    expect(Buffer.from(batchDigest(receipts)).toString('hex')).toBe(FIXED_DIGEST);
  });

  it('fits every field within its width and none beyond', () => {
    expect(rec.fits(validReceipt())).toBe(true);
    for (const [k, width] of RECEIPT_FIELDS) {
      if (width === 'place') continue;
      const max = width === 'u8' ? 0xff : width === 'u32' ? 2 ** 32 - 1 : Number.MAX_SAFE_INTEGER;
      expect(rec.fits(validReceipt({ [k]: max }))).toBe(true);
      for (const bad of [max + 1, -1, 0.5, Number.NaN]) expect(rec.fits(validReceipt({ [k]: bad })), `${k} = ${bad}`).toBe(false);
    }
  });
});

/** This batch's digest since the record was laid out: it must never change (every run digest rests on it). */
const FIXED_DIGEST = '327751ce30fdc6822956e07c57c25138844932b2f4740ed2e42126e1ddc1068c';
