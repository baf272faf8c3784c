/**
 * A block header in a message (commands carry crosslinked headers, reports
 * their block's): HEADER_FIELDS's numbers, then its hashes.
 */
import type { BlockHeader } from '../header.js';
import { type Cursor, HEADER_FIELDS, HEADER_HASHES } from './layout.js';

type Field = (typeof HEADER_FIELDS)[number];
const NUMBERS = HEADER_FIELDS.filter(([, kind]) => kind !== 'hash').map(([k]) => k) as Array<Exclude<Field, readonly [string, 'hash']>[0]>;
const HASHES = HEADER_FIELDS.filter(([, kind]) => kind === 'hash').map(([k]) => k) as Array<Extract<Field, readonly [string, 'hash']>[0]>;

export function writeHeader(c: Cursor, h: BlockHeader): void {
  for (const k of NUMBERS) c.num(h[k]);
  for (const k of HASHES) c.hash(h[k]);
}

/**
 * Reads a header: its numbers into locals, then the literal in HEADER_FIELDS's
 * order (one object shape, the producers'), compiled from the declaration. No
 * scratch array: a number read through one that has held a fraction comes
 * back a double, and the header's field would be boxed.
 */
export const readHeader = new Function(
  'hashCount',
  `return (c) => {
${NUMBERS.map((k) => `  const ${k} = c.next();`).join('\n')}
  const h = c.hashes(hashCount);
  return { ${HEADER_FIELDS.map(([k, kind]) => (kind === 'hash' ? `${k}: h[${(HASHES as string[]).indexOf(k)}]` : k)).join(', ')} };
};`,
)(HEADER_HASHES) as (c: Cursor) => BlockHeader;
