/**
 * The scenario schema: the single source of truth for every option. Each
 * field carries its description and default; docs/scenario-reference.md
 * is generated from this file (`npm run docs:config`) and a test checks the
 * two agree. Unknown keys are errors, so a typo never silently does nothing.
 */
import { z } from 'zod';
import { CrossShardSchema } from './cross-shard-schema.js';
import { BeaconSchema, ConsensusSchema, NetworkSchema, networkIssue } from './network-schema.js';

const int = () => z.number().int();

/** Most sweep axes, and most runs a sweep may make (sweep-points.ts MAX_POINTS). */
const MAX_AXES = 16;
const MAX_RUNS = 10_000;

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
        z
          .array(z.union([z.number(), z.string()]))
          .min(1)
          .max(64),
      )
      .default({})
      .describe(
        'More sweep axes: key path -> values, e.g. `{ shard.threads: [1, 8, 32], accounts.count: [2, 100] }`. The sweep runs their cartesian product (first axis outermost) at every shard count; each value is validated like the file. `--axis path=v1,v2` adds one.',
      ),
  })
  .describe('What the sweep varies.');

export const ShardSchema = z
  .strictObject({
    executor: z
      .enum(['sequential', 'block-stm', 'access-list'])
      .default('sequential')
      .describe(
        'How a block executes: `sequential` runs items one after another on one thread and is the reference result; `block-stm` executes optimistically in parallel with multi-version memory, validation and re-execution (Block-STM); `access-list` schedules items by their declared read/write keys so conflicting ones never overlap (as in Solana).',
      ),
    threads: int().min(1).max(1024).default(1).describe('Virtual execution threads per shard (parallel executors use them; `sequential` uses one).'),
    executionCost: z
      .enum(['calibrated', 'ideal'])
      .default('calibrated')
      .describe(
        "What a parallel executor costs beyond the gas it runs: `calibrated` adds a real engine's work (Block-STM: a scheduler cost a task, multi-version memory accesses, a serial commit a transaction, calibrated on the Block-STM paper's 17x at 32 threads; access-list: a scheduler cost, a lock a declared key, the dependency DAG built first); `ideal` adds nothing, so speedups reach the dependency bound. `sequential` is the baseline either way.",
      ),
    blockGasLimit: int().min(21_000).max(1e12).default(30_000_000).describe('Gas limit of one block.'),
    gasPerSecondPerThread: int()
      .min(1_000)
      .max(1e12)
      .default(30_000_000)
      .describe('Execution speed of one virtual thread; with the slot length it sets the execution-time budget.'),
    receiptGasShare: z
      .number()
      .gt(0)
      .max(1)
      .default(0.5)
      .describe('Largest share of the block gas limit spent on incoming receipts; the rest wait in the delayed-receipt queue.'),
    mempoolCapacity: int().min(1).max(100_000_000).default(50_000).describe('Transactions a shard mempool holds; arrivals beyond it are dropped and counted.'),
  })
  .describe('Each shard: block limits, execution and mempool.');

