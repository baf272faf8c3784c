import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../simulator/config/load.js';
import { runScenario } from '../../simulator/run.js';
import { ROOT } from '../helpers/cli.js';

describe('per-shard demand', () => {
  it("counts each admitted receipt at what it costs to apply: a contract's shard is asked for more than it does", async () => {
    // Stablecoin payments: every call to the token lands on its shard, most as action receipts (apply + the call's gas).
    const sc = loadScenario(join(ROOT, 'configs', 'payments.yaml'), ['slots.warmup=2', 'slots.measure=4', 'slots.drain=2']);
    const run = await runScenario(sc, 4);
    const hot = run.perShard.reduce((a, b) => (b.demand > a.demand ? b : a));
    // It used its whole capacity and was asked for more: demand is not capped, and not understated below what it did.
    expect(hot.utilisation).toBeGreaterThan(0.99);
    expect(hot.demand).toBeGreaterThan(2);
    for (const s of run.perShard) expect(s.demand).toBeGreaterThanOrEqual(0);
  });
});
