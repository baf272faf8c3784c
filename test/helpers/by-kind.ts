/** The rules `byKind` keeps in every run, beside the run's other figures. */
import { expect } from 'vitest';
import type { Scenario } from '../../simulator/config/schema.js';
import type { RunResult } from '../../simulator/results.js';

export function expectByKindInStep(run: RunResult, sc: Scenario): void {
  const kinds = Object.keys(run.byKind);
  expect(kinds, 'keys sorted').toEqual([...kinds].sort());
  let offered = 0;
  let completed = 0;
  let failed = 0;
  for (const [kind, k] of Object.entries(run.byKind)) {
    expect(k.failed, kind).toBeLessThanOrEqual(k.completed);
    expect(k.completed, kind).toBeLessThanOrEqual(k.offered);
    offered += k.offered;
    completed += k.completed;
    failed += k.failed;
  }
  // Offered: what the window generated (offeredTps's count, latency's population); completed: those that completed by the end.
  expect(offered).toBe(Math.round(run.offeredTps * sc.slots.measure * sc.slotSeconds));
  expect(offered).toBe(run.latency.samples);
  expect(completed).toBe(run.latency.completed);
  expect(failed).toBeLessThanOrEqual(run.transactions.completedFailed);
}
