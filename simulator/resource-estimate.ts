/**
 * What a sweep will cost before it starts: peak memory (accounts, shards,
 * the transactions of one slot, full mempools, the graph placement's sample)
 * and CPU time (slots x load). A sweep that cannot fit this machine is
 * refused with the numbers and what to lower, before anything is allocated;
 * a long one is announced.
 *
 * The constants are fitted to runs of configs/quickstart.yaml measured on the
 * 2-core, 23 GB development machine with `/usr/bin/time -v` (maximum resident
 * set size, user CPU), `npx shardsim run configs/quickstart.yaml --shards N -q
 * --set ...` with 1 warmup, 2 measured and 1 drain slot unless noted:
 *   accounts.count 1e3 / 1e6 / 4e6 at rate 1000, 1 shard: 100 / 187 / 437 MB;
 *     4e6 at 4 shards: 525 MB                       -> ~110 B per account
 *   rate 1e5 / 1e6 / 4e6 tx/s, 1 shard: 120 / 204 / 485 MB; 4e6 at 4 shards:
 *     1,143 MB                                      -> ~96 B (1 shard) to ~260 B
 *     (4 shards, rows copied to worker threads) per transaction of a slot
 *   rate 2e6 with mempoolCapacity 4e6, 1 shard: 842 MB -> ~150 B per mempool entry
 *   64 / 256 shards at rate 1e4: 167 / 214 MB       -> ~250 KB per shard
 *   saturate, 44 slots: 1 shard 0.97 s, 8 shards 3.5 s user CPU (~6 us per
 *     executed transaction); 256 shards at rate 1000: 3.4 s (~240 us per shard-slot).
 * Checked at scale: accounts.count 1e8 at 4 shards (initialBalance 1) peaked at
 * 10.6 GB (10,602,500 KB; estimate 11.2 GB); issue 17 saw workload.rate 1e8
 * take 14.5 GB before failing (145 B a transaction).
 */

import type { Scenario } from './config/schema.js';
import { startRateOf } from './find-max.js';
import { blockCapacityTx } from './slot-capacity.js';
import { sweepPoints } from './sweep-points.js';

/** Runs a search for the maximum sustainable rate typically makes at one point. */
const FIND_MAX_PROBES = 8;

const MB = 1024 * 1024;
/** The process before any run: Node, the modules, worker threads. */
const BASE_BYTES = 100 * MB;
const BYTES_PER_ACCOUNT = 110;
const BYTES_PER_SHARD = 256 * 1024;
/** A transaction of the slot being generated and routed (worst case measured: several threads). */
const BYTES_PER_SLOT_TX = 260;
const BYTES_PER_MEMPOOL_TX = 150;
/** A trace row of the slot being replayed, with its addresses and draft (5M rows in one block took 4.9 GB). */
const BYTES_PER_TRACE_ROW = 1024;
/** A transaction of the graph placement's sample, held as an object. */
const BYTES_PER_SAMPLE_TX = 200;
const CPU_BASE_SECONDS = 0.7;
const CPU_PER_SHARD_SLOT = 240e-6;
const CPU_PER_EXECUTED_TX = 6e-6;
const CPU_PER_OFFERED_TX = 1e-6;

/** A sweep longer than this (CPU estimate) is announced with a warning. */
export const LONG_RUN_SECONDS = 15 * 60;

export interface MemoryPart {
  readonly what: string;
  readonly bytes: number;
  /** The setting to lower to shrink this part. */
  readonly lower: string;
}

export interface RunEstimate {
  readonly shards: number;
  readonly bytes: number;
  readonly parts: readonly MemoryPart[];
  readonly cpuSeconds: number;
}

export interface SweepEstimate {
  /** The run with the largest memory estimate (runs of a sweep go one at a time). */
  readonly peak: RunEstimate;
  readonly cpuSeconds: number;
  readonly runs: number;
}

/**
 * Offered transactions in one slot (a trace replayed by its blocks is counted once read: 0 here). A saturating
 * load is counted at the gas capacity, an upper bound of what a network's blocks hold (slot-capacity.ts), so the
 * estimate never needs a network model placed.
 */
export function offeredPerSlot(sc: Scenario, shards: number): number {
  const w = sc.workload;
  if (w.kind === 'trace' && w.trace?.replay !== 'rate') return 0;
  if (w.rate === 'saturate') return w.kind === 'trace' ? 0 : Math.ceil(w.saturation * shards * blockCapacityTx(sc));
  return w.rate * sc.slotSeconds;
}

