/**
 * Replay of a transaction history from CSV (ethereum-etl, XBlock-ETH or
 * Etherscan exports). Two streaming passes, never the whole file in memory:
 * the first maps every address to an account id (in order of first
 * appearance) and finds the contracts (addresses that receive calls); the
 * second feeds rows to slots, at the original block cadence or at a rate.
 * A call (a row with input, or to a contract) becomes a call of a token-like
 * contract standing for the real one: it moves one unit from the caller to
 * the contract's own slot, so calls to a popular contract contend on it as
 * they do on mainnet; a plain row is a native transfer of value / weiPerUnit.
 */

import { CALL_TX_BYTES, signedTxBytes, TRANSFER_TX_BYTES } from '../../crosslink/network/message-sizes.js';
import { TxKind } from '../../crosslink/tx.js';
import { AccessedOp } from '../../shards/contracts/accessed.js';
import type { ContractKind, ContractSpec, DeclaredSlots } from '../../shards/contracts/contract.js';
import { MAX_SWAP_POOLS, RouterOp } from '../../shards/contracts/router.js';
import { TokenOp } from '../../shards/contracts/token.js';
import type { Scenario } from '../config/schema.js';
import { TraceError } from '../errors.js';
import type { TxGraphSample } from '../partition-graph.js';
import type { DecodedCall } from '../trace/calldata.js';
import type { TraceRow } from '../trace/formats.js';
import { readTrace } from '../trace/trace-reader.js';
import type { Draft } from './draft.js';

export interface TraceScan {
  /** Address (40 hex chars) -> account id. */
  readonly ids: ReadonlyMap<string, number>;
  readonly contracts: readonly ContractSpec[];
  readonly rows: number;
  readonly skipped: number;
  /** Contract creations: replayed as nothing (no account to call yet), counted. */
  readonly creations: number;
  readonly firstBlock: number;
  /** Who paid whom in the rows of the first `sampleSlots` slots (the graph placement's sample). */
  readonly sample: TxGraphSample;
  /** With `replay: each-block`: the original block each slot replays, by slot. */
  readonly slotBlocks: Float64Array;
}

type TraceSettings = NonNullable<Scenario['workload']['trace']>;

/**
 * Most trace rows replayed in one slot. A slot's rows are held at once (each
 * with its draft and addresses, about 1 KB: a trace with 5 million rows in one
 * block took 4.9 GB); mainnet blocks hold a few hundred to ~1,500 transactions,
 * so this is several hundred blocks per slot.
 */
export const MAX_TRACE_ROWS_PER_SLOT = 1_000_000;

function tooManyRows(t: TraceSettings, row: TraceRow, slot: number, limit: number): TraceError {
  const how =
    t.replay === 'rate'
      ? 'lower workload.rate (or slotSeconds)'
      : t.replay === 'each-block'
        ? 'replay at a rate (workload.trace.replay: rate)'
        : `lower workload.trace.blocksPerSlot (${t.blocksPerSlot}), or replay at a rate (workload.trace.replay: rate)`;
  return new TraceError(
    t.file,
    row.line,
    `slot ${slot} would replay more than ${limit} rows (block ${row.block}), the most one slot may hold in memory (about 1 KB a row); ${how}`,
  );
}

function open(t: TraceSettings) {
  return readTrace({ file: t.file, format: t.format, onBadRow: t.onBadRow, ...(t.columns === undefined ? {} : { columns: t.columns }) });
}

/**
 * Most rows the graph placement's sample holds (two ids each): a sample of more slots than this stops here,
 * about 160 MB.
 */
export const MAX_SAMPLE_ROWS = 20_000_000;

