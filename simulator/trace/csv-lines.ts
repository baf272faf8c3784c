/**
 * Streaming CSV records (RFC 4180) from a plain or gzip-compressed file, or
 * the one CSV file of a ZIP archive (zip-entry.ts), in
 * bounded memory: the file is read in chunks and only the record being
 * assembled is kept, so a record longer than `maxLineBytes` is refused as
 * soon as it grows past the limit, never buffered whole.
 *
 * One record is one physical line (LF or CRLF). Quoted fields, doubled quotes
 * and quoted commas are supported; a quoted newline is not (the line is then
 * reported as a bad record with an unterminated quote), which keeps resync
 * after a damaged line trivial: the next line starts a fresh record.
 * Binary garbage (NUL bytes, invalid UTF-8) is a bad record, not a crash.
 */
import { isUtf8 } from 'node:buffer';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { crc32, createGunzip, createInflateRaw } from 'node:zlib';
import { TraceError } from '../errors.js';
import { isZip, zipCsvEntry } from './zip-entry.js';

/** The default cap on one record, in bytes (1 MiB). */
export const DEFAULT_MAX_LINE_BYTES = 1 << 20;
/**
 * Most a gzip trace may inflate to, as a multiple of its compressed size.
 * Real exports compress about 4x (the shared Etherscan extract: 7.0 MB ->
 * 27.3 MB, 3.9x); a "zip bomb" of blank lines, about 1,000x (4 MB -> 4 GiB
 * took 7 minutes of CPU to read through).
 */
export const MAX_INFLATE_RATIO = 50;
/** A small gzip may always inflate to this much, whatever its ratio. */
export const MIN_INFLATE_LIMIT_BYTES = 16 * 1024 * 1024;

/** A record split into fields; `line` is its 1-based line number in the (decompressed) file. */
export interface CsvRecord {
  readonly line: number;
  readonly fields: string[];
}

/** A line that is not a readable CSV record, and why. */
export interface CsvBadRecord {
  readonly line: number;
  readonly fields: null;
  readonly problem: string;
}

export interface CsvReadOptions {
  /**
   * Longest record accepted, in bytes; a longer one is a TraceError naming the line.
   * @defaultValue DEFAULT_MAX_LINE_BYTES (1 MiB)
   */
  readonly maxLineBytes?: number;
}

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 34;
const COMMA = 44;

/**
 * Yields the file's records in order, skipping blank lines. Gzip and ZIP are
 * detected by their magic bytes, so `trace.csv.gz` and a renamed copy both work.
 */
export async function* readCsvRecords(file: string, options: CsvReadOptions = {}): AsyncGenerator<CsvRecord | CsvBadRecord> {
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  if (!Number.isInteger(maxLineBytes) || maxLineBytes < 1) {
    throw new TraceError(file, undefined, `maxLineBytes must be a positive integer, got ${maxLineBytes}`);
  }
  // Non-blocking, so a FIFO without a writer cannot hang the open; it is then refused below.
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK).catch((err: unknown) => {
    throw openError(file, err);
  });
  const stat = await handle.stat().catch(async (err: unknown) => {
    await handle.close();
    throw openError(file, err);
  });
  if (!stat.isFile()) {
    await handle.close();
    throw new TraceError(
      file,
      undefined,
      `${stat.isDirectory() ? 'is a directory' : 'is not a regular file (a pipe or device)'}; expected a CSV trace (plain or .gz)`,
    );
  }
  let raw: Readable | undefined;
  let source: Readable | undefined;
  let line = 0;
  try {
    const magic = Buffer.alloc(4);
    const { bytesRead } = await handle.read(magic, 0, 4, 0);
    const zip = isZip(magic.subarray(0, bytesRead)) ? await zipCsvEntry(handle, stat.size, file) : null;
    // A compressed stream: gzip, or a deflated ZIP entry; either is held to the inflate limit below.
    const gzip = zip === null ? bytesRead >= 2 && magic[0] === 0x1f && magic[1] === 0x8b : zip.method === 8;
    raw =
      zip === null
        ? handle.createReadStream({ start: 0, autoClose: false, highWaterMark: 64 * 1024 })
        : zip.compressedSize === 0
          ? Readable.from([])
          : handle.createReadStream({ start: zip.dataStart, end: zip.dataStart + zip.compressedSize - 1, autoClose: false, highWaterMark: 64 * 1024 });
    if (gzip) {
      const inflate = zip === null ? createGunzip() : createInflateRaw();
      raw.on('error', (err) => inflate.destroy(err));
      source = raw.pipe(inflate);
    } else {
      source = raw;
    }

    // The record being assembled across chunks: parts, and their total length.
    let parts: Buffer[] = [];
    let partBytes = 0;
    const inflateLimit = Math.max(MIN_INFLATE_LIMIT_BYTES, MAX_INFLATE_RATIO * stat.size);
    let inflated = 0;
    // A ZIP entry's bytes are checked against its CRC-32 (stored data has no other check).
    let crc = 0;
    for await (const chunk of source as AsyncIterable<Buffer>) {
      if (zip !== null) crc = crc32(chunk, crc);
      if (gzip && (inflated += chunk.length) > inflateLimit) throw inflatesTooMuch(file, line + 1, stat.size, inflateLimit, zip !== null);
      let start = 0;
      for (;;) {
        const nl = chunk.indexOf(LF, start);
        if (nl === -1) break;
        line++;
        let bytes: Buffer;
        if (partBytes === 0) {
          bytes = chunk.subarray(start, nl);
        } else {
          parts.push(chunk.subarray(start, nl));
          bytes = Buffer.concat(parts, partBytes + nl - start);
          parts = [];
          partBytes = 0;
        }
        if (bytes.length > maxLineBytes) throw tooLong(file, line, maxLineBytes);
        start = nl + 1;
        const record = decodeRecord(bytes, line);
        if (record !== null) yield record;
      }
      if (start < chunk.length) {
        partBytes += chunk.length - start;
        if (partBytes > maxLineBytes) throw tooLong(file, line + 1, maxLineBytes);
        parts.push(chunk.subarray(start));
      }
    }
    if (zip !== null && crc >>> 0 !== zip.crc >>> 0) {
      throw new TraceError(file, undefined, `is a ZIP archive whose ${zip.name} does not match its CRC-32 (a damaged archive)`);
    }
    if (partBytes > 0) {
      // The last line has no newline.
      line++;
      const record = decodeRecord(Buffer.concat(parts, partBytes), line);
      if (record !== null) yield record;
    }
  } catch (err) {
    if (err instanceof TraceError) throw err;
    throw readError(file, line + 1, err);
  } finally {
    source?.destroy();
    raw?.destroy();
    await handle.close();
  }
}

