import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { committeeRisk, hypergeometricTail, lnGamma } from '../../simulator/security.js';

const MAX_N = 60;

/** Exact binomial coefficients C(n, k) for n <= MAX_N (Pascal's triangle in bigint). */
const C: bigint[][] = [];
for (let n = 0; n <= MAX_N; n++) {
  C.push([]);
  for (let k = 0; k <= n; k++) C[n]!.push(k === 0 || k === n ? 1n : C[n - 1]![k - 1]! + C[n - 1]![k]!);
}
const choose = (n: number, k: number): bigint => (k < 0 || k > n ? 0n : C[n]![k]!);

/** P(X >= k) for X ~ Hypergeometric(N, K, n), by summing exact integer counts. */
function bruteTail(N: number, K: number, n: number, k: number): number {
  let num = 0n;
  for (let x = Math.max(0, k); x <= Math.min(n, K); x++) num += choose(K, x) * choose(N - K, n - x);
  // Both fit in a double (C(60, 30) ~ 1.2e17); one rounding each.
  return Number(num) / Number(choose(N, n));
}

function close(actual: number, expected: number, rel = 1e-9): boolean {
  return Math.abs(actual - expected) <= rel * Math.abs(expected) + 1e-300;
}

describe('hypergeometricTail', () => {
  it('matches the exact sum over every (N, K, n, k) with N <= 24', () => {
    const bad: string[] = [];
    for (let N = 1; N <= 24; N++)
      for (let K = 0; K <= N; K++)
        for (let n = 0; n <= N; n++)
          for (let k = 0; k <= n + 1; k++) {
            const got = hypergeometricTail(N, K, n, k);
            const want = bruteTail(N, K, n, k);
            if (!close(got, want)) bad.push(`N=${N} K=${K} n=${n} k=${k}: got ${got}, want ${want}`);
          }
    expect(bad.slice(0, 10)).toEqual([]);
  });

  it('matches the exact sum for populations up to 60, for every threshold k', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: MAX_N }).chain((N) => fc.tuple(fc.constant(N), fc.nat(N), fc.nat(N))),
        ([N, K, n]) => {
          for (let k = 0; k <= n + 1; k++) {
            const got = hypergeometricTail(N, K, n, k);
            const want = bruteTail(N, K, n, k);
            if (!close(got, want)) expect({ N, K, n, k, got }).toEqual({ N, K, n, k, got: want });
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('is 1 at or below the smallest possible count, 0 above the largest, and never increases with k', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2000 }).chain((N) => fc.tuple(fc.constant(N), fc.nat(N), fc.nat(N))),
        ([N, K, n]) => {
          const lo = Math.max(0, n - (N - K));
          const hi = Math.min(n, K);
          expect(hypergeometricTail(N, K, n, lo)).toBeCloseTo(1, 9);
          expect(hypergeometricTail(N, K, n, -3)).toBeCloseTo(1, 9);
          expect(hypergeometricTail(N, K, n, hi + 1)).toBe(0);
          let last = Infinity;
          for (let k = lo; k <= hi + 1; k += Math.max(1, Math.floor((hi - lo) / 20))) {
            const p = hypergeometricTail(N, K, n, k);
            expect(p).toBeGreaterThanOrEqual(0);
            expect(p).toBeLessThanOrEqual(1);
            // ln Γ of values in the thousands carries ~1e-12 absolute error, so allow that much noise.
            expect(p).toBeLessThanOrEqual(last * (1 + 1e-9));
            last = p;
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('stays accurate when the threshold is far below the mode (the pmf there underflows)', () => {
    // k = lo: the whole distribution, so exactly 1.
    expect(hypergeometricTail(1917, 343, 1522, 0)).toBeCloseTo(1, 9);
    expect(hypergeometricTail(1992, 1377, 459, 0)).toBeCloseTo(1, 9);
    // Mean 10000 * 0.5 = 5000 (sd ~35); P(X >= 3334) is 1 to double precision.
    expect(hypergeometricTail(20_000, 10_000, 10_000, 3334)).toBeCloseTo(1, 9);
  });
});

describe('committeeRisk', () => {
  it('one shard of 4000 validators with 25% adversaries cannot reach a 1/3 threshold', () => {
    const r = committeeRisk(4000, 0.25, 1 / 3, 1);
    expect(r.committeeSize).toBe(4000);
    expect(r.perCommittee).toBeLessThan(1e-30);
    expect(r.anyCommittee).toBeLessThan(1e-30);
  });

  it('risk grows with the shard count over 1, 2, 4, ..., 128 shards', () => {
    let lastPer = -1;
    let lastAny = -1;
    for (let shards = 1; shards <= 128; shards *= 2) {
      const r = committeeRisk(4000, 0.25, 1 / 3, shards);
      expect(r.committeeSize).toBe(Math.floor(4000 / shards));
      expect(r.perCommittee).toBeGreaterThanOrEqual(lastPer);
      expect(r.anyCommittee).toBeGreaterThanOrEqual(lastAny);
      if (lastAny > 0) expect(r.anyCommittee).toBeGreaterThan(lastAny);
      lastPer = r.perCommittee;
      lastAny = r.anyCommittee;
    }
    // 128 committees of 31 with 25% adversaries: one is almost surely captured.
    expect(lastAny).toBeGreaterThan(0.99);
  });

  it('committees whose adversary share is well above the threshold are captured almost surely, at every shard count', () => {
    // 50% adversaries against a 1/3 threshold: every committee of hundreds or more is captured.
    for (let shards = 1; shards <= 32; shards *= 2) {
      const r = committeeRisk(20_000, 0.5, 1 / 3, shards);
      expect(r.perCommittee, `shards=${shards}`).toBeGreaterThan(0.999);
      expect(r.anyCommittee, `shards=${shards}`).toBeGreaterThan(0.999);
    }
  });

  it('more shards than validators leaves empty committees: size 0 and probability 1', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 1000 }), (validators, extra) => {
        const r = committeeRisk(validators, 0.25, 1 / 3, validators + extra);
        expect(r).toEqual({ committeeSize: 0, perCommittee: 1, anyCommittee: 1 });
      }),
      { numRuns: 100 },
    );
  });

  it('per-committee risk is the exact hypergeometric tail at ceil(threshold * size), even when threshold * size is a whole number', () => {
    // 60 validators: committees of 60, 30, 20, 15, 12, 10, 6 (threshold 1/3 lands exactly on an integer).
    for (const shards of [1, 2, 3, 4, 5, 6, 10]) {
      for (const adversaries of [0, 5, 15, 20, 30, 45, 60]) {
        const r = committeeRisk(60, adversaries / 60, 1 / 3, shards);
        const size = Math.floor(60 / shards);
        const k = Math.ceil(size / 3);
        expect(r.committeeSize).toBe(size);
        expect(close(r.perCommittee, bruteTail(60, adversaries, size, k))).toBe(true);
      }
    }
  });

  it('the chance that any committee is captured is 1 - (1 - p)^shards, at least p, and a probability', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 10, max: 20_000 }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.constantFrom(1 / 3, 1 / 2, 2 / 3),
        fc.integer({ min: 1, max: 256 }),
        (validators, f, threshold, shards) => {
          const r = committeeRisk(validators, f, threshold, shards);
          expect(r.perCommittee).toBeGreaterThanOrEqual(0);
          expect(r.anyCommittee).toBeLessThanOrEqual(1);
          expect(r.anyCommittee).toBeGreaterThanOrEqual(r.perCommittee * (1 - 1e-12));
          if (r.perCommittee > 1e-6 && r.perCommittee < 1) {
            const want = 1 - (1 - r.perCommittee) ** shards;
            expect(Math.abs(r.anyCommittee - want)).toBeLessThanOrEqual(1e-9);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('with no adversaries the risk is zero for any positive threshold', () => {
    for (const shards of [1, 2, 16, 100]) {
      const r = committeeRisk(1000, 0, 1 / 3, shards);
      expect(r.perCommittee).toBe(0);
      expect(r.anyCommittee).toBe(0);
    }
  });
});

describe('lnGamma', () => {
  it('matches ln((n - 1)!) for every integer n from 1 to 170', () => {
    let fact = 1n; // (n - 1)!
    for (let n = 1; n <= 170; n++) {
      if (n > 1) fact *= BigInt(n - 1);
      const want = Math.log(Number(fact));
      const got = lnGamma(n);
      expect(Math.abs(got - want), `n=${n}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(want)));
    }
  });

  it('gives ln Γ(1/2) = ln √π and satisfies Γ(x + 1) = x Γ(x)', () => {
    expect(lnGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 1000, noNaN: true }), (x) => {
        const diff = lnGamma(x + 1) - lnGamma(x) - Math.log(x);
        expect(Math.abs(diff)).toBeLessThanOrEqual(1e-10 * Math.max(1, Math.abs(lnGamma(x + 1))));
      }),
      { numRuns: 200 },
    );
  });
});
