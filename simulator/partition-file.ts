/**
 * Reads a precomputed placement: CSV lines `account,group` (a header line is
 * allowed). Accounts are integer ids, or 0x addresses when a resolver is
 * given (trace replay). Every problem names the file and line.
 *
 * The file is read like a scenario file: bounded in size, from a regular
 * file only, as UTF-8 text; a file without a single data row is refused
 * (it would silently change nothing, which is never what was meant).
 */
import { ConfigError } from '../crosslink/common/errors.js';
import { readBoundedTextFile } from './bounded-file.js';
import { FileError } from './errors.js';

/**
 * Largest partition file read. A line is about 17 bytes for an id and 50 for
 * an address, so this lists 5 to 15 million accounts; it also keeps the text
 * well under V8's longest string (2^29 characters).
 */
export const MAX_PARTITION_FILE_BYTES = 256 * 1024 * 1024;

/** Lines end in LF, CRLF or a lone CR (classic Mac exports): all three split here. */
const LINE_END = /\r\n|\r|\n/;

export function loadPartitionFile(
  file: string,
  accounts: number,
  resolve?: (address: string) => number | undefined,
  maxBytes = MAX_PARTITION_FILE_BYTES,
): Int32Array {
  let text: string;
  try {
    text = readBoundedTextFile(file, { maxBytes, what: 'partition file' });
  } catch (err) {
    if (err instanceof FileError) throw new ConfigError(`accounts.partitionFile ${err.path}`, err.shortMessage, { cause: err });
    throw err;
  }
  const groups = new Int32Array(accounts).fill(-1);
  let rows = 0;
  let lineNo = 0;
  for (const raw of lines(text)) {
    lineNo++;
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const [a, g, ...rest] = line.split(',').map((f) => f.trim());
    const where = `${file}:${lineNo}`;
    if (lineNo === 1 && !/^\d+$/.test(g ?? '')) continue; // header
    if (a === undefined || g === undefined || rest.length > 0) throw new ConfigError(where, 'expected two fields: account,group');
    if (!/^\d+$/.test(g) || Number(g) > 1_000_000) throw new ConfigError(where, `group "${g.slice(0, 40)}" is not a non-negative integer`);
    let id: number | undefined;
    if (/^\d+$/.test(a)) id = Number(a);
    else if (/^0x[0-9a-fA-F]{40}$/.test(a) && resolve !== undefined) id = resolve(a.slice(2).toLowerCase());
    else throw new ConfigError(where, `"${a.slice(0, 60)}" is not an account id${resolve === undefined ? '' : ' or a 0x address'}`);
    rows++;
    if (id === undefined) continue; // an address the trace never uses
    if (id >= accounts) throw new ConfigError(where, `account ${id} is outside the population (accounts.count is ${accounts})`);
    groups[id] = Number(g);
  }
  if (rows === 0) {
    throw new ConfigError(
      `accounts.partitionFile ${file}`,
      `has no data rows (lines "account,group" like "17,3"; ${lineNo} line${lineNo === 1 ? '' : 's'} of header, comments or blanks); give a placement or remove the key`,
    );
  }
  return groups;
}

/** The lines of `text` one at a time: a large file never becomes an array of millions of strings. */
function* lines(text: string): Generator<string> {
  const end = new RegExp(LINE_END.source, 'g');
  let at = 0;
  for (let m = end.exec(text); m !== null; m = end.exec(text)) {
    yield text.slice(at, m.index);
    at = end.lastIndex;
  }
  if (at < text.length) yield text.slice(at);
}
