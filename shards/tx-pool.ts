/**
 * A shard's mempool: user transactions first in, first out, held as rows
 * (crosslink/tx-rows.ts) rather than as objects. A saturated network keeps
 * its mempools full, thousands of transactions a shard that wait for slots:
 * as objects they were most of a 1,024-shard run's live heap, promoted and
 * marked again at every major collection. Rows are out of the collector's
 * way; a block's candidates become objects when it peeks at them, and die
 * young.
 */

import type { UserTx } from '../crosslink/tx.js';
import { readTxRow, TX_BYTES_AT, TX_GAS_LIMIT_AT, TX_NUMS, TX_SUBMIT_AT, type TxRows, writeTxRow } from '../crosslink/tx-rows.js';

export class TxPool {
  private rows: Float64Array;
  /** Rows the buffer holds: a ring, the queue's oldest row at `head`. */
  private cap: number;
  private head = 0;
  private count = 0;

  /**
   * A pool that will never hold more than `maxRows` (the mempool's capacity)
   * grows to that and no further. A ring, so that nothing is ever moved to
   * make room: the former moving queue compacted itself and kept its
   * buffer at twice its contents, 1.5 GB of mempools at 1,024 shards.
   */
  constructor(private readonly maxRows = Number.POSITIVE_INFINITY) {
    this.cap = Math.max(1, Math.min(1_024, maxRows));
    this.rows = new Float64Array(this.cap * TX_NUMS);
  }

  get length(): number {
    return this.count;
  }

  push(tx: UserTx): void {
    this.reserve(1);
    writeTxRow(this.rows, this.rowAt(this.count) * TX_NUMS, tx);
    this.count++;
  }

  /** Appends the first `count` transactions of `txs`, copied as at most two blocks. */
  pushRows(txs: TxRows, count: number): void {
    if (count <= 0) return;
    this.reserve(count);
    const src = txs.rows(0, count);
    const tail = this.rowAt(this.count);
    const first = Math.min(count, this.cap - tail);
    this.rows.set(first === count ? src : src.subarray(0, first * TX_NUMS), tail * TX_NUMS);
    if (first < count) this.rows.set(src.subarray(first * TX_NUMS), 0);
    this.count += count;
  }

  /** The first `n` transactions (or fewer), oldest first, without removing them. */
  peek(n: number): UserTx[] {
    const count = Math.min(n, this.count);
    const out: UserTx[] = new Array(count);
    for (let k = 0, row = this.head; k < count; k++, row = row + 1 === this.cap ? 0 : row + 1) out[k] = readTxRow(this.rows, row * TX_NUMS);
    return out;
  }

  /**
   * How many of the first `n` transactions fit in `gasLeft` one after another, each by its gas limit, read from
   * the rows without making them objects (a block plan over a network may hold far fewer than fit by gas).
   */
  fitByGas(n: number, gasLeft: number): number {
    const count = Math.min(n, this.count);
    let left = gasLeft;
    let k = 0;
    for (let row = this.head; k < count; k++, row = row + 1 === this.cap ? 0 : row + 1) {
      const gas = this.rows[row * TX_NUMS + TX_GAS_LIMIT_AT]!;
      if (gas > left) break;
      left -= gas;
    }
    return k;
  }

  /** The gas limit of the queue's `k`-th transaction (k below length). */
  gasAt(k: number): number {
    return this.rows[this.rowAt(k) * TX_NUMS + TX_GAS_LIMIT_AT]!;
  }

  /** The submission time (ms) of the queue's `k`-th transaction (k below length). */
  submitMsAt(k: number): number {
    return this.rows[this.rowAt(k) * TX_NUMS + TX_SUBMIT_AT]!;
  }

  /** Adds the gas limit and the size of each of the first `n` transactions to running totals gas[k + 1] and bytes[k + 1] from `at`. */
  sumGasAndBytes(n: number, gas: Float64Array, bytes: Float64Array, at: number): void {
    for (let k = 0, row = this.head; k < n; k++, row = row + 1 === this.cap ? 0 : row + 1) {
      gas[at + k + 1] = gas[at + k]! + this.rows[row * TX_NUMS + TX_GAS_LIMIT_AT]!;
      bytes[at + k + 1] = bytes[at + k]! + this.rows[row * TX_NUMS + TX_BYTES_AT]!;
    }
  }

  /** Removes the first `n` transactions. */
  drop(n: number): void {
    const d = Math.min(n, this.count);
    this.count -= d;
    this.head = this.count === 0 ? 0 : this.rowAt(d);
  }

  /** Replaces the contents with `txs` (restoring a checkpoint). */
  reset(txs: readonly UserTx[]): void {
    this.head = this.count = 0;
    for (const tx of txs) this.push(tx);
  }

  /** Every transaction in order; for checkpoints and end-of-run accounting, not hot paths. */
  toArray(): UserTx[] {
    return this.peek(this.count);
  }

  /** The buffer row of the queue's `k`-th transaction (k at most cap). */
  private rowAt(k: number): number {
    const row = this.head + k;
    return row >= this.cap ? row - this.cap : row;
  }

  /** Room for `n` more rows: a larger ring (doubled, up to maxRows), the queue copied to its front. */
  private reserve(n: number): void {
    if (this.count + n <= this.cap) return;
    const cap = Math.max(this.count + n, Math.min(this.cap * 2, this.maxRows));
    const rows = new Float64Array(cap * TX_NUMS);
    const first = Math.min(this.count, this.cap - this.head);
    rows.set(this.rows.subarray(this.head * TX_NUMS, (this.head + first) * TX_NUMS));
    rows.set(this.rows.subarray(0, (this.count - first) * TX_NUMS), first * TX_NUMS);
    this.rows = rows;
    this.cap = cap;
    this.head = 0;
  }
}
