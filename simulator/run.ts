/**
 * One run: a scenario at one shard count. The controller side of the slot
 * protocol (docs/architecture.md, "The slot protocol", steps 1 and 5): each
 * slot it hands every shard its newly finalized crosslinks and its share of
 * the workload, waits for all reports, records the headers on the beacon,
 * and advances. At the end it checks the invariants and turns the shards'
 * accounts into the run's figures.
 */
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { ConfigError } from '../crosslink/common/errors.js';
import type { ShardSummary, SlotCommand } from '../crosslink/transport.js';
import { TxRows } from '../crosslink/tx-rows.js';
import type { AccountMap } from '../shards/account-map.js';
import type { CrossShardSetup } from '../shards/cross-shard.js';
import { LatencyHistogram } from '../shards/latency-histogram.js';
import type { ShardSetup } from '../shards/shard-setup.js';
import { Beacon } from './beacon.js';
import { BlockRecorder, type BlockTable } from './block-figures.js';
import { byKindOf, OfferedByKind } from './by-kind.js';
import { censoredLatency } from './censored-latency.js';
import type { Scenario } from './config/schema.js';
import { crossShardFigures } from './cross-shard-figures.js';
import { digestOf } from './digest.js';
import { type InvariantFault, withInvariantFault } from './invariant-faults.js';
import { checkInvariants } from './invariants.js';
import { bottleneckOf, networkFigures } from './network-figures.js';
import { agreementSetup, beaconCapacityOf, committeeSize, receiptBytesPerSlotOf } from './network-setup.js';
import { placeAccounts } from './partition.js';
import { loadPartitionFile } from './partition-file.js';
import { placementFigures, type RepartitionEpoch, Repartitioner } from './repartition.js';
import type { RunResult, Stability } from './results.js';
import { committeeRisk } from './security.js';
import { SlotTotals } from './slot-totals.js';
import { openTransport, type RedisRunOptions } from './transports.js';
import { frozenAccounts } from './workload.js';
import { openWorkloadSource, type WorkloadSource } from './workload-source.js';

export interface RunOptions {
  readonly logger?: Logger | undefined;
  /** Called after every slot (progress bars, benchmarks), with the user transactions executed so far. */
  readonly onSlot?: ((slot: number, totalSlots: number, executedTx: number) => void) | undefined;
  /** Sweep axis values of this run, recorded in its `params`. */
  readonly params?: Readonly<Record<string, number | string>> | undefined;
  /** Where and how shard processes run when the scenario's transport is `redis`. */
  readonly redis?: RedisRunOptions | undefined;
  /** Tests only: breaks one shard's end-of-run account before the checks read it (invariant-faults.ts). */
  readonly invariantFault?: InvariantFault | undefined;
}

/** The shard side of the crossShard section: brokers exist only under the broker protocol. */
export function crossShardSetup(sc: Scenario): CrossShardSetup {
  const { protocol, broker } = sc.crossShard;
  return { protocol, brokers: protocol === 'broker' ? broker.count : 0, liquidity: broker.liquidity, fallback: broker.fallback };
}

/** A scenario's shard-side parameters, for one shard count. */
export function shardSetup(sc: Scenario, shards: number, source: WorkloadSource): ShardSetup {
  return {
    shardCount: shards,
    accounts: source.accounts,
    initialBalance: sc.accounts.initialBalance,
    gas: sc.gas,
    blockGasLimit: sc.shard.blockGasLimit,
    receiptGasShare: sc.shard.receiptGasShare,
    mempoolCapacity: sc.shard.mempoolCapacity,
    gasPerSecondPerThread: sc.shard.gasPerSecondPerThread,
    threads: sc.shard.threads,
    slotMs: sc.slotSeconds * 1000,
    windowFrom: sc.slots.warmup,
    windowTo: sc.slots.warmup + sc.slots.measure,
    executor: sc.shard.executor,
    executionCost: sc.shard.executionCost,
    contracts: source.contracts,
    faults:
      sc.faults === undefined
        ? null
        : {
            ...sc.faults,
            seed: sc.seed,
            totalSlots: sc.slots.warmup + sc.slots.measure + sc.slots.drain,
            finalityDelaySlots: sc.finalityDelaySlots,
          },
    agreement: agreementSetup(sc, shards),
    receiptBytesPerSlot: receiptBytesPerSlotOf(sc),
    crossShard: crossShardSetup(sc),
    movable: sc.accounts.repartition !== undefined,
  };
}

