/**
 * Reconciles a faulty run's forged batches (by kind) with what the honest
 * inboxes did with them (rejections by reason, duplicates dropped): every
 * forgery must be caught, and no rejection may lack a forgery to explain it.
 *
 * The inbox counts by reason, not by kind, so each kind's share of a reason
 * is attributed, fate by fate: unfinalized forgeries take bad-proof before
 * not-committed, replays not-committed before duplicates. When the counts
 * allow several splits (an unfinalized forgery refused not-committed in
 * place of a replay, that replay then dropped in place of one of the plan's
 * duplicates), this picks one; the totals, and so the verdict, are the same
 * for every split. Where a forgery kind ends follows from the forger (shards/byzantine.ts) and the
 * inbox (crosslink/inbox.ts, crosslink/batch.ts verifyBatch):
 *  - inflate, absent, bad-header: the batch leaf no longer proves against the
 *    crosslinked receipts root, `bad-proof`.
 *  - unfinalized: held until the block it claims is final, then `bad-proof`
 *    against that block's header, or `not-committed` when that block sent
 *    nothing to this shard.
 *  - replay: a valid copy of a batch already sent, so dropped as a duplicate
 *    (faults.duplicateBatches), or `not-committed` when the inbox no longer
 *    remembers the original (crosslink/admitted-record.ts).
 * No forgery produces `wrong-source`, `wrong-destination` or `malformed`.
 * faults.duplicateBatches also counts the fault plan's own duplicate
 * deliveries (faults.duplicateRatio): what the replays leave is those.
 */
import type { ForgeryKind } from '../../../crosslink/fault-plan.js';
import type { RejectReason } from '../../../crosslink/inbox.js';
import type { RunResult } from '../../results.js';

/** Where a caught forgery ends: a rejection reason, or dropped as a duplicate. */
export type Outcome = Extract<RejectReason, 'bad-proof' | 'not-committed'> | 'duplicate';

export const OUTCOMES: readonly Outcome[] = ['bad-proof', 'not-committed', 'duplicate'];

/** The forgery kinds that end alike, in the order they are attributed. */
interface Fate {
  readonly kinds: readonly ForgeryKind[];
  /** The outcomes it may end in, in the order they are attributed. */
  readonly outcomes: readonly Outcome[];
  readonly expected: string;
}

// Typed by ForgeryKind: a kind added to the forger without a fate here fails the typecheck.
const FATE_OF: Readonly<Record<ForgeryKind, number>> = { inflate: 0, absent: 0, 'bad-header': 0, unfinalized: 1, replay: 2 };

const FATES: readonly Fate[] = [
  {
    kinds: ['inflate', 'absent', 'bad-header'],
    outcomes: ['bad-proof'],
    expected: 'rejected, bad-proof: the batch no longer proves against the crosslinked receipts root',
  },
  {
    kinds: ['unfinalized'],
    outcomes: ['bad-proof', 'not-committed'],
    expected: 'held until the block it claims is final, then rejected: bad-proof, or not-committed when that block sent nothing here',
  },
  {
    kinds: ['replay'],
    // not-committed first: after the unfinalized forgeries only replays explain it, while
    // duplicates also count the plan's own duplicate deliveries.
    outcomes: ['not-committed', 'duplicate'],
    expected: 'dropped as a duplicate (its proof still holds), or rejected not-committed once the inbox has forgotten the original',
  },
];

export interface FateRow {
  /** The kinds of the row with their forged counts (every kind of the fate, zeros included). */
  readonly kinds: ReadonlyArray<{ readonly kind: string; readonly forged: number }>;
  readonly forged: number;
  readonly expected: string;
  /** Attributed outcomes (only those with a count). */
  readonly caught: Readonly<Partial<Record<Outcome, number>>>;
  readonly caughtTotal: number;
  /** forged - caughtTotal: above 0, forgeries no count accounts for. */
  readonly difference: number;
}

