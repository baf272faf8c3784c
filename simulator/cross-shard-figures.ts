/**
 * A run's cross-shard protocol figures (results.json `crossShard`): what the
 * protocol delivered and what it cost, in the terms the protocols are
 * compared by (docs/protocols.md): committed throughput beside the raw one,
 * messages and bytes a cross-shard transaction, aborts, locks held, broker
 * liquidity.
 */
import type { ShardSummary } from '../crosslink/transport.js';
import type { Scenario } from './config/schema.js';
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
  let completed = 0;
  let failed = 0;
  let crossSent = 0;
  let aborts = 0;
  let taken = 0;
  let released = 0;
  let held = 0;
  let paid = 0;
  let dry = 0;
  let returned = 0;
  for (const s of summaries) {
    const c = s.counters;
    completed += c.completedInWindow;
    failed += c.failedInWindow;
    crossSent += c.crossSentInWindow;
    aborts += c.lockAborts;
    taken += c.locksTaken;
    released += c.locksReleased;
    held += c.lockHeldSlots;
    paid += c.brokerPaid;
    dry += c.brokerDry;
    returned += c.brokerReturned;
  }
  const seconds = sc.slots.measure * sc.slotSeconds;
  const protocol = sc.crossShard.protocol;
  return {
    protocol,
    committedTps: (completed - failed) / seconds,
    failedShare: completed > 0 ? failed / completed : 0,
    messagesPerCrossTx: crossSent > 0 ? totals.sum('receiptsSent') / crossSent : 0,
    bytesPerCrossTx: crossSent > 0 ? totals.sum('receiptBytes') / crossSent : 0,
    locks: { aborts, taken, meanHeldSlots: released > 0 ? held / released : null },
    broker: protocol === 'broker' ? { brokers: sc.crossShard.broker.count, paid, dry, returned } : null,
  };
}
