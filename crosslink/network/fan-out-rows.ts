/**
 * What a committee's all-to-all fan-out under one message key costs before
 * any start time is known: for each sender, in rotation order (uplink.ts
 * sendInRotation's), each copy's latency and its transmission time. Within
 * one block's timings (a block plan times the same slot at several sizes)
 * these never change, only when each sender starts; LatencyCache keeps them
 * for the block, so the m² draws and lookups are made once, not per timing.
 *
 * Every figure is the model's own, bit for bit (the latencies from
 * estimateLatenciesMs where the model has it, else latenciesMs or
 * latencyMs; transmissions from transmitMs), so a caller computes exactly
 * what it would by asking the model.
 */
import { InternalError } from '../common/errors.js';
import type { MessageKey, NetworkModel } from './model.js';

export class FanOutRows {
  /** Members (validators) by committee position. */
  members: Int32Array = new Int32Array(0);
  m = 0;
  key: MessageKey = { slot: 0, kind: 0, index: 0 };
  /** Whether latencies() holds estimates (within LATENCY_ESTIMATE_ERROR) rather than exact draws. */
  estimated = false;
  private latency: Float64Array = new Float64Array(0);
  /** Whether `latency` has been filled for these members and key (a gossip asks only for exact draws). */
  private latencyFilled = false;
  private model: NetworkModel | null = null;
  /** transmit[s × (m − 1) + k]: that copy's transmission, ms, for transmitBytes[s] bytes (NaN: not computed yet). */
  private transmit: Float64Array = new Float64Array(0);
  private transmitBytes: Float64Array = new Float64Array(0);
  /** exact[j × m + s]: the exact latency of s's copy to j, once asked (NaN: not yet). */
  private exact: Float64Array = new Float64Array(0);
  /** offset[j × m + s]: see arrivalOffsets; column s is for offsetBytes[s] bytes (NaN: not computed yet). */
  private offset: Float64Array = new Float64Array(0);
  private offsetBytes: Float64Array = new Float64Array(0);
  private recipients: Int32Array = new Int32Array(0);
  /**
   * A reader's note per recipient position, kept with the rows for the block and reset (NaN) by fill: a vote
   * phase keeps each row's last order-statistic estimate here, where the next timing of the block starts its
   * search. Only a hint: no figure depends on it.
   */
  guide: Float64Array = new Float64Array(0);
  /** Each member's region, by committee position (a vote phase's rows of one region look alike: another hint). */
  regions: Int32Array = new Int32Array(0);

  /**
   * Fills the rows for `members` (distinct validators, as checkCommittee
   * guarantees: a member never sends to itself) under `key`, reusing this
   * object's buffers.
   */
  fill(model: NetworkModel, members: readonly number[], key: MessageKey): this {
    const m = members.length;
    const n = m * (m - 1);
    this.model = model;
    this.m = m;
    this.key = { slot: key.slot, kind: key.kind, index: key.index };
    if (this.members.length < m) {
      this.members = new Int32Array(m);
      this.recipients = new Int32Array(m);
      this.transmitBytes = new Float64Array(m);
      this.offsetBytes = new Float64Array(m);
      this.guide = new Float64Array(m);
      this.regions = new Int32Array(m);
    }
    if (this.latency.length < n) {
      this.latency = new Float64Array(n);
      this.transmit = new Float64Array(n);
    }
    if (this.exact.length < m * m) {
      this.exact = new Float64Array(m * m);
      this.offset = new Float64Array(m * m);
    }
    const seen = new Set<number>();
    for (let i = 0; i < m; i++) {
      const v = members[i]!;
      if (seen.has(v)) throw new InternalError(`validator ${v} is in the committee twice`);
      seen.add(v);
      this.members[i] = v;
      this.regions[i] = model.regionOf(v);
    }
    this.transmitBytes.fill(Number.NaN, 0, m);
    this.offsetBytes.fill(Number.NaN, 0, m);
    this.exact.fill(Number.NaN, 0, m * m);
    this.guide.fill(Number.NaN, 0, m);
    this.estimated = model.estimateLatenciesMs !== undefined;
    this.latencyFilled = false;
    return this;
  }