export const AccountsSchema = z
  .strictObject({
    count: int().min(2).max(100_000_000).default(10_000).describe('Number of accounts in the whole network.'),
    initialBalance: int().min(1).max(1e15).default(1_000_000).describe('Genesis balance of every account, in native units.'),
    frozenRatio: z
      .number()
      .min(0)
      .max(1)
      .default(0)
      .describe('Share of accounts that refuse incoming value (a freeze list): cross-shard credits to them fail and are refunded.'),
    partition: z
      .enum(['hash', 'range', 'graph'])
      .default('hash')
      .describe(
        'Account placement: `hash` (by a hash of the id), `range` (contiguous id ranges) or `graph` (accounts that transact together on one shard, learned from the first `partitionSampleSlots` of the workload by balanced label propagation).',
      ),
    partitionSampleSlots: int().min(1).max(10_000).default(5).describe('With `partition: graph`: slots of the workload the placement learns from.'),
    partitionImbalance: z
      .number()
      .min(1)
      .max(64)
      .default(1.1)
      .describe(
        'With `partition: graph`: the most transactions of the sample a shard may take part in, as a multiple of the mean (1.1: 10% above), or of its heaviest account’s where that is more (a hub’s shard carries the hub anyway). 2 lets a hub take as many neighbours as its own load.',
      ),
    partitionFile: z
      .string()
      .min(1)
      .optional()
      .describe(
        'A precomputed placement: CSV lines `account,group` (account id, or 0x address for traces); groups fold onto shards modulo the shard count; unlisted accounts follow `partition`. A relative path is relative to the scenario file.',
      ),
    repartition: z
      .strictObject({
        everySlots: int().min(1).max(100_000).describe('Slots between re-placements: at each multiple of it (from the first), accounts move.'),
        windowSlots: int()
          .min(1)
          .max(100_000)
          .optional()
          .describe('Slots of transactions, just before a re-placement, that it learns from (a sliding window). Default: everySlots.'),
        method: z
          .enum(['clpa'])
          .default('clpa')
          .describe(
            '`clpa`: constrained label propagation (BrokerChain’s CLPA, as BlockEmulator runs it each epoch) over the window’s transaction graph, starting from the current placement, within `partitionImbalance`.',
          ),
      })
      .optional()
      .describe(
        'Dynamic re-placement: every `everySlots` slots the placement is learned again from the recent transactions and accounts move. A moving account’s balance and nonce travel to its new shard as a proven receipt; its transactions wait there until they arrive, and those still queued at its old shard are refused. Contracts stay where they are. Unset: placement is fixed for the run.',
      ),
  })
  .describe('The account population and how it is placed on shards.');

const skew = (what: string) => z.number().min(0).max(5).default(1).describe(`Zipf exponent of ${what} popularity (0: uniform).`);

export const TokenWorkloadSchema = z
  .strictObject({
    contracts: int().min(1).max(1_000).default(2).describe('Token contracts (ERC-20-like), each on its own account.'),
    skew: skew('token'),
    initialBalance: int().min(0).max(1e12).default(1_000_000).describe('Every holder’s genesis balance of each token.'),
    approveShare: z.number().min(0).max(1).default(0.1).describe('Share of token calls that are approve(spender, amount).'),
    transferFromShare: z.number().min(0).max(1).default(0.1).describe('Share that are transferFrom by the owner’s approved spender.'),
  })
  .describe('`token` workload: transfers, approvals and transferFrom on fungible tokens.');

export const AmmWorkloadSchema = z
  .strictObject({
    pools: int().min(1).max(1_000).default(4).describe('Constant-product pools.'),
    skew: skew('pool'),
    reserve: int().min(1_000).max(1e12).default(1_000_000_000).describe('Genesis reserve of each pool asset.'),
    initialBalance: int().min(0).max(1e12).default(1_000_000).describe('Each trader’s genesis balance of both assets, held in the pool’s ledger.'),
    liquidityShare: z.number().min(0).max(1).default(0.05).describe('Share of calls that add or remove liquidity instead of swapping.'),
  })
  .describe('`amm` workload: swaps on a few hot pools (the classic contention hot spot).');

export const NftWorkloadSchema = z
  .strictObject({
    collections: int().min(1).max(1_000).default(2).describe('NFT collections.'),
    skew: skew('collection (a popular drop)').default(1.5),
    cap: int().min(1).max(100_000_000).default(10_000).describe('Supply cap of each collection: mints beyond it fail.'),
    price: int().min(0).max(1e9).default(100).describe('Native value attached to a mint (paid to the collection).'),
    transferShare: z.number().min(0).max(1).default(0.1).describe('Share of calls that transfer a token (they fail unless the sender owns it).'),
  })
  .describe('`nft` workload: a mint rush on a few collections, plus transfers.');

export const DaoWorkloadSchema = z
  .strictObject({
    proposals: int().min(1).max(1_000).default(1).describe('Open proposals; every account is a member with one vote on each.'),
    deadlineSlot: int().min(0).max(2_000_000).default(1_000_000).describe('Last slot in which votes count.'),
  })
  .describe('`dao` workload: votes on proposals; a second vote by the same member fails.');

