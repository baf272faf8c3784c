import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Hash } from '../../crosslink/hash.js';
import { ByteWriter, hashPair, toHex, ZERO_HASH } from '../../crosslink/hash.js';
import { balanceKey, nonceKey, ShardState } from '../../shards/state.js';
import { StateTree } from '../../shards/state-tree.js';

const INITIAL = 1_000;
const SIZES = [1, 2, 3, 5, 6, 7, 8, 9, 17, 1000];

/** The leaf of one account, as the state commits it: balance (u64) and nonce (u32). */
function accountLeaf(balance: number, nonce: number): Hash {
  return new ByteWriter(16).u64(balance).u32(nonce).leafHash();
}

/** Reference root: a complete binary tree over the leaves, padded to a power of two with zero hashes. */
function referenceRoot(leaves: readonly Hash[]): Hash {
  let cap = 1;
  while (cap < Math.max(1, leaves.length)) cap *= 2;
  let level: Hash[] = [];
  for (let i = 0; i < cap; i++) level.push(leaves[i] ?? ZERO_HASH);
  while (level.length > 1) {
    const next: Hash[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(hashPair(level[i]!, level[i + 1]!));
    level = next;
  }
  return level[0]!;
}

interface Write {
  readonly account: number;
  readonly nonce: boolean;
  readonly value: number;
}

function key(w: Write): number {
  return w.nonce ? nonceKey(w.account) : balanceKey(w.account);
}

const sizeArb = fc.oneof(fc.constantFrom(...SIZES), fc.integer({ min: 1, max: 300 }));

/** A shard size and blocks of writes to its accounts (balances as safe integers, nonces as u32). */
const scenario = sizeArb.chain((n) =>
  fc.record({
    n: fc.constant(n),
    blocks: fc.array(
      fc.array(
        fc.record({
          account: fc.nat(n - 1),
          nonce: fc.boolean(),
          value: fc.nat({ max: 2 ** 32 - 1 }),
        }),
        { maxLength: 30 },
      ),
      { minLength: 1, maxLength: 8 },
    ),
  }),
);

/** Final (balance, nonce) of every account after applying the blocks to a fresh genesis. */
function finalValues(n: number, blocks: readonly (readonly Write[])[]): { balances: number[]; nonces: number[] } {
  const balances = new Array<number>(n).fill(INITIAL);
  const nonces = new Array<number>(n).fill(0);
  for (const block of blocks) for (const w of block) (w.nonce ? nonces : balances)[w.account] = w.value;
  return { balances, nonces };
}

/** A fresh state with the given final values written in one go and committed once. */
function rebuilt(n: number, balances: readonly number[], nonces: readonly number[]): Hash {
  const s = new ShardState(n, INITIAL);
  for (let i = 0; i < n; i++) {
    if (balances[i] !== INITIAL) s.write(balanceKey(i), balances[i]!);
    if (nonces[i] !== 0) s.write(nonceKey(i), nonces[i]!);
  }
  return s.commit();
}

describe('ShardState roots', () => {
  it.each(SIZES)('a genesis of %i uniform accounts commits to the zero-padded complete tree over its leaves', (n) => {
    const s = new ShardState(n, INITIAL);
    const leaves = new Array<Hash>(n).fill(accountLeaf(INITIAL, 0));
    expect(toHex(s.commit())).toBe(toHex(referenceRoot(leaves)));
  });

  it('committing block after block gives the same root as writing the final values to a fresh state at once', () => {
    fc.assert(
      fc.property(scenario, ({ n, blocks }) => {
        const s = new ShardState(n, INITIAL);
        let root = s.commit();
        for (const block of blocks) {
          for (const w of block) s.write(key(w), w.value);
          root = s.commit();
        }
        const { balances, nonces } = finalValues(n, blocks);
        expect(toHex(root)).toBe(toHex(rebuilt(n, balances, nonces)));
        // And both agree with the reference tree over the final leaves.
        const leaves = balances.map((b, i) => accountLeaf(b, nonces[i]!));
        expect(toHex(root)).toBe(toHex(referenceRoot(leaves)));
      }),
      { numRuns: 150 },
    );
  });

  it('the root after every block equals the root of a fresh state rebuilt to that block', () => {
    fc.assert(
      fc.property(scenario, ({ n, blocks }) => {
        const s = new ShardState(n, INITIAL);
        for (let b = 0; b < blocks.length; b++) {
          for (const w of blocks[b]!) s.write(key(w), w.value);
          const { balances, nonces } = finalValues(n, blocks.slice(0, b + 1));
          expect(toHex(s.commit())).toBe(toHex(rebuilt(n, balances, nonces)));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('two states that differ in a single account’s balance or nonce have different roots', () => {
    fc.assert(
      fc.property(scenario, fc.nat(), fc.boolean(), fc.nat({ max: 2 ** 32 - 1 }), ({ n, blocks }, which, nonce, value) => {
        const account = which % n;
        const { balances, nonces } = finalValues(n, blocks);
        const field = nonce ? nonces : balances;
        fc.pre(field[account] !== value);
        const altered = field.slice();
        altered[account] = value;
        const rootA = rebuilt(n, balances, nonces);
        const rootB = nonce ? rebuilt(n, balances, altered) : rebuilt(n, altered, nonces);
        expect(toHex(rootA)).not.toBe(toHex(rootB));
      }),
      { numRuns: 150 },
    );
  });

  it('a balance and a nonce of the same value are committed differently', () => {
    const a = new ShardState(3, 0);
    a.write(balanceKey(1), 5);
    const b = new ShardState(3, 0);
    b.write(nonceKey(1), 5);
    expect(toHex(a.commit())).not.toBe(toHex(b.commit()));
  });

  it('moving the same account values to another position changes the root (leaves are positional)', () => {
    const a = new ShardState(4, 0);
    a.write(balanceKey(0), 7);
    const b = new ShardState(4, 0);
    b.write(balanceKey(3), 7);
    expect(toHex(a.commit())).not.toBe(toHex(b.commit()));
  });

  it('committing with nothing touched, or after rewriting unchanged values, keeps the root', () => {
    fc.assert(
      fc.property(scenario, ({ n, blocks }) => {
        const s = new ShardState(n, INITIAL);
        for (const block of blocks) for (const w of block) s.write(key(w), w.value);
        const root = s.commit();
        expect(toHex(s.commit())).toBe(toHex(root));
        for (let i = 0; i < n; i += 3) s.write(balanceKey(i), s.read(balanceKey(i)));
        expect(toHex(s.commit())).toBe(toHex(root));
      }),
      { numRuns: 60 },
    );
  });

  it('writing a value and then writing the old value back within one block leaves the root unchanged', () => {
    fc.assert(
      fc.property(sizeArb, fc.nat(), fc.nat({ max: 2 ** 32 - 1 }), (n, which, value) => {
        const account = which % n;
        const s = new ShardState(n, INITIAL);
        const genesis = s.commit();
        s.write(balanceKey(account), value);
        s.write(balanceKey(account), INITIAL);
        expect(toHex(s.commit())).toBe(toHex(genesis));
      }),
      { numRuns: 100 },
    );
  });

  it('reads return the last written balance and nonce, and balanceSum adds up the balances', () => {
    fc.assert(
      fc.property(scenario, ({ n, blocks }) => {
        const s = new ShardState(n, INITIAL);
        for (const block of blocks) for (const w of block) s.write(key(w), w.value);
        const { balances, nonces } = finalValues(n, blocks);
        for (let i = 0; i < n; i++) {
          expect(s.read(balanceKey(i))).toBe(balances[i]);
          expect(s.balanceOf(i)).toBe(balances[i]);
          expect(s.read(nonceKey(i))).toBe(nonces[i]);
        }
        expect(s.balanceSum()).toBe(balances.reduce((a, b) => a + b, 0));
      }),
      { numRuns: 100 },
    );
  });
});

describe('StateTree: genesis build() and incremental commit() agree', () => {
  function leavesOf(n: number, uniform: boolean): Hash[] {
    return Array.from({ length: n }, (_, i) => accountLeaf(uniform ? INITIAL : INITIAL + i, 0));
  }

  function buildRoot(leaves: readonly Hash[]): Hash {
    const t = new StateTree(leaves.length);
    leaves.forEach((l, i) => t.setLeaf(i, l));
    t.build();
    return t.root();
  }

  function commitRoot(leaves: readonly Hash[]): Hash {
    const t = new StateTree(leaves.length);
    leaves.forEach((l, i) => t.setLeaf(i, l));
    return t.commit();
  }

  it.each(SIZES)('build() over %i uniform leaves gives the reference root', (n) => {
    const leaves = leavesOf(n, true);
    expect(toHex(buildRoot(leaves))).toBe(toHex(referenceRoot(leaves)));
  });

  it.each([...SIZES, 4, 16, 31, 33, 6250])('a genesis of %i equal leaves gives the reference root, then commits like any tree', (n) => {
    const leaves = leavesOf(n, true);
    const t = new StateTree(n, leaves[0]!);
    expect(toHex(t.root())).toBe(toHex(referenceRoot(leaves)));
    const changed = leaves.slice();
    changed[n - 1] = accountLeaf(INITIAL + 7, 1);
    t.setLeaf(n - 1, changed[n - 1]!);
    expect(toHex(t.commit())).toBe(toHex(referenceRoot(changed)));
  });

  it.each(SIZES)('build() over %i distinct leaves gives the reference root', (n) => {
    const leaves = leavesOf(n, false);
    expect(toHex(buildRoot(leaves))).toBe(toHex(referenceRoot(leaves)));
  });

  it('build() is right for leaf lists with runs of repeated leaves (the shared-parent shortcut)', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(2), { minLength: 1, maxLength: 200 }), (picks) => {
        const pool = [accountLeaf(1, 0), accountLeaf(2, 0), accountLeaf(3, 0)];
        const leaves = picks.map((p) => pool[p]!);
        expect(toHex(buildRoot(leaves))).toBe(toHex(referenceRoot(leaves)));
      }),
      { numRuns: 150 },
    );
  });

  it.each(SIZES)('setting %i uniform leaves one by one and committing gives the same root as build()', (n) => {
    const leaves = leavesOf(n, true);
    expect(toHex(commitRoot(leaves))).toBe(toHex(buildRoot(leaves)));
  });

  it.each(SIZES)('setting %i distinct leaves one by one and committing gives the same root as build()', (n) => {
    const leaves = leavesOf(n, false);
    expect(toHex(commitRoot(leaves))).toBe(toHex(buildRoot(leaves)));
  });

  it('after build(), updating leaves and committing gives the root of building the updated leaves', () => {
    fc.assert(
      fc.property(
        sizeArb.chain((n) =>
          fc.record({
            n: fc.constant(n),
            updates: fc.array(fc.array(fc.record({ i: fc.nat(n - 1), v: fc.nat(1000) }), { maxLength: 20 }), { maxLength: 5 }),
          }),
        ),
        ({ n, updates }) => {
          const leaves = leavesOf(n, true);
          const t = new StateTree(n);
          leaves.forEach((l, i) => t.setLeaf(i, l));
          t.build();
          for (const block of updates) {
            for (const { i, v } of block) {
              leaves[i] = accountLeaf(v, 1);
              t.setLeaf(i, leaves[i]!);
            }
            expect(toHex(t.commit())).toBe(toHex(buildRoot(leaves)));
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
