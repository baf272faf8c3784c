/**
 * Hostile input: config files, trace files and command-line arguments never
 * produce a stack trace or a hang. Every case either succeeds or fails with
 * the project's typed error naming where (ConfigError: file or key path;
 * TraceError: file and line), in bounded memory (a hang fails by the test timeout; timings belong in the bench).
 */
import { execFile, execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, constants, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { ConfigError } from '../../crosslink/common/errors.js';
import { applyAxis, applyOverride, loadScenario, MAX_FILE_BYTES, readScenarioFile, validateScenario } from '../../simulator/config/load.js';
import { TraceError } from '../../simulator/errors.js';
import { readCsvRecords } from '../../simulator/trace/csv-lines.js';
import type { TraceFormat } from '../../simulator/trace/formats.js';
import { generateTrace } from '../../simulator/trace/generate.js';
import { readTrace } from '../../simulator/trace/trace-reader.js';
import { scanTrace, traceSlots } from '../../simulator/workloads/trace-replay.js';
import { CLI, ROOT } from '../helpers/cli.js';

const CONFIGS = join(ROOT, 'configs');
const SHIPPED = readdirSync(CONFIGS)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => ({ name: f, text: readFileSync(join(CONFIGS, f), 'utf8') }));

let dir: string;
/** Two FIFOs: one nobody writes to, one the test writes to (unset without mkfifo). */
let fifo: string | undefined;
let silentFifo: string | undefined;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'shardsim-hostile-'));
  try {
    execFileSync('mkfifo', [join(dir, 'fifo'), join(dir, 'silent-fifo')]);
    fifo = join(dir, 'fifo');
    silentFifo = join(dir, 'silent-fifo');
  } catch {
    fifo = undefined; // no mkfifo on this system: the FIFO cases are skipped below
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tempFile(content: string | Buffer, name = `${randomUUID()}.yaml`): string {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

/** Runs `f`; it must return or throw a ConfigError. Returns the error, if any. (A hang fails by the test timeout.) */
function configOutcome(f: () => unknown): ConfigError | undefined {
  try {
    f();
    return undefined;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw new Error(`expected a ConfigError, got ${String(err)}`, { cause: err });
    expect(err.where.length).toBeGreaterThan(0);
    expect(err.message.length).toBeLessThan(4_000); // one readable paragraph, whatever the input
    return err;
  }
}

function expectConfigError(f: () => unknown, ...mentions: RegExp[]): ConfigError {
  const err = configOutcome(f);
  expect(err, 'expected a ConfigError').toBeInstanceOf(ConfigError);
  for (const m of mentions) expect(err!.message).toMatch(m);
  return err!;
}

function loadText(text: string | Buffer, name?: string): unknown {
  const file = tempFile(text, name);
  try {
    return validateScenario(readScenarioFile(file), file);
  } finally {
    rmSync(file, { force: true });
  }
}

const unpolluted = (): void => {
  const probe = {} as Record<string, unknown>;
  for (const k of ['x', 'polluted', 'threads', 'a']) expect(probe[k], `Object.prototype.${k}`).toBeUndefined();
};

/** Values that break naive loaders: extremes, wrong types, very long strings, odd shapes. */
const hostileValue = fc.oneof(
  fc.constantFrom<unknown>(1e308, -1e308, 2 ** 53 + 1, -(2 ** 53) - 1, -1, 0, -0, 0.5, Number.NaN, Infinity, -Infinity, 4294967296),
  fc.constantFrom<unknown>('12', '', 'saturate', '1e999', 'x'.repeat(100_000), '\u0000', '\uFFFD', null, true, false, [], {}, [[[]]], { a: { b: {} } }),
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.array(fc.oneof(fc.integer(), fc.string()), { maxLength: 100 }),
);

/** Every path to a value in a parsed document (mapping keys and sequence indices). */
function leafPaths(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([k, v]) => leafPaths(v, [...prefix, k]))];
}

