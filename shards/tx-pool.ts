/**
 * A shard's mempool: user transactions first in, first out, held as rows of
 * twelve numbers in one Float64Array rather than as objects. A saturated
 * network keeps its mempools full, thousands of transactions a shard that
 * wait for slots: as objects they were most of a 1,024-shard run's live
 * heap, promoted and marked again at every major collection. Rows are out of
 * the collector's way; a block's candidates become objects when it peeks at
 * them, and die young.
 */
import { smallIntOr } from '../crosslink/small-int.js';
import type { TxKind, UserTx } from '../crosslink/tx.js';

const NUMS = 12;

export class TxPool {
  private rows = new Float64Array(NUMS * 1024);
  /** Rows [head, tail) hold the queue, oldest first. */
  private head = 0;
  private tail = 0;

  get length(): number {
    return this.tail - this.head;
  }

  push(tx: UserTx): void {
    if ((this.tail + 1) * NUMS > this.rows.length) this.makeRoom();
    const r = this.rows;
    const i = this.tail++ * NUMS;
    r[i] = tx.id;
    r[i + 1] = tx.kind;
    r[i + 2] = tx.from;
    r[i + 3] = tx.to;
    r[i + 4] = tx.amount;
    r[i + 5] = tx.gasLimit;
    r[i + 6] = tx.submitMs;
    r[i + 7] = tx.toShard;
    r[i + 8] = tx.op;
    r[i + 9] = tx.a;
    r[i + 10] = tx.b;
    r[i + 11] = tx.c;
  }

  /** The first `n` transactions (or fewer), oldest first, without removing them. */
  peek(n: number): UserTx[] {
    const count = Math.min(n, this.length);
    const out: UserTx[] = new Array(count);
    const r = this.rows;
    for (let k = 0, i = this.head * NUMS; k < count; k++, i += NUMS) {
      // The literal of simulator/workload.ts's envelope, field for field: one object shape.
      out[k] = {
        kind: smallIntOr(r[i + 1]!) as TxKind,
        from: smallIntOr(r[i + 2]!),
        to: smallIntOr(r[i + 3]!),
        amount: smallIntOr(r[i + 4]!),
        op: smallIntOr(r[i + 8]!),
        a: smallIntOr(r[i + 9]!),
        b: smallIntOr(r[i + 10]!),
        c: smallIntOr(r[i + 11]!),
        id: smallIntOr(r[i]!),
        submitMs: smallIntOr(r[i + 6]!),
        toShard: smallIntOr(r[i + 7]!),
        gasLimit: smallIntOr(r[i + 5]!),
      };
    }
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

  /** Moves the queue to the front of its buffer, first doubling the buffer when the queue fills half of it. */
  private makeRoom(): void {
    const len = this.length;
    if ((len + 1) * NUMS * 2 > this.rows.length) {
      const grown = new Float64Array(this.rows.length * 2);
      grown.set(this.rows.subarray(this.head * NUMS, this.tail * NUMS));
      this.rows = grown;
    } else {
      this.rows.copyWithin(0, this.head * NUMS, this.tail * NUMS);
    }
    this.head = 0;
    this.tail = len;
  }
}