  /**
   * The latencies, asked of the model on first use: at [s × (m − 1) + k],
   * the copy from position s to its k-th recipient (position s + k + 1
   * modulo m), ms; an estimate when `estimated`.
   */
  latencies(): Float64Array {
    if (this.latencyFilled) return this.latency;
    const model = this.model!;
    const m = this.m;
    const estimate = model.estimateLatenciesMs;
    if (estimate !== undefined && model.estimateFanOutMs !== undefined) {
      model.estimateFanOutMs(this.members, m, this.key, this.latency);
      this.latencyFilled = true;
      return this.latency;
    }
    const to = this.recipients;
    for (let s = 0; s < m; s++) {
      const sender = this.members[s]!;
      for (let k = 0, p = s + 1; k < m - 1; k++, p++) to[k] = this.members[p >= m ? p - m : p]!;
      const row = this.latency.subarray(s * (m - 1), (s + 1) * (m - 1));
      if (estimate !== undefined) estimate.call(model, sender, to, m - 1, this.key, row);
      else if (model.latenciesMs !== undefined) model.latenciesMs(sender, to, m - 1, this.key, row);
      else for (let k = 0; k < m - 1; k++) row[k] = model.latencyMs(sender, to[k]!, this.key);
    }
    this.latencyFilled = true;
    return this.latency;
  }

  /** Whether these are the rows of `members` under `key` (compared whole). */
  holds(members: readonly number[], key: MessageKey): boolean {
    const m = this.m;
    if (members.length !== m || key.slot !== this.key.slot || key.kind !== this.key.kind || key.index !== this.key.index) return false;
    for (let i = 0; i < m; i++) if (members[i] !== this.members[i]) return false;
    return true;
  }

  /** The transmissions of position s's copies of `bytes`, in rotation order, at [s × (m − 1), (s + 1) × (m − 1)) of the array returned. */
  transmitRow(s: number, bytes: number): Float64Array {
    const m = this.m;
    const t = this.transmit;
    if (this.transmitBytes[s] !== bytes) {
      const model = this.model!;
      if (model.transmitFanOutMs !== undefined) model.transmitFanOutMs(this.members, m, s, bytes, t);
      else {
        const sender = this.members[s]!;
        for (let k = 0, p = s + 1, i = s * (m - 1); k < m - 1; k++, p++, i++) t[i] = model.transmitMs(sender, this.members[p >= m ? p - m : p]!, bytes);
      }
      this.transmitBytes[s] = bytes;
    }
    return t;
  }

  /**
   * When each copy of a fan-out of `bytes` from position s arrives, less the time s starts sending, by
   * recipient (row j is what j receives, so a vote phase reads a row in address order): at [j × m + s], the
   * transmissions up to and including the copy to j, plus its latency, plus the processing; 0 at [s × m + s].
   * Column s is computed on the first ask for these bytes. Over latencies() that are estimates, start +
   * offset is an estimate of the arrival, not its figure: besides the latency's error, it is summed in
   * another order than sendInRotation's chain from the start, so it may differ from it by a few rounding
   * units. The timings of one block at several sizes start each sender at another time over the same
   * offsets, so only the starts are added per timing.
   */
  arrivalOffsets(s: number, bytes: number): Float64Array {
    const o = this.offset;
    if (this.offsetBytes[s] !== bytes) {
      const m = this.m;
      const transmit = this.transmitRow(s, bytes);
      const latency = this.latencies();
      const processing = this.model!.processingMs;
      let sent = 0;
      let i = s * (m - 1);
      for (let p = s + 1; p < m; p++, i++) {
        sent += transmit[i]!;
        o[p * m + s] = sent + latency[i]! + processing;
      }
      for (let p = 0; p < s; p++, i++) {
        sent += transmit[i]!;
        o[p * m + s] = sent + latency[i]! + processing;
      }
      o[s * m + s] = 0;
      this.offsetBytes[s] = bytes;
    }
    return o;
  }

  /** The exact latency of position s's copy to position j (j ≠ s), drawn once. */
  exactLatency(j: number, s: number): number {
    const i = j * this.m + s;
    let v = this.exact[i]!;
    if (Number.isNaN(v)) {
      v = this.model!.latencyMs(this.members[s]!, this.members[j]!, this.key);
      this.exact[i] = v;
    }
    return v;
  }
}
