/**
 * One all-to-all vote phase (PBFT's prepares and commits, Tendermint's
 * prevotes and precommits): an m × m table of arrival times, row j what
 * member j receives, column s what member s sent, and each row's order
 * statistic (when member j holds a quorum).
 *
 * Drawing every vote's latency exactly costs one Math.pow each, m² a phase,
 * and is most of a block's timing. Where the model estimates latencies
 * (NetworkModel.estimateLatenciesMs, within LATENCY_ESTIMATE_ERROR), the
 * table holds estimates and a row's k-th smallest is found exactly from them:
 * with the estimates' k-th smallest K, every true value lies within a
 * relative MARGIN of its estimate, so the true k-th smallest lies within
 * MARGIN of K; an entry whose estimate is clearly below that window is below
 * it, one clearly above is above, and only the few inside are drawn exactly.
 * The result is the exact draws' k-th smallest, bit for bit (draws are keyed,
 * so drawing fewer shifts no other; equal times have equal bits, as no time
 * is −0). The relative bounds hold because every time is a sum of
 * non-negative terms from the slot's start at 0.
 *
 * A block plan times one slot at several sizes, which differ only in when
 * each member starts voting: the latencies, transmissions and exact draws of
 * a phase are the slot's (FanOutRows, kept by LatencyCache for the block),
 * and so is each copy's estimated arrival less its sender's start
 * (FanOutRows.arrivalOffsets). So with estimates the table is never written
 * out: a send only chains its transmissions (sentAt, for the exact figures
 * and the uplink's free time), and row j is start + offset, summed when its
 * order statistic is asked. That sum is in another order than the chain's,
 * a few rounding units off it, far inside MARGIN.
 * The k-th estimate is found from a guess where there is one (guessedKth:
 * the row's estimate when the block was timed at another size, or the
 * phase's last row of a member of the same region, whose latencies are
 * alike), else from a sampled bracket (bracketedKth), each one branch-free
 * pass over the row rather than a selection over all of it. A guess only
 * picks the entries selected among; a miss falls back.
 */
import { InternalError } from '../../crosslink/common/errors.js';
import { FanOutRows } from '../../crosslink/network/fan-out-rows.js';
import { LatencyCache } from '../../crosslink/network/latency-cache.js';
import { LATENCY_ESTIMATE_ERROR, type MessageKey, type NetworkModel } from '../../crosslink/network/model.js';
import { arrivalMs } from '../../crosslink/network/uplink.js';
import { kthSmallest } from './order-statistics.js';
import { scratch } from './scratch.js';

/**
 * An arrival's estimate is within MARGIN of its exact value (relative):
 * the latency's error, plus the rounding of the sum of non-negative times,
 * doubled. Windows are widened by 3 × MARGIN, which also covers their own
 * rounding.
 */
const MARGIN = 4 * LATENCY_ESTIMATE_ERROR;

/**
 * Reused, as scratch.ts's table (one phase at a time): when each copy's transmission ended, by sender in
 * rotation order; one row's working copy; and, with estimates, the row kth() reads (rowValues), each
 * sender's start (NaN: not sent), each member's own vote (NaN: not given), and the silent members.
 */
let sentBuffer = new Float64Array(0);
let rowBuffer = new Float64Array(0);
let rowValues = new Float64Array(0);
let startBuffer = new Float64Array(0);
let ownBuffer = new Float64Array(0);
let silentMark = new Uint8Array(0);
let silentList = new Int32Array(0);
/** bracketedKth's sample, and the columns of the entries in each part of its bracket. */
const SAMPLE = 15;
/** The bracket reaches this many sample entries either side of the k-th's rank in the sample. */
const REACH = 4;
const sampleBuffer = new Float64Array(SAMPLE);
let lowerIndex = new Int32Array(0);
let upperIndex = new Int32Array(0);
/**
 * guessedKth's bracket, g × (1 ± width): adapted as guesses land or miss, within these bounds; it aims at about
 * GUESS_PART entries. One width per source of guesses (Guess), as they are not equally close.
 */
