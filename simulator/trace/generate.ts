/**
 * Synthetic transaction traces with community structure, in the ethereum-etl
 * or XBlock-ETH CSV layout, for replay tests and demos when no real trace is
 * at hand. Accounts belong to communities and mostly transact inside them
 * (a `crossCommunity` share goes to another community); inside a community
 * receivers are Zipf-popular, and a few contracts receive calls with input.
 *
 * Every row draws from its own PRNG stream (seed, row), so a trace is a
 * pure function of its options and a shorter trace is a prefix of a longer
 * one with the same seed.
 */
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { ConfigError } from '../../crosslink/common/errors.js';
import { Rng } from '../prng.js';
import { ZipfSampler } from '../zipf.js';

export interface GenerateTraceOptions {
  readonly rows: number;
  readonly accounts: number;
  readonly communities: number;
  /** Share of transactions whose receiver is in another community, 0..1. */
  readonly crossCommunity: number;
  /** Contract addresses (besides `accounts`), spread over the communities. */
  readonly contracts: number;
  readonly seed: number;
  readonly format: 'ethereum-etl' | 'xblock';
  readonly txPerBlock: number;
  readonly blockSeconds: number;
  /**
   * Share of transactions that call a contract, where the receiving community has one.
   * @defaultValue 0.4
   */
  readonly callShare?: number;
}

/** The trace's first block and its timestamp (2022-06-12 02:13:20 UTC): mainnet-like numbers. */
export const FIRST_BLOCK = 15_000_000;
export const FIRST_TIMESTAMP = 1_655_000_000;

/** Zipf exponent of receiver popularity inside a community. */
const RECEIVER_ZIPF = 1.0;
/** Share of calls that revert. */
const FAILED_CALLS = 0.02;

// PRNG streams of the generator, apart from the simulator's (prng.ts Stream).
const ACCOUNT_STREAM = 0x7472_0001;
const CONTRACT_STREAM = 0x7472_0002;
const ROW_STREAM = 0x7472_0003;
const BLOCK_STREAM = 0x7472_0004;

/** The ethereum-etl `transactions.csv` header, with BigQuery's receipt columns: the layout both generators write. */
export const ETL_HEADER = [
  'hash',
  'nonce',
  'block_hash',
  'block_number',
  'transaction_index',
  'from_address',
  'to_address',
  'value',
  'gas',
  'gas_price',
  'input',
  'block_timestamp',
  'max_fee_per_gas',
  'max_priority_fee_per_gas',
  'transaction_type',
  'receipt_gas_used',
  'receipt_status',
].join(',');

const XBLOCK_HEADER = [
  'blockNumber',
  'timestamp',
  'transactionHash',
  'from',
  'to',
  'toCreate',
  'fromIsContract',
  'toIsContract',
  'value',
  'gasLimit',
  'gasPrice',
  'gasUsed',
  'callingFunction',
  'isError',
].join(',');

/** The accounts and contracts of a synthetic trace, with their communities. */
export interface SyntheticAccounts {
  /** Account addresses, 40 lower-case hex characters without 0x; account i is in community i % communities. */
  readonly accounts: readonly string[];
  /** Contract addresses; contract k is in community k % communities. */
  readonly contracts: readonly string[];
  /** Community of any address (account or contract), by its 40-hex form. */
  readonly communityOf: ReadonlyMap<string, number>;
}

export function syntheticAccounts(opts: Pick<GenerateTraceOptions, 'seed' | 'accounts' | 'communities' | 'contracts'>): SyntheticAccounts {
  const accounts = Array.from({ length: opts.accounts }, (_, i) => hex(new Rng(opts.seed, ACCOUNT_STREAM, i), 5));
  const contracts = Array.from({ length: opts.contracts }, (_, k) => hex(new Rng(opts.seed, CONTRACT_STREAM, k), 5));
  const communityOf = new Map<string, number>();
  accounts.forEach((a, i) => communityOf.set(a, i % opts.communities));
  contracts.forEach((c, k) => communityOf.set(c, k % opts.communities));
  return { accounts, contracts, communityOf };
}

