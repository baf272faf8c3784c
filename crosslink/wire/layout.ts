/**
 * The one binary layout of every message that leaves a shard's thread: slot
 * commands, slot reports, receipt batches. A message is numbers in one
 * Float64Array and hashes (or proof bytes) in one Uint8Array. Threads move
 * the two buffers with postMessage; Redis jobs carry the same numbers and
 * bytes as base64 text (BullMQ stores job data as JSON, where a Buffer
 * becomes an array of numbers, about 4 bytes of JSON a byte; base64 is 4/3),
 * the numbers packed on the way (packed-numbers.ts: a small integer takes a
 * byte or two, not eight, which cut a Redis run's CPU per transaction by a
 * fifth), with the protocol version beside them. Every number round-trips
 * exactly, whatever a forged receipt holds.
 *
 * Each record's fields are declared here once, in wire order. The receipt's
 * declaration also gives the record a batch digest hashes (batch.ts): the
 * same fields in the same order, less the three a receipt's place fixes,
 * each at its width there.
 */

import { WireFormatError } from '../common/errors.js';
import { smallIntOr } from '../common/small-int.js';
import { HASH_BYTES, type Hash } from '../hash.js';
import type { BlockHeader } from '../header.js';
import type { Receipt } from '../receipt.js';
import { packNumbers, unpackNumbers } from './packed-numbers.js';

/**
 * The protocol version of everything that crosses a process boundary (this
 * layout, the Redis job bodies, a worker's assignment, the IPC messages).
 * Raised whenever any of them changes shape: a process of another version
 * refuses them by name instead of misreading them.
 */
export const PROTOCOL_VERSION = 6;

/**
 * How a receipt field sits in the hashed record: `u8`, `u32`, `u56` (any
 * non-negative safe integer, 7 bytes) little endian, `place` for the
 * fields a receipt's place fixes (srcShard and srcSlot are the header's,
 * dstShard the batch leaf's), not hashed, or `tail`: a u56 in a second
 * block hashed only when some tail field is not 0, so the records of
 * receipts that leave it 0 stay one block, as they were before it existed.
 */
export type HashWidth = 'u8' | 'u32' | 'u56' | 'place' | 'tail';

/**
 * Every field of a receipt in wire order, with its width in the hashed
 * record. Also the order of vm.ts's receipt literal: decoded receipts are
 * built in it, so they share the emitted ones' object shape.
 */
export const RECEIPT_FIELDS = [
  ['kind', 'u8'],
  ['srcShard', 'place'],
  ['srcSlot', 'place'],
  ['index', 'u32'],
  ['dstShard', 'place'],
  ['txId', 'u56'],
  ['from', 'u32'],
  ['originShard', 'u32'],
  ['to', 'u32'],
  ['amount', 'u56'],
  ['submitMs', 'u56'],
  ['op', 'u32'],
  ['a', 'u56'],
  ['b', 'u56'],
  ['c', 'u56'],
  ['workGas', 'tail'],
] as const satisfies ReadonlyArray<readonly [keyof Receipt, HashWidth]>;
export const RECEIPT_NUMS = RECEIPT_FIELDS.length;
/** The numbers every receipt carries: all but the tail fields, which only some set (an action replaying a trace's gas). */
export const RECEIPT_BASE_NUMS = RECEIPT_FIELDS.filter(([, width]) => width !== 'tail').length;

/** A receipt batch's numbers ahead of its receipts; its proof's bytes lie in the byte buffer. */
export const BATCH_FIELDS = ['srcShard', 'srcSlot', 'dstShard', 'leafIndex', 'leafCount', 'proofBytes', 'receiptCount'] as const;
export const BATCH_NUMS = BATCH_FIELDS.length;

/**
 * Every field of a header, in the order of its object literal, with its width
 * in the header's hash (header.ts, little endian, in this order). On the wire
 * its numbers come first (in this order, float64s) and its hashes follow, in
 * the hash buffer.
 */
export const HEADER_FIELDS = [
  ['shard', 'u32'],
  ['slot', 'u32'],
  ['parentHash', 'hash'],
  ['stateRoot', 'hash'],
  ['txRoot', 'hash'],
  ['receiptsRoot', 'hash'],
  ['gasUsed', 'u64'],
  ['txCount', 'u32'],
  ['receiptCount', 'u32'],
] as const satisfies ReadonlyArray<readonly [keyof BlockHeader, 'u32' | 'u64' | 'hash']>;
export const HEADER_NUMS = HEADER_FIELDS.filter(([, kind]) => kind !== 'hash').length;
export const HEADER_HASHES = HEADER_FIELDS.length - HEADER_NUMS;