export interface FaultReconciliation {
  readonly forged: number;
  readonly forgedByKind: Readonly<Record<string, number>>;
  /** Batches rejected, every reason. */
  readonly rejected: number;
  readonly rejectedByReason: Readonly<Record<string, number>>;
  /** faults.duplicateBatches: replays and the plan's duplicate deliveries together. */
  readonly duplicates: number;
  readonly rows: readonly FateRow[];
  /** Rejections no forgery explains, by reason. */
  readonly unexplained: Readonly<Record<string, number>>;
  readonly unexplainedTotal: number;
  /** Duplicates dropped beyond the replays': the fault plan's duplicate deliveries. */
  readonly otherDuplicates: number;
  /** The plan's duplicate share, when known: with 0, no duplicate beyond the replays may appear. */
  readonly duplicateRatio: number | undefined;
  /** Forged batches caught: rejected, or replays dropped as duplicates. */
  readonly caught: number;
  readonly rejectedAsExpected: number;
  readonly replaysDropped: number;
  /** Forged batches no count accounts for. */
  readonly missing: number;
  /** Every forgery caught, every rejection explained, no duplicate the plan did not inject. */
  readonly ok: boolean;
  /** What does not reconcile, in words (empty when ok). */
  readonly problems: readonly string[];
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** The fault plan's duplicate share for a run: a sweep axis's value, else the scenario's, else unknown. */
export function duplicateRatioOf(run: RunResult, config: unknown): number | undefined {
  const axis = run.params['faults.duplicateRatio'];
  if (typeof axis === 'number') return axis;
  const faults = (config as { faults?: { duplicateRatio?: unknown } } | undefined)?.faults;
  return typeof faults?.duplicateRatio === 'number' ? faults.duplicateRatio : undefined;
}

export function reconcileFaults(faults: NonNullable<RunResult['faults']>, duplicateRatio?: number): FaultReconciliation {
  const forgedByKind = faults.forgedBatches;
  const rejectedByReason = faults.rejectedBatchesByReason;
  const sum = (r: Readonly<Record<string, number>>): number => Object.values(r).reduce((a, b) => a + b, 0);
  // What each outcome has left to attribute, taken fate by fate in order.
  const left: Record<Outcome, number> = {
    'bad-proof': rejectedByReason['bad-proof'] ?? 0,
    'not-committed': rejectedByReason['not-committed'] ?? 0,
    duplicate: faults.duplicateBatches,
  };
  const rows: FateRow[] = FATES.map((fate) => {
    const kinds = fate.kinds.map((kind) => ({ kind, forged: forgedByKind[kind] ?? 0 }));
    const forged = kinds.reduce((a, k) => a + k.forged, 0);
    const caught: Partial<Record<Outcome, number>> = {};
    let need = forged;
    for (const outcome of fate.outcomes) {
      const take = Math.min(need, left[outcome]);
      if (take > 0) caught[outcome] = take;
      left[outcome] -= take;
      need -= take;
    }
    return { kinds, forged, expected: fate.expected, caught, caughtTotal: forged - need, difference: need };
  });
  // A kind the forger does not make (results from another version): nothing says how it is caught.
  for (const [kind, n] of Object.entries(forgedByKind)) {
    if (kind in FATE_OF || n === 0) continue;
    rows.push({ kinds: [{ kind, forged: n }], forged: n, expected: 'no rule says how this kind is caught', caught: {}, caughtTotal: 0, difference: n });
  }
  const unexplained: Record<string, number> = {};
  for (const [reason, n] of Object.entries(rejectedByReason)) {
    const rest = reason === 'bad-proof' || reason === 'not-committed' ? left[reason] : n;
    if (rest > 0) unexplained[reason] = rest;
  }
  const forged = sum(forgedByKind);
  const rejected = sum(rejectedByReason);
  const caught = rows.reduce((a, r) => a + r.caughtTotal, 0);
  const replaysDropped = rows.reduce((a, r) => a + (r.caught.duplicate ?? 0), 0);
  const unexplainedTotal = sum(unexplained);
  const otherDuplicates = left.duplicate;
  const problems: string[] = [];
  for (const row of rows) {
    if (row.difference <= 0) continue;
    const kinds = row.kinds.filter((k) => k.forged > 0).map((k) => k.kind);
    problems.push(`${plural(row.difference, 'forged batch', 'forged batches')} of kind ${kinds.join('/')} not caught as expected (${row.expected})`);
  }
  if (unexplainedTotal > 0) {
    const reasons = Object.entries(unexplained).map(([r, n]) => `${r} ${n.toLocaleString('en-US')}`);
    problems.push(`${plural(unexplainedTotal, 'rejection')} no forgery explains (${reasons.join(', ')})`);
  }
  if (duplicateRatio === 0 && otherDuplicates > 0) {
    problems.push(`${plural(otherDuplicates, 'duplicate')} dropped beyond the replays, yet the fault plan delivers no duplicates (duplicateRatio 0)`);
  }
  const missing = forged - caught;
  return {
    forged,
    forgedByKind,
    rejected,
    rejectedByReason,
    duplicates: faults.duplicateBatches,
    rows,
    unexplained,
    unexplainedTotal,
    otherDuplicates,
    duplicateRatio,
    caught,
    rejectedAsExpected: caught - replaysDropped,
    replaysDropped,
    missing,
    ok: problems.length === 0,
    problems,
  };
}

/** The reconciliation in one sentence: the verdict a reader checks first. */
export function faultVerdict(rec: FaultReconciliation): string {
  const reasons = Object.entries(rec.rejectedByReason)
    .filter(([, n]) => n > 0)
    .map(([r, n]) => `${n.toLocaleString('en-US')} ${r}`)
    .join(', ');
  if (rec.forged === 0 && rec.rejected === 0) return 'No batch was forged and none was rejected.';
  if (rec.ok) {
    const parts = [`${plural(rec.rejectedAsExpected, 'rejected', 'rejected')}${reasons ? ` (${reasons})` : ''}`];
    if (rec.replaysDropped > 0) parts.push(`${plural(rec.replaysDropped, 'replay')} dropped as duplicates`);
    const all = rec.forged === 1 ? 'The one forged batch was caught' : `All ${rec.forged.toLocaleString('en-US')} forged batches were caught`;
    return `${all}: ${parts.join(', ')}.`;
  }
  return `Discrepancy: ${rec.caught.toLocaleString('en-US')} of ${plural(rec.forged, 'forged batch', 'forged batches')} accounted for; ${rec.problems.join('; ')}.`;
}