/** The whole trace as one CSV string (header and a trailing newline included). */
export function generateTrace(opts: GenerateTraceOptions): string {
  return linesText(traceLines(opts));
}

/** Lines as one string, each ended by a newline. */
export function linesText(lines: Iterable<string>): string {
  let out = '';
  for (const line of lines) out += `${line}\n`;
  return out;
}

/** Writes the trace to a file by streaming, gzip-compressed when the name ends in .gz. */
export async function writeTraceFile(opts: GenerateTraceOptions, file: string): Promise<void> {
  validate(opts); // before the file is created
  await writeLinesFile(traceLines(opts), file);
}

/** Writes lines (each gets a newline) to a file by streaming, gzip-compressed when the name ends in .gz. */
export async function writeLinesFile(lines: Iterable<string>, file: string): Promise<void> {
  const sink = createWriteStream(file);
  await (file.endsWith('.gz') ? pipeline(lineChunks(lines), createGzip(), sink) : pipeline(lineChunks(lines), sink));
}

/** ~64 KiB text chunks, so a large trace never sits in memory whole. */
function lineChunks(lines: Iterable<string>): Readable {
  return Readable.from(
    (function* () {
      let chunk = '';
      for (const line of lines) {
        chunk += `${line}\n`;
        if (chunk.length >= 65_536) {
          yield chunk;
          chunk = '';
        }
      }
      if (chunk !== '') yield chunk;
    })(),
  );
}

/** The header, then one CSV line per transaction (no newlines). */
export function* traceLines(opts: GenerateTraceOptions): Generator<string> {
  validate(opts);
  const { seed, communities: C, crossCommunity, txPerBlock, blockSeconds } = opts;
  const callShare = opts.callShare ?? 0.4;
  const etl = opts.format === 'ethereum-etl';
  const { accounts, contracts } = syntheticAccounts(opts);
  const A = accounts.length;

  // Community c holds accounts c, c + C, c + 2C, ...; its k-th most popular receiver is c + (k - 1)C.
  const members = Array.from({ length: C }, (_, c) => Math.floor((A - 1 - c) / C) + 1);
  const receivers = members.map((m) => new ZipfSampler(m, RECEIVER_ZIPF));
  const contractsOf: number[][] = Array.from({ length: C }, () => []);
  contracts.forEach((_, k) => contractsOf[k % C]!.push(k));
  // Each contract exposes three functions.
  const selectors = contracts.map((_, k) => {
    const r = new Rng(seed, CONTRACT_STREAM, 0x1000_0000 + k);
    return [hex(r, 1), hex(r, 1), hex(r, 1)];
  });
  const nonces = new Uint32Array(A);

  yield etl ? ETL_HEADER : XBLOCK_HEADER;
  let blockHash = '';
  for (let row = 0; row < opts.rows; row++) {
    const blockIndex = Math.floor(row / txPerBlock);
    const block = FIRST_BLOCK + blockIndex;
    const time = FIRST_TIMESTAMP + Math.round(blockIndex * blockSeconds);
    if (row % txPerBlock === 0) blockHash = hex(new Rng(seed, BLOCK_STREAM, blockIndex), 8);
    const rng = new Rng(seed, ROW_STREAM, row);

    const sender = rng.int(A);
    const home = sender % C;
    const target = C > 1 && rng.next() < crossCommunity ? (home + 1 + rng.int(C - 1)) % C : home;
    const local = contractsOf[target]!;
    const isCall = local.length > 0 && rng.next() < callShare;
    let to: string;
    let input = '0x';
    let selector = '0x';
    if (isCall) {
      const k = local[rng.int(local.length)]!;
      to = contracts[k]!;
      selector = `0x${selectors[k]![rng.int(3)]!}`;
      // ABI-encoded arguments: 1 to 4 words.
      const words = 1 + rng.int(4);
      input = selector;
      for (let w = 0; w < words; w++) input += hex(rng, 8);
    } else {
      let receiver = target + (receivers[target]!.sample(rng) - 1) * C;
      if (receiver === sender) receiver = target + (((receiver - target) / C + 1) % members[target]!) * C;
      to = accounts[receiver]!;
    }

    const value = isCall ? (rng.next() < 0.75 ? 0n : ether(rng, -3, 0.5)) : ether(rng, -4, 1.5);
    // Gas: 21,000 for a transfer; calls 30k-200k, most of them cheap.
    const gas = isCall ? 30_000 + Math.floor(170_000 * rng.next() ** 2) : 21_000;
    const failed = isCall && rng.next() < FAILED_CALLS;
    const gasUsed = isCall ? (failed ? gas : Math.floor(gas * (0.6 + 0.4 * rng.next()))) : 21_000;
    const priorityFee = 1_000_000_000 + rng.int(2_000_000_000);
    const gasPrice = 8_000_000_000 + rng.int(40_000_000_000) + priorityFee;
    const hash = hex(rng, 8);
    const from = accounts[sender]!;

    if (etl) {
      yield [
        `0x${hash}`,
        nonces[sender]!++,
        `0x${blockHash}`,
        block,
        row % txPerBlock,
        `0x${from}`,
        `0x${to}`,
        value,
        gas,
        gasPrice,
        input,
        time,
        gasPrice + 10_000_000_000,
        priorityFee,
        2,
        gasUsed,
        failed ? 0 : 1,
      ].join(',');
    } else {
      nonces[sender]!++;
      yield [block, time, `0x${hash}`, `0x${from}`, `0x${to}`, 'None', 0, isCall ? 1 : 0, value, gas, gasPrice, gasUsed, selector, failed ? 1 : 0].join(',');
    }
  }
}

