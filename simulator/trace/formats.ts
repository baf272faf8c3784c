/**
 * Column mappings from real-world transaction exports to one TraceRow shape.
 * Columns are found by header name (case-insensitive, extra columns ignored),
 * so an export with its columns reordered or extended still replays.
 *
 * - ethereum-etl: `transactions.csv` of `ethereumetl export_blocks_and_transactions`
 *   (https://ethereum-etl.readthedocs.io/en/latest/schema/), optionally with the
 *   receipt columns of the BigQuery `crypto_ethereum.transactions` table.
 * - xblock: XBlock-ETH "Block Transactions" files (Zheng et al., "XBlock-ETH:
 *   Extracting and Exploring Blockchain Data From Ethereum", 2020), as
 *   published: CSV, or the ZIP archive holding it (zip-entry.ts).
 * - etherscan: Etherscan `txlist` exports as in the shared extract
 *   ethereum/rwset_etherscan_blocks15200000-15364219.csv.gz (../shared/data
 *   beside the repository, or $SHARDSIM_SHARED_DATA).
 * - custom: any other CSV, its columns named by the scenario
 *   (`workload.trace.columns`, TraceColumns below).
 */
import { TraceError } from '../errors.js';
import { type DecodedCall, decodeCall } from './calldata.js';

export type TraceFormat = 'ethereum-etl' | 'xblock' | 'etherscan' | 'custom';

export const TRACE_FORMATS: readonly TraceFormat[] = ['ethereum-etl', 'xblock', 'etherscan', 'custom'];

/**
 * Which header column holds each field, for a `custom` trace. block, from
 * and to are required; a field left out is what a row without it means: no
 * value moved, gas used unknown (the contract's own price), a call only
 * when `isCall` or a non-empty `input` says so, not reverted, no access
 * list, no timestamp.
 */
export interface TraceColumns {
  readonly block: string;
  readonly from: string;
  /** Empty (or None) for a contract creation. */
  readonly to: string;
  readonly value?: string | undefined;
  /** The gas limit; gasUsed's value when absent. */
  readonly gas?: string | undefined;
  readonly gasUsed?: string | undefined;
  /** A 0/1 (or true/false) column saying the row runs contract code, for files that say so without the input itself. */
  readonly isCall?: string | undefined;
  readonly input?: string | undefined;
  readonly isError?: string | undefined;
  readonly timestamp?: string | undefined;
  readonly reads?: string | undefined;
  readonly writes?: string | undefined;
}

/** One transaction of a trace, whatever the file's layout. */
export interface TraceRow {
  /** 1-based line in the (decompressed) file. */
  readonly line: number;
  readonly block: number;
  /** Unix seconds, or null when the format's timestamp column is absent or empty. */
  readonly timestamp: number | null;
  /** 40 lower-case hex characters, no 0x. */
  readonly from: string;
  /** 40 lower-case hex characters, no 0x; null for a contract creation. */
  readonly to: string | null;
  /** Amount transferred, in wei. */
  readonly value: bigint;
  /** The gas limit (ethereum-etl `gas`, xblock `gasLimit`); gas used for etherscan, which has no limit column. */
  readonly gas: number;
  /** Gas the transaction used (ethereum-etl `receipt_gas_used`, etherscan `gasUsed`), or null when the trace does not say. */
  readonly gasUsed: number | null;
  /** Runs contract code at `to` (non-empty input or a contract receiver); false for creations. */
  readonly isCall: boolean;
  /** Reverted (receipt status 0 / isError 1), when the format says. */
  readonly failed: boolean;
  /** Bytes of call data (the input column's hex), or null when the format has no input column. */
  readonly inputBytes: number | null;
  /** What the call touches, decoded from its input (calldata.ts); null for a row with no input to decode. */
  readonly call: DecodedCall | null;
  /**
   * The storage the transaction read and wrote, when the trace says (columns `reads` and `writes`, as a
   * prestate tracer or an EIP-2930 access list gives them): `address:slot` keys, 40 and 64 lower-case hex
   * digits. It overrides what decoding the input would say. Null when the trace has neither column.
   */
  readonly access: { readonly reads: readonly string[]; readonly writes: readonly string[] } | null;
}

/** Maps one record's fields to a row, or describes what is wrong (naming the column). */
export type RowMapper = (fields: readonly string[], line: number) => TraceRow | string;

export interface BoundFormat {
  readonly map: RowMapper;
  /** The header's name for the block column, for messages about block order. */
  readonly blockColumn: string;
}

interface FormatSpec {
  readonly required: readonly string[];
  readonly optional: readonly string[];
  /** Builds the mapper from each column's index (-1 for an absent optional column). */
  readonly bind: (col: (name: string) => number, width: number) => RowMapper;
}

