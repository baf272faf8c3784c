import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateRawSync, gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TraceError } from '../../simulator/errors.js';
import { parseCsvLine, readCsvRecords } from '../../simulator/trace/csv-lines.js';
import type { TraceFormat, TraceRow } from '../../simulator/trace/formats.js';
import { type GenerateTraceOptions, generateTrace, syntheticAccounts, writeTraceFile } from '../../simulator/trace/generate.js';
import { readTrace, type TraceStats } from '../../simulator/trace/trace-reader.js';
import { ETHERSCAN_EXTRACT, MEV_INSPECT_EXTRACT, sharedFileOrSkip } from '../helpers/shared-data.js';

const SHIPPED = join(import.meta.dirname, '..', '..', 'configs', 'traces');

/** Bytes every gunzip stream of the reader has produced: what a decompression bomb test bounds, instead of a time. */
const inflated = vi.hoisted(() => ({ bytes: 0 }));
vi.mock('node:zlib', async (importOriginal) => {
  const zlib = await importOriginal<typeof import('node:zlib')>();
  const createGunzip = (options?: import('node:zlib').ZlibOptions) => {
    const gunzip = zlib.createGunzip(options);
    const push = gunzip.push.bind(gunzip);
    gunzip.push = (chunk: unknown, encoding?: BufferEncoding) => {
      if (chunk instanceof Uint8Array) inflated.bytes += chunk.byteLength;
      return push(chunk, encoding);
    };
    return gunzip;
  };
  return { ...zlib, default: { ...zlib, createGunzip }, createGunzip };
});

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'shardsim-trace-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A fresh file in the test's temporary directory. */
function tempFile(content: string | Buffer, suffix = '.csv'): string {
  const file = join(dir, `${randomUUID()}${suffix}`);
  writeFileSync(file, content);
  return file;
}

async function readAll(file: string, format: TraceFormat, onBadRow: 'error' | 'skip' = 'error'): Promise<{ rows: TraceRow[]; stats: TraceStats }> {
  const trace = readTrace({ file, format, onBadRow });
  const rows: TraceRow[] = [];
  for await (const row of trace.rows) rows.push(row);
  return { rows, stats: trace.stats };
}

/** The TraceError a promise rejects with (fails the test if it resolves or rejects otherwise). */
async function traceError(p: Promise<unknown>): Promise<TraceError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TraceError);
  return err as TraceError;
}

const SMALL: GenerateTraceOptions = {
  rows: 5000,
  accounts: 2000,
  communities: 20,
  crossCommunity: 0.05,
  contracts: 10,
  seed: 1,
  format: 'ethereum-etl',
  txPerBlock: 100,
  blockSeconds: 12,
};

const ETL_HEADER = 'hash,nonce,block_hash,block_number,transaction_index,from_address,to_address,value,gas,gas_price,input,block_timestamp';
const A = `0x${'ab'.repeat(20)}`;
const B = `0x${'CD'.repeat(20)}`;
function etlRow(over: Partial<Record<'block' | 'from' | 'to' | 'value' | 'gas' | 'input' | 'ts', string>> = {}): string {
  const r = { block: '100', from: A, to: B, value: '1000', gas: '21000', input: '0x', ts: '1600000000', ...over };
  return `0x${'11'.repeat(32)},0,0x${'22'.repeat(32)},${r.block},0,${r.from},${r.to},${r.value},${r.gas},1,${r.input},${r.ts}`;
}