/** The account placement of a run: the scenario's partitioner at this shard count. */
/** Account places over all shards a movable map may take (accounts x shards): 2^24, up to about 2 GB of state and Merkle trees (some 100 bytes a place). */
const MAX_MOVABLE_PLACES = 2 ** 24;

export async function placementFor(sc: Scenario, shards: number, source: WorkloadSource): Promise<AccountMap> {
  const accounts = source.accounts;
  if (shards > accounts) throw new ConfigError('sweep.shards', `${shards} shards need at least as many accounts; the workload has ${accounts}`);
  if (accounts * sc.accounts.initialBalance > Number.MAX_SAFE_INTEGER) {
    throw new ConfigError('accounts.initialBalance', `${accounts} accounts x ${sc.accounts.initialBalance} exceeds 2^53; lower the balance`);
  }
  const sample = sc.accounts.partition === 'graph' ? await source.sample() : undefined;
  const groups = sc.accounts.partitionFile === undefined ? undefined : loadPartitionFile(sc.accounts.partitionFile, accounts, source.resolve);
  const movable = sc.accounts.repartition !== undefined;
  // A movable map gives every shard a place for every account (account-map.ts).
  if (movable && accounts * shards > MAX_MOVABLE_PLACES) {
    throw new ConfigError(
      'accounts.repartition',
      `moving accounts needs a place for each of the ${accounts} accounts on each of ${shards} shards (${accounts * shards}); at most ${MAX_MOVABLE_PLACES}: sweep fewer shards or fewer accounts`,
    );
  }
  return placeAccounts({ kind: sc.accounts.partition, accounts, shards, sample, groups, imbalance: sc.accounts.partitionImbalance, movable });
}

