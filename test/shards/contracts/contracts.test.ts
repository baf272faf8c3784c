import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AmmOp, amm, ammSlots, swapOut } from '../../../shards/contracts/amm.js';
import type { Call, ContractSpec, Storage } from '../../../shards/contracts/contract.js';
import { DaoOp, dao, daoSlots } from '../../../shards/contracts/dao.js';
import { NftOp, nft, nftSlots } from '../../../shards/contracts/nft.js';
import { TokenOp, token, tokenBalanceSlot } from '../../../shards/contracts/token.js';

/** A contract's storage in a Map, defaults from the contract itself. */
function storage(spec: ContractSpec, logic: { defaultValue(spec: ContractSpec, slot: number): number }): Storage & { writes: number } {
  const m = new Map<number, number>();
  const s = {
    writes: 0,
    read: (slot: number) => m.get(slot) ?? logic.defaultValue(spec, slot),
    write: (slot: number, v: number) => {
      s.writes++;
      m.set(slot, v);
    },
  };
  return s;
}

const call = (from: number, op: number, a = 0, b = 0, c = 0, slot = 0, value = 0): Call => ({ from, op, a, b, c, slot, value });

describe('token', () => {
  const spec: ContractSpec = { id: 99, kind: 'token', initialBalance: 100 };

  it('moves balances and refuses overdrafts without writing', () => {
    const s = storage(spec, token);
    expect(token.execute(spec, call(1, TokenOp.Transfer, 2, 30), s)).toBe(true);
    expect([s.read(tokenBalanceSlot(1)), s.read(tokenBalanceSlot(2))]).toEqual([70, 130]);
    const before = s.writes;
    expect(token.execute(spec, call(1, TokenOp.Transfer, 2, 71), s)).toBe(false);
    expect(s.writes).toBe(before);
  });

  it('transferFrom works only for the approved spender, within the allowance', () => {
    const s = storage(spec, token);
    expect(token.execute(spec, call(3, TokenOp.TransferFrom, 1, 3, 10), s)).toBe(false); // nothing approved
    expect(token.execute(spec, call(1, TokenOp.Approve, 3, 25), s)).toBe(true);
    expect(token.execute(spec, call(4, TokenOp.TransferFrom, 1, 4, 10), s)).toBe(false); // not the spender
    expect(token.execute(spec, call(3, TokenOp.TransferFrom, 1, 5, 20), s)).toBe(true);
    expect(token.execute(spec, call(3, TokenOp.TransferFrom, 1, 5, 6), s)).toBe(false); // 5 left
    expect(token.execute(spec, call(3, TokenOp.TransferFrom, 1, 5, 5), s)).toBe(true);
    expect([s.read(tokenBalanceSlot(1)), s.read(tokenBalanceSlot(5))]).toEqual([75, 125]);
  });

  it('keeps total supply through random transfers, approvals and batch payrolls', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 4 }), fc.nat(12), fc.nat(12), fc.nat(150))), (ops) => {
        const s = storage(spec, token);
        for (const [from, op, a, b, c] of ops) token.execute(spec, call(from, op, a, op === TokenOp.BatchTransfer ? Math.min(b, 5) : b, c), s);
        let total = 0;
        for (let h = 0; h < 30; h++) total += s.read(tokenBalanceSlot(h));
        expect(total).toBe(30 * 100);
      }),
    );
  });
});

