/**
 * The scenario schema: the single source of truth for every option. Each
 * field carries its description and default; the README's config reference
 * is generated from this file (`npm run docs:config`) and a test checks the
 * two agree. Unknown keys are errors, so a typo never silently does nothing.
 */
import { z } from 'zod';

const int = () => z.number().int();

export const SlotsSchema = z
  .strictObject({
    warmup: int().min(0).max(10_000).default(2).describe('Slots run before measuring, to fill mempools and receipt pipelines.'),
    measure: int().min(1).max(100_000).default(10).describe('Slots in the measured window: throughput and latency count only here.'),
    drain: int().min(0).max(10_000).default(5).describe('Slots after the window with no new transactions, so in-flight receipts can complete.'),
  })
  .describe('Run length, in slots.');

export const SweepSchema = z
  .strictObject({
    shards: z
      .array(int().min(1).max(1024))
      .min(1)
      .max(64)
      .default([1, 2, 4, 8])
      .describe('Shard counts to run, one run each (1..1024). `--shards 1,2,4` overrides.'),
    axes: z
      .record(
        z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*(\.[a-zA-Z][a-zA-Z0-9]*)+$|^[a-zA-Z][a-zA-Z0-9]*$/, 'a key path such as shard.threads'),
        z.array(z.union([z.number(), z.string()])).min(1).max(64),
      )
      .default({})
      .describe('More sweep axes: key path -> values, e.g. `{ shard.threads: [1, 8, 32], accounts.count: [2, 100] }`. The sweep runs their cartesian product (first axis outermost) at every shard count; each value is validated like the file. `--axis path=v1,v2` adds one.'),
  })
  .describe('What the sweep varies.');

export const ShardSchema = z
  .strictObject({
    executor: z.enum(['sequential', 'block-stm', 'access-list']).default('sequential').describe('How a block executes: `sequential` runs items one after another on one thread and is the reference result; `block-stm` executes optimistically in parallel with multi-version memory, validation and re-execution (Block-STM); `access-list` schedules items by their declared read/write keys so conflicting ones never overlap (as in Solana).'),
    threads: int().min(1).max(1024).default(1).describe('Virtual execution threads per shard (parallel executors use them; `sequential` uses one).'),
    blockGasLimit: int().min(21_000).max(1e12).default(30_000_000).describe('Gas limit of one block.'),
    gasPerSecondPerThread: int().min(1_000).max(1e12).default(30_000_000).describe('Execution speed of one virtual thread; with the slot length it sets the execution-time budget.'),
    receiptGasShare: z.number().gt(0).max(1).default(0.5).describe('Largest share of the block gas limit spent on incoming receipts; the rest wait in the delayed-receipt queue.'),
    mempoolCapacity: int().min(1).max(100_000_000).default(50_000).describe('Transactions a shard mempool holds; arrivals beyond it are dropped and counted.'),
  })
  .describe('Each shard: block limits, execution and mempool.');

export const AccountsSchema = z
  .strictObject({
    count: int().min(2).max(100_000_000).default(10_000).describe('Number of accounts in the whole network.'),
    initialBalance: int().min(1).max(1e15).default(1_000_000).describe('Genesis balance of every account, in native units.'),
    frozenRatio: z.number().min(0).max(1).default(0).describe('Share of accounts that refuse incoming value (a freeze list): cross-shard credits to them fail and are refunded.'),
    partition: z
      .enum(['hash', 'range', 'graph'])
      .default('hash')
      .describe('Account placement: `hash` (by a hash of the id), `range` (contiguous id ranges) or `graph` (accounts that transact together on one shard, learned from the first `partitionSampleSlots` of the workload by balanced label propagation).'),
    partitionSampleSlots: int().min(1).max(10_000).default(5).describe('With `partition: graph`: slots of the workload the placement learns from.'),
    partitionFile: z
      .string()
      .min(1)
      .optional()
      .describe('A precomputed placement: CSV lines `account,group` (account id, or 0x address for traces); groups fold onto shards modulo the shard count; unlisted accounts follow `partition`.'),
  })
  .describe('The account population and how it is placed on shards.');

export const WorkloadSchema = z
  .strictObject({
    kind: z.literal('transfer').default('transfer').describe('Workload kind: `transfer` (native value transfers).'),
    rate: z
      .union([z.number().positive().max(1e9), z.literal('saturate')])
      .default('saturate')
      .describe('Offered load in transactions per simulated second, or `saturate` to keep every shard mempool full.'),
    saturation: z.number().min(1).max(100).default(1.5).describe('With `rate: saturate`: offered load as a multiple of the network block capacity.'),
    distribution: z.enum(['uniform', 'zipf']).default('uniform').describe('How senders and receivers are drawn: `uniform`, or `zipf` (a few hot accounts).'),
    zipfExponent: z.number().gt(0).max(5).default(1).describe('Skew of the `zipf` distribution (1 is the classic Zipf law).'),
    crossShardRatio: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe('Target share of cross-shard transfers. Unset: receivers are drawn from the whole population, so the share follows the partition (about 1 - 1/shards under `hash`).'),
    amount: z
      .strictObject({
        min: int().min(1).default(1).describe('Smallest transfer amount.'),
        max: int().min(1).default(1_000).describe('Largest transfer amount.'),
      })
      .prefault({})
      .describe('Transfer amounts, uniform in [min, max].'),
  })
  .describe('The user transaction stream: one global stream, fixed by (config, seed) and independent of the shard count.');