const FORMATS: Record<Exclude<TraceFormat, 'custom'>, FormatSpec> = {
  'ethereum-etl': {
    required: ['block_number', 'from_address', 'to_address', 'value', 'gas', 'input'],
    optional: ['block_timestamp', 'receipt_status', 'reads', 'writes', 'receipt_gas_used'],
    bind: (col, width) => {
      const access = accessColumns(col);
      const used = col('receipt_gas_used');
      const [block, from, to, value, gas, input, ts, status] = [
        col('block_number'),
        col('from_address'),
        col('to_address'),
        col('value'),
        col('gas'),
        col('input'),
        col('block_timestamp'),
        col('receipt_status'),
      ];
      return guarded(width, (f, line) => {
        const toAddr = f[to] === '' ? null : address(f[to]!, 'to_address');
        return {
          line,
          block: integer(f[block]!, 'block_number'),
          timestamp: ts < 0 || f[ts] === '' ? null : timestamp(f[ts]!, 'block_timestamp'),
          from: address(f[from]!, 'from_address'),
          to: toAddr,
          value: wei(f[value]!, 'value'),
          gas: integer(f[gas]!, 'gas'),
          isCall: toAddr !== null && hasCode(f[input]!),
          failed: status >= 0 && f[status] !== '' && !flag(f[status]!, 'receipt_status'),
          inputBytes: hexBytes(f[input]!, 'input'),
          call: decodedCall(toAddr, f[input]!),
          access: access(f),
          gasUsed: used < 0 || f[used] === '' ? null : integer(f[used]!, 'receipt_gas_used'),
        };
      });
    },
  },
  xblock: {
    required: ['blockNumber', 'timestamp', 'from', 'to', 'value', 'gasLimit'],
    optional: ['toCreate', 'toIsContract', 'callingFunction', 'isError', 'gasUsed'],
    bind: (col, width) => {
      const used = col('gasUsed');
      const [block, ts, from, to, value, gas, toCreate, toIsContract, fn, isError] = [
        col('blockNumber'),
        col('timestamp'),
        col('from'),
        col('to'),
        col('value'),
        col('gasLimit'),
        col('toCreate'),
        col('toIsContract'),
        col('callingFunction'),
        col('isError'),
      ];
      return guarded(width, (f, line) => {
        let toAddr: string | null;
        if (isNone(f[to]!)) {
          if (toCreate < 0 || isNone(f[toCreate]!)) throw new RowProblem('column to: empty, and toCreate does not name a created contract');
          address(f[toCreate]!, 'toCreate');
          toAddr = null;
        } else {
          toAddr = address(f[to]!, 'to');
        }
        const calls = (fn >= 0 && hasCode(f[fn]!)) || (toIsContract >= 0 && f[toIsContract] !== '' && flag(f[toIsContract]!, 'toIsContract'));
        return {
          line,
          block: integer(f[block]!, 'blockNumber'),
          timestamp: timestamp(f[ts]!, 'timestamp'),
          from: address(f[from]!, 'from'),
          to: toAddr,
          value: wei(f[value]!, 'value'),
          gas: integer(f[gas]!, 'gasLimit'),
          isCall: toAddr !== null && calls,
          failed: isError >= 0 && f[isError] !== '' && flag(f[isError]!, 'isError'),
          inputBytes: null,
          call: null,
          access: null,
          gasUsed: used < 0 || f[used] === '' ? null : integer(f[used]!, 'gasUsed'),
        };
      });
    },
  },
  etherscan: {
    required: ['blockNumber', 'timeStamp', 'from', 'to', 'value', 'gasUsed'],
    optional: ['methodId', 'input', 'toIsContract', 'isError', 'reads', 'writes'],
    bind: (col, width) => {
      const access = accessColumns(col);
      const [block, ts, from, to, value, gas, methodId, input, toIsContract, isError] = [
        col('blockNumber'),
        col('timeStamp'),
        col('from'),
        col('to'),
        col('value'),
        col('gasUsed'),
        col('methodId'),
        col('input'),
        col('toIsContract'),
        col('isError'),
      ];
      return guarded(width, (f, line) => {
        const toAddr = f[to] === '' ? null : address(f[to]!, 'to');
        const calls =
          (methodId >= 0 && hasCode(f[methodId]!)) ||
          (input >= 0 && hasCode(f[input]!)) ||
          (toIsContract >= 0 && f[toIsContract] !== '' && flag(f[toIsContract]!, 'toIsContract'));
        return {
          line,
          block: integer(f[block]!, 'blockNumber'),
          timestamp: f[ts] === '' ? null : timestamp(f[ts]!, 'timeStamp'),
          from: address(f[from]!, 'from'),
          to: toAddr,
          value: wei(f[value]!, 'value'),
          gas: integer(f[gas]!, 'gasUsed'),
          isCall: toAddr !== null && calls,
          failed: isError >= 0 && f[isError] !== '' && flag(f[isError]!, 'isError'),
          inputBytes: input >= 0 ? hexBytes(f[input]!, 'input') : null,
          call: input >= 0 ? decodedCall(toAddr, f[input]!) : null,
          access: access(f),
          gasUsed: integer(f[gas]!, 'gasUsed'),
        };
      });
    },
  },
};

