/**
 * The executor's figures of a run as the results lay them out, derived from
 * their table (shards/executors/exec-stats.ts): each under its name in
 * `execution`, or nested where its row's `result` says ("bound.raw").
 */
import { EXEC_STATS, type ExecStatField } from '../shards/executors/exec-stats.js';

type PathOf<F> = F extends { readonly result: infer P extends string } ? P : F extends { readonly name: infer N extends string } ? N : never;
type Paths = PathOf<(typeof EXEC_STATS)[number]>;
type Head<P extends string> = P extends `${infer H}.${string}` ? H : P;
type Leaf<P extends string, H extends string> = P extends `${H}.${infer L}` ? L : never;

/** The executor figures of results' `execution`, one per EXEC_STATS row. */
export type ExecFigures = { readonly [H in Head<Paths>]: H extends Paths ? number : { readonly [L in Leaf<Paths, H>]: number } };

/** Where a row's figure sits: a key of `execution`, and a key within it when nested. */
export function resultPathOf(f: ExecStatField): readonly [string, string | undefined] {
  const [head, leaf] = (f.result ?? f.name).split('.');
  return [head!, leaf];
}

/** The figures laid out in table order; `value(k)` gives row k's. */
export function layOutExecFigures(value: (k: number) => number): ExecFigures {
  const out: Record<string, number | Record<string, number>> = {};
  EXEC_STATS.forEach((f: ExecStatField, k) => {
    const [head, leaf] = resultPathOf(f);
    if (leaf === undefined) out[head] = value(k);
    else ((out[head] ??= {}) as Record<string, number>)[leaf] = value(k);
  });
  return out as unknown as ExecFigures;
}

/** Row `f`'s figure in laid-out figures. */
export function execFigureOf(figures: ExecFigures, f: ExecStatField): number {
  const [head, leaf] = resultPathOf(f);
  const at = (figures as unknown as Record<string, number | Record<string, number>>)[head]!;
  return leaf === undefined ? (at as number) : (at as Record<string, number>)[leaf]!;
}