/** A log-uniform amount between 10^lo and 10^hi ether, rounded to the gwei, in wei. */
export function ether(rng: Rng, lo: number, hi: number): bigint {
  const gwei = Math.round(10 ** (lo + (hi - lo) * rng.next()) * 1e9);
  return BigInt(Math.max(gwei, 1)) * 1_000_000_000n;
}

/** `words` 32-bit words as lower-case hex (8 characters each). */
export function hex(rng: Rng, words: number): string {
  let s = '';
  for (let i = 0; i < words; i++) s += rng.u32().toString(16).padStart(8, '0');
  return s;
}

function validate(o: GenerateTraceOptions): void {
  const where = (key: string): string => `trace generator option ${key}`;
  const int = (key: keyof GenerateTraceOptions, v: number, min: number): void => {
    if (!Number.isSafeInteger(v) || v < min) throw new ConfigError(where(key), `must be an integer >= ${min}, got ${v}`);
  };
  int('rows', o.rows, 0);
  int('communities', o.communities, 1);
  // Two accounts per community at least, so an in-community receiver can differ from its sender.
  int('accounts', o.accounts, 2 * o.communities);
  int('contracts', o.contracts, 0);
  int('seed', o.seed, 0);
  int('txPerBlock', o.txPerBlock, 1);
  if (!(o.crossCommunity >= 0 && o.crossCommunity <= 1)) throw new ConfigError(where('crossCommunity'), `must be between 0 and 1, got ${o.crossCommunity}`);
  if (o.communities === 1 && o.crossCommunity > 0) {
    throw new ConfigError(where('crossCommunity'), 'must be 0 with a single community (there is no other community to reach)');
  }
  if (!(o.blockSeconds > 0 && Number.isFinite(o.blockSeconds)))
    throw new ConfigError(where('blockSeconds'), `must be a positive number, got ${o.blockSeconds}`);
  const callShare = o.callShare ?? 0.4;
  if (!(callShare >= 0 && callShare <= 1)) throw new ConfigError(where('callShare'), `must be between 0 and 1, got ${callShare}`);
  if (o.format !== 'ethereum-etl' && o.format !== 'xblock') {
    throw new ConfigError(where('format'), `must be ethereum-etl or xblock, got ${String(o.format)}`);
  }
}
