/**
 * The numbers of a message packed for text transports (Redis job bodies,
 * base64 inside BullMQ's JSON): most of a message's numbers are small
 * non-negative integers (shards, slots, counts, indexes), which take one to
 * three bytes here instead of a float64's eight. The layout is the same
 * numbers in the same order (layout.ts); only their bytes differ.
 *
 * Each number: a non-negative safe integer n as the LEB128 varint of 2n
 * (its first byte even); anything else (fractions, negatives, -0, NaN,
 * infinities, integers past 2^53) as the byte 0x01 then its float64, little
 * endian. The whole: the count as a varint, then the numbers.
 */
import { WireFormatError } from '../common/errors.js';

const scratch = new Float64Array(1);
const scratchBytes = new Uint8Array(scratch.buffer);

function varint(out: Uint8Array, at: number, x: number): number {
  while (x >= 0x80) {
    out[at++] = (x % 0x80) | 0x80;
    x = Math.floor(x / 0x80);
  }
  out[at++] = x;
  return at;
}

/** `f` packed: at most 9 bytes a number, plus the count. */
export function packNumbers(f: Float64Array): Uint8Array {
  const out = new Uint8Array(10 + 9 * f.length);
  let at = varint(out, 0, f.length);
  for (let i = 0; i < f.length; i++) {
    const v = f[i]!;
    if (Number.isSafeInteger(v) && v >= 0 && !Object.is(v, -0)) {
      at = varint(out, at, v * 2);
    } else {
      out[at++] = 0x01;
      scratch[0] = v;
      out.set(scratchBytes, at);
      at += 8;
    }
  }
  return out.subarray(0, at);
}

/** The numbers `packNumbers` packed; WireFormatError for bytes it cannot have written. */
export function unpackNumbers(b: Uint8Array, what: string): Float64Array {
  let at = 0;
  const read = (): number => {
    let x = 0;
    let mul = 1;
    for (;;) {
      if (at >= b.length || mul > 2 ** 56) throw new WireFormatError(`${what}: its numbers end inside one`);
      const byte = b[at++]!;
      x += (byte & 0x7f) * mul;
      if (byte < 0x80) return x;
      mul *= 0x80;
    }
  };
  const count = read();
  if (count > b.length) throw new WireFormatError(`${what}: announces ${count} numbers in ${b.length} bytes`);
  const f = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    if (at >= b.length) throw new WireFormatError(`${what}: holds fewer numbers than the ${count} it announces`);
    if ((b[at]! & 1) === 1) {
      if (b[at] !== 0x01 || at + 9 > b.length) throw new WireFormatError(`${what}: a malformed number at byte ${at}`);
      scratchBytes.set(b.subarray(at + 1, at + 9));
      f[i] = scratch[0]!;
      at += 9;
    } else {
      f[i] = read() / 2;
    }
  }
  if (at !== b.length) throw new WireFormatError(`${what}: ${b.length - at} bytes after its ${count} numbers`);
  return f;
}