describe('scenario files and overrides, fuzzed', () => {
  it('any JS value either validates or is a ConfigError naming the source', () => {
    fc.assert(
      fc.property(
        fc.anything({
          withNullPrototype: true,
          withBigInt: true,
          withDate: true,
          withMap: true,
          withSet: true,
          withTypedArray: true,
          withSparseArray: true,
          withBoxedValues: true,
        }),
        (raw) => {
          configOutcome(() => validateScenario(raw, 'fuzz.yaml'));
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it('any JSON document in a file either validates or is a ConfigError', () => {
    fc.assert(
      fc.property(fc.json({ maxDepth: 6 }), (text) => {
        configOutcome(() => loadText(text, 'fuzz.json'));
      }),
      { numRuns: 400 },
    );
  });

  it('shipped configs with a value replaced by a hostile one validate or name the bad key', () => {
    const docs = SHIPPED.map((c) => ({ ...c, paths: leafPaths(parseDocument(c.text).toJS()).filter((p) => p.length > 0) }));
    fc.assert(
      fc.property(fc.constantFrom(...docs), fc.nat(), hostileValue, (c, pick, value) => {
        const path = c.paths[pick % c.paths.length]!;
        const doc = parseDocument(c.text);
        doc.setIn(path, value);
        const err = configOutcome(() => loadText(String(doc)));
        // A rejected value is named by its key path (or its position in the file).
        if (err !== undefined && typeof path[0] === 'string') expect(err.message).toMatch(new RegExp(`${String(path[0])}|\\.yaml:\\d+:\\d+`));
      }),
      { numRuns: 800 },
    );
  });

  it('shipped configs with random text edits never crash the loader', () => {
    const nasty = fc.oneof(
      fc.constantFrom(
        '[',
        ']',
        '{',
        '}',
        ':',
        ': ',
        '&a ',
        '*a',
        '!!',
        '!!binary ',
        '!!foo ',
        '|',
        '>',
        '- ',
        '? ',
        ',',
        '#',
        "'",
        '"',
        '\n',
        '\t',
        '\0',
        '\r',
        '---\n',
        '<<: ',
        '.nan',
        '.inf',
        '-.inf',
        '1e308',
        '0x',
        '\uFEFF',
        '\uD800',
      ),
      fc.string({ maxLength: 20 }),
      fc.string({ unit: 'binary', maxLength: 20 }),
    );
    const edit = fc.record({ at: fc.nat(), cut: fc.nat({ max: 8 }), insert: nasty });
    fc.assert(
      fc.property(fc.constantFrom(...SHIPPED), fc.array(edit, { minLength: 1, maxLength: 6 }), (c, edits) => {
        let text = c.text;
        for (const e of edits) {
          const at = e.at % (text.length + 1);
          text = text.slice(0, at) + e.insert + text.slice(at + e.cut);
        }
        configOutcome(() => loadText(text));
      }),
      { numRuns: 800 },
    );
  });

  it('random bytes as a scenario file are a ConfigError (or, rarely, valid)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2_000 }), (bytes) => {
        configOutcome(() => loadText(Buffer.from(bytes)));
      }),
      { numRuns: 300 },
    );
  });

  it('random --set and --axis specs are ConfigErrors or applied, and never pollute Object.prototype', () => {
    const keyPath = fc.array(
      fc.oneof(
        fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'shard', 'threads', 'sweep', 'axes', 'x', ''),
        fc.string({ maxLength: 8 }),
      ),
      {
        minLength: 1,
        maxLength: 4,
      },
    );
    const spec = fc.oneof(
      fc
        .tuple(
          keyPath,
          fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('1', '-1', '1e999', '.nan', '[1,2', '{a: 1}', '&a [*a]', '!!foo 1', '1\n---\n2')),
        )
        .map(([p, v]) => `${p.join('.')}=${v}`),
      fc.string({ unit: 'binary', maxLength: 60 }),
    );
    const base = fc.constantFrom<() => Record<string, unknown>>(
      () => ({ name: 'x' }),
      () => ({ name: 'x', sweep: 'not a section' }),
      () => ({ name: 'x', sweep: { axes: 7 } }),
      () => ({ name: 'x', sweep: { axes: [] }, shard: null }),
      () => parseDocument(SHIPPED[0]!.text).toJS() as Record<string, unknown>,
    );
    fc.assert(
      fc.property(base, fc.array(fc.tuple(fc.boolean(), spec), { maxLength: 4 }), (make, specs) => {
        const raw = make();
        configOutcome(() => {
          for (const [axis, s] of specs) (axis ? applyAxis : applyOverride)(raw, s);
          return validateScenario(raw, 'fuzz.yaml');
        });
        unpolluted();
      }),
      { numRuns: 1_500 },
    );
  });
});

