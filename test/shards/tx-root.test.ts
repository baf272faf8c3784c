/** The transaction root a block header carries: what a transaction's leaf commits to. */
import { sha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashEquals, hashPair } from '../../crosslink/hash.js';
import { TxKind, type UserTx } from '../../crosslink/tx.js';
import { txRoot } from '../../shards/shard.js';
import { userTx } from '../helpers/user-tx.js';

const tx = (over: Partial<UserTx> = {}): UserTx => userTx({ from: 3, to: 9, amount: 1_000, id: 42, submitMs: 1_500, toShard: 1, ...over });

/** The leaf as specified: SHA-256 of 0x00 and the little-endian record, call data appended for calls. */
function specLeaf(t: UserTx): Uint8Array {
  const call = t.kind === TxKind.Call;
  const rec = new DataView(new ArrayBuffer(1 + 41 + (call ? 28 : 0)));
  let at = 1;
  const u64 = (v: number): void => {
    rec.setUint32(at, v % 2 ** 32, true);
    rec.setUint32(at + 4, Math.floor(v / 2 ** 32), true);
    at += 8;
  };
  const u32 = (v: number): void => {
    rec.setUint32(at, v, true);
    at += 4;
  };
  u64(t.id);
  rec.setUint8(at++, t.kind);
  u32(t.from);
  u32(t.to);
  u64(t.amount);
  u64(t.gasLimit);
  u64(t.submitMs);
  if (call) {
    u32(t.op);
    u64(t.a);
    u64(t.b);
    u64(t.c);
  }
  return sha256(new Uint8Array(rec.buffer));
}

const u56 = fc.integer({ min: 0, max: 2 ** 53 - 1 });

describe('txRoot', () => {
  it("is the Merkle root of the transactions' leaves, each SHA-256 over 0x00 and its record (call data appended for a call)", () => {
    const txs = [tx(), tx({ id: 43, kind: TxKind.Call, op: 2, a: 7, b: 2 ** 40, c: 5 })];
    expect(hashEquals(txRoot(txs, 1), specLeaf(txs[0]!))).toBe(true);
    expect(hashEquals(txRoot(txs, 2), hashPair(specLeaf(txs[0]!), specLeaf(txs[1]!)))).toBe(true);
  });

  it("commits to a call's method and every argument: changing one changes the root", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), u56, u56, u56, fc.integer({ min: 0, max: 3 }), (op, a, b, c, which) => {
        const call = tx({ kind: TxKind.Call, op, a, b, c });
        const field = (['op', 'a', 'b', 'c'] as const)[which]!;
        const changed = { ...call, [field]: call[field] + 1 };
        expect(hashEquals(txRoot([call], 1), txRoot([changed], 1))).toBe(false);
      }),
      { numRuns: 100 },
    );
  });

  it('commits to which transactions a block holds, and in which order', () => {
    const a = tx();
    const b = tx({ id: 43, amount: 7 });
    expect(hashEquals(txRoot([a, b], 2), txRoot([b, a], 2))).toBe(false);
    expect(hashEquals(txRoot([a, b], 1), txRoot([a], 1))).toBe(true);
  });
});
