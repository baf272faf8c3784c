/**
 * A block header in a message (commands carry crosslinked headers, reports
 * their block's): HEADER_FIELDS's numbers, then its hashes.
 */
import type { BlockHeader } from '../header.js';
import type { Hash } from '../hash.js';
import { type Cursor, HEADER_FIELDS, HEADER_HASHES } from './layout.js';

type Field = (typeof HEADER_FIELDS)[number];
const NUMBERS = HEADER_FIELDS.filter(([, kind]) => kind !== 'hash').map(([k]) => k) as Array<Exclude<Field, readonly [string, 'hash']>[0]>;
const HASHES = HEADER_FIELDS.filter(([, kind]) => kind === 'hash').map(([k]) => k) as Array<Extract<Field, readonly [string, 'hash']>[0]>;

export function writeHeader(c: Cursor, h: BlockHeader): void {
  for (const k of NUMBERS) c.num(h[k]);
  for (const k of HASHES) c.hash(h[k]);
}

/** The header as one literal in HEADER_FIELDS's order (one object shape, the producers'), compiled from the declaration. */
const build = new Function(
  'n',
  'h',
  `return { ${HEADER_FIELDS.map(([k, kind]) => `${k}: ${kind === 'hash' ? `h[${(HASHES as string[]).indexOf(k)}]` : `n[${(NUMBERS as string[]).indexOf(k)}]`}`).join(', ')} };`,
) as (n: readonly number[], h: readonly Hash[]) => BlockHeader;

/** Scratch for a header's numbers (reading is synchronous). */
const nums: number[] = new Array<number>(NUMBERS.length).fill(0);

export function readHeader(c: Cursor): BlockHeader {
  for (let k = 0; k < nums.length; k++) nums[k] = c.next();
  return build(nums, c.hashes(HEADER_HASHES));
}