describe('scenario files: the nasty cases, one by one', () => {
  it('deep nesting (10,000 levels of [ or {) is refused, not a stack overflow', () => {
    expectConfigError(() => loadText('['.repeat(10_000)), /nested too deeply/);
    expectConfigError(() => loadText(`name: x\nshard: ${'{a: '.repeat(10_000)}1${'}'.repeat(10_000)}`), /nested too deeply/);
    expectConfigError(() => loadText(`{"name":${'['.repeat(10_000)}${']'.repeat(10_000)}}`, 'deep.json'), /nested too deeply/);
    expectConfigError(() => applyOverride({}, `shard=${'['.repeat(10_000)}`), /--set shard=\[+\.\.\.: .*nested too deeply/);
    // Nesting the parser survives is still capped (a scenario is a few levels deep).
    expectConfigError(() => loadText(`name: x\nshard: ${'['.repeat(40)}${']'.repeat(40)}`), /nested more than 32 levels/);
  });

  it('a "billion laughs" alias bomb is refused, in a file and in --set', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const [p, q] = [String.fromCharCode(96 + i), String.fromCharCode(97 + i)];
      levels.push(`${q}: &${q} [${Array(9).fill(`*${p}`).join(',')}]`);
    }
    expectConfigError(() => loadText(`${levels.join('\n')}\n`), /too many YAML aliases/);
    expectConfigError(
      () => applyOverride({}, 'a=[&a [1,1,1,1,1,1,1,1], &b [*a,*a,*a,*a,*a,*a,*a,*a], &c [*b,*b,*b,*b,*b,*b,*b,*b], [*c,*c,*c,*c,*c,*c,*c,*c]]'),
      /too many YAML aliases/,
    );
  });

  it('duplicate keys are refused with their line, in linear time', () => {
    expectConfigError(() => loadText('name: a\nseed: 1\nname: b\n'), /\.yaml:3:1: .*duplicate key "name"/);
    expectConfigError(() => loadText('name: a\nshard: {threads: 1, threads: 2}\n'), /duplicate key "threads"/);
    expectConfigError(() => loadText('name: a\n1: x\n"1": y\n'), /duplicate key "1"/);
    // 20,000 keys used to take 6 s in the yaml package's quadratic uniqueKeys check.
    const many = `name: x\n${Array.from({ length: 20_000 }, (_, i) => `k${i}: 1`).join('\n')}\n`;
    const err = expectConfigError(() => loadText(many), /k0, k1, /, /and 19980 more: unknown keys/);
    expect(err.message.length).toBeLessThan(1_000);
  });

  it('NaN, infinities, huge and negative numbers and wrong types name their key', () => {
    expectConfigError(() => loadText('name: x\nseed: .nan\n'), /seed: .*NaN/);
    expectConfigError(() => loadText('name: x\nslotSeconds: .inf\n'), /slotSeconds/);
    expectConfigError(() => loadText('name: x\nworkload:\n  rate: -.inf\n'), /workload\.rate/);
    expectConfigError(() => loadText('name: x\naccounts:\n  count: 1e308\n'), /accounts\.count/);
    expectConfigError(() => loadText('name: x\nseed: 9007199254740993\n'), /seed/);
    expectConfigError(() => loadText('name: x\nshard:\n  threads: -1\n'), /shard\.threads/);
    expectConfigError(() => loadText('name: x\nshard:\n  threads: "8"\n'), /shard\.threads: expected a number, got "8"/);
    expectConfigError(() => loadText('name: x\nshard: [1, 2]\n'), /shard: /);
    expectConfigError(() => loadText('name: !!binary aGVsbG8=\n'), /name/);
  });

  it('binary garbage, NUL bytes, invalid UTF-8, tags, complex keys and several documents are ConfigErrors', () => {
    expectConfigError(() => loadText(Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0x00, 0xff, 0xfe, 0xc3, 0x28])));
    expectConfigError(() => loadText(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46])));
    expectConfigError(() => loadText('name: !!foo x\n'), /\.yaml:1:7: .*Unresolved tag/);
    expectConfigError(() => loadText('? [a, b]\n: 1\nname: x\n'), /keys must be plain names/);
    expectConfigError(() => loadText('name: x\n---\nname: y\n'), /more than one YAML document/);
    expectConfigError(() => loadText('- a\n- b\n'), /must be a mapping/);
    expectConfigError(() => loadText(''), /the file is empty/);
  });

  it('a __proto__ key in a file is an unknown key, not a prototype', () => {
    expectConfigError(() => loadText('name: x\n__proto__: {threads: 64}\n'), /__proto__: unknown key/);
    unpolluted();
  });

  it('--set and --axis reject prototype paths and bad shapes without polluting anything', () => {
    expectConfigError(() => applyOverride({}, '__proto__.x=1'), /not a key path/);
    expectConfigError(() => applyAxis({}, '__proto__=1,2'), /not a key path/);
    expectConfigError(() => applyAxis({}, 'a..b=1'), /not a key path/);
    expectConfigError(() => loadScenario(join(CONFIGS, 'quickstart.yaml'), ['constructor.prototype.x=1']), /constructor: unknown key/);
    expectConfigError(() => loadScenario(join(CONFIGS, 'quickstart.yaml'), ['toString=1']), /toString: unknown key/);
    expectConfigError(() => applyAxis({ sweep: { axes: 'x' } }, 'a=1'), /--axis a=1: "sweep.axes" is not a section/);
    expectConfigError(() => applyAxis({ sweep: 5 }, 'a=1'), /"sweep" is not a section/);
    expectConfigError(() => applyOverride({ shard: 'x' }, 'shard.threads=1'), /"shard" is not a section/);
    unpolluted();
  });

  it('very long specs and keys are shortened in messages', () => {
    const err = expectConfigError(() => {
      const raw: Record<string, unknown> = { name: 'x' };
      applyOverride(raw, `${'k'.repeat(100_000)}=1`);
      return validateScenario(raw, 'f.yaml');
    }, /"kkkk+\.\.\.: unknown key/);
    expect(err.message.length).toBeLessThan(400);
    expect(expectConfigError(() => applyOverride({}, `a.=${'v'.repeat(100_000)}`), /not a key path/).message.length).toBeLessThan(400);
    const err2 = expectConfigError(() => validateScenario({ name: 'x', ['\n'.repeat(5) + 'y'.repeat(100_000)]: 1 }, 'f.yaml'), /unknown key/);
    expect(err2.message.length).toBeLessThan(400);
  });

  it('a sweep whose axes would multiply into millions of runs is refused at validation', () => {
    const raw: Record<string, unknown> = { name: 'x' };
    for (let i = 0; i < 7; i++) applyAxis(raw, `shard.threads${i}=1,2,3,4,5,6,7,8,9,10`);
    expectConfigError(() => validateScenario(raw, 'f.yaml'), /sweep\.axes: the sweep would make 40000000 runs/);
    const many: Record<string, unknown> = { name: 'x' };
    for (let i = 0; i < 100; i++) applyAxis(many, `a${i}=1`);
    expectConfigError(() => validateScenario(many, 'f.yaml'), /100 axes is more than 16/);
  });

  it('a 50 MB file, /dev/zero, a directory, a FIFO and bad paths fail fast and name the file', () => {
    const big = join(dir, 'big.yaml');
    writeFileSync(big, 'name: x\n');
    truncateSync(big, 50 * 1024 * 1024); // sparse: nothing is written to disk
    const rss = process.memoryUsage().rss;
    expectConfigError(() => readScenarioFile(big), /big\.yaml: file is 52428800 bytes; a scenario must be at most/);
    expect(process.memoryUsage().rss - rss).toBeLessThan(MAX_FILE_BYTES * 8);
    expectConfigError(() => readScenarioFile('/dev/zero'), /\/dev\/zero: .*not a regular file/);
    expectConfigError(() => readScenarioFile(dir), /is a directory/);
    expectConfigError(() => readScenarioFile(join(dir, 'missing.yaml')), /missing\.yaml: cannot read scenario: no such file/);
    expectConfigError(() => readScenarioFile('/etc/hostname/x.yaml'), /ENOTDIR|no such file/);
    expectConfigError(() => readScenarioFile('a'.repeat(5_000)), /too long/);
  });
});