export const PaymentsWorkloadSchema = z
  .strictObject({
    stablecoins: int().min(1).max(100).default(1).describe('Stablecoin token contracts.'),
    merchants: int().min(1).max(10_000_000).default(500).describe('Merchants (the first accounts, by a seeded permutation).'),
    merchantSkew: z.number().min(0).max(5).default(1.1).describe('Zipf exponent of merchant popularity.'),
    employers: int().min(0).max(10_000).default(4).describe('Employers that pay payroll in batches.'),
    payrollEverySlots: int().min(1).max(100_000).default(10).describe('Slots between payroll runs.'),
    payrollSize: int().min(1).max(1_000).default(100).describe('Employees paid by one payroll transaction (one batch transfer).'),
    amount: z
      .strictObject({ min: int().min(1).default(1).describe('Smallest payment.'), max: int().min(1).default(200).describe('Largest payment.') })
      .prefault({})
      .describe('Consumer payment amounts, uniform in [min, max].'),
  })
  .describe('`payments` workload: stablecoin payments from consumers to Zipf-popular merchants, and payroll batches.');

const column = (what: string) => z.string().min(1).describe(what);

const TraceColumnsSchema = z.strictObject({
  block: column('Block number (rows in block order).'),
  from: column('Sender address.'),
  to: column('Receiver address; empty or None for a contract creation.'),
  value: column('Wei moved (absent: none).').optional(),
  gas: column('Gas limit (absent: the gas used).').optional(),
  gasUsed: column('Gas the transaction used; its call work then costs that less 21,000 (absent or empty: the stand-in contract’s price).').optional(),
  isCall: column('0/1 or true/false: the row runs contract code (for files that say so without the input).').optional(),
  input: column('Call data, hex: decoded as with ethereum-etl (docs/workloads.md).').optional(),
  isError: column('0/1: the transaction reverted.').optional(),
  timestamp: column('Unix seconds or `YYYY-MM-DD HH:MM:SS UTC`.').optional(),
  reads: column('Storage read, `address:slot` keys.').optional(),
  writes: column('Storage written, `address:slot` keys.').optional(),
});

export const TraceWorkloadSchema = z
  .strictObject({
    file: z
      .string()
      .min(1)
      .describe(
        'CSV file of transactions to replay: plain, gzip, or a ZIP archive holding one CSV (as XBlock-ETH publishes them); a relative path is relative to the scenario file.',
      ),
    format: z
      .enum(['ethereum-etl', 'xblock', 'etherscan', 'custom'])
      .describe(
        'Column layout: `ethereum-etl` transactions.csv, `xblock` (XBlock-ETH), `etherscan` (txlist exports), or `custom`: any CSV, its columns named in `columns`.',
      ),
    columns: TraceColumnsSchema.optional().describe('With `format: custom`: which header column holds each field (header names, case-insensitive).'),
    onBadRow: z
      .enum(['error', 'skip'])
      .default('error')
      .describe('A malformed row stops the run (`error`, naming file and line) or is skipped and counted (`skip`).'),
    replay: z
      .enum(['blocks', 'each-block', 'rate'])
      .default('blocks')
      .describe(
        '`blocks`: `blocksPerSlot` original blocks per slot (the original cadence: a gap in the block numbers is empty slots); `each-block`: every distinct original block is one slot, in order, gaps skipped (sampled blocks, benchmark fixtures); `rate`: at workload.rate.',
      ),
    blocksPerSlot: z.number().gt(0).max(10_000).default(1).describe('With `replay: blocks`: original blocks replayed per slot.'),
    maxRows: int().min(1).max(1e9).optional().describe('Replay at most this many rows.'),
    gas: z
      .enum(['used', 'stand-in'])
      .default('used')
      .describe(
        'What a replayed call’s work costs: `used`, the gas its row used less the 21,000 every transaction pays, where the trace says (ethereum-etl `receipt_gas_used`, Etherscan `gasUsed`), so blocks keep their heavy transactions; `stand-in`: its stand-in contract’s price (conflicts alone, transactions of even size).',
      ),
    weiPerUnit: z.number().min(1).max(1e30).default(1e12).describe('Native units of a row’s value: wei divided by this (1e12: one unit is a micro-ether).'),
  })
  .describe('`trace` workload: replay of a real (or generated) transaction history.');