/** Decodes one line (without its LF); null for a blank line. */
function decodeRecord(bytes: Buffer, line: number): CsvRecord | CsvBadRecord | null {
  let end = bytes.length;
  if (end > 0 && bytes[end - 1] === CR) end--;
  let begin = 0;
  // A UTF-8 byte-order mark, as spreadsheet exports write it.
  if (line === 1 && end >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) begin = 3;
  if (end === begin) return null;
  const body = bytes.subarray(begin, end);
  if (body.indexOf(0) !== -1) return { line, fields: null, problem: 'contains NUL bytes (binary data, not CSV text)' };
  if (!isUtf8(body)) return { line, fields: null, problem: 'is not valid UTF-8 text' };
  const fields = parseCsvLine(body.toString('utf8'));
  return typeof fields === 'string' ? { line, fields: null, problem: fields } : { line, fields };
}

/**
 * Splits one CSV line into fields (RFC 4180 quoting); returns a description
 * of the problem instead when the line is not well-formed.
 */
export function parseCsvLine(text: string): string[] | string {
  if (text.indexOf('"') === -1) return text.split(',');
  const fields: string[] = [];
  const n = text.length;
  let i = 0;
  for (;;) {
    if (text.charCodeAt(i) === QUOTE) {
      let value = '';
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q === -1) return `field ${fields.length + 1} has an unterminated quote (a quoted field cannot span lines)`;
        if (text.charCodeAt(q + 1) === QUOTE) {
          value += text.slice(j, q + 1);
          j = q + 2;
          continue;
        }
        value += text.slice(j, q);
        i = q + 1;
        break;
      }
      fields.push(value);
      if (i === n) return fields;
      if (text.charCodeAt(i) !== COMMA) return `field ${fields.length} has text after its closing quote`;
    } else {
      const comma = text.indexOf(',', i);
      const end = comma === -1 ? n : comma;
      const value = text.slice(i, end);
      if (value.indexOf('"') !== -1) return `field ${fields.length + 1} has a quote but does not start with one`;
      fields.push(value);
      if (comma === -1) return fields;
      i = comma;
    }
    // text[i] is a comma: a field follows, possibly empty at the end of the line.
    i++;
    if (i === n) {
      fields.push('');
      return fields;
    }
  }
}

function tooLong(file: string, line: number, max: number): TraceError {
  // The limit is the reader's, not a scenario key: say what to check instead of what to raise.
  return new TraceError(
    file,
    line,
    `record is longer than ${max} bytes, the longest a trace line may be; is this a CSV trace (one transaction per line, no quoted newlines)?`,
  );
}

function inflatesTooMuch(file: string, line: number, compressed: number, limit: number, zipped: boolean): TraceError {
  return new TraceError(
    file,
    line,
    `${zipped ? 'zipped' : 'gzip'} data inflates to more than ${limit} bytes, the limit for a ${compressed}-byte file (${MAX_INFLATE_RATIO} times its size, at least ${MIN_INFLATE_LIMIT_BYTES}; CSV exports compress about 4x); is this a CSV trace?`,
  );
}

function openError(file: string, err: unknown): TraceError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const what =
    code === 'ENOENT'
      ? 'trace file not found'
      : code === 'EISDIR'
        ? 'is a directory, not a trace file'
        : code === 'EACCES'
          ? 'trace file is not readable (permission denied)'
          : `cannot open the trace file (${(err as Error).message})`;
  return new TraceError(file, undefined, what, { cause: err });
}

function readError(file: string, line: number, err: unknown): TraceError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const message = (err as Error | undefined)?.message ?? String(err);
  // zlib's codes all start with Z_ (Z_DATA_ERROR, Z_BUF_ERROR); a truncated file ends with "unexpected end of file".
  const what =
    code?.startsWith('Z_') === true || /unexpected end of file/i.test(message)
      ? `compressed (gzip or ZIP) data is damaged or truncated (${message})`
      : `cannot read the trace file (${message})`;
  return new TraceError(file, line, what, { cause: err });
}
