/**
 * A shard's mempool: user transactions first in, first out, held as rows
 * (crosslink/tx-rows.ts) rather than as objects. A saturated network keeps
 * its mempools full, thousands of transactions a shard that wait for slots:
 * as objects they were most of a 1,024-shard run's live heap, promoted and
 * marked again at every major collection. Rows are out of the collector's
 * way; a block's candidates become objects when it peeks at them, and die
 * young.
 */
import { readTxRow, TX_NUMS, type TxRows, writeTxRow } from '../crosslink/tx-rows.js';
import type { UserTx } from '../crosslink/tx.js';

export class TxPool {
  private rows = new Float64Array(TX_NUMS * 1024);
  /** Rows [head, tail) hold the queue, oldest first. */
  private head = 0;
  private tail = 0;

  get length(): number {
    return this.tail - this.head;
  }

  push(tx: UserTx): void {
    this.makeRoom(1);
    writeTxRow(this.rows, this.tail++ * TX_NUMS, tx);
  }

  /** Appends the first `count` transactions of `txs`, copied as one block. */
  pushRows(txs: TxRows, count: number): void {
    if (count <= 0) return;
    this.makeRoom(count);
    this.rows.set(txs.rows(0, count), this.tail * TX_NUMS);
    this.tail += count;
  }

  /** The first `n` transactions (or fewer), oldest first, without removing them. */
  peek(n: number): UserTx[] {
    const count = Math.min(n, this.length);
    const out: UserTx[] = new Array(count);
    for (let k = 0; k < count; k++) out[k] = readTxRow(this.rows, (this.head + k) * TX_NUMS);
    return out;
  }

  /** Removes the first `n` transactions. */
  drop(n: number): void {
    this.head += Math.min(n, this.length);
    if (this.head === this.tail) this.head = this.tail = 0;
  }

  /** Replaces the contents with `txs` (restoring a checkpoint). */
  reset(txs: readonly UserTx[]): void {
    this.head = this.tail = 0;
    for (const tx of txs) this.push(tx);
  }

  /** Every transaction in order; for checkpoints and end-of-run accounting, not hot paths. */
  toArray(): UserTx[] {
    return this.peek(this.length);
  }

  /** Makes room for `n` more rows at the tail: the queue moves to the front, its buffer doubled while it would fill more than half. */
  private makeRoom(n: number): void {
    if ((this.tail + n) * TX_NUMS <= this.rows.length) return;
    const len = this.length;
    let size = this.rows.length;
    while ((len + n) * TX_NUMS * 2 > size) size *= 2;
    if (size > this.rows.length) {
      const grown = new Float64Array(size);
      grown.set(this.rows.subarray(this.head * TX_NUMS, this.tail * TX_NUMS));
      this.rows = grown;
    } else {
      this.rows.copyWithin(0, this.head * TX_NUMS, this.tail * TX_NUMS);
    }
    this.head = 0;
    this.tail = len;
  }
}