export const GasSchema = z
  .strictObject({
    transfer: int().min(1).max(1e9).default(21_000).describe('Gas of a native transfer (Ethereum intrinsic gas).'),
    receiptSend: int().min(0).max(1e9).default(5_000).describe('Extra gas at the source for emitting a cross-shard receipt.'),
    receiptApply: int().min(1).max(1e9).default(5_000).describe('Gas to apply one incoming receipt (credit or refund).'),
  })
  .describe('Gas schedule.');

export const SecuritySchema = z
  .strictObject({
    validators: int().min(1).max(10_000_000).default(4_000).describe('Validators shuffled into per-shard committees each epoch.'),
    adversaryFraction: z.number().min(0).max(1).default(0.25).describe('Share of validators that are adversarial.'),
    threshold: z.number().gt(0).max(1).default(1 / 3).describe('Committee fails when its adversarial share reaches this (1/3 for BFT, 1/2 for longest-chain).'),
  })
  .describe('Committee security: the cost of smaller committees as the shard count grows.');

export const ScenarioSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'lower-case letters, digits, ".", "_" or "-", up to 64 characters')
      .describe('Scenario name; results go to results/<name>/.'),
    description: z.string().max(2_000).optional().describe('What the scenario studies, in a sentence or two.'),
    seed: int().min(0).max(2 ** 32 - 1).default(1).describe('Seed of every random choice. Same config and seed, same results.'),
    transport: z
      .enum(['memory', 'redis'])
      .default('memory')
      .describe('`memory`: every shard in this process (the embedded default). `redis`: shard processes coordinating through Redis queues (BullMQ); see --redis-url.'),
    maxProcesses: z
      .union([int().min(1).max(1024), z.literal('auto')])
      .default('auto')
      .describe('With `transport: redis`: most shard processes to run; shards are spread over them round-robin. `auto`: one per shard, up to the number of CPU cores.'),
    slotSeconds: z.number().min(0.001).max(3_600).default(1).describe('Simulated length of a slot, in seconds.'),
    finalityDelaySlots: int().min(1).max(64).default(2).describe('Slots before a shard block is finalized by the beacon and its receipts can be admitted.'),
    slots: SlotsSchema.prefault({}),
    sweep: SweepSchema.prefault({}),
    shard: ShardSchema.prefault({}),
    accounts: AccountsSchema.prefault({}),
    workload: WorkloadSchema.prefault({}),
    gas: GasSchema.prefault({}),
    security: SecuritySchema.prefault({}),
  })
  .superRefine((s, ctx) => {
    if (s.workload.amount.min > s.workload.amount.max) {
      ctx.addIssue({ code: 'custom', path: ['workload', 'amount', 'min'], message: `must be <= workload.amount.max (${s.workload.amount.max})` });
    }
    // Balances are exact integers in float64: the total supply must stay a safe integer.
    if (s.accounts.count * s.accounts.initialBalance > Number.MAX_SAFE_INTEGER) {
      ctx.addIssue({
        code: 'custom',
        path: ['accounts', 'initialBalance'],
        message: `accounts.count x initialBalance must stay below 2^53 (${Number.MAX_SAFE_INTEGER}); lower one of them`,
      });
    }
    const maxShards = Math.max(...s.sweep.shards);
    if (maxShards > s.accounts.count) {
      ctx.addIssue({ code: 'custom', path: ['sweep', 'shards'], message: `${maxShards} shards need at least as many accounts (accounts.count is ${s.accounts.count})` });
    }
    if (s.accounts.partition === 'graph' && s.workload.crossShardRatio !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['accounts', 'partition'],
        message: '`graph` placement learns who transacts with whom, but workload.crossShardRatio chooses receivers by placement; use one or the other',
      });
    }
    const perTx = s.gas.transfer + s.gas.receiptSend;
    if (perTx > s.shard.blockGasLimit) {
      ctx.addIssue({ code: 'custom', path: ['shard', 'blockGasLimit'], message: `must fit one cross-shard transfer (${perTx} gas)` });
    }
    if (s.gas.receiptApply > s.shard.blockGasLimit * s.shard.receiptGasShare) {
      ctx.addIssue({ code: 'custom', path: ['shard', 'receiptGasShare'], message: 'the receipt gas share of a block must fit at least one receipt' });
    }
  });

/** A validated scenario with every default filled in. */
export type Scenario = z.output<typeof ScenarioSchema>;
/** What a scenario file may contain (defaults optional). */
export type ScenarioInput = z.input<typeof ScenarioSchema>;
