/**
 * Test-only faults for the end-of-run checks (invariants.ts). Each breaks one
 * shard's end-of-run account the way a bug in the shards or the transport
 * would show in it, so a test can make every check fire and see it name the
 * invariant, the shard and the slot. A real run passes none: the run applies
 * one, if given, once to the summaries the checks read, never in a slot loop.
 */
import type { ShardCounters, ShardSummary } from '../crosslink/transport.js';

export type InvariantFaultKind =
  /** A hosted contract mints a token out of nothing ("contract conservation"). */
  | 'contract-mints'
  /** A receipt applied without a proven admission ("every applied receipt proven"). */
  | 'unproven-receipt'
  /** A batch's receipt admitted and applied a second time ("exactly-once", the shard's own count). */
  | 'receipt-applied-twice'
  /** A receipt emitted (its value debited) that no header announced and nobody applies ("exactly-once", over all shards). */
  | 'receipt-lost'
  /** Value credited out of nothing ("supply conservation"). */
  | 'supply-created'
  /** A transaction generated for the shard that it neither accepted nor dropped ("no transaction lost", the shard's own count). */
  | 'transaction-lost-at-submission'
  /** An accepted transaction that never completes and is nowhere pending ("no transaction lost", over all shards). */
  | 'transaction-lost-in-flight';

export const INVARIANT_FAULT_KINDS: readonly InvariantFaultKind[] = [
  'contract-mints',
  'unproven-receipt',
  'receipt-applied-twice',
  'receipt-lost',
  'supply-created',
  'transaction-lost-at-submission',
  'transaction-lost-in-flight',
];

export interface InvariantFault {
  readonly kind: InvariantFaultKind;
  readonly shard: number;
}

/** The summaries with `fault` applied to its shard's account (copies; the others as they are). */
export function withInvariantFault(summaries: readonly ShardSummary[], fault: InvariantFault): ShardSummary[] {
  return summaries.map((s) => (s.shard === fault.shard ? broken(s, fault.kind) : s));
}

function broken(s: ShardSummary, kind: InvariantFaultKind): ShardSummary {
  const c = s.counters;
  const counters = (change: Partial<ShardCounters>): ShardCounters => ({ ...c, ...change });
  switch (kind) {
    case 'contract-mints':
      return { ...s, contractDrift: { ...s.contractDrift, 'token@0 supply': 1 } };
    case 'unproven-receipt':
      return {
        ...s,
        balanceSum: s.balanceSum + 1,
        counters: counters({ receiptsApplied: c.receiptsApplied + 1, receiptValueApplied: c.receiptValueApplied + 1 }),
      };
    case 'receipt-applied-twice':
      return {
        ...s,
        balanceSum: s.balanceSum + 1,
        counters: counters({
          admittedReceipts: c.admittedReceipts + 1,
          receiptsApplied: c.receiptsApplied + 1,
          receiptValueApplied: c.receiptValueApplied + 1,
        }),
      };
    case 'receipt-lost':
      return {
        ...s,
        balanceSum: s.balanceSum - 1,
        counters: counters({ receiptsEmitted: c.receiptsEmitted + 1, receiptValueEmitted: c.receiptValueEmitted + 1 }),
      };
    case 'supply-created':
      return { ...s, balanceSum: s.balanceSum + 1 };
    case 'transaction-lost-at-submission':
      return { ...s, counters: counters({ submitted: c.submitted - 1 }) };
    case 'transaction-lost-in-flight':
      return { ...s, counters: counters({ completed: c.completed - 1 }) };
  }
}