describe('CSV records', () => {
  it('follow RFC 4180: quoted commas, doubled quotes, empty fields', () => {
    expect(parseCsvLine('a,"b,c","say ""hi""",,""')).toEqual(['a', 'b,c', 'say "hi"', '', '']);
    expect(parseCsvLine('a,')).toEqual(['a', '']);
    expect(parseCsvLine('"a",')).toEqual(['a', '']);
    expect(typeof parseCsvLine('"open')).toBe('string');
    expect(typeof parseCsvLine('"a"b,c')).toBe('string');
    expect(typeof parseCsvLine('a"b,c')).toBe('string');
  });

  it('read CRLF and LF alike, skip blank lines, number lines from 1, drop a BOM', async () => {
    const file = tempFile('\uFEFFx,y\r\n1,"2,3"\r\n\r\n4,5\n6,7');
    const got: unknown[] = [];
    for await (const r of readCsvRecords(file)) got.push(r);
    expect(got).toEqual([
      { line: 1, fields: ['x', 'y'] },
      { line: 2, fields: ['1', '2,3'] },
      { line: 4, fields: ['4', '5'] },
      { line: 5, fields: ['6', '7'] },
    ]);
  });

  it('report NUL bytes and invalid UTF-8 as bad records and go on', async () => {
    const file = tempFile(Buffer.concat([Buffer.from('a,b\n1,\0\n'), Buffer.from([0xff, 0xfe, 0x2c, 0x0a]), Buffer.from('2,3\n')]));
    const got: unknown[] = [];
    for await (const r of readCsvRecords(file)) got.push(r);
    expect(got).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: null, problem: expect.stringMatching(/NUL/) },
      { line: 3, fields: null, problem: expect.stringMatching(/UTF-8/) },
      { line: 4, fields: ['2', '3'] },
    ]);
  });

  it('read gzip files by their magic bytes', async () => {
    const file = tempFile(gzipSync('a,b\n1,2\n'), '.bin');
    const got: unknown[] = [];
    for await (const r of readCsvRecords(file)) got.push(r);
    expect(got).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
    ]);
  });
});

