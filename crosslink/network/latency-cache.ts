/**
 * A network model that remembers the latency rows it was asked for, so the
 * timings of one block at several sizes (a block plan's search) draw each
 * vote's latency once. A row is one sender's batch (latenciesMs,
 * estimateLatenciesMs) under one message key; the figures are the wrapped
 * model's, bit for bit, so a result never depends on what was remembered.
 * `clear()` forgets everything: the owner calls it when it moves to another
 * block, so memory holds one block's rows at most.
 *
 * It also keeps a committee's whole fan-out per message key (fanOutRows:
 * latencies and transmissions in rotation order, and the exact draws asked
 * for), which a vote phase reads in place. Their buffers go back to a pool
 * shared by all caches on `clear()`: shards time their blocks one after
 * another, so a few sets of buffers serve a whole run.
 */
import { FanOutRows } from './fan-out-rows.js';
import type { MessageKey, NetworkModel } from './model.js';

/** Fan-out rows released by caches, for the next block's (at most POOL_SIZE kept). */
const pool: FanOutRows[] = [];
const POOL_SIZE = 16;

export class LatencyCache implements NetworkModel {
  readonly validators: number;
  readonly processingMs: number;
  private readonly exact = new Map<number, Float64Array>();
  private readonly estimates = new Map<number, Float64Array>();
  private readonly fanOuts: FanOutRows[] = [];

  constructor(private readonly inner: NetworkModel) {
    this.validators = inner.validators;
    this.processingMs = inner.processingMs;
  }

  clear(): void {
    this.exact.clear();
    this.estimates.clear();
    for (const rows of this.fanOuts) if (pool.length < POOL_SIZE) pool.push(rows);
    this.fanOuts.length = 0;
  }

  /**
   * The fan-out rows of `members` (distinct validators) under `key`, the
   * wrapped model's figures: filled on the block's first ask, then the same
   * object (the members are compared whole, so only the very same committee
   * shares them). Valid until `clear()`.
   */
  fanOutRows(members: readonly number[], key: MessageKey): FanOutRows {
    for (const rows of this.fanOuts) if (rows.holds(members, key)) return rows;
    const rows = (pool.pop() ?? new FanOutRows()).fill(this.inner, members, key);
    this.fanOuts.push(rows);
    return rows;
  }

  regionOf(validator: number): number {
    return this.inner.regionOf(validator);
  }

  latencyMs(from: number, to: number, key: MessageKey): number {
    return this.inner.latencyMs(from, to, key);
  }

  transmitMs(from: number, to: number, bytes: number): number {
    return this.inner.transmitMs(from, to, bytes);
  }

  latenciesMs(from: number, to: ArrayLike<number>, count: number, key: MessageKey, out: Float64Array): void {
    this.row(this.exact, from, to, count, key, out, (o) => {
      if (this.inner.latenciesMs !== undefined) this.inner.latenciesMs(from, to, count, key, o);
      else for (let i = 0; i < count; i++) o[i] = this.inner.latencyMs(from, to[i]!, key);
    });
  }

  estimateLatenciesMs(from: number, to: ArrayLike<number>, count: number, key: MessageKey, out: Float64Array): void {
    const estimate = this.inner.estimateLatenciesMs;
    if (estimate === undefined) {
      this.latenciesMs(from, to, count, key, out);
      return;
    }
    this.row(this.estimates, from, to, count, key, out, (o) => estimate.call(this.inner, from, to, count, key, o));
  }

  /**
   * Rows are keyed by sender, message key and recipients; the recipients are
   * compared whole, so a row is reused only for the very same batch.
   */
  private row(
    rows: Map<number, Float64Array>,
    from: number,
    to: ArrayLike<number>,
    count: number,
    key: MessageKey,
    out: Float64Array,
    fill: (o: Float64Array) => void,
  ): void {
    // One number per (sender, key); a row found under it is checked whole against its recipients, so a
    // collision only costs a fresh draw.
    const id = ((from * 31 + key.slot) * 31 + key.kind) * 31 + key.index;
    const known = rows.get(id);
    if (known !== undefined && known.length === 2 * count && sameRecipients(known, to, count)) {
      out.set(known.subarray(count, 2 * count));
      return;
    }
    fill(out);
    // The row's recipients, then its figures.
    const copy = new Float64Array(2 * count);
    for (let i = 0; i < count; i++) copy[i] = to[i]!;
    copy.set(out.subarray(0, count), count);
    rows.set(id, copy);
  }
}

function sameRecipients(row: Float64Array, to: ArrayLike<number>, count: number): boolean {
  for (let i = 0; i < count; i++) if (row[i] !== to[i]) return false;
  return true;
}
