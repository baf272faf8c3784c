import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Hash } from '../../crosslink/hash.js';
import { ByteWriter, hashBytes, hashEquals, hashPair, ZERO_HASH } from '../../crosslink/hash.js';
import { MerkleTree, merkleRoot, verifyMerkleProof } from '../../crosslink/merkle.js';
import { compressFromTag } from '../helpers/compress.js';

const RUNS = { numRuns: 150 };

/** A flat proof's sibling hashes, and back. */
const split = (proof: Uint8Array): Hash[] => Array.from({ length: proof.length / 32 }, (_, k) => proof.slice(32 * k, 32 * k + 32));
const join = (hashes: readonly Hash[]): Uint8Array => {
  const out = new Uint8Array(32 * hashes.length);
  hashes.forEach((h, k) => out.set(h, 32 * k));
  return out;
};

/** Distinct leaf hashes, derived from a seed so that lists of any size are cheap to build. */
function leavesFor(seed: number, count: number): Hash[] {
  const w = new ByteWriter(16);
  const out: Hash[] = [];
  for (let i = 0; i < count; i++)
    out.push(
      w
        .reset()
        .u32(seed >>> 0)
        .u32(i)
        .leafHash(),
    );
  return out;
}

/** A copy of `h` with one bit flipped. */
function flip(h: Hash, byte = 0, bit = 0): Hash {
  const c = h.slice();
  c[byte] = c[byte]! ^ (1 << bit);
  return c;
}

/**
 * The shape of the path from leaf `index` in a tree of `count` leaves: for every
 * level where the node has a sibling, whether the node is the right child.
 * Two (index, count) pairs with the same shape hash a proof identically.
 */
function pathShape(index: number, count: number): number[] {
  const sides: number[] = [];
  let i = index;
  let width = count;
  while (width > 1) {
    if ((i ^ 1) < width) sides.push(i & 1);
    i >>= 1;
    width = (width + 1) >> 1;
  }
  return sides;
}

const sameShape = (a: number[], b: number[]): boolean => a.length === b.length && a.every((x, k) => x === b[k]);

/** A leaf list of 1..70 leaves and a position in it. */
const treeAndIndex = fc
  .record({ seed: fc.integer(), count: fc.integer({ min: 1, max: 70 }) })
  .chain(({ seed, count }) => fc.record({ seed: fc.constant(seed), count: fc.constant(count), index: fc.nat(count - 1) }));

const randomLeaves = fc.array(fc.uint8Array({ minLength: 32, maxLength: 32 }), { minLength: 1, maxLength: 70 });

describe('hash primitives', () => {
  it("an inner node is SHA-256's compression function over both children, from the IV SHA-256('shardsim/merkle-node')", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), (a, b) => {
        const block = new Uint8Array(64);
        block.set(a, 0);
        block.set(b, 32);
        // Reference: noble's own compression function, started from the node IV.
        expect(hashEquals(hashPair(a, b), compressFromTag('shardsim/merkle-node', block))).toBe(true);
      }),
      RUNS,
    );
  });

  it('a leaf hash is SHA-256 over the 0x00 prefix and the written bytes, even when the buffer is exactly full', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 100 }), fc.integer({ min: 1, max: 128 }), (data, initial) => {
        const w = new ByteWriter(initial);
        const got = w.bytes(data).leafHash();
        const pre = new Uint8Array(data.length + 1);
        pre.set(data, 1);
        expect(hashEquals(got, hashBytes(pre))).toBe(true);
      }),
      RUNS,
    );
  });

  it('hashPair results stay valid after later calls (no shared output buffer)', () => {
    const [a, b, c, d] = leavesFor(1, 4) as [Hash, Hash, Hash, Hash];
    const ab = hashPair(a, b);
    const abCopy = ab.slice();
    hashPair(c, d);
    expect(hashEquals(ab, abCopy)).toBe(true);
    expect(hashEquals(ab, hashPair(a, b))).toBe(true);
  });
});