export function estimateRun(sc: Scenario, shards: number): RunEstimate {
  const perSlot = offeredPerSlot(sc, shards);
  const arrivalSlots = sc.slots.warmup + sc.slots.measure;
  const totalSlots = arrivalSlots + sc.slots.drain;
  const accounts = sc.workload.kind === 'trace' ? 0 : sc.accounts.count;
  const parts: MemoryPart[] = [
    { what: 'the process itself', bytes: BASE_BYTES, lower: '' },
    { what: `${fmtCount(accounts)} accounts`, bytes: accounts * BYTES_PER_ACCOUNT, lower: 'accounts.count' },
    { what: `${shards} shards`, bytes: shards * BYTES_PER_SHARD, lower: 'the shard counts (sweep.shards, --shards)' },
    {
      what: `${fmtCount(perSlot)} transactions ${sc.workload.kind === 'trace' ? 'replayed' : 'generated'} per slot`,
      bytes: perSlot * (sc.workload.kind === 'trace' ? BYTES_PER_TRACE_ROW : BYTES_PER_SLOT_TX),
      lower: sc.workload.rate === 'saturate' ? 'workload.saturation or the shard counts' : 'workload.rate or slotSeconds',
    },
    {
      what: `mempools holding up to ${fmtCount(Math.min(shards * sc.shard.mempoolCapacity, perSlot * arrivalSlots))} transactions`,
      bytes: Math.min(shards * sc.shard.mempoolCapacity, perSlot * arrivalSlots) * BYTES_PER_MEMPOOL_TX,
      lower: 'shard.mempoolCapacity or workload.rate',
    },
  ];
  if (sc.accounts.partition === 'graph') {
    const sample = perSlot * sc.accounts.partitionSampleSlots;
    parts.push({
      what: `a graph-placement sample of ${fmtCount(sample)} transactions`,
      bytes: sample * BYTES_PER_SAMPLE_TX,
      lower: 'accounts.partitionSampleSlots or workload.rate',
    });
  }
  const bytes = parts.reduce((a, p) => a + p.bytes, 0);
  const executed = Math.min(perSlot, shards * blockCapacityTx(sc));
  const cpuSeconds = totalSlots * shards * CPU_PER_SHARD_SLOT + arrivalSlots * (executed * CPU_PER_EXECUTED_TX + perSlot * CPU_PER_OFFERED_TX);
  return { shards, bytes, parts, cpuSeconds };
}

export function estimateSweep(sc: Scenario): SweepEstimate {
  const points = sweepPoints(sc);
  let peak: RunEstimate | undefined;
  let cpuSeconds = CPU_BASE_SECONDS;
  for (const p of points) {
    // A search for the maximum sustainable rate probes up to about twice its start, in about eight runs (docs/studies.md).
    const probe = sc.study.findMax ? { ...p.scenario, workload: { ...p.scenario.workload, rate: 2 * startRateOf(p.scenario, p.shards) } } : p.scenario;
    const e = estimateRun(probe, p.shards);
    cpuSeconds += sc.study.findMax ? FIND_MAX_PROBES * e.cpuSeconds : e.cpuSeconds;
    if (peak === undefined || e.bytes > peak.bytes) peak = e;
  }
  return { peak: peak!, cpuSeconds, runs: points.length };
}

/**
 * Why the sweep cannot fit in `availableBytes`, naming the estimate, the
 * limit and the largest parts with the settings that shrink them; undefined
 * when it fits.
 */
export function memoryRefusal(est: SweepEstimate, availableBytes: number, limitSource: string): string | undefined {
  if (est.peak.bytes <= availableBytes) return undefined;
  const big = [...est.peak.parts]
    .filter((p) => p.lower !== '')
    .sort((a, b) => b.bytes - a.bytes)
    .filter((p, i) => i === 0 || p.bytes >= est.peak.bytes / 10);
  return (
    `the run at ${est.peak.shards} shard${est.peak.shards === 1 ? '' : 's'} needs about ${fmtBytes(est.peak.bytes)} of memory (estimate), ` +
    `more than the ${fmtBytes(availableBytes)} available (${limitSource}): ` +
    big.map((p) => `${fmtBytes(p.bytes)} for ${p.what} (lower ${p.lower})`).join('; ')
  );
}

/** A warning line for a sweep that will take a large share of the memory, or undefined. */
export function bigMemoryWarning(est: SweepEstimate, availableBytes: number): string | undefined {
  if (est.peak.bytes <= availableBytes / 4) return undefined;
  return `the run at ${est.peak.shards} shard${est.peak.shards === 1 ? '' : 's'} may use about ${fmtBytes(est.peak.bytes)} of memory (estimate), ${Math.round((100 * est.peak.bytes) / availableBytes)}% of the ${fmtBytes(availableBytes)} available`;
}

/** A warning line for a long sweep, or undefined. */
export function longRunWarning(est: SweepEstimate): string | undefined {
  if (est.cpuSeconds <= LONG_RUN_SECONDS) return undefined;
  return `this sweep may take about ${fmtDuration(est.cpuSeconds)} of CPU (estimate for ${est.runs} run${est.runs === 1 ? '' : 's'}: slots x load); lower slots.measure, the shard counts or the load to shorten it`;
}

/** One line for `validate`. */
export function describeEstimate(est: SweepEstimate): string {
  return `estimate: peak memory about ${fmtBytes(est.peak.bytes)} (the run at ${est.peak.shards} shard${est.peak.shards === 1 ? '' : 's'}), about ${fmtDuration(est.cpuSeconds)} of CPU for ${est.runs} run${est.runs === 1 ? '' : 's'}`;
}

export function fmtBytes(n: number): string {
  if (n >= 1024 * MB) return `${(n / (1024 * MB)).toFixed(1)} GB`;
  return `${Math.max(1, Math.round(n / MB))} MB`;
}

function fmtCount(n: number): string {
  if (n >= 1e9) return `${Number((n / 1e9).toPrecision(3))} billion`;
  return n >= 1e6 ? `${Number((n / 1e6).toPrecision(3))} million` : String(Math.round(n));
}

function fmtDuration(s: number): string {
  if (s < 60) return `${Math.max(1, Math.round(s))} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

/**
 * `--max-memory` values: bytes, or a number with KB, MB, GB or TB (powers of 1024).
 * Returns undefined when the text is not such a size.
 */
export function parseByteSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|k|mb|m|gb|g|tb|t)?\s*$/i.exec(text);
  if (m === null) return undefined;
  const unit = (m[2] ?? 'b').toLowerCase()[0]!;
  const scale = { b: 1, k: 1024, m: MB, g: 1024 * MB, t: 1024 * 1024 * MB }[unit as 'b' | 'k' | 'm' | 'g' | 't'];
  const n = Number(m[1]) * scale;
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : undefined;
}