describe('trace formats', () => {
  it('ethereum-etl rows map to TraceRows (addresses lower-cased, creations have no receiver)', async () => {
    const file = tempFile(
      [
        ETL_HEADER,
        etlRow(),
        etlRow({ input: '0xa9059cbb00', value: '0', ts: '2020-09-13 12:26:40 UTC' }),
        etlRow({ to: '', input: '0x6080' }),
        etlRow({ ts: '' }),
      ].join('\n'),
    );
    const { rows, stats } = await readAll(file, 'ethereum-etl');
    expect(stats).toEqual({ rows: 4, skipped: 0, firstBadLine: null });
    expect(rows[0]).toEqual({
      line: 2,
      block: 100,
      timestamp: 1_600_000_000,
      from: 'ab'.repeat(20),
      to: 'cd'.repeat(20),
      value: 1000n,
      gas: 21000,
      isCall: false,
      failed: false,
      inputBytes: 0,
      call: null,
      access: null,
      gasUsed: null,
    });
    expect(rows[1]).toMatchObject({ isCall: true, value: 0n, timestamp: 1_600_000_000, inputBytes: 5, call: { kind: 'unknown', selector: 'a9059cbb' } });
    expect(rows[2]).toMatchObject({ to: null, isCall: false, inputBytes: 2 });
    expect(rows[3]!.timestamp).toBeNull();
  });

  it("a row's input gives its call data size; input that is not whole bytes of hex is a bad row naming the column", async () => {
    const sized = tempFile([ETL_HEADER, etlRow({ input: `0xa9059cbb${'00'.repeat(64)}` }), etlRow({ input: 'None' })].join('\n'));
    expect((await readAll(sized, 'ethereum-etl')).rows.map((r) => r.inputBytes)).toEqual([68, 0]);
    for (const bad of ['0xabc', '0xzz', 'deadbeef!']) {
      const file = tempFile([ETL_HEADER, etlRow({ input: bad })].join('\n'));
      expect((await traceError(readAll(file, 'ethereum-etl'))).message).toMatch(/:2: .*column input: ".*" is not hex bytes/);
    }
  });

  it("reads and writes columns give a row's storage keys, normalized; a malformed key is a bad row naming its column", async () => {
    const header = 'block_number,from_address,to_address,value,gas,input,reads,writes';
    const k = `0x${'ab'.repeat(20)}`;
    const ok = tempFile(`${header}\n1,${A},${B},0,21000,0x,${k}:0x1;${k}:0x01 ${k.toUpperCase().replace('0X', '0x')}:2,${k}:0x3\n1,${A},${B},0,21000,0x,,\n`);
    const rows = (await readAll(ok, 'ethereum-etl')).rows;
    const slot = (n: number) => `${'ab'.repeat(20)}:${n.toString(16).padStart(64, '0')}`;
    expect(rows[0]!.access).toEqual({ reads: [slot(1), slot(2)], writes: [slot(3)] });
    expect(rows[1]!.access).toEqual({ reads: [], writes: [] });
    for (const bad of [`${k}`, `${k}:`, `${k}:0x${'1'.repeat(65)}`, `0x12:0x1`]) {
      const file = tempFile(`${header}\n1,${A},${B},0,21000,0x,${bad},\n`);
      expect((await traceError(readAll(file, 'ethereum-etl'))).message).toMatch(/:2: .*column reads: .* is not an address:slot key/);
    }
    // Without the columns, no access list.
    expect((await readAll(tempFile([ETL_HEADER, etlRow()].join('\n')), 'ethereum-etl')).rows[0]!.access).toBeNull();
  });

  it('the shipped synthetic traces parse in both formats and describe the same transactions', async () => {
    const etl = await readAll(join(SHIPPED, 'communities-etl.csv'), 'ethereum-etl');
    const xblock = await readAll(join(SHIPPED, 'communities-xblock.csv'), 'xblock');
    expect(etl.stats).toEqual({ rows: 5000, skipped: 0, firstBadLine: null });
    expect(xblock.stats).toEqual({ rows: 2000, skipped: 0, firstBadLine: null });
    // XBlock-ETH's files have no input column: the same rows, sizes and calls unknown.
    // XBlock's gasUsed is the receipt's, as ethereum-etl's receipt_gas_used.
    expect(xblock.rows).toEqual(etl.rows.slice(0, 2000).map((r) => ({ ...r, inputBytes: null, call: null, access: null })));
    // The ethereum-etl file carries BigQuery's receipt_gas_used.
    expect(etl.rows.every((r) => r.gasUsed !== null && r.gasUsed <= r.gas)).toBe(true);
    // Their calls' selectors are the generator's own: none decodes, so calls replay on the contract-level key.
    expect(etl.rows.every((r) => r.call === null || r.call.kind === 'unknown')).toBe(true);
    const calls = etl.rows.filter((r) => r.isCall);
    expect(calls.length).toBeGreaterThan(500);
    for (const r of calls) expect(r.gas).toBeGreaterThanOrEqual(30_000);
    for (const r of etl.rows.filter((r) => !r.isCall)) expect(r.gas).toBe(21_000);
    // The shipped files are exactly what the generator writes (configs/traces/README.md).
    expect(readFileSync(join(SHIPPED, 'communities-etl.csv'), 'utf8')).toBe(generateTrace(SMALL));
    expect(readFileSync(join(SHIPPED, 'communities-xblock.csv'), 'utf8')).toBe(generateTrace({ ...SMALL, rows: 2000, format: 'xblock' }));
  });

  it('xblock creations (to None, toCreate set) and calls by selector or contract receiver', async () => {
    const header = 'blockNumber,timestamp,transactionHash,from,to,toCreate,fromIsContract,toIsContract,value,gasLimit,gasPrice,gasUsed,callingFunction,isError';
    const file = tempFile(
      [
        header,
        `7,1500000000,0x1,${A},None,${B},0,0,0,500000,1,400000,0x,0`,
        `7,1500000000,0x2,${A},${B},None,0,1,0,90000,1,50000,0x,1`,
        `8,1500000012,0x3,${A},${B},None,0,0,5,60000,1,50000,0xa9059cbb,0`,
        `8,1500000012,0x4,${A},${B},None,0,0,5,21000,1,21000,0x,0`,
      ].join('\n'),
    );
    const { rows } = await readAll(file, 'xblock');
    expect(rows.map((r) => [r.to === null, r.isCall, r.failed])).toEqual([
      [true, false, false],
      [false, true, true],
      [false, true, false],
      [false, false, false],
    ]);
    const noCreate = tempFile(`${header}\n7,1500000000,0x1,${A},None,None,0,0,0,500000,1,400000,0x,0\n`);
    expect((await traceError(readAll(noCreate, 'xblock'))).message).toMatch(/column to: .*toCreate/);
  });

  it('the real Etherscan extract parses (first 1,000 rows)', async ({ skip }) => {
    const real = sharedFileOrSkip(ETHERSCAN_EXTRACT, skip);
    const { rows, stats } = readTrace({ file: real, format: 'etherscan', onBadRow: 'error' });
    const got: TraceRow[] = [];
    for await (const row of rows) {
      got.push(row);
      if (got.length === 1000) break;
    }
    expect(stats).toEqual({ rows: 1000, skipped: 0, firstBadLine: null });
    expect(got[0]).toMatchObject({ line: 2, block: 15_200_001, timestamp: 1_658_593_968, from: '4c53bef1df2524f0ea0f3b68bf148d32adbbbe95', isCall: true });
    for (const r of got) {
      expect(r.block).toBeGreaterThanOrEqual(15_200_001);
      expect(r.from).toMatch(/^[0-9a-f]{40}$/);
    }
    // The extract holds only calls to popular contracts.
    expect(got.every((r) => r.isCall)).toBe(true);
  });
});

