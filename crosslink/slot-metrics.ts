/**
 * The figures a shard reports with each block, declared once. Their type,
 * their wire layout (one float64 each, in table order) and the simulator's
 * run totals derive from this table, so a new figure is one row here.
 *
 * What a shard's executor measures is not a protocol figure: the shard side
 * declares it (shards/executors/exec-stats.ts) and a report carries it as a
 * numeric block the protocol does not read.
 */
import { smallIntOr } from './common/small-int.js';

/** How a figure combines over the blocks of a window (every shard, every slot). */
export type Aggregation =
  /** Added up. */
  | 'sum'
  /** Mean per block. */
  | 'mean'
  /** Mean per block weighted by the block's gas used. */
  | 'gasMean'
  /** Largest value of any block. */
  | 'max';

/** What a figure counts: `count` figures are whole numbers, the others may be fractions. */
export type MetricUnit = 'count' | 'gas' | 'seconds' | 'fraction' | 'threads' | 'bytes';

/** One row of a figure table. */
export interface MetricField {
  readonly name: string;
  readonly unit: MetricUnit;
  readonly over: Aggregation;
  /** The aggregate of a window with nothing to weigh (no block, or no gas for `gasMean`); 0 unless given. */
  readonly empty?: number;
  readonly doc: string;
}

export const SLOT_METRICS = [
  { name: 'txIncluded', unit: 'count', over: 'sum', doc: 'User transactions included in the block (committed or failed).' },
  { name: 'txFailed', unit: 'count', over: 'sum', doc: 'Of those, the ones that failed.' },
  { name: 'receiptsApplied', unit: 'count', over: 'sum', doc: 'Admitted receipts the block applied.' },
  { name: 'receiptsSent', unit: 'count', over: 'sum', doc: 'Receipts the block emitted.' },
  { name: 'receiptsRejected', unit: 'count', over: 'sum', doc: 'Receipts the inbox refused during the slot.' },
  { name: 'gasUsed', unit: 'gas', over: 'sum', doc: 'Gas of the block.' },
  { name: 'makespan', unit: 'seconds', over: 'mean', doc: "Executor's virtual execution time for the block." },
  { name: 'utilisation', unit: 'fraction', over: 'mean', doc: "Fraction of the block's capacity used: max(gas / gas limit, makespan / time budget)." },
  { name: 'mempool', unit: 'count', over: 'max', doc: 'Transactions waiting in the mempool after the block.' },
  { name: 'mempoolDropped', unit: 'count', over: 'sum', doc: 'Transactions refused during the slot because the mempool was full.' },
  { name: 'delayedReceipts', unit: 'count', over: 'max', doc: 'Admitted receipts waiting for a later block.' },
  {
    name: 'agreement',
    unit: 'seconds',
    over: 'mean',
    doc: "Time from the slot's start until a quorum of the shard's committee committed the block (0 with consensus.protocol ideal).",
  },
  {
    name: 'missedSlots',
    unit: 'count',
    over: 'sum',
    doc: 'Slots whose agreement could not finish within the slot even on an empty block: no transaction or receipt.',
  },
  {
    name: 'blockBytes',
    unit: 'bytes',
    over: 'sum',
    doc: "Size of the block: header, signature, transactions and the receipts it applies with their batches' numbers and proofs.",
  },
  {
    name: 'receiptProofBytes',
    unit: 'bytes',
    over: 'sum',
    doc: "Of the block's bytes, the numbers and Merkle proofs of the receipt batches it applies, once a batch (0 with consensus.protocol ideal).",
  },
  {
    name: 'proposalBytes',
    unit: 'bytes',
    over: 'sum',
    doc: "Bytes sent spreading the block through the committee (the leader's copies, and with gossip every forwarded copy).",
  },
  { name: 'voteBytes', unit: 'bytes', over: 'sum', doc: "Bytes of the committee's votes and certificates." },
  { name: 'receiptBytes', unit: 'bytes', over: 'sum', doc: 'Bytes of the receipt batches the block sent to other shards, proofs included.' },
  {
    name: 'blocksCut',
    unit: 'count',
    over: 'sum',
    doc: 'Blocks cut shorter than their gas limit allowed because agreement on more bytes would not have fit the slot.',
  },
  {
    name: 'proposal',
    unit: 'seconds',
    over: 'mean',
    doc: "Time from the slot's start until a quorum of the committee held the block (its dissemination; 0 with instant agreement).",
  },
  {
    name: 'receiptBytesAdmitted',
    unit: 'bytes',
    over: 'sum',
    doc: 'Bytes of the receipt batches admitted during the slot (network.receiptBytesPerSlot caps them).',
  },
  { name: 'receiptsHeldBack', unit: 'count', over: 'max', doc: 'Receipts of proven batches the receipt byte cap left waiting for a later slot.' },
] as const satisfies readonly MetricField[];

export type SlotMetricName = (typeof SLOT_METRICS)[number]['name'];

/** Per-slot figures of one shard (see SLOT_METRICS); all deterministic. */
export type SlotMetrics = { readonly [K in SlotMetricName]: number };

/** Numbers the figures take on a wire. */
export const SLOT_METRIC_NUMS = SLOT_METRICS.length;

/** Writes `m` at f[at, at + SLOT_METRIC_NUMS), in table order. */
export function writeSlotMetrics(m: SlotMetrics, f: Float64Array | number[], at: number): void {
  for (let k = 0; k < SLOT_METRICS.length; k++) f[at + k] = m[SLOT_METRICS[k]!.name];
}

/** The figures written at f[at] by writeSlotMetrics. */
export function readSlotMetrics(f: ArrayLike<number>, at: number): SlotMetrics {
  const m = {} as Record<SlotMetricName, number>;
  for (let k = 0; k < SLOT_METRICS.length; k++) m[SLOT_METRICS[k]!.name] = smallIntOr(f[at + k]!);
  return m;
}

/** The figures as a plain array (JSON wires), in table order. */
export function slotMetricsArray(m: SlotMetrics): number[] {
  const out: number[] = new Array(SLOT_METRICS.length);
  writeSlotMetrics(m, out, 0);
  return out;
}
