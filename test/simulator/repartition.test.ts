/**
 * Dynamic re-placement (accounts.repartition): accounts move where their recent transactions pull them, their
 * balances travel as proven receipts, and every invariant holds through the moves.
 */
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../crosslink/common/errors.js';
import { loadScenario } from '../../simulator/config/load.js';
import { runScenario } from '../../simulator/run.js';
import { ROOT } from '../helpers/cli.js';
import { tinyScenario } from '../helpers/scenario.js';

const communities = join(ROOT, 'configs', 'trace-communities.yaml');
const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('re-placement on a community trace', () => {
  it('moves accounts toward their communities: the later slots cross shards far less than under hash placement', async () => {
    const hash = await runScenario(loadScenario(communities, ['accounts.partition=hash']), 8);
    const moving = await runScenario(
      loadScenario(communities, ['accounts.partition=hash', 'accounts.repartition.everySlots=5', 'accounts.repartition.windowSlots=1000']),
      8,
    );
    expect(hash.placement).toBeUndefined();
    const p = moving.placement!;
    // Every 5 slots while transactions are offered (the window ends at slot 42), none in the drain.
    expect(p.epochs.map((e) => e.slot)).toEqual([5, 10, 15, 20, 25, 30, 35, 40]);
    expect(p.accountsMoved).toBeGreaterThan(500);
    // Every account sent away arrived by the end (the drain lets the last moves land), its state a receipt record a hop.
    expect(p.accountsArrived).toBe(p.accountsMoved);
    expect(p.stateBytes).toBeGreaterThanOrEqual(p.accountsMoved * 8);
    // Each re-placement fits its window better than the placement it replaced.
    for (const e of p.epochs) expect(e.windowCrossAfter).toBeLessThan(e.windowCrossBefore);
    const late = (r: typeof moving): number => mean(r.placement?.crossShardBySlot.slice(-10) ?? []);
    expect(late(moving)).toBeLessThan(0.8 * hash.crossShardRatio);
    expect(moving.crossShardRatio).toBeLessThan(hash.crossShardRatio);
    // The run's invariants (supply, exactly-once, nothing lost) held through the moves, or it would have thrown.
    expect(moving.transactions.submitted).toBe(hash.transactions.submitted);
  });

  it('under load, transactions queued at an account\u2019s old shard are refused, and those sent to its new one wait for its state', async () => {
    const sc = tinyScenario({
      slots: { warmup: 2, measure: 10, drain: 8 },
      accounts: { count: 400, initialBalance: 10_000, repartition: { everySlots: 3 } },
      workload: { rate: 900, distribution: 'zipf', zipfExponent: 1.2 },
    });
    const r = await runScenario(sc, 4);
    const p = r.placement!;
    expect(p.accountsMoved).toBeGreaterThan(0);
    expect(p.movedRefused).toBeGreaterThan(0);
    expect(p.waitedForState).toBeGreaterThan(0);
    expect(r.crossShard!.failedShare).toBeGreaterThan(0);
  });
});

describe('re-placement under any schedule', () => {
  it('keeps every invariant and lands every moving account, even when accounts move again before their state arrives', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          seed: fc.nat(1_000),
          everySlots: fc.integer({ min: 1, max: 4 }),
          windowSlots: fc.integer({ min: 1, max: 6 }),
          shards: fc.integer({ min: 2, max: 4 }),
          rate: fc.integer({ min: 100, max: 1_200 }),
          protocol: fc.constantFrom('receipts' as const, 'relay' as const, 'broker' as const),
        }),
        async (c) => {
          const sc = tinyScenario({
            seed: c.seed,
            slots: { warmup: 1, measure: 6, drain: 10 },
            accounts: { count: 200, initialBalance: 10_000, frozenRatio: 0.05, repartition: { everySlots: c.everySlots, windowSlots: c.windowSlots } },
            workload: { rate: c.rate, distribution: 'zipf', zipfExponent: 1.1 },
            crossShard: { protocol: c.protocol, broker: { count: 2, liquidity: 50_000 } },
          });
          // The run checks supply, exactly-once and nothing lost at its end, and throws if one broke.
          const r = await runScenario(sc, c.shards);
          const p = r.placement!;
          // A moving account's state arrives, or is still carried at the end: queued behind relayed transactions
          // of an overloaded shard, or in flight.
          expect(p.accountsArrived).toBeLessThanOrEqual(p.accountsMoved);
          if (p.accountsArrived < p.accountsMoved) expect(r.receipts.delayedBacklog + r.receipts.inFlight).toBeGreaterThan(0);
        },
      ),
      { numRuns: 12 },
    );
  }, 120_000);
});

describe('re-placement settings', () => {
  it('refuses what cannot move: receivers chosen by placement, locks, and more places than memory allows', async () => {
    expect(() => tinyScenario({ accounts: { repartition: { everySlots: 4 } }, workload: { crossShardRatio: 0.5 } })).toThrow(
      /re-placement learns who transacts with whom/,
    );
    expect(() => tinyScenario({ accounts: { repartition: { everySlots: 4 } }, crossShard: { protocol: 'lock-2pc' } })).toThrow(/lock-2pc/);
    const big = tinyScenario({ accounts: { count: 10_000_000, repartition: { everySlots: 4 } } });
    await expect(runScenario(big, 4)).rejects.toThrow(ConfigError);
    await expect(runScenario(big, 4)).rejects.toThrow(/a place for each of the 10000000 accounts on each of 4 shards/);
  });
});
