/**
 * The shape of one run's results (RunResult) as zod, for what shardsim reads
 * back (progress.json on `--resume`): a hand-edited or damaged file is
 * refused with the key path at fault instead of failing deep in the summary
 * table or the report after the remaining runs were computed. A compile-time
 * check below keeps it in step with results.ts.
 */
import { z } from 'zod';
import { EXEC_STATS, type ExecStatField } from '../shards/executors/exec-stats.js';
import { MAX_BLOCK_ROWS } from './block-figures.js';
import { type ExecFigures, resultPathOf } from './exec-figures.js';
import type { RunResult } from './results.js';

/** A figure: JSON writes NaN (no value, e.g. latency with no samples) as null; it reads back as NaN, as the run made it. */
const num = z.union([z.number(), z.null().transform(() => Number.NaN)]);
const count = z.number().int().min(0);
const name = z.string().max(200);
const hex = z.string().regex(/^[0-9a-f]{1,128}$/, 'expected a hex string');

/** The executor figures' schema, from their table: whole numbers for `count` rows, nested where a row's result path nests. */
function execFiguresShape(): { readonly [K in keyof ExecFigures]: z.ZodType<ExecFigures[K]> } {
  const shape: Record<string, z.ZodType> = {};
  const groups = new Map<string, Record<string, z.ZodType>>();
  for (const f of EXEC_STATS as readonly ExecStatField[]) {
    const figure = f.unit === 'count' ? count : num;
    const [head, leaf] = resultPathOf(f);
    if (leaf === undefined) {
      shape[head] = figure;
    } else {
      if (!groups.has(head)) {
        groups.set(head, {});
        // Holds the group's place: zod parses into shape order, and results list a group where its first row is.
        shape[head] = z.never();
      }
      groups.get(head)![leaf] = figure;
    }
  }
  for (const [head, group] of groups) shape[head] = z.strictObject(group);
  return shape as { readonly [K in keyof ExecFigures]: z.ZodType<ExecFigures[K]> };
}

const RecoverySchema = z.strictObject({
  host: z.number().int(),
  shards: z.array(count).max(1 << 20),
  slot: z.number().int(),
  replayedSlots: count,
  wallSeconds: num,
});

const latencyFigure = z.enum(['p50', 'p95', 'p99', 'mean']);

const FindMaxSchema = z.strictObject({
  maxSustainableTps: num,
  firstUnsustainableTps: num.nullable(),
  latencySlo: num,
  tolerance: num,
  probes: z
    .array(
      z.strictObject({
        rate: num,
        offeredTps: num,
        sustainable: z.boolean(),
        reasons: z.array(z.string().max(1000)).max(20),
        throughputTps: num,
        p99: num,
        p99LowerBound: z.boolean(),
      }),
    )
    .max(1_000),
});

const column = <T extends z.ZodType>(t: T) => z.array(t).max(MAX_BLOCK_ROWS);

/** Per-block figures (block-figures.ts): every column as long as the others, at most MAX_BLOCK_ROWS. */
const BlocksSchema = z
  .strictObject({
    total: count,
    shard: column(count),
    slot: column(count),
    sourceBlock: column(count.nullable()),
    transactions: column(count),
    gas: column(z.number().min(0)),
    makespanSeconds: column(z.number().min(0)),
    speedup: column(z.number().min(0).nullable()),
    aborts: column(count),
    bound: column(z.number().min(0)),
  })
  .refine((b) => Object.values(b).every((c) => typeof c === 'number' || c.length === b.shard.length) && b.shard.length <= b.total, {
    message: 'block columns must be equally long, and hold at most `total` blocks',
  });