/** A `custom` trace's mapping: every column it names is required (the scenario named it). */
function customFormat(c: TraceColumns): FormatSpec {
  const named = Object.values(c).filter((v): v is string => typeof v === 'string');
  return {
    required: [c.block, ...named.filter((v) => v !== c.block)],
    optional: [],
    bind: (col, width) => {
      const at = (name: string | undefined): number => (name === undefined ? -1 : col(name));
      const [block, from, to, value, gas, used, isCall, input, isError, ts] = [
        col(c.block),
        col(c.from),
        col(c.to),
        at(c.value),
        at(c.gas),
        at(c.gasUsed),
        at(c.isCall),
        at(c.input),
        at(c.isError),
        at(c.timestamp),
      ];
      const access = accessColumns((name) => at(name === 'reads' ? c.reads : c.writes));
      return guarded(width, (f, line) => {
        const toAddr = isNone(f[to]!) ? null : address(f[to]!, c.to);
        const gasUsed = used < 0 || f[used] === '' ? null : integer(f[used]!, c.gasUsed!);
        const calls = (isCall >= 0 && f[isCall] !== '' && flag(f[isCall]!, c.isCall!)) || (input >= 0 && hasCode(f[input]!));
        return {
          line,
          block: integer(f[block]!, c.block),
          timestamp: ts < 0 || f[ts] === '' ? null : timestamp(f[ts]!, c.timestamp!),
          from: address(f[from]!, c.from),
          to: toAddr,
          value: value < 0 ? 0n : wei(f[value]!, c.value!),
          gas: gas >= 0 ? integer(f[gas]!, c.gas!) : (gasUsed ?? 0),
          isCall: toAddr !== null && calls,
          failed: isError >= 0 && f[isError] !== '' && flag(f[isError]!, c.isError!),
          inputBytes: input >= 0 ? hexBytes(f[input]!, c.input!) : null,
          call: input >= 0 ? decodedCall(toAddr, f[input]!) : null,
          access: access(f),
          gasUsed,
        };
      });
    },
  };
}

/**
 * Resolves the format's columns in a header record; a TraceError names the
 * missing required columns (and a format the header would fit, if any).
 */
export function bindFormat(format: TraceFormat, header: readonly string[], file: string, line: number, columns?: TraceColumns): BoundFormat {
  if (format === 'custom' && columns === undefined) {
    throw new TraceError(file, undefined, 'a custom trace needs its columns named (workload.trace.columns: { block, from, to, ... })');
  }
  const spec = format === 'custom' ? customFormat(columns!) : FORMATS[format];
  const index = new Map<string, number>();
  header.forEach((name, i) => {
    const key = name.trim().toLowerCase();
    if (!index.has(key)) index.set(key, i);
  });
  const col = (name: string): number => index.get(name.toLowerCase()) ?? -1;
  const missing = spec.required.filter((name) => col(name) < 0);
  if (missing.length > 0) {
    const fits = TRACE_FORMATS.filter((other) => other !== format && other !== 'custom' && FORMATS[other].required.every((name) => col(name) >= 0));
    const hint = fits.length > 0 ? ` This header fits the "${fits[0]}" format.` : '';
    throw new TraceError(
      file,
      line,
      `the header lacks column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}, ` +
        (format === 'custom'
          ? `named by workload.trace.columns (the header has ${header.join(', ')}).${hint}`
          : `required by the "${format}" format (it needs ${spec.required.join(', ')}).${hint}`),
    );
  }
  return { map: spec.bind(col, header.length), blockColumn: spec.required[0]! };
}

/** A bad field; thrown inside a mapper and turned into its message by `guarded`. */
class RowProblem {
  constructor(readonly message: string) {}
}

function guarded(width: number, map: (f: readonly string[], line: number) => TraceRow): RowMapper {
  return (fields, line) => {
    if (fields.length !== width) return `has ${fields.length} field${fields.length === 1 ? '' : 's'}, the header has ${width}`;
    try {
      return map(fields, line);
    } catch (err) {
      if (err instanceof RowProblem) return err.message;
      throw err;
    }
  };
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const DIGITS = /^[0-9]+$/;
const HEX = /^0x[0-9a-fA-F]+$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?: ?UTC|Z|\+00:00)?$/;
/** 2^256 − 1 has 78 decimal digits; longer is not an amount of wei. */
const MAX_WEI_DIGITS = 78;