export async function runScenario(sc: Scenario, shards: number, opts: RunOptions = {}): Promise<RunResult> {
  const started = performance.now();
  const source = await openWorkloadSource(sc);
  const map = await placementFor(sc, shards, source);
  const frozen = frozenAccounts(sc, source.accounts);
  const { warmup, measure, drain } = sc.slots;
  const windowFrom = warmup;
  const windowTo = warmup + measure;
  const totalSlots = warmup + measure + drain;

  const transport = await openTransport(sc, shardSetup(sc, shards, source), { map, frozen }, { redis: opts.redis, logger: opts.logger });
  const beacon = new Beacon(shards, sc.finalityDelaySlots, beaconCapacityOf(sc, shards));
  const workload = source.bind(map);
  const rp = sc.accounts.repartition;
  const repartitioner =
    rp === undefined
      ? undefined
      : new Repartitioner(
          { everySlots: rp.everySlots, windowSlots: rp.windowSlots ?? rp.everySlots, imbalance: sc.accounts.partitionImbalance },
          map,
          source.contracts.map((c) => c.id),
        );
  // Per slot, the transactions offered and those of them that cross shards: the cross-shard share over time.
  const offeredBySlot: number[] = [];
  const crossBySlot: number[] = [];

  const generated = new Array<number>(shards).fill(0);
  let offeredInWindow = 0;
  const offeredByKind = new OfferedByKind(source.contracts);
  let crossInWindow = 0;
  let executedTx = 0;
  const totals = new SlotTotals(shards, sc.shard.gasPerSecondPerThread);
  const blocks = new BlockRecorder(sc.shard.gasPerSecondPerThread);
  const slotMs = sc.slotSeconds * 1000;
  const winFromMs = windowFrom * slotMs;
  const winToMs = windowTo * slotMs;
  // Every transaction offered in the window, by its age at the window's end: censored latency subtracts the completed ones.
  const offeredAges = new LatencyHistogram();
  const offeredGas = new Float64Array(shards);
  // Transactions and receipts waiting, summed over shards, before the window and at its end.
  const backlog = { start: 0, end: 0 };

  try {
    // One row list per shard for the whole run, emptied every slot: every transport has copied a
    // command's rows (into a mempool, a message or a job) by the time runSlot returns. Fresh lists
    // each slot cost a 1,024-shard run 200 MB of new, zeroed memory a slot.
    const perShard: TxRows[] = Array.from({ length: shards }, () => new TxRows(Math.ceil((1.25 * workload.perSlot) / shards)));
    for (let slot = 0; slot < totalSlots; slot++) {
      const inWindow = slot >= windowFrom && slot < windowTo;
      for (const rows of perShard) rows.clear();
      let offered = 0;
      let cross = 0;
      // A re-placement moves accounts before the slot's transactions are routed by where they now live; none in
      // the drain, when no transaction is offered any more.
      const moves = slot < windowTo ? repartitioner?.planAt(slot) : undefined;
      // Each transaction goes straight to its sender's shard's rows.
      if (slot < windowTo) {
        await workload.each(slot, (tx) => {
          const home = map.owner[tx.from]!;
          perShard[home]!.push(tx);
          if (tx.toShard !== home) cross++;
          repartitioner?.record(slot, tx.from, tx.to);
          if (inWindow) {
            if (tx.toShard !== home) crossInWindow++;
            offeredGas[home]! += tx.gasLimit;
          }
          if (tx.submitMs >= winFromMs && tx.submitMs < winToMs) offeredAges.record(winToMs - tx.submitMs);
          offered++;
          offeredByKind.offer(tx, inWindow);
        });
      }
      for (let i = 0; i < shards; i++) generated[i]! += perShard[i]!.length;
      if (inWindow) offeredInWindow += offered;
      if (slot < windowTo) {
        offeredBySlot.push(offered);
        crossBySlot.push(cross);
      }
      const { finalizedSlot, crosslinks } = beacon.finalize(slot);
      const commands: SlotCommand[] = perShard.map((list, i) =>
        moves === undefined
          ? { slot, finalizedSlot, crosslinks: crosslinks[i]!, txs: list }
          : { slot, finalizedSlot, crosslinks: crosslinks[i]!, txs: list, moves },
      );
      const reports = await transport.runSlot(commands);
      beacon.record(slot, reports);
      for (const r of reports) {
        executedTx += r.metrics.txIncluded;
        if (inWindow) totals.add(r);
      }
      if (inWindow) blocks.addSlot(reports, workload.sourceBlockOf?.(slot) ?? null);
      // The slot before the window (or, with no warmup, an empty start) and the window's last slot.
      const edge = slot === windowFrom - 1 ? 'start' : slot === windowTo - 1 ? 'end' : undefined;
      if (edge !== undefined) {
        for (const r of reports) backlog[edge] += r.metrics.mempool + r.metrics.delayedReceipts;
      }
      opts.onSlot?.(slot, totalSlots, executedTx);
    }
    const finished = await transport.finish();
    const summaries = opts.invariantFault === undefined ? finished : withInvariantFault(finished, opts.invariantFault);
    const unfinalized = beacon.unfinalized();
    const inFlight = checkInvariants(summaries, {
      slot: totalSlots - 1,
      initialSupply: source.accounts * sc.accounts.initialBalance + shards * crossShardSetup(sc).brokers * sc.crossShard.broker.liquidity,
      generated,
      unfinalized,
      finalizedInbound: beacon.finalizedInbound,
    });
    const wallSeconds = (performance.now() - started) / 1000;
    const result = buildResult(sc, shards, opts.params ?? {}, source.trace ?? null, summaries, {
      offeredInWindow,
      crossInWindow,
      inFlight,
      totals,
      offeredAges,
      offeredGas,
      backlog,
      offeredByKind,
      beacon,
      blocks: blocks.table(),
      placement:
        repartitioner === undefined
          ? null
          : { epochs: repartitioner.epochs, crossShardBySlot: crossBySlot.map((c, i) => (offeredBySlot[i]! > 0 ? c / offeredBySlot[i]! : 0)) },
    });
    opts.logger?.info({ shards, throughputTps: result.throughputTps, digest: result.digest, wallSeconds }, 'run complete');
    return {
      ...result,
      wall: {
        seconds: wallSeconds,
        simulatedTxPerWallSecond: executedTx / wallSeconds,
        ...(transport.recoveries !== undefined && transport.recoveries.length > 0 ? { recoveries: [...transport.recoveries] } : {}),
      },
    };
  } finally {
    await workload.close?.();
    await transport.close();
  }
}

