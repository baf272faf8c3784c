/**
 * What the HTML report and the terminal summary table have in common: the
 * chart palette and the number formatting. The browser-side client gets the
 * palette and the scenario's goal from the page (see page-data.ts).
 */

/** A value a sweep axis takes: a number (threads, accounts) or a name (executor). */
export type AxisValue = number | string;

/** Line colours for unordered series (executors, labels, workload kinds), cycled when there are more. */
export const CATEGORICAL: readonly string[] = ['#2f6fdb', '#d9544f', '#2a9d6f', '#9a5bd3', '#e69b2e', '#3bb5c9', '#7a7f8c', '#c75a9b'];

/**
 * Ordered values (accounts 2 .. 10,000) get an ordered run of hues, cool to
 * warm, each dark enough to read on white and far enough from its neighbours
 * to tell apart; five or fewer values use the wider-spaced short run.
 */
export const ORDERED_SHORT: readonly string[] = ['#3b2a98', '#1b8fb0', '#3f9a36', '#e8850c', '#c62f3a'];
export const ORDERED_LONG: readonly string[] = ['#3b2a98', '#2f6fdb', '#1b9ea0', '#3f9a36', '#b8a000', '#e8850c', '#d1353b', '#8e2a6b'];

/** What a cell shows for a figure that is not a finite number: a hyphen in the terminal. */
export const MISSING = '-';

/**
 * Integer with comma thousands separators; done by hand so output does not
 * depend on the ICU locale. `missing` stands in for a non-finite figure.
 */
export function thousands(n: number, missing: string = MISSING): string {
  if (!Number.isFinite(n)) return missing;
  const rounded = Math.round(n);
  const digits = String(Math.abs(rounded)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return rounded < 0 ? `-${digits}` : digits;
}

export function fixed(n: number, digits: number, missing: string = MISSING): string {
  return Number.isFinite(n) ? n.toFixed(digits) : missing;
}

/** Failure probabilities span many orders of magnitude, so scientific notation (1.2e-5); 0 kept plain. */
export function scientific(n: number, digits: number, missing: string = MISSING): string {
  if (!Number.isFinite(n)) return missing;
  return n === 0 ? '0' : n.toExponential(digits);
}

/** Abort rates span 0.0001 to tens: three significant digits, 0 kept plain. */
export function formatRate(n: number): string {
  if (!Number.isFinite(n)) return MISSING;
  if (n === 0) return '0';
  return n >= 100 ? n.toFixed(0) : n.toPrecision(3);
}