// Each list must name every field of its type: these fail to compile if one is missing.
type Missing<T, K> = Exclude<keyof T, K>;
const everyReceiptField: Missing<Receipt, (typeof RECEIPT_FIELDS)[number][0]> extends never ? true : never = true;
const everyHeaderField: Missing<BlockHeader, (typeof HEADER_FIELDS)[number][0]> extends never ? true : never = true;
void everyReceiptField;
void everyHeaderField;

/** One message: numbers and bytes, each in a buffer of its own. */
export interface Wire {
  readonly f: Float64Array;
  readonly b: Uint8Array;
}

/** The buffers a message moves to its receiver (the sender must not touch them afterwards). */
export const transferOf = (w: Wire): ArrayBuffer[] => [w.f.buffer as ArrayBuffer, w.b.buffer as ArrayBuffer];

/** A message as a Redis job body carries it: its numbers packed and its bytes, each in base64, and the protocol version. */
export interface WireText {
  readonly v: number;
  readonly f: string;
  readonly b: string;
}

const b64 = (u: ArrayBufferView): string => Buffer.from(u.buffer, u.byteOffset, u.byteLength).toString('base64');

export function toText(w: Wire): WireText {
  return { v: PROTOCOL_VERSION, f: b64(packNumbers(w.f)), b: b64(w.b) };
}

/** One message of a kind labelled with its slot, as a Redis job body carries it (a slot command, a slot report): the slot is what job ids and replays go by before decoding. */
export interface SlotText extends WireText {
  readonly slot: number;
}

/**
 * The Redis job body of one message of a kind, from the kind's thread
 * message of one: `encode` writes it, `decode` checks version, shape and
 * label (WireFormatError) and reads it.
 */
export function slotBodies<T extends { readonly slot: number }>(
  what: string,
  encodeMany: (xs: readonly T[]) => Wire,
  decodeMany: (w: Wire, count: number) => T[],
): { encode(x: T): SlotText; decode(t: SlotText): T } {
  return {
    encode: (x) => ({ ...toText(encodeMany([x])), slot: x.slot }),
    decode: (t) => {
      const x = decodeMany(fromText(t, `a ${what}`), 1)[0]!;
      if (x.slot !== t.slot) throw new WireFormatError(`malformed ${what}: labelled slot ${t.slot}, holds slot ${x.slot}`);
      return x;
    },
  };
}

/** Says why `version` is not this process's, naming both. */
export function versionMismatch(what: string, version: unknown): string | undefined {
  if (version === PROTOCOL_VERSION) return undefined;
  const theirs = typeof version === 'number' ? `protocol version ${version}` : 'no protocol version (a shardsim from before versioned messages)';
  return `${what} carries ${theirs}, and this shardsim speaks protocol version ${PROTOCOL_VERSION}: run the controller and every worker from the same shardsim version`;
}

/**
 * The buffers of a Redis job body `what` (for errors), decoded into buffers of
 * their own (aligned, and never a view into Node's shared Buffer pool, which
 * a kept proof would pin, and a checkpoint would serialize whole). Throws
 * WireFormatError for another protocol version or a body of the wrong shape.
 */
export function fromText(t: unknown, what: string): Wire {
  if (typeof t !== 'object' || t === null) throw new WireFormatError(`${what} is not a message body`);
  const { v, f, b } = t as Partial<WireText>;
  const why = versionMismatch(what, v);
  if (why !== undefined) throw new WireFormatError(why);
  if (typeof f !== 'string' || typeof b !== 'string') throw new WireFormatError(`${what} lacks its buffers`);
  // Decoded straight into buffers of the exact size (no intermediate Buffer); the numbers then unpacked into their own Float64Array.
  const packed = new Uint8Array(Buffer.byteLength(f, 'base64'));
  const bytes = new Uint8Array(Buffer.byteLength(b, 'base64'));
  if (Buffer.from(packed.buffer).write(f, 'base64') !== packed.length || Buffer.from(bytes.buffer).write(b, 'base64') !== bytes.length) {
    throw new WireFormatError(`${what} is not base64`);
  }
  const nums = unpackNumbers(packed, what);
  return { f: nums, b: bytes };
}

/** Where the next number and hash go (writing) or come from (reading). */
export class Cursor {
  i = 0;
  h = 0;
  constructor(readonly w: Wire) {}

  num(x: number): void {
    this.w.f[this.i++] = x;
  }

  next(): number {
    return smallIntOr(this.w.f[this.i++]!);
  }

  hash(x: Hash): void {
    this.w.b.set(x, this.h);
    this.h += HASH_BYTES;
  }

  /** `n` hashes copied out together: views into one small buffer, so a kept hash never pins a whole message. */
  hashes(n: number): Hash[] {
    const bytes = this.w.b.slice(this.h, this.h + n * HASH_BYTES);
    this.h += n * HASH_BYTES;
    const out: Hash[] = new Array(n);
    for (let k = 0; k < n; k++) out[k] = bytes.subarray(k * HASH_BYTES, (k + 1) * HASH_BYTES);
    return out;
  }