describe('amm', () => {
  const spec: ContractSpec = { id: 98, kind: 'amm', reserve: 1_000_000, initialBalance: 10_000 };

  it('swaps keep the constant product within rounding (it never falls)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 1 }), fc.integer({ min: 1, max: 10_000 }))), (swaps) => {
        const s = storage(spec, amm);
        let k = s.read(ammSlots.RX) * s.read(ammSlots.RY);
        for (const [who, dir, size] of swaps) {
          amm.execute(spec, call(who, AmmOp.Swap, dir, size), s);
          const k2 = s.read(ammSlots.RX) * s.read(ammSlots.RY);
          expect(k2).toBeGreaterThanOrEqual(k);
          k = k2;
        }
        // Pool assets are conserved: reserves plus traders' balances.
        let x = s.read(ammSlots.RX);
        let y = s.read(ammSlots.RY);
        for (let h = 0; h < 6; h++) {
          x += s.read(ammSlots.balX(h));
          y += s.read(ammSlots.balY(h));
        }
        expect([x, y]).toEqual([1_000_000 + 6 * 10_000, 1_000_000 + 6 * 10_000]);
      }),
    );
  });

  it('a swap pays the constant-product price minus the 0.3% fee', () => {
    const s = storage(spec, amm);
    expect(amm.execute(spec, call(1, AmmOp.Swap, 0, 1_000), s)).toBe(true);
    const out = swapOut(1_000, 1_000_000, 1_000_000);
    expect(out).toBe(996); // 1000 * 0.997 * 1e6 / (1e6 + 997), rounded down
    expect(s.read(ammSlots.balY(1))).toBe(10_000 + out);
    expect(amm.execute(spec, call(1, AmmOp.Swap, 0, 1_000, 997), s)).toBe(false); // below minOut
  });

  it('liquidity goes in and comes out pro rata', () => {
    const s = storage(spec, amm);
    expect(amm.execute(spec, call(2, AmmOp.AddLiquidity, 1_000, 1_000), s)).toBe(true);
    expect(s.read(ammSlots.lp(2))).toBe(1_000);
    expect(amm.execute(spec, call(2, AmmOp.RemoveLiquidity, 1_000), s)).toBe(true);
    expect([s.read(ammSlots.balX(2)), s.read(ammSlots.balY(2))]).toEqual([10_000, 10_000]);
    expect(amm.execute(spec, call(3, AmmOp.RemoveLiquidity, 1), s)).toBe(false); // holds no shares
  });
});

describe('nft', () => {
  const spec: ContractSpec = { id: 97, kind: 'nft', cap: 3 };

  it('mints up to the supply cap and no further', () => {
    const s = storage(spec, nft);
    for (let i = 0; i < 3; i++) expect(nft.execute(spec, call(10 + i, NftOp.Mint), s)).toBe(true);
    expect(nft.execute(spec, call(20, NftOp.Mint), s)).toBe(false);
    expect(s.read(nftSlots.MINTED)).toBe(3);
    expect(s.read(nftSlots.owner(2))).toBe(13); // owner + 1
  });

  it('only the owner transfers a token', () => {
    const s = storage(spec, nft);
    nft.execute(spec, call(5, NftOp.Mint), s);
    expect(nft.execute(spec, call(6, NftOp.Transfer, 0, 7), s)).toBe(false);
    expect(nft.execute(spec, call(5, NftOp.Transfer, 0, 7), s)).toBe(true);
    expect(nft.execute(spec, call(5, NftOp.Transfer, 0, 8), s)).toBe(false);
    expect(s.read(nftSlots.owner(0))).toBe(8);
  });

  it('declares no slots for a mint: which token it writes depends on the counter it reads', () => {
    expect(nft.declare(spec, call(1, NftOp.Mint))).toBeNull();
    expect(nft.declare(spec, call(1, NftOp.Transfer, 2, 3))).toEqual([nftSlots.owner(2)]);
  });
});

describe('dao', () => {
  const spec: ContractSpec = { id: 96, kind: 'dao', deadlineSlot: 5 };

  it('one vote per member, until the deadline', () => {
    const s = storage(spec, dao);
    expect(dao.execute(spec, call(1, DaoOp.Vote, 1), s)).toBe(true);
    expect(dao.execute(spec, call(1, DaoOp.Vote, 0), s)).toBe(false);
    expect(dao.execute(spec, call(2, DaoOp.Vote, 0, 0, 0, 5), s)).toBe(true);
    expect(dao.execute(spec, call(3, DaoOp.Vote, 1, 0, 0, 6), s)).toBe(false);
    expect([s.read(daoSlots.YES), s.read(daoSlots.NO)]).toEqual([1, 1]);
  });
});