const KINDS = ['transfer', 'token', 'amm', 'nft', 'dao', 'payments'] as const;

export const WorkloadSchema = z
  .strictObject({
    kind: z
      .enum([...KINDS, 'mix', 'trace'])
      .default('transfer')
      .describe(
        'What users do: `transfer`, `token`, `amm`, `nft`, `dao`, `payments`, a weighted `mix` of them, or `trace` replay. Each kind takes its parameters from its own section below.',
      ),
    mix: z
      .partialRecord(z.enum(KINDS), z.number().min(0).max(1e6))
      .default({})
      .describe('With `kind: mix`: relative weight of each kind, e.g. `{ transfer: 4, amm: 3, nft: 1 }`.'),
    rate: z
      .union([z.number().positive().max(1e9), z.literal('saturate')])
      .default('saturate')
      .describe('Offered load in transactions per simulated second, or `saturate` to keep every shard mempool full.'),
    saturation: z
      .number()
      .min(1)
      .max(100)
      .default(1.5)
      .describe(
        'With `rate: saturate`: offered load as a multiple of what the blocks can hold a slot, in local transfers: by gas and execution time, and, where agreement takes time, what a committee can agree on and still execute within the slot (docs/network.md).',
      ),
    distribution: z
      .enum(['uniform', 'zipf'])
      .default('uniform')
      .describe('`transfer`: how senders and receivers are drawn, `uniform` or `zipf` (a few hot accounts).'),
    zipfExponent: z.number().gt(0).max(5).default(1).describe('`transfer`: skew of the `zipf` distribution (1 is the classic Zipf law).'),
    crossShardRatio: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe(
        '`transfer`: target share of cross-shard transfers. Unset: receivers are drawn from the whole population, so the share follows the partition (about 1 - 1/shards under `hash`).',
      ),
    amount: z
      .strictObject({
        min: int().min(1).default(1).describe('Smallest transfer amount.'),
        max: int().min(1).default(1_000).describe('Largest transfer amount.'),
      })
      .prefault({})
      .describe('`transfer`: amounts, uniform in [min, max].'),
    token: TokenWorkloadSchema.prefault({}),
    amm: AmmWorkloadSchema.prefault({}),
    nft: NftWorkloadSchema.prefault({}),
    dao: DaoWorkloadSchema.prefault({}),
    payments: PaymentsWorkloadSchema.prefault({}),
    trace: TraceWorkloadSchema.optional(),
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
    threshold: z
      .number()
      .gt(0)
      .max(1)
      .default(1 / 3)
      .describe('Committee fails when its adversarial share reaches this (1/3 for BFT, 1/2 for longest-chain).'),
  })
  .describe('Committee security: the cost of smaller committees as the shard count grows.');

export const FaultsSchema = z
  .strictObject({
    silent: z
      .array(
        z.strictObject({
          shard: int().min(0).max(1023).describe('The shard that goes silent.'),
          fromSlot: int().min(0).max(2_000_000).describe('First silent slot.'),
          slots: int().min(1).max(2_000_000).describe('How many slots it stays silent.'),
        }),
      )
      .max(1_000)
      .default([])
      .describe('Shards that produce empty blocks for a while: they admit and execute nothing, receipts to them wait, the others continue.'),
    delay: z
      .strictObject({
        ratio: z.number().min(0).max(1).default(0).describe('Share of receipt batches delivered late.'),
        minSlots: int().min(1).max(1_000).default(1).describe('Fewest extra slots a late batch takes.'),
        maxSlots: int().min(1).max(1_000).default(3).describe('Most extra slots a late batch takes.'),
      })
      .prefault({})
      .describe('Late delivery of receipt batches (after their source block is final).'),
    duplicateRatio: z.number().min(0).max(1).default(0).describe('Share of receipt batches delivered twice (at-least-once delivery).'),
    reorder: z.boolean().default(false).describe('Deliver each block’s batches in a shuffled order.'),
    byzantine: z
      .strictObject({
        shards: z.array(int().min(0).max(1023)).max(1024).default([]).describe('Shards that forge receipts (their own state stays honest).'),
        ratio: z.number().min(0).max(1).default(0.5).describe('Share of a Byzantine shard’s batches that come with a forgery.'),
        kinds: z
          .array(z.enum(['inflate', 'absent', 'replay', 'unfinalized', 'bad-header']))
          .default(['inflate', 'absent', 'replay', 'unfinalized', 'bad-header'])
          .describe(
            'Forgeries: `inflate` (an amount raised), `absent` (a receipt not in the committed root), `replay` (an applied batch again), `unfinalized` (a block not final yet), `bad-header` (a proof against a root that contradicts the crosslink).',
          ),
      })
      .prefault({})
      .describe('Byzantine shards: every forgery must be rejected by honest destinations, and is counted.'),
  })
  .describe('Injected faults, deterministic from the seed, on either transport.');