  /** Throws unless the message was read to its end exactly (a body cut short or run long is malformed). */
  end(what: string): void {
    if (this.i !== this.w.f.length || this.h !== this.w.b.length) {
      throw new WireFormatError(`malformed ${what}: read ${this.i} of ${this.w.f.length} numbers and ${this.h} of ${this.w.b.length} bytes`);
    }
  }
}

/** A message of `nums` numbers and `bytes` bytes, zeroed. */
export const alloc = (nums: number, bytes: number): Wire => ({ f: new Float64Array(nums), b: new Uint8Array(bytes) });

/** Whether `x` is a count a message may hold: a whole number no larger than `max`. */
export function checkCount(x: number, max: number, what: string): number {
  if (!Number.isInteger(x) || x < 0 || x > max) throw new WireFormatError(`malformed message: ${what} ${x} (at most ${max})`);
  return x;
}

/**
 * Writer and reader of a record of float64s, one a field in `fields` order,
 * compiled from the declaration into straight-line code: a loop over field
 * names would be a keyed load per field, and a reader must build its object
 * as one literal (one shape for every record). Names are this module's
 * declarations, never input.
 */
export function compileRow<T>(fields: readonly string[]): { write(f: Float64Array, i: number, x: T): void; read(f: Float64Array, i: number): T } {
  const write = fields.map((k, n) => `f[i + ${n}] = x.${k};`).join('\n');
  const read = fields.map((k, n) => `${k}: int(f[i + ${n}]),`).join('\n');
  return {
    write: new Function('f', 'i', 'x', write) as (f: Float64Array, i: number, x: T) => void,
    read: new Function('int', `return (f, i) => ({\n${read}\n});`)(smallIntOr) as (f: Float64Array, i: number) => T,
  };
}

/** Byte widths of the hashed record's fields. */
const BYTES = { u8: 1, u32: 4, u56: 7 } as const;

/** Bytes of one hashed block: a record's first block, and its tail's. */
export const RECORD_BLOCK = 64;

/**
 * The hashed record of a receipt, compiled from RECEIPT_FIELDS: `write`
 * stores every field but the placed and tail ones at its width (one after
 * another, little endian, from byte 0; `bytes` long in all) and returns
 * whether a tail block follows: when any tail field is not 0, the last byte
 * of the first block is 1 and the tail fields lie from byte RECORD_BLOCK on
 * (so a chain of records parses one way only); `fits` says whether each
 * field fits its width, so no two accepted receipts share a record.
 */
export function compileHashRecord(): {
  readonly bytes: number;
  readonly write: (r: Receipt, record: Uint8Array, view: DataView, u56: (at: number, x: number) => void) => boolean;
  readonly fits: (r: Receipt) => boolean;
} {
  const writes: string[] = [];
  const checks: string[] = [];
  const tails: string[] = [];
  let at = 0;
  let tailAt = RECORD_BLOCK;
  for (const [k, width] of RECEIPT_FIELDS) {
    if (width === 'place') continue;
    if (width === 'u8') {
      writes.push(`record[${at}] = r.${k};`);
      checks.push(`(r.${k} & 0xff) === r.${k}`);
    } else if (width === 'u32') {
      writes.push(`view.setUint32(${at}, r.${k}, true);`);
      checks.push(`r.${k} >>> 0 === r.${k}`);
    } else {
      if (width === 'tail') {
        tails.push(k);
        writes.push(`u56(${tailAt}, r.${k});`);
        tailAt += BYTES.u56;
      } else writes.push(`u56(${at}, r.${k});`);
      checks.push(`(Number.isSafeInteger(r.${k}) && r.${k} >= 0)`);
    }
    if (width !== 'tail') at += BYTES[width];
  }
  if (at >= RECORD_BLOCK) throw new RangeError(`a receipt record of ${at} bytes leaves no room for its tail flag in a ${RECORD_BLOCK}-byte block`);
  const tail = tails.map((k) => `r.${k} !== 0`).join(' || ') || 'false';
  const body = `${writes.join('\n')}\nconst tail = ${tail};\nrecord[${RECORD_BLOCK - 1}] = tail ? 1 : 0;\nreturn tail;`;
  return {
    bytes: at,
    write: new Function('r', 'record', 'view', 'u56', body) as (
      r: Receipt,
      record: Uint8Array,
      view: DataView,
      u56: (at: number, x: number) => void,
    ) => boolean,
    fits: new Function('r', `return ${checks.join(' &&\n')};`) as (r: Receipt) => boolean,
  };
}
