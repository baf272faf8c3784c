/**
 * One reusable buffer for the arrival matrices (m × m numbers, 128 KB at
 * m = 128), so timing a block allocates no large array. Safe because a
 * protocol fills and reads it within one synchronous call.
 */
let buffer = new Float64Array(0);

/** A buffer of at least `size` numbers; its contents are whatever the last caller left. */
export function scratch(size: number): Float64Array {
  if (buffer.length < size) buffer = new Float64Array(Math.max(size, buffer.length * 2));
  return buffer;
}
