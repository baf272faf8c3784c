import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../simulator/config/schema.js';
import { runScenario } from '../../simulator/run.js';
import { expectByKindInStep } from '../helpers/by-kind.js';
import { tinyScenario } from '../helpers/scenario.js';

type Kind = 'transfer' | 'token' | 'amm' | 'nft' | 'dao' | 'payments';
const KINDS: Kind[] = ['transfer', 'token', 'amm', 'nft', 'dao', 'payments'];

/** A small run of one kind; budget never binds, so block contents do not depend on the executor. */
function kindScenario(kind: Kind | 'mix', executor: Scenario['shard']['executor'] = 'sequential'): Scenario {
  return tinyScenario({
    accounts: { count: 400 },
    shard: { executor, threads: 8, blockGasLimit: 6_000_000, gasPerSecondPerThread: 1e12 },
    workload: {
      kind,
      rate: 300,
      mix: { transfer: 1, token: 1, amm: 1, nft: 1, dao: 1, payments: 1 },
      nft: { cap: 40, price: 7 }, // the cap runs out: failing mints refund their price across shards
      dao: { deadlineSlot: 3 },
      payments: { payrollEverySlots: 2, payrollSize: 20 },
    },
  });
}

describe('workload kinds', () => {
  for (const kind of [...KINDS, 'mix' as const]) {
    it(`${kind}: supply and contract state conserved, every receipt exactly once, across 4 shards`, async () => {
      // runScenario checks the invariants (native supply, contract conservation, exactly-once, no tx lost).
      const run = await runScenario(kindScenario(kind), 4);
      expect(run.receipts.sent).toBe(run.receipts.applied + run.receipts.inFlight);
      expectByKindInStep(run, kindScenario(kind));
      expect(run.transactions.completed).toBeGreaterThan(0);
      if (kind !== 'transfer') expect(run.crossShardRatio).toBeGreaterThan(0.5);
    });

    it(`${kind}: block-stm and access-list reach the sequential state roots`, async () => {
      const seq = await runScenario(kindScenario(kind), 2);
      for (const executor of ['block-stm', 'access-list'] as const) {
        const par = await runScenario(kindScenario(kind, executor), 2);
        expect(par.stateRoots, executor).toEqual(seq.stateRoots);
        expect(par.transactions).toEqual(seq.transactions);
      }
    });
  }

  it('failed cross-shard calls refund their value: mints past the cap come back as data receipts with value', async () => {
    const run = await runScenario(kindScenario('nft'), 4);
    expect(run.receipts.refunds).toBeGreaterThan(0);
    expect(run.transactions.completedFailed).toBeGreaterThan(0);
    expect(run.byKind.nft!.failed).toBeGreaterThan(0);
  });

  it('a contract on one shard caps throughput however many shards there are', async () => {
    const one = (shards: number) =>
      runScenario(tinyScenario({ accounts: { count: 2_000 }, workload: { kind: 'token', rate: 'saturate', token: { contracts: 1 } } }), shards);
    const [a, b] = [await one(1), await one(4)];
    // Every call ends on the token's shard: 4 shards cannot do 4x.
    expect(b.throughputTps).toBeLessThan(2 * a.throughputTps);
  });
});