/** The first pass: ids for every address, the contracts, and the sample: the rows the first `sampleSlots` slots replay. */
export async function scanTrace(sc: Scenario, sampleSlots: number, rowsPerSlotLimit = MAX_TRACE_ROWS_PER_SLOT): Promise<TraceScan> {
  const t = sc.workload.trace!;
  if (t.replay === 'rate' && sc.workload.rate !== 'saturate' && sc.workload.rate * sc.slotSeconds > rowsPerSlotLimit) {
    throw new TraceError(
      t.file,
      undefined,
      `workload.rate x slotSeconds replays ${sc.workload.rate * sc.slotSeconds} rows a slot, more than the ${rowsPerSlotLimit} one slot may hold in memory (about 1 KB a row); lower workload.rate`,
    );
  }
  const { rows, stats } = open(t);
  // A rate replay's slots are so many rows each (a saturating one's first slot takes them all); a block replay's are found as the rows stream.
  const rateRows = sc.workload.rate === 'saturate' ? Number.POSITIVE_INFINITY : sc.workload.rate * sc.slotSeconds * sampleSlots;
  const ids = new Map<string, number>();
  const called = new Set<number>();
  const routers = new Set<number>();
  // Rows with an access list, in replay order, on the slots of one stand-in contract: a slot per distinct key.
  const accesses: DeclaredSlots[] = [];
  const slotOf = new Map<string, number>();
  const id = (a: string): number => {
    let v = ids.get(a);
    if (v === undefined) ids.set(a, (v = ids.size));
    return v;
  };
  const from: number[] = [];
  const to: number[] = [];
  let n = 0;
  let creations = 0;
  let firstBlock = -1;
  // Rows per slot at the block cadence, counted in this streaming pass so a huge block is refused before the replay holds it.
  let slot = 0;
  let inSlot = 0;
  const slotBlocks: number[] = [];
  for await (const row of rows) {
    if (t.maxRows !== undefined && n >= t.maxRows) break;
    n++;
    if (firstBlock < 0) firstBlock = row.block;
    if (t.replay !== 'rate') {
      // each-block: a row of a later block starts the next slot (one of an earlier block joins the current one, as with blocks).
      if (t.replay === 'each-block' && (slotBlocks.length === 0 || row.block > slotBlocks[slotBlocks.length - 1]!)) slotBlocks.push(row.block);
      const s = t.replay === 'each-block' ? slotBlocks.length - 1 : Math.max(slot, Math.floor((row.block - firstBlock) / t.blocksPerSlot));
      if (s !== slot) {
        slot = s;
        inSlot = 0;
      }
      if (++inSlot > rowsPerSlotLimit) throw tooManyRows(t, row, slot, rowsPerSlotLimit);
    }
    const f = id(row.from);
    if (row.to === null) {
      creations++;
      continue;
    }
    const d = id(row.to);
    if (row.isCall) called.add(d);
    // The accounts a decoded call names get ids too (after its sender and receiver): they hold balances, or are pools.
    for (const a of partiesOf(row.call)) id(a);
    if (row.call?.kind === 'swap') routers.add(d);
    if (row.access !== null) accesses.push(accessSlots(row.access, slotOf));
    if ((t.replay === 'rate' ? n <= rateRows : slot < sampleSlots) && from.length < MAX_SAMPLE_ROWS) {
      from.push(f);
      to.push(d);
    }
  }
  if (n === 0) throw new TraceError(t.file, undefined, 'the trace has no rows to replay');
  if (ids.size < 2) throw new TraceError(t.file, undefined, 'the trace names fewer than two accounts');
  // A receiver of decoded swaps is a router; every other called address a token-like stand-in.
  const contracts: ContractSpec[] = [...called]
    .sort((a, b) => a - b)
    .map((c) => (routers.has(c) ? { id: c, kind: 'router' } : { id: c, kind: 'token', initialBalance: 1_000_000_000 }));
  // The storage the access lists name, as one more account: after every address of the trace.
  if (accesses.length > 0) contracts.push({ id: id(ACCESSED_STORAGE), kind: 'accessed', accesses });
  return {
    ids,
    contracts,
    rows: n,
    skipped: stats.skipped,
    creations,
    firstBlock,
    sample: { from: Uint32Array.from(from), to: Uint32Array.from(to), length: from.length },
    slotBlocks: Float64Array.from(slotBlocks),
  };
}

export interface TraceSlots {
  /** The drafts of `slot`, in file order. Slots must be asked for in order. */
  next(slot: number): Promise<Array<{ draft: Draft; row: TraceRow }>>;
  /** Closes the file (a run may end before the trace does). */
  close(): Promise<void>;
}

