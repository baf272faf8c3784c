/**
 * Where a ZIP archive keeps its one CSV file, so a trace published as a zip
 * (XBlock-ETH's files are) streams without being unpacked first. Read from
 * the central directory, not the local header, because writers that stream
 * (as most do) leave the local header's sizes 0 and put them after the data
 * (general purpose flag bit 3); ZIP64 records give the sizes and offsets of
 * archives past 4 GiB. Format: PKWARE's APPNOTE.TXT, sections 4.3 (layout),
 * 4.4 (fields) and 4.5.3 (the ZIP64 extra field).
 */
import type { FileHandle } from 'node:fs/promises';
import { TraceError } from '../errors.js';

/** The first bytes of a ZIP archive: a local file header's signature, "PK\3\4". */
export function isZip(magic: Buffer): boolean {
  return magic.length >= 4 && magic.readUInt32LE(0) === 0x04034b50;
}

export interface ZipEntry {
  readonly name: string;
  /** 0: stored; 8: deflated. */
  readonly method: 0 | 8;
  /** Where its data starts in the archive, and how many bytes it takes there. */
  readonly dataStart: number;
  readonly compressedSize: number;
  readonly size: number;
  /** CRC-32 of its uncompressed bytes. */
  readonly crc: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
/** The end record is 22 bytes plus a comment of at most 65,535. */
const EOCD_SEARCH = 22 + 0xffff;
/** The most of a central directory read: a trace archive holds a handful of entries. */
const MAX_DIRECTORY_BYTES = 1 << 20;

async function bytesAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buf, 0, length, position);
  return buf.subarray(0, bytesRead);
}

/**
 * The archive's CSV entry: its only file, or its only file named `*.csv`.
 * Throws a TraceError naming the file for a damaged archive, an entry
 * compressed other than by deflate, or an archive with no CSV or several.
 */
export async function zipCsvEntry(handle: FileHandle, fileSize: number, file: string): Promise<ZipEntry> {
  const bad = (why: string): TraceError => new TraceError(file, undefined, `is a ZIP archive that cannot be read: ${why}`);
  const tailStart = Math.max(0, fileSize - EOCD_SEARCH);
  const tail = await bytesAt(handle, tailStart, fileSize - tailStart);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw bad('no end of central directory record (a truncated download?)');
  let entries = tail.readUInt16LE(eocd + 10);
  let dirSize = tail.readUInt32LE(eocd + 12);
  let dirOffset = tail.readUInt32LE(eocd + 16);
  if (dirOffset === 0xffffffff || dirSize === 0xffffffff || entries === 0xffff) {
    // ZIP64: a locator right before the end record points to the ZIP64 end record.
    const locatorAt = tailStart + eocd - 20;
    const locator = locatorAt >= 0 ? await bytesAt(handle, locatorAt, 20) : Buffer.alloc(0);
    if (locator.length < 20 || locator.readUInt32LE(0) !== ZIP64_LOCATOR) throw bad('a ZIP64 archive without its ZIP64 locator');
    const record = await bytesAt(handle, Number(locator.readBigUInt64LE(8)), 56);
    if (record.length < 56 || record.readUInt32LE(0) !== ZIP64_EOCD) throw bad('a damaged ZIP64 end of central directory record');
    entries = Number(record.readBigUInt64LE(32));
    dirSize = Number(record.readBigUInt64LE(40));
    dirOffset = Number(record.readBigUInt64LE(48));
  }
  if (dirSize > MAX_DIRECTORY_BYTES || dirOffset + dirSize > fileSize) throw bad(`a central directory of ${dirSize} bytes at ${dirOffset}`);
  const dir = await bytesAt(handle, dirOffset, dirSize);
  const found: Array<Omit<ZipEntry, 'dataStart'> & { readonly localHeader: number; readonly methodCode: number }> = [];
  let at = 0;
  for (let n = 0; n < entries; n++) {
    if (at + 46 > dir.length || dir.readUInt32LE(at) !== CENTRAL) throw bad(`central directory entry ${n + 1} is damaged`);
    const methodCode = dir.readUInt16LE(at + 10);
    const crc = dir.readUInt32LE(at + 16);
    let compressedSize = dir.readUInt32LE(at + 20);
    let size = dir.readUInt32LE(at + 24);
    const nameLength = dir.readUInt16LE(at + 28);
    const extraLength = dir.readUInt16LE(at + 30);
    const commentLength = dir.readUInt16LE(at + 32);
    let localHeader = dir.readUInt32LE(at + 42);
    const name = dir.toString('utf8', at + 46, at + 46 + nameLength);
    // The ZIP64 extra field holds, in this order, whichever of size, compressed size and offset are 0xffffffff here.
    const extraEnd = at + 46 + nameLength + extraLength;
    for (let e = at + 46 + nameLength; e + 4 <= extraEnd; ) {
      const id = dir.readUInt16LE(e);
      const length = dir.readUInt16LE(e + 2);
      if (id === 0x0001) {
        let f = e + 4;
        const next = (): number => {
          if (f + 8 > e + 4 + length) throw bad(`the ZIP64 field of ${name} is too short`);
          const v = Number(dir.readBigUInt64LE(f));
          f += 8;
          return v;
        };
        if (size === 0xffffffff) size = next();
        if (compressedSize === 0xffffffff) compressedSize = next();
        if (localHeader === 0xffffffff) localHeader = next();
      }
      e += 4 + length;
    }
    if (!name.endsWith('/')) found.push({ name, method: methodCode === 8 ? 8 : 0, methodCode, compressedSize, size, crc, localHeader });
    at = extraEnd + commentLength;
  }
  const csv = found.length === 1 ? found : found.filter((f) => f.name.toLowerCase().endsWith('.csv'));
  if (csv.length !== 1) {
    const names = found.map((f) => f.name).join(', ') || 'nothing';
    throw new TraceError(file, undefined, `is a ZIP archive holding ${names}; a trace archive holds one CSV file (unpack the one to replay)`);
  }
  const entry = csv[0]!;
  if (entry.methodCode !== 0 && entry.methodCode !== 8) {
    throw new TraceError(
      file,
      undefined,
      `is a ZIP archive whose ${entry.name} is compressed by method ${entry.methodCode}; only stored (0) and deflated (8) entries are read`,
    );
  }
  const local = await bytesAt(handle, entry.localHeader, 30);
  if (local.length < 30 || local.readUInt32LE(0) !== LOCAL) throw bad(`the local header of ${entry.name} is damaged`);
  const dataStart = entry.localHeader + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  if (dataStart + entry.compressedSize > fileSize) throw bad(`${entry.name}'s data runs past the end of the file`);
  return { name: entry.name, method: entry.method, dataStart, compressedSize: entry.compressedSize, size: entry.size, crc: entry.crc };
}