export const RecoverySchema = z
  .strictObject({
    checkpointEvery: int()
      .min(0)
      .max(100_000)
      .default(8)
      .describe(
        "With `transport: redis`: each shard writes a checkpoint of its whole state to Redis after every this many slots, and logs the receipt batches delivered since; the controller logs every slot's reports. A dead shard process is then restarted and its shards restored and replayed, and `--resume` can continue a run whose controller died. `0`: no checkpoints; a dead process stops the run.",
      ),
    restarts: int()
      .min(0)
      .max(1_000)
      .default(3)
      .describe(
        'Most shard-process restarts in one run (all processes together), counting replacements that died or were not ready within 120 s; one more death stops the run.',
      ),
    redisTimeoutSeconds: int()
      .min(1)
      // Heartbeat keys live this long plus a grace; the key-expiry sweep spares keys that expire within the hour.
      .max(1_800)
      .default(20)
      .describe(
        "With `transport: redis`: how long Redis may stay silent (down, restarting, unreachable) before the run stops. The controller then stops its shard processes, keeps `progress.json` and the run's checkpoints in Redis, and exits with code 3 and the `--resume` command; shard processes give the run up by themselves after the same time. A shorter outage (a Redis restart with its data) costs nothing.",
      ),
  })
  .describe('Crash recovery of the Redis transport. Results are the same with or without it, and after any restart.');

export const StudySchema = z
  .strictObject({
    seeds: int()
      .min(1)
      .max(1_000)
      .default(1)
      .describe(
        'Runs per sweep point, with seeds `seed`, `seed + 1`, ...: every figure is then reported as a mean with its standard deviation and 95% confidence interval. `--seeds N` overrides; a `seed` axis lists the seeds instead.',
      ),
    latencySlo: z
      .number()
      .gt(0)
      .max(1e6)
      .optional()
      .describe(
        'Latency objective in simulated seconds: with `--find-max`, a rate is sustainable only while p99 latency (over every transaction submitted in the window) stays under it. Default: `finalityDelaySlots + 4` slots, the time a cross-shard transaction takes plus a little queueing.',
      ),
    findMax: z
      .boolean()
      .default(false)
      .describe(
        'Search, at every sweep point, the highest offered rate (`workload.rate`) the network sustains: no transaction dropped, backlogs not growing over the window, p99 latency under `latencySlo`. `--find-max` sets it.',
      ),
    tolerance: z
      .number()
      .min(0.001)
      .max(0.5)
      .default(0.02)
      .describe('With `findMax`: the search stops once the highest sustainable and the lowest unsustainable rate are this close (relative).'),
    startRate: z
      .number()
      .positive()
      .max(1e9)
      .optional()
      .describe(
        'With `findMax`: the first rate probed, in transactions per simulated second. Default: `workload.rate` when it is a number, else the network block capacity in transfers.',
      ),
    maxProbes: int().min(2).max(200).default(40).describe('With `findMax`: most runs the search makes at one sweep point.'),
  })
  .describe('How a sweep is measured: seeds per point, maximum sustainable throughput, the latency objective.');

