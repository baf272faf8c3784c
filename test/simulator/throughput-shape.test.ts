import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../simulator/config/load.js';
import { runSweep } from '../../simulator/sweep.js';
import { ROOT } from '../helpers/cli.js';

describe('configs/100k.yaml (shape, not timing)', () => {
  it('aggregate throughput grows with the shard count under saturating load', async () => {
    const sc = loadScenario(join(ROOT, 'configs', '100k.yaml'), ['sweep.shards=[1,2,4,8]', 'slots.measure=4', 'slots.drain=2']);
    const res = await runSweep(sc);
    const tps = res.runs.map((r) => r.throughputTps);
    for (let i = 1; i < tps.length; i++) {
      // Each doubling adds capacity; cross-shard receipts cost some of it, so not a full 2x.
      expect(tps[i]!).toBeGreaterThan(1.3 * tps[i - 1]!);
    }
    // Saturated: offered load exceeds what is completed at every point.
    for (const r of res.runs) expect(r.offeredTps).toBeGreaterThan(r.throughputTps);
  });
});