const MIN_GUESS_WIDTH = 0.002;
const MAX_GUESS_WIDTH = 0.25;
const GUESS_PART = 12;
/** Where a guess comes from (an index of guessWidth): the row's own estimate at another size of the block, moved as its neighbours' moved; or the last row of a member of the same region. */
const SHIFTED = 0;
const REGION = 1;
type Guess = typeof SHIFTED | typeof REGION;
const guessWidth = [0.03, 0.03];
/** The k-th estimate of the phase's last row by the member's region (NaN: none yet); reset by each phase. */
let regionEstimate = new Float64Array(0);
/** The rows of a model that does not remember them (not a LatencyCache): refilled for each phase. */
const freshRows = new FanOutRows();

export class VoteRows {
  private readonly m: number;
  /** Without estimates, the m × m table of exact arrivals (row j at j × m); with them, rowValues: the row kth() reads. */
  private readonly values: Float64Array;
  /** With estimates only. */
  private readonly sentAt: Float64Array | undefined;
  /** The phase's latencies and transmissions by sender, in rotation order (sendInRotation's, written out here). */
  private readonly rows: FanOutRows;
  /** Without estimates only (with them, arrivalOffsets holds them). */
  private readonly latency: Float64Array;
  private readonly processingMs: number;
  /** With estimates: the arrival offsets (null until the first send), silent members so far, and whether every member has sent or is silent and has its own vote. */
  private offsets: Float64Array | null = null;
  private silents = 0;
  private complete = false;
  /** The k-th estimate the last kth() found, and how far the last row's moved from its guide (NaN: none yet). */
  private lastEstimate = Number.NaN;
  private shift = Number.NaN;
  private shiftSum = 0;
  private shifts = 0;

  /**
   * A phase whose votes carry `key`; uses the shared scratch table, so one
   * phase at a time. The committee's members are distinct (checkCommittee).
   */
  constructor(model: NetworkModel, committee: readonly number[], key: MessageKey) {
    const m = committee.length;
    this.m = m;
    this.rows = model instanceof LatencyCache ? model.fanOutRows(committee, key) : freshRows.fill(model, committee, key);
    this.processingMs = model.processingMs;
    if (this.rows.estimated) {
      if (sentBuffer.length < m * m) sentBuffer = new Float64Array(Math.max(m * m, sentBuffer.length * 2));
      if (rowBuffer.length < m) {
        const n = Math.max(m, rowBuffer.length * 2);
        rowBuffer = new Float64Array(n);
        rowValues = new Float64Array(n);
        startBuffer = new Float64Array(n);
        ownBuffer = new Float64Array(n);
        silentMark = new Uint8Array(n);
        silentList = new Int32Array(n);
        lowerIndex = new Int32Array(n);
        upperIndex = new Int32Array(n);
      }
      let regionCount = 0;
      for (let i = 0; i < m; i++) regionCount = Math.max(regionCount, this.rows.regions[i]! + 1);
      if (regionEstimate.length < regionCount) regionEstimate = new Float64Array(regionCount);
      regionEstimate.fill(Number.NaN, 0, regionCount);
      startBuffer.fill(Number.NaN, 0, m);
      ownBuffer.fill(Number.NaN, 0, m);
      silentMark.fill(0, 0, m);
      this.sentAt = sentBuffer;
      this.values = rowValues;
      this.latency = new Float64Array(0);
    } else {
      this.values = scratch(m * m);
      this.latency = this.rows.latencies();
    }
  }