export const ReportSchema = z
  .strictObject({
    targetTps: z
      .number()
      .positive()
      .max(1e12)
      .optional()
      .describe(
        'A throughput goal, in transactions per simulated second: the summary says where it is first reached (or sustained, with `--find-max`) and the report draws it where it is near the data. Unset: no goal.',
      ),
  })
  .describe('What the report and the summary show.');

export const ScenarioSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'lower-case letters, digits, ".", "_" or "-", up to 64 characters')
      .describe('Scenario name; results go to results/<name>/.'),
    description: z.string().max(2_000).optional().describe('What the scenario studies, in a sentence or two.'),
    seed: int()
      .min(0)
      .max(2 ** 32 - 1)
      .default(1)
      .describe('Seed of every random choice. Same config and seed, same results.'),
    transport: z
      .enum(['memory', 'redis'])
      .default('memory')
      .describe(
        '`memory`: every shard in this process (the embedded default). `redis`: shard processes coordinating through Redis queues (BullMQ); see --redis-url.',
      ),
    maxProcesses: z
      .union([int().min(1).max(1024), z.literal('auto')])
      .default('auto')
      .describe(
        'With `transport: redis`: most shard processes to run; shards are spread over them round-robin. `auto`: one per shard, up to the number of CPU cores.',
      ),
    memoryThreads: z
      .union([int().min(1).max(1024), z.literal('auto')])
      .default('auto')
      .describe(
        'With `transport: memory`: threads the shards run on (worker threads of this process, round-robin; the controller stays on the main thread). `1`: every shard on the main thread. `auto`: one per shard, up to the number of CPU cores. Results are the same for any value.',
      ),
    slotSeconds: z.number().min(0.001).max(3_600).default(1).describe('Simulated length of a slot, in seconds.'),
    finalityDelaySlots: int().min(1).max(64).default(2).describe('Slots before a shard block is finalized by the beacon and its receipts can be admitted.'),
    slots: SlotsSchema.prefault({}),
    sweep: SweepSchema.prefault({}),
    shard: ShardSchema.prefault({}),
    accounts: AccountsSchema.prefault({}),
    workload: WorkloadSchema.prefault({}),
    gas: GasSchema.prefault({}),
    security: SecuritySchema.prefault({}),
    network: NetworkSchema.prefault({}),
    consensus: ConsensusSchema.prefault({}),
    beacon: BeaconSchema.prefault({}),
    crossShard: CrossShardSchema.prefault({}),
    faults: FaultsSchema.optional(),
    recovery: RecoverySchema.prefault({}),
    study: StudySchema.prefault({}),
    report: ReportSchema.prefault({}),
  })
  .superRefine((s, ctx) => {
    if (s.workload.amount.min > s.workload.amount.max) {
      ctx.addIssue({ code: 'custom', path: ['workload', 'amount', 'min'], message: `must be <= workload.amount.max (${s.workload.amount.max})` });
    }
    // Balances are exact integers in float64: the total supply must stay a safe integer.
    // (A trace brings its own population; its run checks these limits once it has read the file.)
    if (s.workload.kind !== 'trace' && s.accounts.count * s.accounts.initialBalance > Number.MAX_SAFE_INTEGER) {
      ctx.addIssue({
        code: 'custom',
        path: ['accounts', 'initialBalance'],
        message: `accounts.count x initialBalance must stay below 2^53 (${Number.MAX_SAFE_INTEGER}); lower one of them`,
      });
    }
    // sweepPoints builds the axes' cartesian product before it counts the runs (at most
    // MAX_POINTS, 10,000): refuse a larger product here, before anything is built.
    const axisCount = Object.keys(s.sweep.axes).length;
    if (axisCount > MAX_AXES) {
      ctx.addIssue({ code: 'custom', path: ['sweep', 'axes'], message: `${axisCount} axes is more than ${MAX_AXES}; sweep fewer parameters at once` });
    } else {
      let runs = s.sweep.shards.length * s.study.seeds;
      for (const values of Object.values(s.sweep.axes)) runs *= values.length;
      if (runs > MAX_RUNS) {
        ctx.addIssue({
          code: 'custom',
          path: ['sweep', 'axes'],
          message: `the sweep would make ${runs} runs (shard counts times every axis's values), more than ${MAX_RUNS}; narrow the axes`,
        });
      }
    }
    const maxShards = Math.max(...s.sweep.shards);
    if (s.workload.kind !== 'trace' && maxShards > s.accounts.count) {
      ctx.addIssue({
        code: 'custom',
        path: ['sweep', 'shards'],
        message: `${maxShards} shards need at least as many accounts (accounts.count is ${s.accounts.count})`,
      });
    }
    if (s.faults !== undefined && s.faults.delay.minSlots > s.faults.delay.maxSlots) {
      ctx.addIssue({ code: 'custom', path: ['faults', 'delay', 'minSlots'], message: `must be <= faults.delay.maxSlots (${s.faults.delay.maxSlots})` });
    }
    if (s.study.findMax && s.workload.kind === 'trace' && s.workload.trace !== undefined && s.workload.trace.replay !== 'rate') {
      ctx.addIssue({
        code: 'custom',
        path: ['study', 'findMax'],
        message: 'the search varies workload.rate, but a trace replayed by blocks ignores it; set workload.trace.replay: rate',
      });
    }
    if (s.workload.kind === 'trace' && s.workload.trace === undefined) {
      ctx.addIssue({ code: 'custom', path: ['workload', 'trace'], message: 'kind `trace` needs a trace section: { file, format }' });
    }
    const trace = s.workload.trace;
    if (trace !== undefined && trace.format === 'custom' && trace.columns === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['workload', 'trace', 'columns'],
        message:
          'format `custom` needs its columns named: { block, from, to } and any of value, gas, gasUsed, isCall, input, isError, timestamp, reads, writes',
      });
    }
    if (trace !== undefined && trace.format !== 'custom' && trace.columns !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['workload', 'trace', 'columns'],
        message: `columns name a custom layout, but format is \`${trace.format}\`, whose columns are fixed: set format: custom, or drop columns`,
      });
    }
    if (s.workload.kind === 'mix' && !Object.values(s.workload.mix).some((w) => (w ?? 0) > 0)) {
      ctx.addIssue({
        code: 'custom',
        path: ['workload', 'mix'],
        message: 'kind `mix` needs at least one kind with a positive weight, e.g. { transfer: 1, amm: 1 }',
      });
    }
    if (s.accounts.partition === 'graph' && s.workload.crossShardRatio !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['accounts', 'partition'],
        message: '`graph` placement learns who transacts with whom, but workload.crossShardRatio chooses receivers by placement; use one or the other',
      });
    }
    const rp = s.accounts.repartition;
    if (rp !== undefined && s.workload.crossShardRatio !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['accounts', 'repartition'],
        message: 're-placement learns who transacts with whom, but workload.crossShardRatio chooses receivers by placement; use one or the other',
      });
    }
    if (rp !== undefined && s.crossShard.protocol === 'lock-2pc') {
      ctx.addIssue({
        code: 'custom',
        path: ['accounts', 'repartition'],
        message: 'accounts cannot move under crossShard.protocol lock-2pc (a lock would have to move with them); use receipts, relay or broker',
      });
    }
    const network = networkIssue(s.network);
    if (network !== null) ctx.addIssue({ code: 'custom', path: network.path, message: network.message });
    if (s.consensus.protocol !== 'ideal') {
      // The BFT protocols need 3f + 1 members with f >= 1 (shards/consensus/committee-check.ts).
      const smallest = Math.min(Math.floor(s.security.validators / maxShards), s.consensus.maxCommittee);
      if (smallest < 4) {
        ctx.addIssue({
          code: 'custom',
          path: ['consensus', 'protocol'],
          message:
            s.consensus.maxCommittee < 4
              ? `${s.consensus.protocol} needs committees of at least 4 members, but consensus.maxCommittee is ${s.consensus.maxCommittee}: raise it to 4 or more`
              : `${s.consensus.protocol} needs committees of at least 4 members, but ${s.security.validators} validators over ${maxShards} shards make committees of ${smallest}: raise security.validators to ${4 * maxShards} or more, or sweep fewer shards`,
        });
      }
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
