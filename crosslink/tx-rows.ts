/**
 * User transactions as rows of fourteen float64s in one buffer, the form they
 * travel in from the controller to a shard's mempool (slot commands, the
 * thread wire, the Redis codec) and wait in there. A slot of a 1,024-shard
 * network submits a million transactions up front; as objects they outlived
 * the young generation while the slot ran. Rows are out of the collector's
 * way, copy as one block, and become objects only where a block is built.
 * Every float64 round-trips exactly.
 */
import { smallIntOr } from './common/small-int.js';
import type { TxKind, UserTx } from './tx.js';

/** Numbers a row holds: kind, from, to, amount, op, a, b, c, id, submitMs, toShard, gasLimit, bytes, workGas. */
export const TX_NUMS = 14;
/** Where a row holds the gas limit and the size (writeTxRow's order). */
export const TX_SUBMIT_AT = 9;
export const TX_GAS_LIMIT_AT = 11;
export const TX_BYTES_AT = 12;

/** Writes `tx` as the row at rows[at, at + TX_NUMS). */
export function writeTxRow(rows: Float64Array, at: number, tx: UserTx): void {
  rows[at] = tx.kind;
  rows[at + 1] = tx.from;
  rows[at + 2] = tx.to;
  rows[at + 3] = tx.amount;
  rows[at + 4] = tx.op;
  rows[at + 5] = tx.a;
  rows[at + 6] = tx.b;
  rows[at + 7] = tx.c;
  rows[at + 8] = tx.id;
  rows[at + TX_SUBMIT_AT] = tx.submitMs;
  rows[at + 10] = tx.toShard;
  rows[at + TX_GAS_LIMIT_AT] = tx.gasLimit;
  rows[at + TX_BYTES_AT] = tx.bytes;
  rows[at + 13] = tx.workGas;
}

/** The transaction of the row at rows[at, at + TX_NUMS). */
export function readTxRow(rows: Float64Array, at: number): UserTx {
  // The literal of simulator/workload.ts's envelope, field for field: one object shape.
  return {
    kind: smallIntOr(rows[at]!) as TxKind,
    from: smallIntOr(rows[at + 1]!),
    to: smallIntOr(rows[at + 2]!),
    amount: smallIntOr(rows[at + 3]!),
    op: smallIntOr(rows[at + 4]!),
    a: smallIntOr(rows[at + 5]!),
    b: smallIntOr(rows[at + 6]!),
    c: smallIntOr(rows[at + 7]!),
    id: smallIntOr(rows[at + 8]!),
    submitMs: smallIntOr(rows[at + TX_SUBMIT_AT]!),
    toShard: smallIntOr(rows[at + 10]!),
    gasLimit: smallIntOr(rows[at + 11]!),
    bytes: smallIntOr(rows[at + 12]!),
    workGas: smallIntOr(rows[at + 13]!),
  };
}

/** A list of transactions as rows, appended to as it is built. */
export class TxRows {
  private buf: Float64Array;
  private count = 0;

  constructor(capacity = 16) {
    this.buf = new Float64Array(Math.max(1, capacity) * TX_NUMS);
  }

  static of(txs: readonly UserTx[]): TxRows {
    const out = new TxRows(txs.length);
    for (const tx of txs) out.push(tx);
    return out;
  }

  /** Takes over `rows` (whole rows, not copied). */
  static wrap(rows: Float64Array): TxRows {
    if (rows.length % TX_NUMS !== 0) throw new RangeError(`transaction rows of ${rows.length} numbers are not whole rows of ${TX_NUMS}`);
    const out = new TxRows(0);
    out.buf = rows;
    out.count = rows.length / TX_NUMS;
    return out;
  }

  get length(): number {
    return this.count;
  }

  /** Empties the list, keeping its buffer for the next rows. */
  clear(): void {
    this.count = 0;
  }

  push(tx: UserTx): void {
    if ((this.count + 1) * TX_NUMS > this.buf.length) {
      const grown = new Float64Array(this.buf.length * 2);
      grown.set(this.buf);
      this.buf = grown;
    }
    writeTxRow(this.buf, this.count++ * TX_NUMS, tx);
  }

  /** Rows [from, to) as a view (valid until the next push). */
  rows(from = 0, to = this.count): Float64Array {
    return this.buf.subarray(from * TX_NUMS, to * TX_NUMS);
  }

  at(i: number): UserTx {
    if (i < 0 || i >= this.count) throw new RangeError(`transaction ${i} of ${this.count}`);
    return readTxRow(this.buf, i * TX_NUMS);
  }

  toArray(): UserTx[] {
    const out: UserTx[] = new Array(this.count);
    for (let i = 0; i < this.count; i++) out[i] = readTxRow(this.buf, i * TX_NUMS);
    return out;
  }
}