describe('trace files, fuzzed', () => {
  const FORMATS: TraceFormat[] = ['ethereum-etl', 'xblock', 'etherscan', 'custom'];
  // The custom layout reads the Etherscan sample through a mapping of its own.
  const COLUMNS = { block: 'blockNumber', from: 'from', to: 'to', value: 'value', gasUsed: 'gasUsed', input: 'input', isError: 'isError' };
  const generated = (format: 'ethereum-etl' | 'xblock'): string =>
    generateTrace({ rows: 40, accounts: 50, communities: 3, crossCommunity: 0.1, contracts: 3, seed: 7, format, txPerBlock: 5, blockSeconds: 12 });
  // The generator writes no etherscan files: a few rows in the layout of an Etherscan txlist export.
  const etherscan = [
    'blockNumber,timeStamp,hash,from,to,value,gas,gasUsed,isError,input,methodId',
    ...Array.from({ length: 30 }, (_, i) => {
      const addr = (n: number) => `0x${n.toString(16).padStart(40, '0')}`;
      return `${15_200_000 + (i >> 2)},${1_658_000_000 + 12 * (i >> 2)},0x${'1f'.repeat(32)},${addr(i + 1)},${i % 7 === 0 ? '' : addr(i * 13 + 5)},${i * 1e15},90000,${21_000 + i},${i % 5 === 0 ? 1 : 0},${i % 3 === 0 ? '0xa9059cbb' : '0x'},${i % 3 === 0 ? '0xa9059cbb' : '0x'}`;
    }),
  ].join('\n');
  const valid: Record<TraceFormat, string> = { 'ethereum-etl': generated('ethereum-etl'), xblock: generated('xblock'), etherscan, custom: etherscan };

  it('the unmutated samples of each format parse', async () => {
    for (const format of FORMATS) expect(await traceOutcome(tempFile(valid[format], `${format}.csv`), format, 'error')).toBeUndefined();
  });

  /** Reads a whole trace; it must parse or throw a TraceError naming the file (and `file:line` when it has a line). */
  async function traceOutcome(file: string, format: TraceFormat, onBadRow: 'error' | 'skip'): Promise<TraceError | undefined> {
    try {
      const trace = readTrace({ file, format, onBadRow, ...(format === 'custom' ? { columns: COLUMNS } : {}) });
      for await (const row of trace.rows) {
        expect(row.from).toMatch(/^[0-9a-f]{40}$/);
        expect(Number.isSafeInteger(row.block) && row.block >= 0).toBe(true);
        expect(row.value >= 0n).toBe(true);
      }
      return undefined;
    } catch (err) {
      if (!(err instanceof TraceError)) throw new Error(`expected a TraceError, got ${String(err)}`, { cause: err });
      expect(err.message.startsWith(err.line === undefined ? `${file}: ` : `${file}:${err.line}: `)).toBe(true);
      return err;
    }
  }

  it('random bytes parse or are a TraceError naming the file', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 4_000 }),
        fc.constantFrom(...FORMATS),
        fc.constantFrom<'error' | 'skip'>('error', 'skip'),
        async (bytes, format, mode) => {
          const file = tempFile(Buffer.from(bytes), `${randomUUID()}.csv`);
          try {
            await traceOutcome(file, format, mode);
          } finally {
            rmSync(file);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('valid traces of each format with hostile edits parse or name the file and line', async () => {
    const hostile = fc.constantFrom(
      Buffer.from([0]),
      Buffer.from([0xff, 0xfe]),
      Buffer.from([0xc3, 0x28]),
      Buffer.from([0xed, 0xa0, 0x80]),
      Buffer.from('9'.repeat(400)),
      Buffer.from('1e308'),
      Buffer.from('-1'),
      Buffer.from('-0'),
      Buffer.from('0x'.padEnd(80, 'f')),
      Buffer.from('"'),
      Buffer.from('""'),
      Buffer.from(','),
      Buffer.from('\r'),
      Buffer.from('\n'),
      Buffer.from('\r\n\r\n'),
      Buffer.from('\uFEFF'),
      Buffer.from('None'),
      Buffer.from('2022-02-31 00:00:00 UTC'),
      Buffer.from('x'.repeat(10_000)),
    );
    const edit = fc.record({
      at: fc.nat(),
      cut: fc.nat({ max: 50 }),
      insert: fc.oneof(
        hostile,
        fc.uint8Array({ maxLength: 8 }).map((b) => Buffer.from(b)),
      ),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...FORMATS),
        fc.array(edit, { minLength: 1, maxLength: 5 }),
        fc.boolean(),
        fc.constantFrom<'error' | 'skip'>('error', 'skip'),
        async (format, edits, gzip, mode) => {
          let bytes = Buffer.from(valid[format]);
          for (const e of edits) {
            const at = e.at % (bytes.length + 1);
            bytes = Buffer.concat([bytes.subarray(0, at), e.insert, bytes.subarray(Math.min(bytes.length, at + e.cut))]);
          }
          const file = tempFile(gzip ? gzipSync(bytes) : bytes, `${randomUUID()}.csv`);
          try {
            await traceOutcome(file, format, mode);
          } finally {
            rmSync(file);
          }
        },
      ),
      { numRuns: 600 },
    );
  });
});

