/**
 * A run's figures by workload kind (`byKind` in results): what the
 * controller generated in the measured window, named from each envelope,
 * beside what the shards report completed, named from the item that
 * completed it. Both follow one rule (shards/kind-of.ts), so a kind's
 * completions are its own offers' completions.
 */
import type { ShardSummary } from '../crosslink/transport.js';
import type { UserTx } from '../crosslink/tx.js';
import type { ContractSpec } from '../shards/contracts/contract.js';
import { kindOfTx } from '../shards/kind-of.js';
import type { KindFigures } from './results.js';

/** The controller's count of generated transactions by kind. */
export class OfferedByKind {
  private readonly contracts: ReadonlyMap<number, ContractSpec>;
  private readonly counts = new Map<string, number>();

  constructor(contracts: readonly ContractSpec[]) {
    this.contracts = new Map(contracts.map((c) => [c.id, c]));
  }

  /** Counts one generated transaction if it is of the window; a kind seen only outside it still appears, with zeros. */
  offer(tx: UserTx, inWindow: boolean): void {
    const kind = kindOfTx(tx, this.contracts);
    const n = this.counts.get(kind);
    if (inWindow) this.counts.set(kind, (n ?? 0) + 1);
    else if (n === undefined) this.counts.set(kind, 0);
  }

  /** Kind -> offered in the window, for every kind the run generated. */
  entries(): IterableIterator<[string, number]> {
    return this.counts.entries();
  }
}

/** Every kind the run generated, keys sorted (results enter digests): offered by the controller, completed and failed summed over the shards. */
export function byKindOf(offered: OfferedByKind, summaries: readonly ShardSummary[]): Record<string, KindFigures> {
  const sums = new Map<string, { offered: number; completed: number; failed: number }>();
  const at = (kind: string) => {
    let f = sums.get(kind);
    if (f === undefined) sums.set(kind, (f = { offered: 0, completed: 0, failed: 0 }));
    return f;
  };
  for (const [kind, n] of offered.entries()) at(kind).offered = n;
  for (const s of summaries) {
    for (const [kind, c] of Object.entries(s.byKind)) {
      const f = at(kind);
      f.completed += c.completed;
      f.failed += c.failed;
    }
  }
  const out: Record<string, KindFigures> = {};
  for (const kind of [...sums.keys()].sort()) out[kind] = sums.get(kind)!;
  return out;
}
