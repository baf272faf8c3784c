import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unitOpen } from '../../../crosslink/network/keyed-draw.js';
import { MIN_PARETO_SHAPE } from '../../../crosslink/network/latency-draw.js';
import { estimateUnitPower, POWER_ESTIMATE_ERROR, PowerTables, TABLE_POWER_ERROR } from '../../../crosslink/network/power-estimate.js';

function relativeError(h: number, y: number): number {
  const exact = unitOpen(h) ** y;
  return Math.abs(estimateUnitPower(h, y) - exact) / exact;
}

describe('estimateUnitPower', () => {
  it('is within its declared relative error of the exact power, for every hash and exponent of a Pareto draw', () => {
    fc.assert(
      fc.property(fc.nat({ max: 0xffff_ffff }), fc.double({ min: -1 / MIN_PARETO_SHAPE, max: 0, noNaN: true }), (h, y) => {
        expect(relativeError(h, y)).toBeLessThanOrEqual(POWER_ESTIMATE_ERROR);
      }),
      { numRuns: 20_000 },
    );
  });

  it('holds at the edges: the smallest and largest hashes, powers of two, the steepest and flattest exponents', () => {
    const hashes = [0, 1, 2, 3, 1023, 1024, 1025, 0x7fff_ffff, 0x8000_0000, 0xffff_fffe, 0xffff_ffff];
    for (let b = 0; b < 32; b++) hashes.push(2 ** b, 2 ** b - 1, 2 ** b + 1);
    for (const h of hashes) {
      for (const y of [-0.5, -0.4999, -1 / 2.2, -1 / 6.4, -1 / 65, -1e-6, -0]) {
        expect(relativeError(h >>> 0, y), `h ${h}, y ${y}`).toBeLessThanOrEqual(POWER_ESTIMATE_ERROR);
      }
    }
  });
});

describe('PowerTables', () => {
  function tableError(scale: number, h: number, y: number): number {
    const exact = scale * unitOpen(h) ** y;
    return Math.abs(new PowerTables(Float64Array.of(1, scale), Float64Array.of(-0.5, y)).estimate(1, h) - exact) / exact;
  }

  it('is within its declared relative error of scale × u^y, for every hash and exponent of a Pareto draw', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 0xffff_ffff }),
        fc.double({ min: -1 / MIN_PARETO_SHAPE, max: 0, noNaN: true }),
        fc.double({ min: 0.01, max: 1e4, noNaN: true }),
        (h, y, scale) => {
          expect(tableError(scale, h, y)).toBeLessThanOrEqual(TABLE_POWER_ERROR);
        },
      ),
      { numRuns: 5_000 },
    );
  });

  it('holds at the edges: the hashes where a table point or an octave starts or ends, the steepest and flattest exponents', () => {
    const hashes = [0, 1, 255, 256, 257, 0x7fff_ffff, 0x8000_0000, 0xffff_fffe, 0xffff_ffff];
    for (let b = 0; b < 32; b++) hashes.push(2 ** b, 2 ** b - 1, 2 ** b + 1);
    // Just below each table point of the top octave, where r is largest.
    for (let i = 1; i < 256; i++) hashes.push(0x8000_0000 + i * 2 ** 23 - 1);
    for (const h of hashes) {
      for (const y of [-0.5, -0.4999, -1 / 2.2, -1 / 6.4, -1 / 65, -1e-6, -0]) {
        expect(tableError(119.04, h >>> 0, y), `h ${h}, y ${y}`).toBeLessThanOrEqual(TABLE_POWER_ERROR);
      }
    }
  });
});
