/**
 * Every end-of-run check fires: a test-only fault breaks one shard's account
 * the way a bug would, and the run stops with an InvariantError naming the
 * invariant, the shard (none when only the sums over all shards break) and
 * the run's last slot. Without a fault the same run passes every check.
 */
import { describe, expect, it } from 'vitest';
import { InvariantError } from '../../crosslink/common/errors.js';
import { INVARIANT_FAULT_KINDS, type InvariantFaultKind } from '../../simulator/invariant-faults.js';
import { runScenario } from '../../simulator/run.js';
import { tinyScenario } from '../helpers/scenario.js';

const sc = tinyScenario({ slots: { warmup: 1, measure: 3, drain: 3 }, workload: { rate: 200, crossShardRatio: 0.5 } });
const LAST_SLOT = 1 + 3 + 3 - 1;
const SHARD = 1;

const expected: Record<InvariantFaultKind, { invariant: string; shard: number | undefined }> = {
  'contract-mints': { invariant: 'contract conservation', shard: SHARD },
  'unproven-receipt': { invariant: 'every applied receipt proven', shard: SHARD },
  'receipt-applied-twice': { invariant: 'exactly-once', shard: SHARD },
  'receipt-lost': { invariant: 'exactly-once', shard: undefined },
  'supply-created': { invariant: 'supply conservation', shard: undefined },
  'transaction-lost-at-submission': { invariant: 'no transaction lost', shard: SHARD },
  'transaction-lost-in-flight': { invariant: 'no transaction lost', shard: undefined },
};

describe('end-of-run invariant checks', () => {
  it('pass on the same run without a fault', async () => {
    const r = await runScenario(sc, 2);
    expect(r.receipts.sent).toBeGreaterThan(0);
  });

  for (const kind of INVARIANT_FAULT_KINDS) {
    const { invariant, shard } = expected[kind];
    it(`a fault "${kind}" stops the run: "${invariant}" ${shard === undefined ? 'over all shards' : `at shard ${shard}`}, slot ${LAST_SLOT}`, async () => {
      const err: unknown = await runScenario(sc, 2, { invariantFault: { kind, shard: SHARD } }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(InvariantError);
      const e = err as InvariantError;
      expect({ invariant: e.invariant, shard: e.shard, slot: e.slot, code: e.code }).toEqual({ invariant, shard, slot: LAST_SLOT, code: 'INVARIANT' });
      const where = shard === undefined ? 'over all shards' : `at shard ${shard}`;
      expect(e.message.startsWith(`invariant "${invariant}" violated ${where}, slot ${LAST_SLOT}: `)).toBe(true);
    });
  }
});
