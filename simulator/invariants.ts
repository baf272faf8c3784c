/**
 * The end-of-run checks (docs/architecture.md, "Invariants checked at the
 * end of every run"). A violation throws an InvariantError naming the
 * invariant, the shard (for the checks a shard's own account settles; none
 * for those only the sums over all shards do) and the run's last slot, and
 * the run's figures are not written.
 */
import { InvariantError } from '../crosslink/common/errors.js';
import type { ShardSummary } from '../crosslink/transport.js';

export interface Ledger {
  /** The run's last slot: the checks read the accounts at its end. */
  readonly slot: number;
  readonly initialSupply: number;
  /** Per shard, transactions the workload generated for it (accepted or dropped by a full mempool). */
  readonly generated: readonly number[];
  /** Receipts of blocks the beacon has not finalized yet. */
  readonly unfinalized: { readonly count: number; readonly value: number };
  /** Per destination, receipts announced by finalized headers. */
  readonly finalizedInbound: ReadonlyArray<{ readonly count: number; readonly value: number }>;
}

export interface InFlight {
  readonly count: number;
  readonly value: number;
}

/** Checks every invariant; returns the receipts in flight (the only place value may be outside balances). */
export function checkInvariants(summaries: readonly ShardSummary[], ledger: Ledger): InFlight {
  let balances = 0;
  let emitted = 0;
  let emittedValue = 0;
  let applied = 0;
  let appliedValue = 0;
  let held = 0;
  let heldValue = 0;
  let submitted = 0;
  let completed = 0;
  let mempool = 0;
  // A moving account's state in flight (accounts.repartition) carries no transaction.
  let migrates = 0;
  for (const s of summaries) {
    const c = s.counters;
    balances += s.balanceSum;
    emitted += c.receiptsEmitted;
    emittedValue += c.receiptValueEmitted;
    applied += c.receiptsApplied;
    appliedValue += c.receiptValueApplied;
    held += s.delayed.count + s.awaited.count;
    heldValue += s.delayed.value + s.awaited.value;
    submitted += c.submitted;
    completed += c.completed;
    mempool += s.mempool;
    migrates += c.migrateReceiptsEmitted - c.migrateReceiptsApplied;

    const site = { shard: s.shard, slot: ledger.slot };
    for (const [name, drift] of Object.entries(s.contractDrift)) {
      if (drift !== 0) throw new InvariantError('contract conservation', site, `${name} drifted by ${drift} from genesis`);
    }
    // Every applied or queued receipt entered through a verified admission...
    if (c.admittedReceipts !== c.receiptsApplied + s.delayed.count) {
      throw new InvariantError(
        'every applied receipt proven',
        site,
        `${c.admittedReceipts} receipts admitted with a valid proof, but ${c.receiptsApplied} applied + ${s.delayed.count} queued`,
      );
    }
    // ...and admissions match exactly what finalized headers announced for this shard.
    const announced = ledger.finalizedInbound[s.shard]!;
    if (c.admittedReceipts + s.awaited.count !== announced.count) {
      throw new InvariantError(
        'exactly-once',
        site,
        `finalized headers announced ${announced.count} receipts for this shard; ${c.admittedReceipts} admitted + ${s.awaited.count} awaited`,
      );
    }
    const generated = ledger.generated[s.shard]!;
    if (c.submitted + c.mempoolDropped !== generated) {
      throw new InvariantError(
        'no transaction lost',
        site,
        `${generated} transactions generated for this shard, but it accepted ${c.submitted} and dropped ${c.mempoolDropped}`,
      );
    }
  }
  const all = { slot: ledger.slot };
  const inFlight = { count: held + ledger.unfinalized.count, value: heldValue + ledger.unfinalized.value };
  if (emitted !== applied + inFlight.count || emittedValue !== appliedValue + inFlight.value) {
    throw new InvariantError(
      'exactly-once',
      all,
      `${emitted} receipts (value ${emittedValue}) emitted, but ${applied} applied (value ${appliedValue}) + ${inFlight.count} in flight (value ${inFlight.value})`,
    );
  }
  if (balances + inFlight.value !== ledger.initialSupply) {
    throw new InvariantError(
      'supply conservation',
      all,
      `total supply ${ledger.initialSupply} != balances ${balances} + in-flight receipts ${inFlight.value} (difference ${balances + inFlight.value - ledger.initialSupply})`,
    );
  }
  // Each in-flight receipt carries exactly one unfinished transaction, but a moving account's state, which carries none.
  if (submitted !== completed + mempool + inFlight.count - migrates) {
    throw new InvariantError(
      'no transaction lost',
      all,
      `${submitted} submitted != ${completed} completed + ${mempool} in mempools + ${inFlight.count - migrates} carried by in-flight receipts (${migrates} more carry moving accounts)`,
    );
  }
  return inFlight;
}
