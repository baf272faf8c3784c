/**
 * A float64 read off a wire or out of a typed array, as a small integer
 * where it is one. V8 stores an object field that has only seen small
 * integers in place, but one written from a float64 load becomes a "double"
 * field, boxed in a heap number of its own: every decoded transaction or
 * receipt then carried a dozen extra allocations. -0 stays a double (a wire
 * keeps every value exactly).
 */
export function smallIntOr(x: number): number {
  const n = x | 0;
  return n === x && (n !== 0 || 1 / x > 0) ? n : x;
}