interface RunTallies {
  readonly offeredInWindow: number;
  readonly crossInWindow: number;
  readonly inFlight: { readonly count: number; readonly value: number };
  /** The figures of the window's blocks, by their tables' aggregations. */
  readonly totals: SlotTotals;
  /** Every transaction offered in the window, by its age at the window's end (ms). */
  readonly offeredAges: LatencyHistogram;
  /** Per shard, the gas limits of the user transactions offered to it in the window. */
  readonly offeredGas: Float64Array;
  /** Transactions and receipts waiting, summed over shards, before the window and at its end. */
  readonly backlog: { readonly start: number; readonly end: number };
  /** The window's generated transactions by kind (by-kind.ts). */
  readonly offeredByKind: OfferedByKind;
  /** The run's beacon: its finality delays and backlog. */
  readonly beacon: Beacon;
  readonly blocks: BlockTable;
  /** accounts.repartition: the re-placements and the cross-shard share slot by slot; null for a fixed placement. */
  readonly placement: { readonly epochs: readonly RepartitionEpoch[]; readonly crossShardBySlot: readonly number[] } | null;
}

/** The network kept up over the window: nothing dropped, and the backlog grew by at most 1% of the window's offered load. */
export function stabilityOf(offeredInWindow: number, droppedInWindow: number, backlog: { readonly start: number; readonly end: number }): Stability {
  const reasons: string[] = [];
  if (droppedInWindow > 0) reasons.push(`full mempools dropped ${droppedInWindow} transactions`);
  const growth = backlog.end - backlog.start;
  if (growth > 0.01 * offeredInWindow) reasons.push(`the backlog grew from ${backlog.start} to ${backlog.end} over the window`);
  return { stable: reasons.length === 0, reasons, backlog: { start: backlog.start, end: backlog.end }, droppedInWindow };
}