describe('trace files: the nasty cases, one by one', () => {
  const header = 'blockNumber,timestamp,from,to,value,gasLimit\n';

  it('a 1 GiB line (a sparse file) fails at the line limit without buffering it', async () => {
    const file = join(dir, 'huge-line.csv');
    writeFileSync(file, header);
    truncateSync(file, 2 ** 30); // 1 GiB of NUL bytes after the header, no newline, nothing written to disk
    const rss = process.memoryUsage().rss;
    const err = await readAll(file, 'xblock').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TraceError);
    expect((err as TraceError).message).toMatch(/huge-line\.csv:2: record is longer than 1048576 bytes/);
    expect(process.memoryUsage().rss - rss).toBeLessThan(64 * 1024 * 1024);
    rmSync(file);
  });

  it('huge numbers, negatives, NUL bytes and invalid UTF-8 name the line and the column', async () => {
    const row = (over: Partial<Record<'block' | 'value' | 'gas', string>>) =>
      `${over.block ?? '100'},1600000000,0x${'ab'.repeat(20)},0x${'cd'.repeat(20)},${over.value ?? '5'},${over.gas ?? '21000'}\n`;
    const cases: Array<[string | Buffer, RegExp]> = [
      [header + row({ block: '9'.repeat(400) }), /:2: .*column blockNumber: .* is too large/],
      [header + row({ value: '1'.repeat(79) }), /:2: .*column value: .*exceeds 2\^256 wei/],
      [header + row({ value: '-5' }), /:2: .*column value: "-5" is negative/],
      [header + row({ gas: '1e308' }), /:2: .*column gasLimit: "1e308" is not a non-negative integer/],
      [Buffer.concat([Buffer.from(header), Buffer.from([0x31, 0, 0x32, 0x0a])]), /:2: .*NUL bytes/],
      [Buffer.concat([Buffer.from(header), Buffer.from([0x31, 0xff, 0x32, 0x0a])]), /:2: .*not valid UTF-8/],
      [Buffer.from([0xff, 0xfe, 0x0a]), /:1: the header line is not valid UTF-8/],
    ];
    for (const [content, message] of cases) {
      const err = await readAll(tempFile(content, `${randomUUID()}.csv`), 'xblock').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TraceError);
      expect((err as TraceError).message).toMatch(message);
    }
  });

  it('bad paths, devices and FIFOs are TraceErrors naming the file, never a hang', async () => {
    const paths = ['/dev/zero', dir, '/etc/hostname/trace.csv', 'a'.repeat(5_000), join(dir, 'missing.csv'), ...(fifo === undefined ? [] : [fifo])];
    for (const file of paths) {
      const viaTrace = await readAll(file, 'xblock').catch((e: unknown) => e);
      expect(viaTrace, file).toBeInstanceOf(TraceError);
      expect((viaTrace as TraceError).file).toBe(file);
      // The CSV layer on its own refuses them too (it used to hang opening a FIFO).
      const viaCsv = await (async () => {
        for await (const _ of readCsvRecords(file)) void _;
      })().catch((e: unknown) => e);
      expect(viaCsv, file).toBeInstanceOf(TraceError);
    }
  });

  it('a gzip bomb (blank lines inflating 1,000x) stops at the inflate limit with a TraceError naming the file', async () => {
    // Gzip members concatenate: 20 copies of 1 MiB of newlines, ~20 KB on disk, 20 MiB inflated.
    const member = gzipSync(Buffer.alloc(1 << 20, 0x0a), { level: 9 });
    const file = tempFile(Buffer.concat(Array.from({ length: 20 }, () => member)), 'bomb.csv.gz');
    const err = await readAll(file, 'xblock').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TraceError);
    expect((err as TraceError).message).toMatch(
      /bomb\.csv\.gz:\d+: gzip data inflates to more than 16777216 bytes, the limit for a \d+-byte file \(50 times its size/,
    );
  });

  it('the line-length advice names no setting that does not exist', async () => {
    const file = tempFile(`${header}${'1'.repeat((1 << 20) + 10)}\n`, 'long.csv');
    const err = await readAll(file, 'xblock').catch((e: unknown) => e);
    expect((err as TraceError).message).toMatch(/long\.csv:2: record is longer than 1048576 bytes, the longest a trace line may be/);
    expect((err as TraceError).message).not.toMatch(/maxLineBytes/);
  });

  it('one slot of a trace with more rows than a slot may hold is refused while scanning, before the replay holds them', async () => {
    const etl = 'block_number,from_address,to_address,value,gas,input\n';
    const rows = Array.from({ length: 40 }, (_, i) => `${i < 5 ? 100 : 101},0x${i.toString(16).padStart(40, '0')},0x${'cd'.repeat(20)},5,21000,0x\n`);
    const file = tempFile(etl + rows.join(''), 'one-block.csv');
    const sc = validateScenario({ name: 't', workload: { kind: 'trace', trace: { file, format: 'ethereum-etl' } } }, 'test');
    const err = await scanTrace(sc, 100, 20).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TraceError);
    expect((err as TraceError).message).toMatch(
      /one-block\.csv:\d+: slot 1 would replay more than 20 rows \(block 101\), the most one slot may hold in memory .*lower workload\.trace\.blocksPerSlot \(1\), or replay at a rate/,
    );
    // The replay holds its own guard too (a scan made with a larger limit).
    const slots = traceSlots(sc, await scanTrace(sc, 100), 20);
    expect((await slots.next(0)).length).toBe(5);
    await expect(slots.next(1)).rejects.toThrow(/slot 1 would replay more than 20 rows/);
    await slots.close();
    // At a rate, the quota itself is checked before reading.
    const fast = validateScenario({ name: 't', workload: { kind: 'trace', rate: 2e6, trace: { file, format: 'ethereum-etl', replay: 'rate' } } }, 'test');
    await expect(scanTrace(fast, 100)).rejects.toThrow(/workload\.rate x slotSeconds replays 2000000 rows a slot, more than the 1000000/);
  });

  async function readAll(file: string, format: TraceFormat): Promise<number> {
    let n = 0;
    for await (const _ of readTrace({ file, format, onBadRow: 'error' }).rows) n++;
    return n;
  }
});