  /**
   * Member s multicasts its vote of `bytes` to all others from `startMs`
   * (column s); returns when its uplink is free. sendInRotation's rule: the
   * copy to the k-th member after s leaves once k + 1 transmissions are done,
   * the same sums in the same order.
   */
  send(s: number, startMs: number, bytes: number): number {
    if (this.sentAt !== undefined) return this.chain(s, startMs, bytes, this.sentAt);
    const m = this.m;
    const values = this.values;
    const transmit = this.rows.transmitRow(s, bytes);
    const latency = this.latency;
    const processing = this.processingMs;
    let sent = startMs;
    let i = s * (m - 1);
    for (let p = s + 1; p < m; p++, i++) {
      sent += transmit[i]!;
      values[p * m + s] = arrivalMs(sent, latency[i]!, processing);
    }
    for (let p = 0; p < s; p++, i++) {
      sent += transmit[i]!;
      values[p * m + s] = arrivalMs(sent, latency[i]!, processing);
    }
    return sent;
  }

  /** send() with estimates: the chain of transmissions alone, sender-major as exactArrival reads it back; the arrivals are start + offset. */
  private chain(s: number, startMs: number, bytes: number, sentAt: Float64Array): number {
    const m = this.m;
    startBuffer[s] = startMs;
    this.offsets = this.rows.arrivalOffsets(s, bytes);
    const transmit = this.rows.transmitRow(s, bytes);
    let sent = startMs;
    const end = (s + 1) * (m - 1);
    for (let i = s * (m - 1); i < end; i++) {
      sent += transmit[i]!;
      sentAt[i] = sent;
    }
    return sent;
  }

  /** Member s's own vote counts for it from `ms` (the diagonal, which every member but a silent one gets). */
  own(s: number, ms: number): void {
    if (this.sentAt === undefined) this.values[s * this.m + s] = ms;
    else ownBuffer[s] = ms;
  }

  /** No vote of member s is ever counted, its own included (sent or not): its column is Infinity. */
  silent(s: number): void {
    const m = this.m;
    if (this.sentAt === undefined) {
      for (let j = 0; j < m; j++) this.values[j * m + s] = Number.POSITIVE_INFINITY;
      return;
    }
    ownBuffer[s] = Number.POSITIVE_INFINITY;
    if (silentMark[s] === 0) {
      silentMark[s] = 1;
      silentList[this.silents++] = s;
    }
  }

  /** Row j's estimates into rowValues: start + offset, Infinity from the silent, j's own vote. */
  private fillRow(j: number): void {
    const m = this.m;
    if (!this.complete) this.checkComplete();
    const out = rowValues;
    const starts = startBuffer;
    const offsets = this.offsets;
    const row = j * m;
    if (offsets !== null) for (let s = 0; s < m; s++) out[s] = starts[s]! + offsets[row + s]!;
    for (let i = 0; i < this.silents; i++) out[silentList[i]!] = Number.POSITIVE_INFINITY;
    out[j] = ownBuffer[j]!;
  }

  /** Every entry must be given before a row is read: each member sent or is silent, and has its own vote. */
  private checkComplete(): void {
    for (let s = 0; s < this.m; s++) {
      if (Number.isNaN(ownBuffer[s]!)) throw new InternalError(`vote rows: member ${s} has no own vote`);
      if (Number.isNaN(startBuffer[s]!) && silentMark[s] === 0) throw new InternalError(`vote rows: member ${s} neither sent nor is silent`);
    }
    this.complete = true;
  }

  /** Where s's copy to j (j ≠ s) sits in sender-major order: s's row, j's place in s's rotation. */
  private copyIndex(j: number, s: number): number {
    const m = this.m;
    return s * (m - 1) + (j > s ? j - s - 1 : j - s - 1 + m);
  }

  /** The exact arrival of entry (j, s) whose estimate is `v`: the entry itself where it was set exactly. */
  private exactArrival(j: number, s: number, v: number): number {
    if (s === j || silentMark[s] === 1) return v;
    return arrivalMs(this.sentAt![this.copyIndex(j, s)]!, this.rows.exactLatency(j, s), this.processingMs);
  }