function buildResult(
  sc: Scenario,
  shards: number,
  axes: Readonly<Record<string, number | string>>,
  trace: RunResult['trace'],
  summaries: readonly ShardSummary[],
  t: RunTallies,
): Omit<RunResult, 'wall'> {
  const seconds = sc.slots.measure * sc.slotSeconds;
  const latency = new LatencyHistogram();
  const completedAges = new LatencyHistogram();
  let completedInWindow = 0;
  let submitted = 0;
  let dropped = 0;
  let completed = 0;
  let completedFailed = 0;
  let sent = 0;
  let applied = 0;
  let refunds = 0;
  let rejected = 0;
  let duplicates = 0;
  let silentSlots = 0;
  const forged: Record<string, number> = {};
  const rejectedByReason: Record<string, number> = {};
  let delayed = 0;
  let mempool = 0;
  for (const s of summaries) {
    const c = s.counters;
    latency.merge(s.latency);
    completedAges.merge(s.completedAges);
    completedInWindow += c.completedInWindow;
    submitted += c.submitted;
    dropped += c.mempoolDropped;
    completed += c.completed;
    completedFailed += c.completedFailed;
    sent += c.receiptsEmitted;
    applied += c.receiptsApplied;
    refunds += c.refundsEmitted;
    rejected += c.rejectedReceipts;
    duplicates += c.duplicateBatches;
    silentSlots += s.faults.silentSlots;
    for (const [k, v] of Object.entries(s.faults.forged)) forged[k] = (forged[k] ?? 0) + v;
    for (const [k, v] of Object.entries(c.rejectedByReason)) rejectedByReason[k] = (rejectedByReason[k] ?? 0) + v;
    delayed += s.delayed.count;
    mempool += s.mempool;
  }
  const measure = sc.slots.measure;
  const totals = t.totals;
  const capacityGas = sc.shard.blockGasLimit * measure;
  const perShard = summaries.map((s) => ({
    shard: s.shard,
    utilisation: totals.ofShard(s.shard, 'utilisation') / measure,
    demand: (t.offeredGas[s.shard]! + s.counters.receiptGasAdmittedInWindow) / capacityGas,
    txIncluded: totals.ofShard(s.shard, 'txIncluded'),
    receiptsApplied: totals.ofShard(s.shard, 'receiptsApplied'),
    mempoolEnd: s.mempool,
    delayedEnd: s.delayed.count,
  }));
  const utils = perShard.map((p) => p.utilisation);
  const work = perShard.map((p) => p.txIncluded + p.receiptsApplied);
  const meanWork = work.reduce((a, b) => a + b, 0) / work.length;
  // With a consensus protocol, the members that vote (at most consensus.maxCommittee) are the committee an adversary
  // must capture, on any network (the ideal one only makes their agreement instant).
  const risk = committeeRisk(
    sc.security.validators,
    sc.security.adversaryFraction,
    sc.security.threshold,
    shards,
    sc.consensus.protocol === 'ideal' ? Math.floor(sc.security.validators / shards) : committeeSize(sc, shards),
  );
  const lastSlot = sc.slots.warmup + sc.slots.measure + sc.slots.drain - 1;
  const stability = stabilityOf(t.offeredInWindow, totals.sum('mempoolDropped'), t.backlog);
  const network = networkFigures(sc, shards, totals, t.beacon, summaries, latency.total);
  const body: Omit<RunResult, 'wall' | 'digest'> = {
    shards,
    seed: sc.seed,
    params: { shards, 'shard.executor': sc.shard.executor, 'shard.threads': sc.shard.threads, 'accounts.partition': sc.accounts.partition, ...axes },
    throughputTps: completedInWindow / seconds,
    offeredTps: t.offeredInWindow / seconds,
    crossShardRatio: t.offeredInWindow > 0 ? t.crossInWindow / t.offeredInWindow : 0,
    latency: censoredLatency({
      completed: latency,
      completedAges,
      offeredAges: t.offeredAges,
      afterWindowMs: sc.slots.drain * sc.slotSeconds * 1000,
      lastSlot,
    }),
    stability,
    transactions: { submitted, mempoolDropped: dropped, completed, completedFailed, pending: mempool + t.inFlight.count },
    byKind: byKindOf(t.offeredByKind, summaries),
    receipts: { sent, applied, refunds, rejected, duplicates, inFlight: t.inFlight.count, delayedBacklog: delayed },
    utilisation: { mean: utils.reduce((a, b) => a + b, 0) / utils.length, max: Math.max(...utils) },
    loadImbalance: meanWork > 0 ? Math.max(...work) / meanWork : 1,
    perShard,
    execution: {
      executor: sc.shard.executor,
      threads: sc.shard.threads,
      speedup: totals.sum('makespan') > 0 ? totals.sequentialSeconds / totals.sum('makespan') : 1,
      makespan: totals.total('makespan'),
      ...totals.execFigures(),
    },
    security: {
      validators: sc.security.validators,
      committeeSize: risk.committeeSize,
      adversaryFraction: sc.security.adversaryFraction,
      threshold: sc.security.threshold,
      failureProbability: risk.anyCommittee,
    },
    trace,
    faults: sc.faults === undefined ? null : { silentSlots, forgedBatches: forged, rejectedBatchesByReason: rejectedByReason, duplicateBatches: duplicates },
    network,
    crossShard: crossShardFigures(sc, summaries, totals),
    ...(t.placement === null ? {} : { placement: placementFigures(t.placement, summaries) }),
    bottleneck: bottleneckOf(stability, network, totals),
    blocks: t.blocks,
    stateRoots: summaries.map((s) => s.stateRoot),
  };
  return { ...body, digest: digestOf(body) };
}
