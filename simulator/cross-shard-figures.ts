/**
 * A run's cross-shard protocol figures (results.json `crossShard`): what the
 * protocol delivered and what it cost, in the terms the protocols are
 * compared by (docs/protocols.md): committed throughput beside the raw one,
 * messages and bytes a cross-shard transaction, aborts, locks held, broker
 * liquidity.
 */
import type { ShardSummary } from '../crosslink/transport.js';
import type { Scenario } from './config/schema.js';
import { sumCounters } from './counter-sums.js';
import type { SlotTotals } from './slot-totals.js';

export interface CrossShardFigures {
  readonly protocol: string;
  /** Completions of the window that did not fail (a lock abort, a refund, a failed call), per simulated second. */
  readonly committedTps: number;
  /** Of the window's completions, the share that failed. */
  readonly failedShare: number;
  /** Cross-shard messages (receipts of every kind) the window's blocks sent, per transaction they sent on to another shard. */
  readonly messagesPerCrossTx: number;
  /** Their bytes as they travel (proofs included), per transaction the window's blocks sent on to another shard. */
  readonly bytesPerCrossTx: number;
  /** lock-2pc: transactions refused because their sender was locked (the whole run), locks taken, and the mean slots a released lock was held (null: none released). */
  readonly locks: { readonly aborts: number; readonly taken: number; readonly meanHeldSlots: number | null };
  /** broker: brokers, payouts made, payout attempts that found their broker dry, payouts returned to their sender (the whole run); null under other protocols. */
  readonly broker: { readonly brokers: number; readonly paid: number; readonly dry: number; readonly returned: number } | null;
}

export function crossShardFigures(sc: Scenario, summaries: readonly ShardSummary[], totals: SlotTotals): CrossShardFigures {
  const c = sumCounters(summaries, [
    'completedInWindow',
    'failedInWindow',
    'crossSentInWindow',
    'lockAborts',
    'locksTaken',
    'locksReleased',
    'lockHeldSlots',
    'brokerPaid',
    'brokerDry',
    'brokerReturned',
  ]);
  const seconds = sc.slots.measure * sc.slotSeconds;
  const protocol = sc.crossShard.protocol;
  return {
    protocol,
    committedTps: (c.completedInWindow - c.failedInWindow) / seconds,
    failedShare: c.completedInWindow > 0 ? c.failedInWindow / c.completedInWindow : 0,
    messagesPerCrossTx: c.crossSentInWindow > 0 ? totals.sum('receiptsSent') / c.crossSentInWindow : 0,
    bytesPerCrossTx: c.crossSentInWindow > 0 ? totals.sum('receiptBytes') / c.crossSentInWindow : 0,
    locks: { aborts: c.lockAborts, taken: c.locksTaken, meanHeldSlots: c.locksReleased > 0 ? c.lockHeldSlots / c.locksReleased : null },
    broker: protocol === 'broker' ? { brokers: sc.crossShard.broker.count, paid: c.brokerPaid, dry: c.brokerDry, returned: c.brokerReturned } : null,
  };
}