  /** The k-th smallest (from 1) arrival in row j, exactly. Call once per row: it may reorder the row. */
  kth(j: number, k: number): number {
    const m = this.m;
    if (this.sentAt === undefined) return kthSmallest(this.values, j * m, j * m + m, k);
    this.fillRow(j);
    const guide = this.rows.guide;
    const before = guide[j]!;
    let exact: number | null = null;
    const region = this.rows.regions[j]!;
    // Where this block was timed before (another size), the row's k-th moves about as its neighbours' did;
    // otherwise it lies near that of the last row of the same region (the same latencies, about).
    if (!Number.isNaN(before) && !Number.isNaN(this.shift)) exact = this.guessedKth(j, k, before + this.shift, SHIFTED);
    else if (!Number.isNaN(regionEstimate[region]!)) exact = this.guessedKth(j, k, regionEstimate[region]!, REGION);
    exact ??= this.bracketedKth(j, k) ?? this.windowKth(j, k);
    regionEstimate[region] = this.lastEstimate;
    if (!Number.isNaN(before)) {
      // The mean move of the rows so far: rows move alike, each with its own scatter.
      this.shiftSum += this.lastEstimate - before;
      this.shifts++;
      this.shift = this.shiftSum / this.shifts;
    }
    guide[j] = this.lastEstimate;
    return exact;
  }

  /**
   * windowKth's answer from a guess `g` of the row's k-th estimate: one branch-free pass counts the entries
   * below g − w and gathers those in [g − w, g + w], w a share of g that adapts to how often guesses land;
   * the selection and the window then work on those, as bracketedKth's on its part. Null when the k-th
   * estimate or its window is not inside (bracketedKth then answers).
   */
  private guessedKth(j: number, k: number, g: number, from: Guess): number | null {
    const m = this.m;
    const row = 0; // rowValues holds row j alone (fillRow)
    const values = this.values;
    const width = guessWidth[from]!;
    const lo = g * (1 - width);
    const hi = g * (1 + width);
    if (!(lo <= hi)) return null;
    const at = lowerIndex;
    let under = 0;
    let n = 0;
    for (let s = 0; s < m; s++) {
      const v = values[row + s]!;
      under += +(v < lo);
      at[n] = s;
      n += +(v >= lo) & +(v <= hi);
    }
    if (!(under < k && k <= under + n)) {
      guessWidth[from] = Math.min(MAX_GUESS_WIDTH, width * 2);
      return null;
    }
    // Aim at about GUESS_PART entries in the bracket.
    if (n > 2 * GUESS_PART) guessWidth[from] = Math.max(MIN_GUESS_WIDTH, width / 1.5);
    const work = rowBuffer;
    for (let i = 0; i < n; i++) work[i] = values[row + at[i]!]!;
    const estimate = kthSmallest(work, 0, n, k - under);
    this.lastEstimate = estimate;
    const low = estimate * (1 - 3 * MARGIN);
    const high = estimate * (1 + 3 * MARGIN);
    if (low < lo || high > hi) return null;
    return this.exactInWindow(j, k, at, n, under, low, high);
  }

