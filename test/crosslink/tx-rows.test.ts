import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TxKind, type UserTx } from '../../crosslink/tx.js';
import { TxRows } from '../../crosslink/tx-rows.js';
import { decodeCommand, encodeCommand } from '../../crosslink/wire/codec.js';

const num = fc.oneof(fc.nat({ max: 2 ** 31 }), fc.nat({ max: Number.MAX_SAFE_INTEGER }), fc.double());
const tx = fc.record({
  id: num,
  kind: fc.constantFrom(TxKind.Transfer, TxKind.Call),
  from: num,
  to: num,
  amount: num,
  gasLimit: num,
  bytes: num,
  submitMs: num,
  toShard: num,
  op: num,
  a: num,
  b: num,
  c: num,
  workGas: num,
}) as fc.Arbitrary<UserTx>;

describe('TxRows (transactions as rows)', () => {
  it('gives back every transaction, every field exactly (-0, NaN and fractions included), through growth', () => {
    fc.assert(
      fc.property(fc.array(tx, { maxLength: 200 }), (txs) => {
        const rows = TxRows.of([]);
        for (const t of txs) rows.push(t);
        expect(rows.length).toBe(txs.length);
        expect(rows.toArray()).toEqual(txs);
        txs.forEach((t, i) => expect(rows.at(i)).toEqual(t));
      }),
      { numRuns: 60 },
    );
  });

  it('crosses the Redis codec unchanged', () => {
    fc.assert(
      fc.property(fc.array(tx, { maxLength: 100 }), (txs) => {
        const command = { slot: 3, finalizedSlot: 1, crosslinks: [], txs: TxRows.of(txs) };
        // Through JSON, as a job body travels.
        expect(decodeCommand(JSON.parse(JSON.stringify(encodeCommand(command)))).txs.toArray()).toEqual(txs);
      }),
      { numRuns: 60 },
    );
  });

  it('refuses a buffer that is not whole rows', () => {
    expect(() => TxRows.wrap(new Float64Array(15))).toThrow(/not whole rows of 14/);
  });
});