describe('merkleRoot and MerkleTree', () => {
  it('the empty list has the zero hash as root, both ways', () => {
    expect(hashEquals(merkleRoot([]), ZERO_HASH)).toBe(true);
    const t = new MerkleTree([]);
    expect(t.size).toBe(0);
    expect(hashEquals(t.root, ZERO_HASH)).toBe(true);
  });

  it('a single leaf is its own root and has an empty proof', () => {
    const [x] = leavesFor(7, 1) as [Hash];
    const t = new MerkleTree([x]);
    expect(hashEquals(t.root, x)).toBe(true);
    expect(t.proof(0)).toHaveLength(0);
    expect(verifyMerkleProof(x, 0, 1, new Uint8Array(0), x)).toBe(true);
  });

  it('the in-memory tree has the same root as merkleRoot for any leaf list of 1..70 leaves', () => {
    fc.assert(
      fc.property(randomLeaves, (leaves) => {
        const t = new MerkleTree(leaves);
        expect(t.size).toBe(leaves.length);
        expect(hashEquals(t.root, merkleRoot(leaves))).toBe(true);
      }),
      RUNS,
    );
  });

  it('an odd last node is promoted, not duplicated: root([a,b,c]) = H(H(a,b), c)', () => {
    const [a, b, c] = leavesFor(3, 3) as [Hash, Hash, Hash];
    expect(hashEquals(merkleRoot([a, b, c]), hashPair(hashPair(a, b), c))).toBe(true);
  });

  it('does not mutate the caller’s leaf list', () => {
    const leaves = leavesFor(9, 5);
    const before = leaves.map((l) => l.slice());
    merkleRoot(leaves);
    new MerkleTree(leaves).proof(4);
    expect(leaves).toEqual(before);
  });

  it('[a,b,c] and [a,b,c,c] have different roots (no last-leaf duplication weakness)', () => {
    const [a, b, c] = leavesFor(11, 3) as [Hash, Hash, Hash];
    expect(hashEquals(merkleRoot([a, b, c]), merkleRoot([a, b, c, c]))).toBe(false);
  });

  it('appending a copy of the last leaf always changes the root', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 70 }), (seed, count) => {
        const leaves = leavesFor(seed, count);
        const padded = [...leaves, leaves[leaves.length - 1]!];
        expect(hashEquals(merkleRoot(leaves), merkleRoot(padded))).toBe(false);
      }),
      RUNS,
    );
  });

  it('changing any one leaf changes the root', () => {
    fc.assert(
      fc.property(treeAndIndex, ({ seed, count, index }) => {
        const leaves = leavesFor(seed, count);
        const changed = leaves.slice();
        changed[index] = flip(leaves[index]!, index % 32, index % 8);
        expect(hashEquals(merkleRoot(leaves), merkleRoot(changed))).toBe(false);
      }),
      RUNS,
    );
  });

  it('an inner node cannot be passed off as a leaf: root([x,y]) differs from the leaf hash of the bytes x||y', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const [x, y] = leavesFor(seed, 2) as [Hash, Hash];
        const root = merkleRoot([x, y]);
        const asLeaf = new ByteWriter().bytes(x).bytes(y).leafHash();
        expect(hashEquals(root, asLeaf)).toBe(false);
        // Nor is it plain SHA-256 of x||y (the standard IV): the node IV is its own.
        const plain = new Uint8Array(64);
        plain.set(x, 0);
        plain.set(y, 32);
        expect(hashEquals(root, hashBytes(plain))).toBe(false);
      }),
      RUNS,
    );
  });
});

