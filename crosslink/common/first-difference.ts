/**
 * The first key path at which two JSON values differ, for messages such as
 * "the scenario differs at workload.rate (was 1000, now 2000)". Keys are
 * visited in sorted order so the answer does not depend on key order.
 */
export interface Difference {
  /** Dot-separated key path ("(top level)" for the values themselves). */
  readonly path: string;
  /** The values there, as short JSON ("absent" when one side lacks the key). */
  readonly was: string;
  readonly now: string;
}

export function firstDifference(was: unknown, now: unknown, path: readonly string[] = []): Difference | undefined {
  if (Object.is(was, now)) return undefined;
  const bothObjects = was !== null && now !== null && typeof was === 'object' && typeof now === 'object' && Array.isArray(was) === Array.isArray(now);
  if (bothObjects) {
    const a = was as Record<string, unknown>;
    const b = now as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort((x, y) => (Array.isArray(was) ? Number(x) - Number(y) : x < y ? -1 : x > y ? 1 : 0));
    for (const k of keys) {
      if (!Object.hasOwn(a, k) || !Object.hasOwn(b, k)) {
        return { path: [...path, k].join('.'), was: Object.hasOwn(a, k) ? show(a[k]) : 'absent', now: Object.hasOwn(b, k) ? show(b[k]) : 'absent' };
      }
      const d = firstDifference(a[k], b[k], [...path, k]);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  return { path: path.length === 0 ? '(top level)' : path.join('.'), was: show(was), now: show(now) };
}

/** "at workload.rate (was 1000, now 2000)" */
export function describeDifference(d: Difference): string {
  return `at ${d.path} (was ${d.was}, now ${d.now})`;
}

function show(v: unknown): string {
  const s = v === undefined ? 'absent' : (JSON.stringify(v) ?? String(v));
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
