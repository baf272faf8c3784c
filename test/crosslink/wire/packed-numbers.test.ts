/** The packed numbers of Redis job bodies (wire/packed-numbers.ts): every float64 back exactly, and bytes it cannot have written refused. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WireFormatError } from '../../../crosslink/common/errors.js';
import { packNumbers, unpackNumbers } from '../../../crosslink/wire/packed-numbers.js';

const same = (a: Float64Array, b: Float64Array): boolean => a.length === b.length && a.every((x, i) => Object.is(x, b[i]));

describe('packed numbers', () => {
  it('give back every float64 exactly (-0, NaN, infinities, fractions, integers past 2^53)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.double(), fc.nat(), fc.maxSafeNat(), fc.constantFrom(-0, 2 ** 53, 2 ** 53 - 1, 127, 128, 2 ** 31, 2 ** 32))), (xs) => {
        const f = Float64Array.from(xs);
        expect(same(unpackNumbers(packNumbers(f), 'x'), f)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('take a byte for a small integer and nine for a fraction', () => {
    expect(packNumbers(Float64Array.of(0, 63)).length).toBe(1 + 2);
    expect(packNumbers(Float64Array.of(64)).length).toBe(1 + 2);
    expect(packNumbers(Float64Array.of(0.5)).length).toBe(1 + 9);
  });

  it('refuse bytes they cannot have written', () => {
    const p = packNumbers(Float64Array.of(1, 300, 0.25));
    expect(() => unpackNumbers(p.subarray(0, p.length - 1), 'body')).toThrow(WireFormatError);
    expect(() => unpackNumbers(Uint8Array.of(...p, 0), 'body')).toThrow(/bytes after/);
    expect(() => unpackNumbers(Uint8Array.of(1, 3), 'body')).toThrow(/malformed number/);
    expect(() => unpackNumbers(Uint8Array.of(200), 'body')).toThrow(WireFormatError);
    expect(() => unpackNumbers(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01), 'body')).toThrow(WireFormatError);
  });
});
