import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TxKind, type UserTx } from '../../crosslink/tx.js';
import { TxRows } from '../../crosslink/tx-rows.js';
import { TxPool } from '../../shards/tx-pool.js';
import { userTx } from '../helpers/user-tx.js';

const tx = fc.record({
  id: fc.nat({ max: 2 ** 52 }),
  kind: fc.constantFrom(TxKind.Transfer, TxKind.Call),
  from: fc.nat({ max: 2 ** 31 }),
  to: fc.nat({ max: 2 ** 31 }),
  amount: fc.nat({ max: Number.MAX_SAFE_INTEGER }),
  gasLimit: fc.nat({ max: 10 ** 7 }),
  bytes: fc.nat({ max: 10 ** 6 }),
  submitMs: fc.nat({ max: 10 ** 9 }),
  toShard: fc.nat({ max: 4096 }),
  op: fc.nat({ max: 8 }),
  a: fc.nat({ max: 2 ** 40 }),
  b: fc.nat({ max: 2 ** 40 }),
  c: fc.nat({ max: 2 ** 40 }),
  workGas: fc.nat({ max: 10 ** 7 }),
}) as fc.Arbitrary<UserTx>;

/** A run of pushes, peeks and drops, applied to the pool and to a plain array beside it. */
// Sized to the pools below (rings of 1, 7 and 64 rows, or 1,024 growing), so that pushes wrap around and grow them.
const op = fc.oneof(
  fc.record({ push: fc.array(tx, { maxLength: 40, size: 'max' }) }),
  fc.record({ rows: fc.array(tx, { maxLength: 40, size: 'max' }), take: fc.nat({ max: 40 }) }),
  fc.record({ peek: fc.nat({ max: 100 }) }),
  fc.record({ drop: fc.nat({ max: 50 }) }),
);

describe('TxPool (the mempool)', () => {
  it('behaves as a first-in first-out queue of transactions, every field kept exactly, through growth and wrapping around', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30, size: 'max' }), fc.constantFrom(undefined, 1, 7, 64), (ops, maxRows) => {
        const pool = new TxPool(maxRows);
        let model: UserTx[] = [];
        for (const o of ops) {
          if ('push' in o) {
            for (const t of o.push) pool.push(t);
            model.push(...o.push);
          } else if ('rows' in o) {
            const take = Math.min(o.take, o.rows.length);
            pool.pushRows(TxRows.of(o.rows), take);
            model.push(...o.rows.slice(0, take));
          } else if ('peek' in o) {
            expect(pool.peek(o.peek)).toEqual(model.slice(0, o.peek));
            // Counted on the rows, as the objects would count: the prefix that fits a gas budget, and its running sums.
            const budget = o.peek * 1_000_000;
            let left = budget;
            let fit = 0;
            for (const t of model.slice(0, o.peek)) {
              if (t.gasLimit > left) break;
              left -= t.gasLimit;
              fit++;
            }
            expect(pool.fitByGas(o.peek, budget)).toBe(fit);
            const gas = new Float64Array(fit + 2).fill(7);
            const bytes = new Float64Array(fit + 2).fill(5);
            pool.sumGasAndBytes(fit, gas, bytes, 1);
            model.slice(0, fit).forEach((t, k) => {
              expect(gas[k + 2]! - gas[k + 1]!).toBe(t.gasLimit);
              expect(bytes[k + 2]! - bytes[k + 1]!).toBe(t.bytes);
            });
          } else {
            pool.drop(o.drop);
            model = model.slice(o.drop);
          }
          expect(pool.length).toBe(model.length);
        }
        expect(pool.toArray()).toEqual(model);
      }),
      { numRuns: 150 },
    );
  });

  it('wraps a block of rows around the end of its ring, down to a single row', () => {
    const t = (id: number): UserTx => userTx({ id, from: id });
    for (const wrapped of [1, 2]) {
      const pool = new TxPool(4);
      for (const id of [0, 1, 2]) pool.push(t(id));
      pool.drop(2);
      pool.pushRows(TxRows.of([3, 4, 5].slice(0, 1 + wrapped).map(t)), 1 + wrapped);
      expect(pool.toArray().map((x) => x.id)).toEqual([2, 3, 4, 5].slice(0, 2 + wrapped));
    }
  });

  it('restores a checkpoint: reset(toArray()) of one pool gives another the same queue', () => {
    fc.assert(
      fc.property(fc.array(tx, { maxLength: 3000 }), fc.nat({ max: 3000 }), (txs, dropped) => {
        const a = new TxPool();
        for (const t of txs) a.push(t);
        a.drop(dropped);
        const b = new TxPool();
        for (const t of txs.slice(0, 3)) b.push(t); // what a restore replaces
        b.reset(a.toArray());
        expect(b.toArray()).toEqual(txs.slice(dropped));
      }),
      { numRuns: 30 },
    );
  });
});
