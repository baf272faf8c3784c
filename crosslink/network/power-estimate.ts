/**
 * A cheap estimate of a latency draw's power u^y (latency-draw.ts: a Pareto
 * draw is scale × u^(−1/shape)), within a known relative error. Math.pow is
 * the cost of a committee's m² votes (about 50-90 ns a call, five times this
 * estimate); the consensus timings use the estimate to find which votes
 * decide a quorum's order statistic and draw only those exactly, so no
 * figure ever comes from the estimate.
 *
 * u^y = exp(y · ln u), u = (h + 0.5) / 2^32 for a 32-bit hash h:
 * - ln u = (n − 32) ln 2 + ln f, where h + 0.5 = 2^n f with f in [1, 2);
 *   ln f = ln f0 + ln(1 + r) with f0 = 1 + i/1024 from a table and
 *   r = (f − f0) / f0 < 2^-10, ln(1 + r) ≈ r − r²/2 + r³/3 (error < r⁴/4 < 2.4e-13);
 * - exp(z) = 2^(k/64) · exp(w), k = round(z · 64 / ln 2), |w| ≤ ln 2 / 128,
 *   exp(w) ≈ 1 + w + w²/2 + w³/6 (relative error < w⁴/24 < 3.6e-11).
 * With |y| ≤ 1/2 (shapes of at least 2: MIN_PARETO_SHAPE) the estimate's
 * relative error is below 4e-11 plus a few rounding units (the tests find
 * 3.6e-11 at most); it is declared as POWER_ESTIMATE_ERROR = 1e-10.
 */

/** The estimate's relative error bound: |estimate − u^y| ≤ POWER_ESTIMATE_ERROR × u^y for y in [−1/2, 0]. */
export const POWER_ESTIMATE_ERROR = 1e-10;

const TABLE_BITS = 10;
const TABLE = 1 << TABLE_BITS;
/** LN_F0[i] = ln(1 + i/1024); INV_F0[i] = 1 / (1 + i/1024). */
const LN_F0 = new Float64Array(TABLE);
const INV_F0 = new Float64Array(TABLE);
for (let i = 0; i < TABLE; i++) {
  LN_F0[i] = Math.log1p(i / TABLE);
  INV_F0[i] = 1 / (1 + i / TABLE);
}
/** NORMALIZE[n + 1] = 2^-n for n in −1..31: brings h + 0.5 into [1, 2). */
const NORMALIZE = Float64Array.from({ length: 33 }, (_, i) => 2 ** -(i - 1));
/** EXP2_64[j] = 2^(j/64); POW2[i] = 2^i. */
const EXP2_64 = Float64Array.from({ length: 64 }, (_, j) => 2 ** (j / 64));
const POW2 = Float64Array.from({ length: 64 }, (_, i) => 2 ** i);
const STEP = Math.LN2 / 64;
const INV_STEP = 64 / Math.LN2;

/**
 * Estimates unitOpen(h) ** y = ((h + 0.5) / 2^32) ** y for a 32-bit hash
 * `h` and an exponent `y` in [−1/2, 0], within POWER_ESTIMATE_ERROR.
 */
export function estimateUnitPower(h: number, y: number): number {
  // h + 0.5 = 2^n × f, f in [1, 2): n = floor(log2 h) for h >= 1, and -1 for h = 0.
  const n = h === 0 ? -1 : 31 - Math.clz32(h);
  const f = (h + 0.5) * NORMALIZE[n + 1]!;
  const i = ((f - 1) * TABLE) | 0;
  const r = (f - 1 - i / TABLE) * INV_F0[i]!;
  const lnU = (n - 32) * Math.LN2 + LN_F0[i]! + r * (1 - r * (0.5 - r / 3));
  // z = y ln u >= 0 (at most 0.5 × 33 ln 2 < 11.5), so k >= 0 and k >> 6 <= 16.
  const z = y * lnU;
  const k = (z * INV_STEP + 0.5) | 0;
  const w = z - k * STEP;
  return POW2[k >> 6]! * EXP2_64[k & 63]! * (1 + w * (1 + w * (0.5 + w / 6)));
}

/**
 * A coarser estimate of unitOpen(h) ** y for one fixed y in [−1/2, 0], from
 * two small tables and a linear term: about half estimateUnitPower's work,
 * for the m² vote latencies of every block (where 1e-5 is as good as 1e-10:
 * the consensus timings draw exactly the few votes within a few times the
 * error of a quorum's order statistic, and at 1e-5 that is still about one
 * a row).
 *
 * With h + 0.5 = 2^n × f0 × (1 + r), f0 = 1 + i/256 the table point below f
 * (so 0 <= r < 2^-8): u^y = 2^(y(n − 32)) × f0^y × (1 + r)^y, and
 * (1 + r)^y = 1 + y·r + R with |R| <= y(y − 1)/2 × r² <= 0.375 × 2^-16 <
 * 5.8e-6 (relative, as (1 + r)^y > 0.998); the tables' Math.pow and the few
 * products add rounding units. Declared as TABLE_POWER_ERROR = 1e-5. Below
 * h = 256 (one draw in 16 million) f's table point needs h's fraction, so
 * those go to estimateUnitPower.
 */
export const TABLE_POWER_ERROR = 1e-5;

const FRACTION_BITS = 8;
const FRACTIONS = 1 << FRACTION_BITS;
/** 2^-n for n in 0..31. */
const INV_POW2 = Float64Array.from({ length: 32 }, (_, n) => 2 ** -n);
/** 1 / (1 + i/256). */
const INV_POINT = Float64Array.from({ length: FRACTIONS }, (_, i) => 1 / (1 + i / FRACTIONS));

export class PowerTables {
  /** By pair: scale × 2^(y(n − 32)) at [pair × 32 + n], n the octave of h + 0.5. */
  private readonly octave: Float64Array;
  /** By pair: (1 + i/256)^y at [pair × 256 + i]. */
  private readonly point: Float64Array;
  private readonly scale: Float64Array;
  private readonly y: Float64Array;

  /**
   * Estimates scale[pair] × unitOpen(h) ** y[pair] for each pair (the region pairs of a model), in flat
   * arrays: a fan-out's loop over many pairs reads them without an object per pair.
   */
  constructor(scales: Float64Array, ys: Float64Array) {
    const pairs = scales.length;
    this.scale = Float64Array.from(scales);
    this.y = Float64Array.from(ys);
    this.octave = new Float64Array(pairs * 32);
    this.point = new Float64Array(pairs * FRACTIONS);
    for (let p = 0; p < pairs; p++) {
      const scale = scales[p]!;
      const y = ys[p]!;
      for (let n = 0; n < 32; n++) this.octave[p * 32 + n] = scale * 2 ** (y * (n - 32));
      for (let i = 0; i < FRACTIONS; i++) this.point[p * FRACTIONS + i] = (1 + i / FRACTIONS) ** y;
    }
  }

  /** scale × unitOpen(h) ** y of `pair` within TABLE_POWER_ERROR (relative), for a 32-bit hash h. */
  estimate(pair: number, h: number): number {
    if (h < FRACTIONS) return this.scale[pair]! * estimateUnitPower(h, this.y[pair]!);
    const n = 31 - Math.clz32(h);
    const i = (h >>> (n - FRACTION_BITS)) & (FRACTIONS - 1);
    const r = (h + 0.5) * INV_POW2[n]! * INV_POINT[i]! - 1;
    return this.octave[pair * 32 + n]! * this.point[pair * FRACTIONS + i]! * (1 + this.y[pair]! * r);
  }
}