/**
 * A ZIP archive of `entries` (APPNOTE.TXT 4.3): deflated or stored, and with `descriptor` the sizes left 0 in the
 * local header and written after the data (general purpose bit 3), as streaming writers do.
 */
function zipOf(entries: ReadonlyArray<{ name: string; data: Buffer; deflate?: boolean; descriptor?: boolean }>): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const body = e.deflate === false ? e.data : deflateRawSync(e.data);
    const crc = crc32(e.data);
    const name = Buffer.from(e.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(e.descriptor === true ? 8 : 0, 6);
    local.writeUInt16LE(e.deflate === false ? 0 : 8, 8);
    if (e.descriptor !== true) {
      local.writeUInt32LE(crc, 14);
      local.writeUInt32LE(body.length, 18);
      local.writeUInt32LE(e.data.length, 22);
    }
    local.writeUInt16LE(name.length, 26);
    const descriptor = Buffer.alloc(e.descriptor === true ? 16 : 0);
    if (e.descriptor === true) {
      descriptor.writeUInt32LE(0x08074b50, 0);
      descriptor.writeUInt32LE(crc, 4);
      descriptor.writeUInt32LE(body.length, 8);
      descriptor.writeUInt32LE(e.data.length, 12);
    }
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(e.descriptor === true ? 8 : 0, 8);
    dir.writeUInt16LE(e.deflate === false ? 0 : 8, 10);
    dir.writeUInt32LE(crc, 16);
    dir.writeUInt32LE(body.length, 20);
    dir.writeUInt32LE(e.data.length, 24);
    dir.writeUInt16LE(name.length, 28);
    dir.writeUInt32LE(offset, 42);
    central.push(dir, name);
    parts.push(local, name, body, descriptor);
    offset += local.length + name.length + body.length + descriptor.length;
  }
  const dirBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dirBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, dirBytes, end]);
}

