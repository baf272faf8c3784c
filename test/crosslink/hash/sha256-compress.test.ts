import { sha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compress, digestInPlace, paddedLength, SHA256_IV, writeState } from '../../../crosslink/hash/sha256-compress.js';
import { ByteWriter, HashChain, hashEquals, hashPair, tagIv } from '../../../crosslink/hash.js';
import { compressFromTag, nobleCompress } from '../../helpers/compress.js';

const block = fc.uint8Array({ minLength: 64, maxLength: 64 });
const chaining = fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { minLength: 8, maxLength: 8 });

describe('hand-written SHA-256 compression', () => {
  it("equals noble's compression from any chaining value, its two halves at any offsets of one buffer or two", () => {
    fc.assert(
      fc.property(chaining, block, fc.nat(40), fc.nat(40), fc.boolean(), (iv, b, lo, hi, oneBuffer) => {
        const left = new Uint8Array(lo + 32 + 40);
        left.set(b.subarray(0, 32), lo);
        const right = oneBuffer ? left : new Uint8Array(hi + 32 + 40);
        const ro = oneBuffer ? lo + 32 : hi;
        right.set(b.subarray(32), ro);
        const h = Int32Array.from(iv);
        compress(h, left, lo, right, ro);
        const got = new Uint8Array(32);
        writeState(h, got, 0);
        return hashEquals(got, nobleCompress(iv, b));
      }),
      { numRuns: 500 },
    );
  });

  it("SHA-256 of messages of any length at any offset, padded in place, equals noble's sha256", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(7), (msg, start) => {
        const buf = new Uint8Array(start + paddedLength(msg.length));
        buf.set(msg, start);
        const got = new Uint8Array(40);
        digestInPlace(buf, start, msg.length, got, 5);
        return hashEquals(got.subarray(5, 37), sha256(msg));
      }),
      { numRuns: 500 },
    );
  });

  it("a chain of compressions equals noble's over the same blocks", () => {
    fc.assert(
      fc.property(fc.array(block, { minLength: 1, maxLength: 5 }), (blocks) => {
        const chain = new HashChain(SHA256_IV).begin();
        for (const b of blocks) chain.absorb(b, 0);
        const got = new Uint8Array(32);
        chain.digestInto(got, 0);
        const all = new Uint8Array(64 * blocks.length);
        blocks.forEach((b, i) => all.set(b, 64 * i));
        return hashEquals(got, nobleCompress(SHA256_IV, all));
      }),
      { numRuns: 200 },
    );
  });
});

describe('HashChain', () => {
  it('holds its own state: chains interleaved with each other and with other hashing give what each gives alone', () => {
    fc.assert(
      fc.property(fc.array(block, { minLength: 1, maxLength: 4 }), fc.array(block, { minLength: 1, maxLength: 4 }), (xs, ys) => {
        const a = new HashChain(tagIv('test/a')).begin();
        const b = new HashChain(tagIv('test/b')).begin();
        for (let i = 0; i < Math.max(xs.length, ys.length); i++) {
          if (i < xs.length) a.absorb(xs[i]!, 0);
          hashPair(xs[0]!.subarray(0, 32), ys[0]!.subarray(0, 32));
          new ByteWriter().u32(i).leafHash();
          if (i < ys.length) b.absorb(ys[i]!, 0);
        }
        const da = new Uint8Array(32);
        const db = new Uint8Array(32);
        a.digestInto(da, 0);
        b.digestInto(db, 0);
        const cat = (bs: Uint8Array[]) => {
          const all = new Uint8Array(64 * bs.length);
          bs.forEach((x, i) => all.set(x, 64 * i));
          return all;
        };
        return hashEquals(da, compressFromTag('test/a', cat(xs))) && hashEquals(db, compressFromTag('test/b', cat(ys)));
      }),
      { numRuns: 100 },
    );
  });

  it('begins again from its IV', () => {
    const chain = new HashChain(tagIv('test/a'));
    const b = new Uint8Array(64).fill(7);
    const first = new Uint8Array(32);
    const second = new Uint8Array(32);
    chain.begin().absorb(b, 0);
    chain.digestInto(first, 0);
    chain.begin().absorb(b, 0);
    chain.digestInto(second, 0);
    expect(hashEquals(first, second)).toBe(true);
    expect(hashEquals(first, compressFromTag('test/a', b))).toBe(true);
  });
});

describe('ByteWriter', () => {
  it('hash() and leafHash() are SHA-256 of what was written (leafHash with the 0x00 prefix)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        const w = new ByteWriter(8).bytes(bytes);
        const leaf = new Uint8Array(1 + bytes.length);
        leaf.set(bytes, 1);
        return hashEquals(w.hash(), sha256(bytes)) && hashEquals(w.leafHash(), sha256(leaf)) && hashEquals(w.written(), bytes);
      }),
      { numRuns: 200 },
    );
  });
});