describe('Merkle inclusion proofs', () => {
  it('every leaf’s proof verifies against the root', () => {
    fc.assert(
      fc.property(randomLeaves, (leaves) => {
        const t = new MerkleTree(leaves);
        for (let i = 0; i < leaves.length; i++) {
          expect(verifyMerkleProof(leaves[i]!, i, leaves.length, t.proof(i), t.root)).toBe(true);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('allProofs() cuts, from one buffer, exactly the proofs proof(i) gives', () => {
    fc.assert(
      fc.property(randomLeaves, (leaves) => {
        const t = new MerkleTree(leaves);
        const all = t.allProofs();
        expect(all).toHaveLength(leaves.length);
        all.forEach((p, i) => expect(hashEquals(p, t.proof(i))).toBe(true));
        if (all.length > 1) expect(all[0]!.buffer).toBe(all[all.length - 1]!.buffer);
      }),
      { numRuns: 60 },
    );
  });

  it('a proof has one sibling per level where the leaf’s ancestor is not promoted', () => {
    fc.assert(
      fc.property(treeAndIndex, ({ seed, count, index }) => {
        const t = new MerkleTree(leavesFor(seed, count));
        expect(split(t.proof(index))).toHaveLength(pathShape(index, count).length);
      }),
      RUNS,
    );
  });

  it('a proof for leaf i does not verify a different leaf value at i', () => {
    fc.assert(
      fc.property(treeAndIndex, fc.nat(31), fc.nat(7), ({ seed, count, index }, byte, bit) => {
        const leaves = leavesFor(seed, count);
        const t = new MerkleTree(leaves);
        expect(verifyMerkleProof(flip(leaves[index]!, byte, bit), index, count, t.proof(index), t.root)).toBe(false);
        // Nor another leaf of the same tree.
        if (count > 1) {
          const other = leaves[(index + 1) % count]!;
          expect(verifyMerkleProof(other, index, count, t.proof(index), t.root)).toBe(false);
        }
      }),
      RUNS,
    );
  });

  it('a proof for leaf i verifies only at index i', () => {
    fc.assert(
      fc.property(treeAndIndex, ({ seed, count, index }) => {
        const leaves = leavesFor(seed, count);
        const t = new MerkleTree(leaves);
        const proof = t.proof(index);
        for (let j = 0; j < count; j++) {
          expect(verifyMerkleProof(leaves[index]!, j, count, proof, t.root)).toBe(j === index);
          // The leaf actually at j does not verify with i's proof either.
          if (j !== index) expect(verifyMerkleProof(leaves[j]!, j, count, proof, t.root)).toBe(false);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('a proof fails under any other leaf count that changes the path shape (and only then)', () => {
    fc.assert(
      fc.property(treeAndIndex, ({ seed, count, index }) => {
        const leaves = leavesFor(seed, count);
        const t = new MerkleTree(leaves);
        const proof = t.proof(index);
        const shape = pathShape(index, count);
        let shapeChanges = 0;
        for (let other = 0; other <= 140; other++) {
          if (other === count) continue;
          const ok = verifyMerkleProof(leaves[index]!, index, other, proof, t.root);
          const same = index < other && sameShape(shape, pathShape(index, other));
          if (!same) shapeChanges++;
          expect(ok).toBe(same);
        }
        expect(shapeChanges).toBeGreaterThan(0);
      }),
      { numRuns: 100 },
    );
  });

  it('a proof with a tampered sibling fails', () => {
    fc.assert(
      fc.property(
        treeAndIndex.filter(({ count }) => count > 1),
        fc.nat(),
        fc.nat(31),
        fc.nat(7),
        (t0, which, byte, bit) => {
          const leaves = leavesFor(t0.seed, t0.count);
          const t = new MerkleTree(leaves);
          const proof = split(t.proof(t0.index));
          const s = which % proof.length;
          const tampered = proof.slice();
          tampered[s] = flip(proof[s]!, byte, bit);
          expect(verifyMerkleProof(leaves[t0.index]!, t0.index, t0.count, join(tampered), t.root)).toBe(false);
        },
      ),
      RUNS,
    );
  });

  it('a proof with an extra sibling fails, wherever it is inserted', () => {
    fc.assert(
      fc.property(treeAndIndex, fc.nat(), ({ seed, count, index }, at) => {
        const leaves = leavesFor(seed, count);
        const t = new MerkleTree(leaves);
        const proof = split(t.proof(index));
        const pos = at % (proof.length + 1);
        const longer = [...proof.slice(0, pos), leaves[0]!, ...proof.slice(pos)];
        expect(verifyMerkleProof(leaves[index]!, index, count, join(longer), t.root)).toBe(false);
        // Even a duplicate of a genuine sibling appended at the end.
        if (proof.length > 0) {
          expect(verifyMerkleProof(leaves[index]!, index, count, join([...proof, proof[proof.length - 1]!]), t.root)).toBe(false);
        }
      }),
      RUNS,
    );
  });

  it('a proof with a missing sibling fails, whichever one is dropped', () => {
    fc.assert(
      fc.property(
        treeAndIndex.filter(({ count }) => count > 1),
        ({ seed, count, index }) => {
          const leaves = leavesFor(seed, count);
          const t = new MerkleTree(leaves);
          const proof = split(t.proof(index));
          for (let d = 0; d < proof.length; d++) {
            const shorter = [...proof.slice(0, d), ...proof.slice(d + 1)];
            expect(verifyMerkleProof(leaves[index]!, index, count, join(shorter), t.root)).toBe(false);
          }
        },
      ),
      RUNS,
    );
  });

  it('a proof whose length is not a whole number of hashes fails (one byte more or less)', () => {
    fc.assert(
      fc.property(treeAndIndex, fc.boolean(), ({ seed, count, index }, longer) => {
        const leaves = leavesFor(seed, count);
        const t = new MerkleTree(leaves);
        const proof = t.proof(index);
        if (!longer && proof.length === 0) return;
        const ragged = longer ? Uint8Array.from([...proof, 0]) : proof.slice(0, -1);
        expect(verifyMerkleProof(leaves[index]!, index, count, ragged, t.root)).toBe(false);
      }),
      RUNS,
    );
  });

  it('a proof fails against another tree’s root', () => {
    fc.assert(
      fc.property(treeAndIndex, ({ seed, count, index }) => {
        const leaves = leavesFor(seed, count);
        const t = new MerkleTree(leaves);
        const otherRoot = merkleRoot(leavesFor(seed + 1, count));
        expect(verifyMerkleProof(leaves[index]!, index, count, t.proof(index), otherRoot)).toBe(false);
      }),
      RUNS,
    );
  });

  it('out-of-range and non-integer indices never verify, and proof() rejects them', () => {
    const leaves = leavesFor(5, 6);
    const t = new MerkleTree(leaves);
    const p = t.proof(0);
    for (const bad of [-1, 6, 7, 0.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(verifyMerkleProof(leaves[0]!, bad, 6, p, t.root)).toBe(false);
    }
    expect(verifyMerkleProof(leaves[0]!, 0, 0, new Uint8Array(0), ZERO_HASH)).toBe(false);
    expect(() => t.proof(-1)).toThrow(RangeError);
    expect(() => t.proof(6)).toThrow(RangeError);
  });
});
