/**
 * Results by workload kind (`byKind`): in step with the run's own figures for
 * every run, every kind of a mix present, and the failures the shipped
 * contract scenarios make visible under their kind.
 */
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../simulator/config/load.js';
import type { Scenario } from '../../simulator/config/schema.js';
import { runScenario } from '../../simulator/run.js';
import { expectByKindInStep } from '../helpers/by-kind.js';
import { ROOT } from '../helpers/cli.js';
import { tinyScenario } from '../helpers/scenario.js';

const KINDS = ['transfer', 'token', 'amm', 'nft', 'dao', 'payments'] as const;
type Kind = (typeof KINDS)[number];
/** What each workload kind counts under: its contract's kind (payments pay in a stablecoin, a token). */
const COUNTED_AS: Record<Kind, string> = { transfer: 'transfer', token: 'token', amm: 'amm', nft: 'nft', dao: 'dao', payments: 'token' };

const config = (file: string, overrides: readonly string[] = []): Scenario => loadScenario(join(ROOT, 'configs', file), overrides);

describe('byKind', () => {
  it("sums to the window: offered to what it generated, completed to the latency's completed count, whatever the mix, shards and seed", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.subarray([...KINDS], { minLength: 1 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 1_000 }),
        fc.constantFrom(0, 0.05),
        async (kinds, shards, seed, frozenRatio) => {
          const sc = tinyScenario({
            seed,
            slots: { warmup: 1, measure: 3, drain: 2 },
            accounts: { count: 400, frozenRatio },
            workload: {
              kind: 'mix',
              rate: 200,
              mix: Object.fromEntries(kinds.map((k) => [k, 1])),
              nft: { cap: 20 },
              dao: { deadlineSlot: 2 },
              payments: { payrollEverySlots: 2, payrollSize: 10 },
            },
          });
          const run = await runScenario(sc, shards);
          expectByKindInStep(run, sc);
          expect(Object.keys(run.byKind)).toEqual([...new Set(kinds.map((k) => COUNTED_AS[k]))].sort());
        },
      ),
      { numRuns: 12, seed: 41 },
    );
  });

  it('configs/mixed-dapps.yaml (shrunk): every kind of the mix appears, payments under token', async () => {
    const sc = config('mixed-dapps.yaml', ['slots.warmup=1', 'slots.measure=2', 'slots.drain=4', 'workload.rate=3000', 'accounts.count=5000']);
    const run = await runScenario(sc, 4);
    expectByKindInStep(run, sc);
    expect(Object.keys(run.byKind)).toEqual(['amm', 'dao', 'nft', 'token', 'transfer']);
    for (const [kind, k] of Object.entries(run.byKind)) expect(k.completed, kind).toBeGreaterThan(0);
    // Weights 4 : 2 (token) + 2 (payments) : 2 : 1 : 1 of the offered load.
    expect(run.byKind.token!.offered).toBeGreaterThan(run.byKind.amm!.offered);
    expect(run.byKind.transfer!.offered).toBeGreaterThan(run.byKind.nft!.offered);
  });

  it('configs/nft.yaml and dao.yaml: mints past the cap and repeated or late votes show as failures of their kind', async () => {
    for (const [file, kind] of [
      ['nft.yaml', 'nft'],
      ['dao.yaml', 'dao'],
    ] as const) {
      const sc = config(file);
      const run = await runScenario(sc, 2);
      expectByKindInStep(run, sc);
      expect(Object.keys(run.byKind), file).toEqual([kind]);
      const k = run.byKind[kind]!;
      expect(k.failed, file).toBeGreaterThan(0);
      expect(k.failed, file).toBeLessThan(k.completed);
    }
  });

  it('configs/refunds.yaml: refunded credits are failed transfers', async () => {
    const sc = config('refunds.yaml', ['slots.measure=3']);
    const run = await runScenario(sc, 2);
    expectByKindInStep(run, sc);
    expect(run.byKind.transfer!.failed).toBeGreaterThan(0);
  });

  it("a replayed trace's calls count under their stand-in contract, token", async () => {
    const sc = config('trace-communities.yaml', ['slots.measure=4']);
    const run = await runScenario(sc, 2);
    expectByKindInStep(run, sc);
    expect(Object.keys(run.byKind)).toEqual(['token', 'transfer']);
  });
});