  /**
   * windowKth's answer from a bracket that a sample of the row puts around
   * the k-th estimate: thresholds t0 <= t1 <= t2 from the sorted sample,
   * one pass (without branches: it is the row's only full pass) counts the
   * entries below t0 and gathers those in [t0, t1) and in [t1, t2]; the
   * selection and the window then work on the part that holds the k-th.
   * The same estimate K (every entry below the part is below it, every one
   * above above it) and, when K's window lies within the part's range, the
   * same entries below and inside the window: the same figure. Null when
   * the sample missed (windowKth then answers).
   */
  private bracketedKth(j: number, k: number): number | null {
    const m = this.m;
    if (m < 4 * SAMPLE) return null;
    const row = 0; // rowValues holds row j alone (fillRow)
    const values = this.values;
    const sample = sampleBuffer;
    // An evenly spaced sample, sorted by insertion.
    for (let i = 0; i < SAMPLE; i++) {
      const v = values[row + (((i * m) / SAMPLE) | 0)]!;
      let at = i;
      while (at > 0 && sample[at - 1]! > v) {
        sample[at] = sample[at - 1]!;
        at--;
      }
      sample[at] = v;
    }
    // The sample's i-th smallest sits near the row's (i + 1) / (SAMPLE + 1) quantile.
    const rank = Math.min(SAMPLE - 1, Math.max(0, Math.round((k * (SAMPLE + 1)) / m) - 1));
    const t0 = sample[Math.max(0, rank - REACH)]!;
    const t1 = sample[rank]!;
    const t2 = sample[Math.min(SAMPLE - 1, rank + REACH)]!;
    const lowerAt = lowerIndex;
    const upperAt = upperIndex;
    let under = 0;
    let nl = 0;
    let nu = 0;
    for (let s = 0; s < m; s++) {
      const v = values[row + s]!;
      under += +(v < t0);
      lowerAt[nl] = s;
      nl += +(v >= t0) & +(v < t1);
      upperAt[nu] = s;
      nu += +(v >= t1) & +(v <= t2);
    }
    let partAt: Int32Array;
    let n: number;
    let before: number;
    if (under < k && k <= under + nl) {
      partAt = lowerAt;
      n = nl;
      before = under;
    } else if (under + nl < k && k <= under + nl + nu) {
      partAt = upperAt;
      n = nu;
      before = under + nl;
    } else return null;
    const work = rowBuffer;
    for (let i = 0; i < n; i++) work[i] = values[row + partAt[i]!]!;
    const estimate = kthSmallest(work, 0, n, k - before);
    this.lastEstimate = estimate;
    const low = estimate * (1 - 3 * MARGIN);
    const high = estimate * (1 + 3 * MARGIN);
    // The window within the part's range: [t0, t1) for the lower, [t1, t2] for the upper.
    if (partAt === lowerAt ? low < t0 || high >= t1 : low < t1 || high > t2) return null;
    return this.exactInWindow(j, k, partAt, n, before, low, high);
  }

  /**
   * The k-th smallest of row j, once its k-th estimate's window [low, high] is known to lie within the part of
   * the row that `at`'s first n members hold, `before` entries lying below that part: the part's entries below
   * the window are counted, those inside it timed exactly (guessedKth's and bracketedKth's last step).
   */
  private exactInWindow(j: number, k: number, at: Int32Array, n: number, before: number, low: number, high: number): number {
    const values = this.values; // rowValues holds row j alone (fillRow)
    const work = rowBuffer;
    let below = before;
    let inside = 0;
    for (let i = 0; i < n; i++) {
      const s = at[i]!;
      const v = values[s]!;
      if (v < low) below++;
      else if (v <= high) work[inside++] = this.exactArrival(j, s, v);
    }
    return kthSmallest(work, 0, inside, k - below);
  }

  /** The k-th smallest of row j from its estimates: the k-th estimate, its window, the exact figures inside. */
  private windowKth(j: number, k: number): number {
    const m = this.m;
    const row = 0; // rowValues holds row j alone (fillRow)
    const values = this.values;
    const work = rowBuffer;
    for (let s = 0; s < m; s++) work[s] = values[row + s]!;
    const estimate = kthSmallest(work, 0, m, k);
    this.lastEstimate = estimate;
    const low = estimate * (1 - 3 * MARGIN);
    const high = estimate * (1 + 3 * MARGIN);
    let below = 0;
    let inside = 0;
    for (let s = 0; s < m; s++) {
      const v = values[row + s]!;
      if (v < low) below++;
      else if (v <= high) {
        work[inside++] = this.exactArrival(j, s, v);
      }
    }
    // Fewer than k estimates are below `estimate`, and at least k are at most it: so 0 <= below < k <= below + inside.
    return kthSmallest(work, 0, inside, k - below);
  }
}
