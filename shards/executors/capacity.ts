/**
 * Fitting a parallel block into the slot's time budget. A parallel
 * executor's makespan is only known by simulating, so the rule is: simulate
 * the whole gas-feasible candidate prefix; if it overruns the budget, search
 * for the largest prefix whose own simulation fits, starting from the
 * overrunning run's hint (how many items it had finished by the budget),
 * galloping outwards from there and then bisecting. That is O(log n)
 * simulations, usually two or three. Makespan need not be monotone in the
 * prefix length (scheduling anomalies), so the result is a prefix that fits
 * whose successor was probed and does not: the largest one the search can
 * vouch for, the same on every machine.
 */
export interface ProbeRun {
  /** Makespan in thread-gas. */
  readonly makespan: number;
  /** How many leading items this run had finished by `budget` thread-gas: a guess at the prefix that fits. */
  finishedBy(budget: number): number;
}

export interface FitResult<R> {
  readonly count: number;
  readonly run: R;
  readonly probes: number;
}

/** The largest prefix of `max` items whose simulation (`probe`) fits `budget` thread-gas; `probe(0)` must fit. */
export function fitPrefix<R extends ProbeRun>(max: number, budget: number, probe: (count: number) => R): FitResult<R> {
  let probes = 1;
  const full = probe(max);
  if (full.makespan <= budget || max === 0) return { count: max, run: full, probes };
  let lo = 0;
  let hi = max;
  let loRun: R | null = null;
  const tryAt = (q: number): boolean => {
    probes++;
    const r = probe(q);
    if (r.makespan <= budget) {
      lo = q;
      loRun = r;
      return true;
    }
    hi = q;
    return false;
  };
  const guess = Math.min(max - 1, Math.max(0, full.finishedBy(budget)));
  if (guess > 0) {
    if (tryAt(guess)) {
      for (let step = 1; lo + step < hi; step *= 2) if (!tryAt(lo + step)) break;
    } else {
      for (let step = 1; hi - step > lo; step *= 2) if (tryAt(hi - step)) break;
    }
  }
  while (hi - lo > 1) tryAt((lo + hi) >>> 1);
  if (loRun === null) {
    probes++;
    loRun = probe(0);
  }
  return { count: lo, run: loRun, probes };
}
