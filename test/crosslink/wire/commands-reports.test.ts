import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WireFormatError } from '../../../crosslink/common/errors.js';
import type { BlockHeader } from '../../../crosslink/header.js';
import type { SlotCommand } from '../../../crosslink/transport.js';
import { TxKind, type UserTx } from '../../../crosslink/tx.js';
import { TxRows } from '../../../crosslink/tx-rows.js';
import { decodeCommand, decodeCommands, encodeCommand, encodeCommands } from '../../../crosslink/wire/commands.js';
import { PROTOCOL_VERSION } from '../../../crosslink/wire/layout.js';
import { decodeReport, decodeReports, encodeReport, encodeReports, type WireReport } from '../../../crosslink/wire/reports.js';
import { header, num, report } from './arbitraries.js';
import { numbersOf, withNumbers } from './packed.js';

const viaJson = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

const tx: fc.Arbitrary<UserTx> = fc.record({
  kind: fc.constantFrom(TxKind.Transfer, TxKind.Call),
  from: num,
  to: num,
  amount: num,
  op: num,
  a: num,
  b: num,
  c: num,
  id: num,
  submitMs: num,
  toShard: num,
  gasLimit: num,
  bytes: num,
}) as fc.Arbitrary<UserTx>;

/** Commands whose crosslinks share headers, as the beacon's do. */
const commands: fc.Arbitrary<SlotCommand[]> = fc
  .array(header, { minLength: 1, maxLength: 4 })
  .chain((headers) =>
    fc.array(
      fc.record({
        slot: fc.nat(100_000),
        finalizedSlot: fc.nat(100_000),
        crosslinks: fc.array(fc.record({ header: fc.constantFrom(...headers), count: num, value: num }), { maxLength: 5 }),
        txs: fc.array(tx, { maxLength: 6 }).map((t) => TxRows.of(t)),
        // A repartition's moves (account, from, to), or none.
        moves: fc.option(
          fc.record({
            epoch: fc.integer({ min: 1, max: 1_000 }),
            moves: fc.array(fc.tuple(fc.nat(2 ** 31), fc.nat(1_023), fc.nat(1_023)), { minLength: 1, maxLength: 3 }).map((t) => Uint32Array.from(t.flat())),
          }),
          { nil: undefined },
        ),
      }),
      { maxLength: 4 },
    ),
  )
  .map((cmds) => cmds.map(({ moves, ...c }) => (moves === undefined ? c : { ...c, moves })));

/** A command as plain data, to compare (transaction rows as transactions). */
const plain = (c: SlotCommand) => ({ ...c, txs: c.txs.toArray() });

describe('slot commands on the wire', () => {
  it('a thread message gives back every command exactly, sharing the headers the commands shared', () => {
    fc.assert(
      fc.property(commands, (cmds) => {
        const back = decodeCommands(encodeCommands(cmds), cmds.length);
        expect(back.map(plain)).toEqual(cmds.map(plain));
        const ids = new Map<BlockHeader, BlockHeader>();
        cmds.forEach((c, s) =>
          c.crosslinks.forEach((cl, k) => {
            const got = back[s]!.crosslinks[k]!.header;
            expect(ids.get(cl.header) ?? got).toBe(got);
            ids.set(cl.header, got);
          }),
        );
      }),
      { numRuns: 60 },
    );
  });

  it("a Redis job body gives back the command exactly, and holds that command's thread message, its numbers packed", () => {
    fc.assert(
      fc.property(commands, (cmds) => {
        for (const c of cmds) {
          const body = encodeCommand(c);
          expect(plain(decodeCommand(viaJson(body)))).toEqual(plain(c));
          const w = encodeCommands([c]);
          expect(numbersOf(body)).toEqual(w.f);
          expect(body.slot).toBe(c.slot);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('refuses another protocol version, naming both, and malformed bodies', () => {
    const c: SlotCommand = { slot: 4, finalizedSlot: 2, crosslinks: [], txs: TxRows.of([]) };
    const body = encodeCommand(c);
    expect(() => decodeCommand({ ...body, v: 99 })).toThrow(new RegExp(`protocol version 99.*protocol version ${PROTOCOL_VERSION}`));
    expect(() => decodeCommand({ ...body, slot: 5 })).toThrow(WireFormatError);
    const nums = numbersOf(body);
    expect(() => decodeCommand(withNumbers(body, nums.subarray(0, nums.length - 1)))).toThrow(WireFormatError);
    expect(() => decodeCommand(withNumbers(body, Float64Array.of(...nums, 0)))).toThrow(WireFormatError);
    const huge = nums.slice();
    huge[0] = 1e12; // a header count no message of this size holds
    expect(() => decodeCommand(withNumbers(body, huge))).toThrow(/header count/);
    const linked = encodeCommand({ ...c, crosslinks: [] });
    const f = numbersOf(linked);
    f[3] = 3; // a crosslink count with no crosslinks behind it
    expect(() => decodeCommand(withNumbers(linked, f))).toThrow(WireFormatError);
  });
});

describe('slot reports on the wire', () => {
  it('a thread message gives back every report exactly', () => {
    fc.assert(
      fc.property(fc.array(report, { maxLength: 5 }), (reports) => {
        expect(decodeReports(encodeReports(reports), reports.length)).toEqual(reports);
      }),
      { numRuns: 60 },
    );
  });

  it("a Redis job body gives back the report exactly, and holds that report's thread message, its numbers packed", () => {
    fc.assert(
      fc.property(report, (r) => {
        const body = encodeReport(r);
        expect(decodeReport(viaJson(body))).toEqual(r);
        expect(numbersOf(body)).toEqual(encodeReports([r]).f);
      }),
      { numRuns: 60 },
    );
  });

  it('refuses another protocol version, naming both, and malformed bodies', () => {
    const r = fc.sample(report, { numRuns: 1, seed: 1 })[0]!;
    const body = encodeReport(r);
    expect(() => decodeReport({ ...body, v: 0 })).toThrow(new RegExp(`protocol version 0.*protocol version ${PROTOCOL_VERSION}`));
    const { v: _v, ...unversioned } = body;
    expect(() => decodeReport(unversioned as WireReport)).toThrow(/no protocol version/);
    expect(() => decodeReport({ ...body, slot: r.slot + 1 })).toThrow(WireFormatError);
    expect(() => decodeReport(withNumbers(body, numbersOf(body).subarray(1)))).toThrow(WireFormatError);
    expect(() => decodeReport({ ...body, b: '' })).toThrow(WireFormatError);
  });
});