describe('command-line arguments end to end', () => {
  interface Outcome {
    code: number | null;
    stderr: string;
    stdout: string;
  }
  /** The built CLI, asynchronously, so a few dozen vectors run side by side. */
  function cli(args: readonly string[]): Promise<Outcome> {
    return new Promise((resolve) => {
      // The timeout only turns a hang into a failure (code null); how long a vector takes is not asserted.
      execFile(process.execPath, [CLI, ...args], { cwd: ROOT, timeout: 60_000, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : null;
        resolve({ code, stdout, stderr });
      });
    });
  }

  /** `f` over `items`, at most `width` at a time, results in order. */
  async function pool<T, R>(items: readonly T[], width: number, f: (t: T) => Promise<R>): Promise<R[]> {
    const out: R[] = new Array(items.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let i = next++; i < items.length; i = next++) out[i] = await f(items[i]!);
    };
    await Promise.all(Array.from({ length: width }, worker));
    return out;
  }

  it('a few dozen nasty argument vectors exit 2 with one clear message and no stack trace', async () => {
    const q = 'configs/quickstart.yaml';
    const out = join(dir, 'never');
    const notDir = join(dir, 'plain-file');
    writeFileSync(notDir, 'x');
    const long = 'a'.repeat(100_000);
    const vectors: Array<[string[], RegExp]> = [
      // Nobody writes to this FIFO: the read gives up after 3 s (it used to block forever in open()).
      ...(silentFifo === undefined
        ? []
        : [[['validate', silentFifo], /silent-fifo: cannot read scenario: the pipe gave no data within 3 s/] as [string[], RegExp]]),
      [['sweep', q, '--bogus'], /unknown option '--bogus'/],
      [['bogus-command'], /unknown command/],
      [['validate'], /missing required argument/],
      [['run', q], /--shards/],
      [['sweep', q, '--shards', '-1'], /shard counts/],
      [['sweep', q, '--shards', '1,,2'], /shard counts/],
      [['sweep', q, '--shards', '99999'], /--shards: 99999 is too big: shard counts must be <= 1024/],
      [['sweep', q, '--shards', '9'.repeat(400)], /shard counts/],
      [['run', q, '--shards', '0'], /--shards: 0 is too small: shard counts must be >= 1/],
      [['run', q, '--shards', '99999999999999999999'], /--shards must be a non-negative integer/],
      [['sweep', q, '--seed', '1e99'], /--seed must be a non-negative integer/],
      [['sweep', q, '--seed', '4294967296'], /seed/],
      [['sweep', q, '--transport', 'carrier-pigeon'], /transport/],
      [['validate', q, '--set', 'noequals'], /path=value/],
      [['validate', q, '--set', 'a..b=1'], /not a key path/],
      [['validate', q, '--set', '__proto__.x=1'], /not a key path/],
      [['validate', q, '--set', 'constructor.prototype.x=1'], /constructor: unknown key/],
      [['validate', q, '--set', 'shard.threads=[1'], /--set shard\.threads=\[1: not valid YAML/],
      [['validate', q, '--set', 'shard.threads=!!js/function "x"'], /Unresolved tag/],
      [['validate', q, '--set', `shard.threads=${long}`], /shard\.threads/],
      [['validate', q, '--set', `${long}=1`], /"aaaa+\.\.\.: unknown key/],
      [['validate', q, '--axis', 'shard.threads='], /path=v1,v2/],
      [['validate', q, '--axis', '__proto__=1,2'], /not a key path/],
      [['validate', q, '--axis', 'toString=1'], /toString: unknown key/],
      [['validate', q, ...Array.from({ length: 7 }, (_, i) => ['--axis', `shard.t${i}=1,2,3,4,5,6,7,8,9,10`]).flat()], /would make \d+ runs/],
      [['validate', 'configs'], /is a directory/],
      [['validate', '/dev/zero'], /not a regular file/],
      [['validate', long], /too long/],
      [['validate', 'configs/quickstart.yaml/x'], /ENOTDIR|no such file/],
      [['sweep', q, '--out', '/proc/shardsim-nope/out', '-q'], /cannot create files under \/proc/],
      [['sweep', q, '--log-file', '/proc/shardsim-nope/x.log', '-q'], /cannot create files under \/proc/],
      [['sweep', q, '--out', join(notDir, 'sub'), '-q'], /is not a directory/],
      [['sweep', q, '--out', notDir, '-q'], /exists and is not a directory/],
      [['sweep', q, '--log-file', dir, '-q'], /is a directory/],
      [['sweep', q, '--out', '', '-q'], /needs a path/],
    ];
    expect(vectors.length).toBeGreaterThan(30);
    const results = await pool(vectors, 4, async ([args, message]) => ({
      args,
      message,
      res: await cli([...args, ...(args[0] === 'sweep' && !args.includes('--out') ? ['--out', out] : [])]),
    }));
    for (const { args, message, res } of results) {
      const label = args.map((a) => (a.length > 40 ? `${a.slice(0, 37)}...` : a)).join(' ');
      expect(res.code, `${label}\n${res.stderr}`).toBe(2);
      expect(res.stderr, label).toMatch(message);
      expect(res.stderr, label).not.toMatch(/\n\s+at /);
      expect(res.stderr, label).toMatch(/^(shardsim: )?error: /);
      expect(res.stderr.trim().split('\n').length, label).toBeLessThanOrEqual(3);
      expect(res.stdout, label).toBe('');
    }
  });

  it.skipIf(process.platform !== 'linux')('a FIFO as the scenario is read once its writer opens it (as with <(cmd))', async () => {
    if (fifo === undefined) return;
    const reading = cli(['validate', fifo]);
    // Open for writing once the CLI has opened it for reading (ENXIO until then), never blocking.
    let fd: number | undefined;
    for (let i = 0; fd === undefined && i < 100; i++) {
      await new Promise((r) => setTimeout(r, 50));
      try {
        fd = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
      } catch {
        fd = undefined;
      }
    }
    if (fd === undefined) throw new Error('the CLI never opened the FIFO');
    writeSync(fd, readFileSync(join(CONFIGS, 'quickstart.yaml')));
    closeSync(fd);
    const ok = await reading;
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^ok: /);
  });
});
