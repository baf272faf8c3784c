/**
 * The security side of the trade-off: validators are shuffled into one
 * committee per shard each epoch; more shards means smaller committees and a
 * higher chance that one of them has enough adversarial members to break its
 * consensus. Per committee that is a hypergeometric tail (the analysis of
 * OmniLedger, Kokoris-Kogias et al. 2018, and RapidChain, Zamani et al. 2018).
 */

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; ~15 significant digits). */
export function lnGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
    9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const z = x - 1;
  let a = c[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

function lnChoose(n: number, k: number): number {
  return lnGamma(n + 1) - lnGamma(k + 1) - lnGamma(n - k + 1);
}

/** P(X >= k) for X ~ Hypergeometric(population, successes, draws). */
export function hypergeometricTail(population: number, successes: number, draws: number, k: number): number {
  const lo = Math.max(0, draws - (population - successes));
  const hi = Math.min(draws, successes);
  if (k <= lo) return 1;
  if (k > hi) return 0;
  const N = population;
  const K = successes;
  const n = draws;
  const pmfAt = (x: number): number => Math.exp(lnChoose(K, x) + lnChoose(N - K, n - x) - lnChoose(N, n));
  // Sum the side of k away from the mode, where terms shrink geometrically:
  // starting at a term that underflows must mean the sum is negligible, never
  // that the mass on the far side of the mode was lost.
  const mode = Math.floor(((n + 1) * (K + 1)) / (N + 2));
  if (k > mode) {
    let pmf = pmfAt(k);
    let sum = 0;
    for (let x = k; x <= hi; x++) {
      sum += pmf;
      pmf *= ((K - x) * (n - x)) / ((x + 1) * (N - K - n + x + 1));
      if (pmf < sum * 1e-17) break;
    }
    return Math.min(1, sum);
  }
  let pmf = pmfAt(k - 1);
  let lower = 0;
  for (let x = k - 1; x >= lo; x--) {
    lower += pmf;
    pmf *= (x * (N - K - n + x)) / ((K - x + 1) * (n - x + 1));
    if (pmf < lower * 1e-17) break;
  }
  return Math.max(0, 1 - lower);
}

export interface CommitteeRisk {
  readonly committeeSize: number;
  /** P(one given committee reaches the threshold). */
  readonly perCommittee: number;
  /** P(at least one of the shards' committees does), treating committees as independent. */
  readonly anyCommittee: number;
}

/**
 * The risk of `shards` committees of `size` members each (default: the validators split over the shards), each a
 * random sample of the validators.
 */
export function committeeRisk(
  validators: number,
  adversaryFraction: number,
  threshold: number,
  shards: number,
  size: number = Math.floor(validators / shards),
): CommitteeRisk {
  if (size === 0) return { committeeSize: 0, perCommittee: 1, anyCommittee: 1 };
  const adversaries = Math.floor(adversaryFraction * validators);
  const k = Math.ceil(threshold * size - 1e-9);
  const p = hypergeometricTail(validators, adversaries, size, k);
  // 1 - (1 - p)^shards without cancellation for tiny p.
  const any = p >= 1 ? 1 : -Math.expm1(shards * Math.log1p(-p));
  return { committeeSize: size, perCommittee: p, anyCommittee: any };
}