export const RunResultSchema = z.strictObject({
  shards: z.number().int().min(1),
  seed: count,
  params: z.record(name, z.union([z.number(), z.string().max(1000)])),
  throughputTps: num,
  offeredTps: num,
  crossShardRatio: num,
  latency: z.strictObject({
    p50: num,
    p95: num,
    p99: num,
    mean: num,
    samples: count,
    completed: count,
    censored: count,
    completedShare: num,
    lowerBound: z.array(latencyFigure).max(4),
  }),
  stability: z.strictObject({
    stable: z.boolean(),
    reasons: z.array(z.string().max(1000)).max(20),
    backlog: z.strictObject({ start: count, end: count }),
    droppedInWindow: count,
  }),
  transactions: z.strictObject({ submitted: count, mempoolDropped: count, completed: count, completedFailed: count, pending: count }),
  byKind: z.record(name, z.strictObject({ offered: count, completed: count, failed: count })),
  receipts: z.strictObject({ sent: count, applied: count, refunds: count, rejected: count, duplicates: count, inFlight: count, delayedBacklog: count }),
  utilisation: z.strictObject({ mean: num, max: num }),
  loadImbalance: num,
  perShard: z.array(
    z.strictObject({ shard: count, utilisation: num, demand: num, txIncluded: count, receiptsApplied: count, mempoolEnd: count, delayedEnd: count }),
  ),
  execution: z.strictObject({
    executor: name,
    threads: count,
    speedup: num,
    makespan: num,
    ...execFiguresShape(),
  }),
  security: z.strictObject({ validators: count, committeeSize: count, adversaryFraction: num, threshold: num, failureProbability: num }),
  trace: z.strictObject({ rows: count, skipped: count, creations: count }).nullable(),
  faults: z
    .strictObject({
      silentSlots: count,
      forgedBatches: z.record(name, count),
      rejectedBatchesByReason: z.record(name, count),
      duplicateBatches: count,
    })
    .nullable(),
  network: z.strictObject({
    preset: name,
    protocol: name,
    dissemination: z.enum(['direct', 'gossip']).nullable(),
    committee: count,
    agreementSeconds: num,
    agreementShare: num,
    missedSlots: count,
    cutShare: num,
    blockBytesMean: num,
    // Absent in results written before blocks carried their receipt batches' proofs: unknown.
    receiptProofShare: z.number().nullable().default(null),
    bytesPerSlot: z.strictObject({ proposal: num, votes: num, receipts: num, beacon: num }),
    bytesPerValidatorPerSlot: num.nullable(),
    receiptBytesPerSlot: count.nullable(),
    receiptsHeldBackMax: count,
    beacon: z.strictObject({
      crosslinksPerSlot: count.nullable(),
      // Absent in results written before the beacon's capacity varied by slot: unknown.
      crosslinksPerSlotMean: z.number().nullable().default(null),
      finalityDelaySlots: z.strictObject({ configured: count, p50: num.nullable(), p99: num.nullable(), mean: num.nullable(), unfinalized: count }),
      backlogMean: num,
      backlogMax: count,
    }),
    latencyBreakdown: z.strictObject({
      completed: count,
      meanSeconds: num,
      mempool: num,
      agreement: num,
      execution: num,
      finality: num,
      receiptQueue: num,
      outboundLeg: num,
    }),
  }),
  placement: z
    .strictObject({
      epochs: z.array(z.strictObject({ slot: count, moved: count, windowCrossBefore: num, windowCrossAfter: num })).max(1_000_000),
      crossShardBySlot: z.array(num).max(10_000_000),
      accountsMoved: count,
      accountsArrived: count,
      movedRefused: count,
      waitedForState: count,
      stateBytes: count,
    })
    .exactOptional(),
  crossShard: z
    .strictObject({
      protocol: name,
      committedTps: num,
      failedShare: num,
      messagesPerCrossTx: num,
      bytesPerCrossTx: num,
      locks: z.strictObject({ aborts: count, taken: count, meanHeldSlots: num.nullable() }),
      broker: z.strictObject({ brokers: count, paid: count, dry: count, returned: count }).nullable(),
    })
    .exactOptional(),
  bottleneck: z.enum(['load', 'execution', 'consensus', 'bandwidth', 'beacon', 'receipts']),
  blocks: BlocksSchema.exactOptional(),
  findMax: FindMaxSchema.exactOptional(),
  stateRoots: z.array(hex),
  digest: z.string().regex(/^[0-9a-f]{64}$/, 'expected a SHA-256 digest (64 hex digits)'),
  wall: z.strictObject({
    seconds: num,
    simulatedTxPerWallSecond: num,
    recoveries: z.array(RecoverySchema).max(1_000_000).exactOptional(),
  }),
});

/** Fails to compile when RunResult gains a field the schema does not produce. */
type Parsed = z.output<typeof RunResultSchema>;
const _inStep: (p: Parsed) => RunResult = (p) => p;
void _inStep;