function address(v: string, column: string): string {
  if (!ADDRESS.test(v)) throw new RowProblem(`column ${column}: ${show(v)} is not an address (0x and 40 hex digits)`);
  return v.slice(2).toLowerCase();
}

function integer(v: string, column: string): number {
  if (!DIGITS.test(v)) throw new RowProblem(`column ${column}: ${show(v)} is not a non-negative integer`);
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new RowProblem(`column ${column}: ${show(v)} is too large`);
  return n;
}

function wei(v: string, column: string): bigint {
  if (DIGITS.test(v)) {
    if (v.length > MAX_WEI_DIGITS) throw new RowProblem(`column ${column}: ${show(v)} exceeds 2^256 wei`);
    return BigInt(v);
  }
  if (HEX.test(v) && v.length <= 66) return BigInt(v);
  const why = v.startsWith('-') ? 'is negative' : 'is not an integer amount of wei';
  throw new RowProblem(`column ${column}: ${show(v)} ${why}`);
}

function timestamp(v: string, column: string): number {
  if (DIGITS.test(v)) return integer(v, column);
  const m = DATE_TIME.exec(v);
  if (m !== null) {
    const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
    const ms = Date.UTC(y, mo - 1, d, h, mi, s);
    const back = new Date(ms);
    // Date.UTC rolls 2022-02-31 over to March; a date that does not round-trip is not a date.
    if (back.getUTCMonth() === mo - 1 && back.getUTCDate() === d && h < 24 && mi < 60 && s < 60) return ms / 1000;
  }
  throw new RowProblem(`column ${column}: ${show(v)} is neither unix seconds nor 'YYYY-MM-DD HH:MM:SS UTC'`);
}

function flag(v: string, column: string): boolean {
  switch (v.toLowerCase()) {
    case '1':
    case 'true':
      return true;
    case '0':
    case 'false':
      return false;
    default:
      throw new RowProblem(`column ${column}: ${show(v)} is not 0 or 1`);
  }
}

/** Non-empty call data or selector: not '', '0x' or None. */
/** Bytes of a hex field ('0x', '' and None: none); a RowProblem naming the column for anything else that is not whole bytes of hex. */
function hexBytes(v: string, column: string): number {
  if (isNone(v) || v === '0x') return 0;
  const digits = v.startsWith('0x') || v.startsWith('0X') ? v.length - 2 : v.length;
  if (digits % 2 !== 0 || !/^(0[xX])?[0-9a-fA-F]*$/.test(v)) throw new RowProblem(`column ${column}: ${show(v)} is not hex bytes`);
  return digits / 2;
}

/** Reads a row's `reads` and `writes` columns, when the header has either (an absent one: nothing accessed that way). */
function accessColumns(col: (name: string) => number): (f: readonly string[]) => TraceRow['access'] {
  const [reads, writes] = [col('reads'), col('writes')];
  if (reads < 0 && writes < 0) return () => null;
  return (f) => ({ reads: reads < 0 ? [] : storageKeys(f[reads]!, 'reads'), writes: writes < 0 ? [] : storageKeys(f[writes]!, 'writes') });
}

const STORAGE_KEY = /^(?:0x)?([0-9a-fA-F]{40}):(?:0x)?([0-9a-fA-F]{1,64})$/;

/** `address:slot` keys separated by `;` or spaces, normalized to 40 and 64 lower-case hex digits, each once, in order. */
function storageKeys(v: string, column: string): string[] {
  const keys: string[] = [];
  for (const part of v.split(/[;\s]+/)) {
    if (part === '') continue;
    const m = STORAGE_KEY.exec(part);
    if (m === null)
      throw new RowProblem(`column ${column}: ${show(part)} is not an address:slot key (0x and 40 hex digits, a colon, a slot of 1 to 64 hex digits)`);
    const key = `${m[1]!.toLowerCase()}:${m[2]!.toLowerCase().padStart(64, '0')}`;
    if (!keys.includes(key)) keys.push(key);
  }
  return keys;
}

/** The call a row's input makes of `to`, or null when there is no receiver or no input (a creation, a plain transfer). */
function decodedCall(to: string | null, input: string): DecodedCall | null {
  return to === null || !hasCode(input) ? null : decodeCall(to, input);
}

function hasCode(v: string): boolean {
  return v !== '' && v !== '0x' && v !== 'None';
}

function isNone(v: string): boolean {
  return v === '' || v === 'None' || v === 'none' || v === 'null';
}

/** A field value for a message, shortened and with control characters escaped. */
function show(v: string): string {
  const cut = v.length > 48 ? `${v.slice(0, 45)}...` : v;
  return JSON.stringify(cut);
}
