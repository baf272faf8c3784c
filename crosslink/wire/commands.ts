/**
 * Slot commands in a message: the number of headers, the headers
 * (headers.ts), then per command its slot, finalized slot, crosslink count,
 * (header index, count, value) a crosslink, transaction count and the
 * transactions' rows (tx-rows.ts), then the repartition epoch (0: no moves),
 * the move count and the (account, from, to) triples. A thread gets its shards' commands in one
 * message (encodeCommands); a Redis command job carries one command's
 * message in text (encodeCommand).
 */

import { WireFormatError } from '../common/errors.js';
import { HASH_BYTES } from '../hash.js';
import type { BlockHeader, Crosslink } from '../header.js';
import type { SlotCommand } from '../transport.js';
import { TX_NUMS, TxRows } from '../tx-rows.js';
import { readHeader, writeHeader } from './headers.js';
import { alloc, Cursor, checkCount, HEADER_HASHES, HEADER_NUMS, type SlotText, slotBodies, type Wire } from './layout.js';

/**
 * The slot commands of the shards one thread hosts, in one message. The
 * beacon hands every destination the same header objects, so headers are
 * written once (deduplicated by identity) and each crosslink refers to one
 * by index; the receiving thread shares the decoded headers among its shards
 * as the single-thread transport shares the originals.
 */
export function encodeCommands(commands: readonly SlotCommand[]): Wire {
  const headers = new Map<BlockHeader, number>();
  let links = 0;
  let txs = 0;
  let moves = 0;
  for (const cmd of commands) {
    for (const cl of cmd.crosslinks) if (!headers.has(cl.header)) headers.set(cl.header, headers.size);
    links += cmd.crosslinks.length;
    txs += cmd.txs.length;
    moves += cmd.moves?.moves.length ?? 0;
  }
  const w = alloc(1 + headers.size * HEADER_NUMS + commands.length * 6 + links * 3 + txs * TX_NUMS + moves, headers.size * HEADER_HASHES * HASH_BYTES);
  const c = new Cursor(w);
  c.num(headers.size);
  for (const h of headers.keys()) writeHeader(c, h);
  for (const cmd of commands) {
    c.num(cmd.slot);
    c.num(cmd.finalizedSlot);
    c.num(cmd.crosslinks.length);
    for (const cl of cmd.crosslinks) {
      c.num(headers.get(cl.header)!);
      c.num(cl.count);
      c.num(cl.value);
    }
    c.num(cmd.txs.length);
    w.f.set(cmd.txs.rows(), c.i);
    c.i += cmd.txs.length * TX_NUMS;
    const plan = cmd.moves;
    c.num(plan?.epoch ?? 0);
    c.num(plan === undefined ? 0 : plan.moves.length / 3);
    if (plan !== undefined) for (const v of plan.moves) c.num(v);
  }
  return w;
}

/**
 * The commands of `encodeCommands`, `count` of them, in the order they were
 * written. Counts are checked against what the message holds, so a malformed
 * one fails here with WireFormatError, not later as some other error.
 */
export function decodeCommands(w: Wire, count: number): SlotCommand[] {
  const c = new Cursor(w);
  const room = w.f.length;
  const headers: BlockHeader[] = new Array(checkCount(c.next(), room / HEADER_NUMS, 'header count'));
  for (let k = 0; k < headers.length; k++) headers[k] = readHeader(c);
  const out: SlotCommand[] = new Array(count);
  for (let s = 0; s < count; s++) {
    const slot = c.next();
    const finalizedSlot = c.next();
    const crosslinks: Crosslink[] = new Array(checkCount(c.next(), room / 3, 'crosslink count'));
    for (let k = 0; k < crosslinks.length; k++) {
      const header = headers[c.next()];
      if (header === undefined) throw new WireFormatError(`malformed slot command: a crosslink names header ${w.f[c.i - 1]} of ${headers.length}`);
      const count = c.next();
      crosslinks[k] = { header, count, value: c.next() };
    }
    const count = checkCount(c.next(), (room - c.i) / TX_NUMS, 'transaction count');
    // Copied out: a shard's mempool keeps rows, and must not pin the whole message.
    const txs = TxRows.wrap(w.f.slice(c.i, c.i + count * TX_NUMS));
    c.i += count * TX_NUMS;
    const epoch = c.next();
    const moveCount = checkCount(c.next(), (room - c.i) / 3, 'move count');
    const moves = new Uint32Array(moveCount * 3);
    for (let k = 0; k < moves.length; k++) moves[k] = c.next();
    out[s] = epoch === 0 ? { slot, finalizedSlot, crosslinks, txs } : { slot, finalizedSlot, crosslinks, txs, moves: { epoch, moves } };
  }
  c.end('slot commands');
  return out;
}

/** A command as a Redis job carries it: the command's message in text, and its slot. */
export type WireCommand = SlotText;

const bodies = slotBodies('slot command', encodeCommands, decodeCommands);
export const encodeCommand: (c: SlotCommand) => WireCommand = bodies.encode;
/** The command a job carries; throws WireFormatError for another protocol version or a malformed body. */
export const decodeCommand: (t: WireCommand) => SlotCommand = bodies.decode;
