import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TxKind, type UserTx } from '../../crosslink/tx.js';
import { TxPool } from '../../shards/tx-pool.js';

const tx = fc.record({
  id: fc.nat({ max: 2 ** 52 }),
  kind: fc.constantFrom(TxKind.Transfer, TxKind.Call),
  from: fc.nat({ max: 2 ** 31 }),
  to: fc.nat({ max: 2 ** 31 }),
  amount: fc.nat({ max: Number.MAX_SAFE_INTEGER }),
  gasLimit: fc.nat({ max: 10 ** 7 }),
  submitMs: fc.nat({ max: 10 ** 9 }),
  toShard: fc.nat({ max: 4096 }),
  op: fc.nat({ max: 8 }),
  a: fc.nat({ max: 2 ** 40 }),
  b: fc.nat({ max: 2 ** 40 }),
  c: fc.nat({ max: 2 ** 40 }),
}) as fc.Arbitrary<UserTx>;

/** A run of pushes, peeks and drops, applied to the pool and to a plain array beside it. */
const op = fc.oneof(
  fc.record({ push: fc.array(tx, { maxLength: 1500 }) }),
  fc.record({ peek: fc.nat({ max: 3000 }) }),
  fc.record({ drop: fc.nat({ max: 3000 }) }),
);

describe('TxPool (the mempool)', () => {
  it('behaves as a first-in first-out queue of transactions, every field kept exactly, through growth and compaction', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
        const pool = new TxPool();
        let model: UserTx[] = [];
        for (const o of ops) {
          if ('push' in o) {
            for (const t of o.push) pool.push(t);
            model.push(...o.push);
          } else if ('peek' in o) {
            expect(pool.peek(o.peek)).toEqual(model.slice(0, o.peek));
          } else {
            pool.drop(o.drop);
            model = model.slice(o.drop);
          }
          expect(pool.length).toBe(model.length);
        }
        expect(pool.toArray()).toEqual(model);
      }),
      { numRuns: 60 },
    );
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