describe('XBlock-ETH archives (a trace as a ZIP of one CSV)', () => {
  const csv = readFileSync(join(SHIPPED, 'communities-xblock.csv'));

  it('replay as the CSV they hold: deflated or stored, sizes in the header or after the data', async () => {
    const plain = await readAll(join(SHIPPED, 'communities-xblock.csv'), 'xblock');
    for (const options of [{}, { deflate: false }, { descriptor: true }, { deflate: false, descriptor: true }]) {
      const zipped = await readAll(tempFile(zipOf([{ name: 'blocks/0to999999_BlockTransaction.csv', data: csv, ...options }]), '.zip'), 'xblock');
      expect(zipped.rows).toEqual(plain.rows);
    }
    // A readme beside the CSV is left alone.
    const withReadme = zipOf([
      { name: 'README.txt', data: Buffer.from('XBlock-ETH') },
      { name: 'BlockTransaction.csv', data: csv },
    ]);
    expect((await readAll(tempFile(withReadme, '.zip'), 'xblock')).rows).toEqual(plain.rows);
  });

  it('an archive of several CSVs, a damaged one and one whose data fails its CRC-32 are TraceErrors saying so', async () => {
    const two = zipOf([
      { name: 'a.csv', data: csv },
      { name: 'b.csv', data: csv },
    ]);
    expect((await traceError(readAll(tempFile(two, '.zip'), 'xblock'))).message).toMatch(/holding a\.csv, b\.csv; a trace archive holds one CSV file/);
    const whole = zipOf([{ name: 't.csv', data: csv, deflate: false }]);
    expect((await traceError(readAll(tempFile(whole.subarray(0, whole.length - 30), '.zip'), 'xblock'))).message).toMatch(/no end of central directory/);
    const flipped = Buffer.from(whole);
    flipped[200] = flipped[200]! ^ 0x01;
    const err = await traceError(readAll(tempFile(flipped, '.zip'), 'xblock', 'skip'));
    expect(err.message).toMatch(/does not match its CRC-32/);
  });

  it('mutated archives either parse or throw a TraceError naming the file, never crash', async () => {
    const small = zipOf([{ name: 't.csv', data: csv.subarray(0, csv.indexOf('\n', 3_000) + 1), descriptor: true }]);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(small.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), async (edits) => {
        const bytes = Buffer.from(small);
        for (const [at, v] of edits) bytes[at] = v;
        const file = tempFile(bytes, '.zip');
        try {
          await readAll(file, 'xblock', 'skip');
        } catch (err) {
          expect(err).toBeInstanceOf(TraceError);
          expect((err as TraceError).message.startsWith(file)).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('custom layouts (format: custom, columns named by the scenario)', () => {
  const COLUMNS = { block: 'Block', from: 'Sender', to: 'Receiver', value: 'Wei', gasUsed: 'Used', isCall: 'HasCode' };
  const A = `0x${'aa'.repeat(20)}`;
  const B = `0x${'BB'.repeat(20)}`;

  it('map any header by name: a field left out means no value, unknown gas, no call', async () => {
    const file = tempFile(`Extra,Block,Sender,Receiver,Wei,Used,HasCode\nx,7,${A},${B},5,60000,1\ny,8,${B},,0,,0\n`);
    const trace = readTrace({ file, format: 'custom', onBadRow: 'error', columns: COLUMNS });
    const rows: TraceRow[] = [];
    for await (const r of trace.rows) rows.push(r);
    expect(rows[0]).toMatchObject({
      block: 7,
      from: 'aa'.repeat(20),
      to: 'bb'.repeat(20),
      value: 5n,
      gasUsed: 60_000,
      gas: 60_000,
      isCall: true,
      inputBytes: null,
    });
    // An empty receiver is a creation; an empty gas used is unknown.
    expect(rows[1]).toMatchObject({ block: 8, to: null, gasUsed: null, isCall: false });
    const bare = tempFile(`b,f,t\n3,${A},${B}\n`);
    const only = readTrace({ file: bare, format: 'custom', onBadRow: 'error', columns: { block: 'b', from: 'f', to: 't' } });
    for await (const r of only.rows) expect(r).toMatchObject({ value: 0n, gasUsed: null, isCall: false, failed: false, access: null, timestamp: null });
  });

  it('a named column the header lacks is a TraceError naming it; a bad field names its column', async () => {
    const file = tempFile(`Block,Sender,Receiver,Wei\n7,${A},${B},5\n`);
    const err = await traceError(readAll2(file));
    expect(err.message).toMatch(/lacks columns Used, HasCode, named by workload\.trace\.columns \(the header has Block, Sender, Receiver, Wei\)/);
    const bad = tempFile(`Block,Sender,Receiver,Wei,Used,HasCode\n7,${A},${B},5,lots,1\n`);
    expect((await traceError(readAll2(bad))).message).toMatch(/column Used: "lots" is not a non-negative integer/);
  });

  async function readAll2(file: string): Promise<void> {
    for await (const _ of readTrace({ file, format: 'custom', onBadRow: 'error', columns: COLUMNS }).rows);
  }

  it("the shipped real mainnet blocks are the shared mev-inspect extract's blocks whose gas is real, row for row", async ({ skip }) => {
    const shared = sharedFileOrSkip(MEV_INSPECT_EXTRACT, skip);
    const lines = readFileSync(shared, 'utf8').trim().split(/\r?\n/);
    const header = lines[0]!.split(',');
    const valid = header.indexOf('gasUsedValid');
    const kept = lines
      .slice(1)
      .map((l) => l.split(','))
      .filter((f) => f[valid] === '1')
      .map((f) => f.filter((_, i) => i !== valid).join(','));
    const shipped = gunzipSync(readFileSync(join(SHIPPED, 'mainnet-blocks.csv.gz')))
      .toString('utf8')
      .trim()
      .split('\n');
    expect(shipped[0]).toBe(header.filter((_, i) => i !== valid).join(','));
    expect(shipped.slice(1)).toEqual(kept);
    expect(new Set(kept.map((l) => l.split(',')[0])).size).toBe(18);
  });
});

describe('bad rows', () => {
  const bad = [
    etlRow(),
    etlRow({ from: '0x1234' }),
    etlRow({ value: '-5' }),
    etlRow({ value: '1.5' }),
    etlRow({ gas: 'lots' }),
    etlRow({ block: '1e5' }),
    etlRow({ block: '50' }), // 50 blocks back from 100
    etlRow(),
  ];

  it('with onBadRow error, the first one throws naming the file, the line and the column', async () => {
    const file = tempFile([ETL_HEADER, ...bad].join('\n'));
    const err = await traceError(readAll(file, 'ethereum-etl'));
    expect(err.file).toBe(file);
    expect(err.line).toBe(3);
    expect(err.message).toContain(`${file}:3:`);
    expect(err.message).toMatch(/from_address.*"0x1234"/);
  });

  it('each kind of bad field names its column', async () => {
    const expected = [/from_address/, /value.*negative/, /value.*not an integer/, /gas.*"lots"/, /block_number.*"1e5"/, /block_number.*goes back/];
    for (let i = 0; i < expected.length; i++) {
      const file = tempFile([ETL_HEADER, etlRow(), bad[i + 1]].join('\n'));
      const err = await traceError(readAll(file, 'ethereum-etl'));
      expect(err.line).toBe(3);
      expect(err.message).toMatch(expected[i]!);
    }
  });

  it('with onBadRow skip, they are counted and skipped', async () => {
    const file = tempFile([ETL_HEADER, ...bad, 'too,few,fields', 'x\0y'].join('\n'));
    const { rows, stats } = await readAll(file, 'ethereum-etl', 'skip');
    expect(rows.map((r) => r.line)).toEqual([2, 9]);
    expect(stats).toEqual({ rows: 2, skipped: 8, firstBadLine: 3 });
  });

  it('a small step back in blocks is tolerated', async () => {
    const file = tempFile([ETL_HEADER, etlRow({ block: '100' }), etlRow({ block: '95' }), etlRow({ block: '101' })].join('\n'));
    expect((await readAll(file, 'ethereum-etl')).rows.map((r) => r.block)).toEqual([100, 95, 101]);
  });

  it('a missing required column is named, with the format', async () => {
    const file = tempFile([ETL_HEADER.replace(',gas,', ',gas_limit,').replace('from_address', 'sender'), etlRow()].join('\n'));
    const err = await traceError(readAll(file, 'ethereum-etl'));
    expect(err.line).toBe(1);
    expect(err.message).toMatch(/lacks columns from_address, gas, required by the "ethereum-etl" format/);
  });

  it('a header of another format is recognised in the message', async () => {
    const err = await traceError(readAll(join(SHIPPED, 'communities-xblock.csv'), 'ethereum-etl'));
    expect(err.message).toMatch(/fits the "xblock" format/);
  });

  it('a missing file is a TraceError saying so', () => {
    const file = join(dir, 'nope.csv');
    expect(() => readTrace({ file, format: 'xblock', onBadRow: 'error' })).toThrow(TraceError);
    expect(() => readTrace({ file, format: 'xblock', onBadRow: 'error' })).toThrow(/nope\.csv: trace file not found/);
  });

  it('an empty file and damaged gzip data are TraceErrors', async () => {
    expect((await traceError(readAll(tempFile(''), 'xblock'))).message).toMatch(/empty/);
    const gz = gzipSync(readFileSync(join(SHIPPED, 'communities-xblock.csv')));
    const truncated = tempFile(gz.subarray(0, gz.length >> 1), '.csv.gz');
    expect((await traceError(readAll(truncated, 'xblock'))).message).toMatch(/gzip/);
  });
});

describe('bounded memory', () => {
  it('a 5 MB line errors as soon as it passes the limit, without being read whole', async () => {
    const file = tempFile(`${ETL_HEADER}\n${etlRow()}\n${'a'.repeat(5 << 20)}\n${etlRow()}\n`);
    const before = process.memoryUsage();
    const err = await traceError(readAll(file, 'ethereum-etl', 'skip'));
    const after = process.memoryUsage();
    expect(err.line).toBe(3);
    expect(err.message).toMatch(/longer than 1048576 bytes/);
    expect(after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers).toBeLessThan(4 << 20);
  });

  it('a 1 GiB line in a small gzip file errors after inflating a few MiB of it (a decompression bomb is not inflated)', async () => {
    const file = join(dir, 'bomb.csv.gz');
    const { createGzip } = await import('node:zlib');
    const { pipeline } = await import('node:stream/promises');
    const { Readable } = await import('node:stream');
    const { createWriteStream } = await import('node:fs');
    const mib = Buffer.alloc(1 << 20, 0x61);
    await pipeline(
      Readable.from(
        (function* () {
          yield Buffer.from(`${ETL_HEADER}\n`);
          for (let i = 0; i < 1024; i++) yield mib;
        })(),
      ),
      createGzip({ level: 1 }),
      createWriteStream(file),
    );
    inflated.bytes = 0;
    const err = await traceError(readAll(file, 'ethereum-etl'));
    expect(err.line).toBe(2);
    // The line limit (1 MiB) plus what the streams buffer ahead, not the 1 GiB the file inflates to.
    expect(inflated.bytes).toBeGreaterThan(1 << 20);
    expect(inflated.bytes).toBeLessThan(16 << 20);
  });

  it('the maxLineBytes option sets the limit', async () => {
    const file = tempFile([ETL_HEADER, etlRow({ input: `0x${'00'.repeat(600)}` })].join('\n'));
    const trace = readTrace({ file, format: 'ethereum-etl', onBadRow: 'error', maxLineBytes: 1000 });
    const err = await traceError(
      (async () => {
        for await (const _ of trace.rows);
      })(),
    );
    expect(err.line).toBe(2);
    expect(err.message).toMatch(/longer than 1000 bytes/);
  });

  it('a 300,000-row generated trace streams with heap growth far below its size', async () => {
    const file = join(dir, 'big.csv');
    await writeTraceFile({ ...SMALL, rows: 300_000, accounts: 100_000, communities: 100 }, file);
    const fileBytes = statSync(file).size;
    const base = process.memoryUsage().heapUsed;
    let peak = 0;
    let n = 0;
    let value = 0n;
    const trace = readTrace({ file, format: 'ethereum-etl', onBadRow: 'error' });
    for await (const row of trace.rows) {
      value += row.value;
      if (++n % 10_000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed - base);
    }
    expect(n).toBe(300_000);
    expect(value).toBeGreaterThan(0n);
    expect(fileBytes).toBeGreaterThan(50e6);
    expect(peak).toBeLessThan(fileBytes / 5);
  });
});

describe('robustness (property)', () => {
  const valid = generateTrace({ ...SMALL, rows: 20, format: 'xblock' });
  const lines = valid.split('\n');

  /** Mutations of a valid trace: truncation, shuffled fields, garbage bytes, duplicated or dropped lines. */
  const mutated = fc
    .tuple(
      fc.array(
        fc.oneof(
          fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
          fc.record({ kind: fc.constant('shuffle' as const), line: fc.nat(), seed: fc.nat() }),
          fc.record({ kind: fc.constant('garbage' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 12 }) }),
          fc.record({ kind: fc.constant('drop' as const), line: fc.nat() }),
          fc.record({ kind: fc.constant('swapLines' as const), a: fc.nat(), b: fc.nat() }),
        ),
        { maxLength: 5 },
      ),
      fc.boolean(),
    )
    .map(([ops, gzip]) => {
      let text = lines.slice();
      let bytes: Buffer | null = null;
      for (const op of ops) {
        if (op.kind === 'shuffle' || op.kind === 'drop' || op.kind === 'swapLines') {
          if (bytes !== null) continue;
          if (op.kind === 'shuffle') {
            const i = op.line % text.length;
            const f = text[i]!.split(',');
            for (let k = f.length - 1; k > 0; k--) {
              const j = (op.seed + k * 7919) % (k + 1);
              [f[k], f[j]] = [f[j]!, f[k]!];
            }
            text[i] = f.join(',');
          } else if (op.kind === 'drop') {
            text = text.filter((_, i) => i !== op.line % text.length);
          } else {
            const a = op.a % text.length;
            const b = op.b % text.length;
            [text[a], text[b]] = [text[b]!, text[a]!];
          }
        } else {
          bytes ??= Buffer.from(text.join('\n'));
          const at: number = op.at % (bytes.length + 1);
          bytes = op.kind === 'truncate' ? bytes.subarray(0, at) : Buffer.concat([bytes.subarray(0, at), Buffer.from(op.bytes), bytes.subarray(at)]);
        }
      }
      const plain = bytes ?? Buffer.from(text.join('\n'));
      return gzip ? gzipSync(plain) : plain;
    });

  it('mutated traces either parse or throw a TraceError, in both modes', async () => {
    await fc.assert(
      fc.asyncProperty(mutated, fc.constantFrom<'error' | 'skip'>('error', 'skip'), async (content, onBadRow) => {
        const file = tempFile(content);
        try {
          const { rows, stats } = await readAll(file, 'xblock', onBadRow);
          expect(rows.length).toBe(stats.rows);
          for (const r of rows) expect(r.from).toMatch(/^[0-9a-f]{40}$/);
        } catch (err) {
          if (!(err instanceof TraceError)) throw err;
        } finally {
          rmSync(file);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('garbage inside gzip data is a TraceError or parses, never a crash', async () => {
    const gz = gzipSync(valid);
    await fc.assert(
      fc.asyncProperty(fc.nat(gz.length - 1), fc.integer({ min: 1, max: 255 }), async (at, xor) => {
        const damaged = Buffer.from(gz);
        damaged[at]! ^= xor;
        const file = tempFile(damaged, '.csv.gz');
        try {
          await readAll(file, 'xblock', 'skip');
        } catch (err) {
          if (!(err instanceof TraceError)) throw err;
        } finally {
          rmSync(file);
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('synthetic traces', () => {
  it('are deterministic: the same seed gives the same string, another seed another', () => {
    const opts = { ...SMALL, rows: 500 };
    expect(generateTrace(opts)).toBe(generateTrace(opts));
    expect(generateTrace({ ...opts, seed: 2 })).not.toBe(generateTrace(opts));
  });

  it('have community structure: the in-community share is about 1 - crossCommunity', async () => {
    for (const crossCommunity of [0.05, 0.3]) {
      const opts = { ...SMALL, rows: 20_000, crossCommunity };
      const file = tempFile(generateTrace(opts));
      const { communityOf } = syntheticAccounts(opts);
      const { rows } = await readAll(file, 'ethereum-etl');
      const inside = rows.filter((r) => communityOf.get(r.from) === communityOf.get(r.to!)).length / rows.length;
      expect(inside).toBeCloseTo(1 - crossCommunity, 1);
      expect(Math.abs(inside - (1 - crossCommunity))).toBeLessThan(0.01);
    }
  });

  it('have Zipf-popular receivers and blocks of txPerBlock rows blockSeconds apart', async () => {
    const opts = { ...SMALL, rows: 10_000, txPerBlock: 50, blockSeconds: 12 };
    const { rows } = await readAll(tempFile(generateTrace(opts)), 'ethereum-etl');
    const hits = new Map<string, number>();
    for (const r of rows) if (!r.isCall) hits.set(r.to!, (hits.get(r.to!) ?? 0) + 1);
    const counts = [...hits.values()].sort((a, b) => b - a);
    // Top receivers of 20 communities take a large share; uniform receivers would give about 5 each.
    expect(counts[0]!).toBeGreaterThan(50);
    expect(rows[49]!.block).toBe(rows[0]!.block);
    expect(rows[50]!.block).toBe(rows[0]!.block + 1);
    expect(rows[50]!.timestamp! - rows[0]!.timestamp!).toBe(12);
  });

  it('reject impossible options with a ConfigError naming the option', () => {
    expect(() => generateTrace({ ...SMALL, crossCommunity: 1.5 })).toThrow(/crossCommunity/);
    expect(() => generateTrace({ ...SMALL, accounts: 30 })).toThrow(/accounts/);
  });
});