/** The second pass, slot by slot. */
export function traceSlots(sc: Scenario, scan: TraceScan, rowsPerSlotLimit = MAX_TRACE_ROWS_PER_SLOT): TraceSlots {
  const t = sc.workload.trace!;
  const { rows } = open(t);
  const contracts = new Map(scan.contracts.map((c) => [c.id, c.kind]));
  const accessed = scan.contracts.find((c) => c.kind === 'accessed');
  let nextAccess = 0;
  const perSlot = t.replay === 'rate' ? (sc.workload.rate === 'saturate' ? Number.POSITIVE_INFINITY : sc.workload.rate * sc.slotSeconds) : 0;
  const weiPerUnit = BigInt(Math.round(t.weiPerUnit));
  let held: TraceRow | undefined;
  let read = 0;
  let next = 0;
  let done = false;
  const pull = async (): Promise<TraceRow | undefined> => {
    if (held !== undefined) {
      const r = held;
      held = undefined;
      return r;
    }
    if (done || (t.maxRows !== undefined && read >= t.maxRows)) return undefined;
    const r = await rows.next();
    if (r.done === true) {
      done = true;
      return undefined;
    }
    read++;
    return r.value;
  };
  const nextSlot = async (slot: number): Promise<Array<{ draft: Draft; row: TraceRow }>> => {
    if (slot !== next) throw new RangeError(`trace slots must be replayed in order: asked for ${slot}, next is ${next}`);
    next++;
    const out: Array<{ draft: Draft; row: TraceRow }> = [];
    // Rows of this slot: by original block (cadence, or the slot's own block) or the next `rate` rows.
    const endBlock = t.replay === 'each-block' ? (scan.slotBlocks[slot + 1] ?? Number.POSITIVE_INFINITY) : scan.firstBlock + (slot + 1) * t.blocksPerSlot;
    const quota = t.replay === 'rate' ? Math.floor((slot + 1) * perSlot) - Math.floor(slot * perSlot) : Number.POSITIVE_INFINITY;
    let taken = 0;
    while (taken < quota) {
      const row = await pull();
      if (row === undefined) break;
      if (t.replay !== 'rate' && row.block >= endBlock) {
        held = row;
        break;
      }
      taken++;
      if (taken > rowsPerSlotLimit) throw tooManyRows(t, row, slot, rowsPerSlotLimit);
      if (row.to === null) continue; // a creation: nothing to call yet
      const from = scan.ids.get(row.from)!;
      const to = scan.ids.get(row.to)!;
      const amount = Math.min(Number.MAX_SAFE_INTEGER, Number(row.value / weiPerUnit));
      const kind = row.isCall ? contracts.get(to) : undefined;
      // The row's own size where the trace gives its call data; its stand-in kind's otherwise.
      const bytes = row.inputBytes !== null ? signedTxBytes(row.inputBytes) : kind !== undefined ? CALL_TX_BYTES : TRANSFER_TX_BYTES;
      let draft: Draft;
      if (row.access !== null) {
        // Its access list decides what it touches: a replay of its entry (value left out: no balance of the list's).
        const entry = accessed!.accesses![nextAccess]!;
        draft = {
          kind: TxKind.Call,
          from,
          to: accessed!.id,
          amount: 0,
          op: AccessedOp.Replay,
          a: nextAccess++,
          b: entry.reads.length,
          c: entry.writes.length,
          bytes,
        };
      } else if (kind === undefined) draft = { kind: TxKind.Transfer, from, to, amount, op: 0, a: 0, b: 0, c: 0, bytes };
      else draft = { kind: TxKind.Call, from, to, amount, ...callArgs(kind, row.call, to, scan.ids), bytes };
      // A call's work costs what the trace says it used, less what every transaction pays, where it says.
      if (t.gas === 'used' && draft.kind === TxKind.Call && row.gasUsed !== null) draft = { ...draft, workGas: Math.max(1, row.gasUsed - BASE_TX_GAS) };
      out.push({ draft, row });
    }
    return out;
  };
  return {
    next: nextSlot,
    close: async () => {
      done = true;
      await rows.return(undefined);
    },
  };
}

/** Addresses a decoded call names besides its receiver: the parties of a token call, the pools of a swap. */
function partiesOf(call: DecodedCall | null): readonly string[] {
  switch (call?.kind) {
    case 'erc20-transfer':
      return [call.to];
    case 'erc20-transfer-from':
      return [call.owner, call.to];
    case 'erc20-approve':
      return [call.spender];
    case 'swap':
      return call.pools;
    default:
      return [];
  }
}

/**
 * The stand-in call for a replayed one (docs/workloads.md, "What a replayed
 * call touches"): a decoded token call on the token's balances and
 * allowances, one unit at a time; WETH's deposit and withdraw on the caller's
 * balance and the contract's own (its ether balance, which every deposit
 * writes); a decoded swap on its path's pools; anything else on one
 * contract-level key (a token moves a unit from the caller to the
 * contract's own balance).
 */
function callArgs(kind: ContractKind, call: DecodedCall | null, to: number, ids: ReadonlyMap<string, number>): { op: number; a: number; b: number; c: number } {
  const idOf = (address: string): number => ids.get(address)!;
  if (kind === 'router') {
    if (call?.kind !== 'swap') return { op: RouterOp.Opaque, a: 0, b: 0, c: 0 };
    const [a = 0, b = 0, c = 0] = call.pools.slice(0, MAX_SWAP_POOLS).map((p) => idOf(p) + 1);
    return { op: RouterOp.Swap, a, b, c };
  }
  switch (call?.kind) {
    case 'erc20-transfer':
      return { op: TokenOp.Transfer, a: idOf(call.to), b: 1, c: 0 };
    case 'erc20-transfer-from':
      return { op: TokenOp.ReplayTransferFrom, a: idOf(call.owner), b: idOf(call.to), c: 1 };
    case 'erc20-approve':
      return { op: TokenOp.Approve, a: idOf(call.spender), b: 1, c: 0 };
    default:
      return { op: TokenOp.Transfer, a: to, b: 1, c: 0 };
  }
}

/** What every Ethereum transaction pays before its own work (G_transaction, Yellow Paper appendix G). */
const BASE_TX_GAS = 21_000;

/** The account the access lists' storage lives on: a name no address has. */
const ACCESSED_STORAGE = 'access-list storage';

/** A row's access list as the stand-in's slots (keys read only, then keys written), each key its slot for the whole trace. */
function accessSlots(access: NonNullable<TraceRow['access']>, slotOf: Map<string, number>): DeclaredSlots {
  const slot = (key: string): number => {
    let v = slotOf.get(key);
    if (v === undefined) slotOf.set(key, (v = slotOf.size));
    return v;
  };
  const writes = access.writes.map(slot);
  const written = new Set(access.writes);
  const reads = access.reads.filter((k) => !written.has(k)).map(slot);
  return { reads, writes };
}
