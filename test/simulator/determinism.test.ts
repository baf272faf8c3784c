import { describe, expect, it } from 'vitest';
import { partitionAccounts } from '../../simulator/partition.js';
import { runSweep } from '../../simulator/sweep.js';
import { createWorkload, slotTxs } from '../../simulator/workload.js';
import { tinyScenario } from '../helpers/scenario.js';

describe('determinism contract', () => {
  it('the same config and seed give the same digest, run after run', async () => {
    const sc = tinyScenario({ workload: { crossShardRatio: 0.5 } });
    const a = await runSweep(sc);
    const b = await runSweep(sc);
    expect(b.digest).toBe(a.digest);
    expect(b.runs.map((r) => r.stateRoots)).toEqual(a.runs.map((r) => r.stateRoots));
  });

  it('another seed gives another digest', async () => {
    const a = await runSweep(tinyScenario({ seed: 1 }));
    const b = await runSweep(tinyScenario({ seed: 2 }));
    expect(b.digest).not.toBe(a.digest);
  });

  it('wall-clock figures stay out of the digest', async () => {
    const a = await runSweep(tinyScenario());
    const b = await runSweep(tinyScenario());
    expect(a.digest).toBe(b.digest);
    expect(a.runs[0]!.wall).not.toBe(b.runs[0]!.wall);
  });

  it('the workload stream does not depend on the shard count, only its placement does', async () => {
    for (const workload of [{ distribution: 'zipf' as const }, { kind: 'mix' as const, mix: { transfer: 1, amm: 1, nft: 1, payments: 1, token: 1, dao: 1 } }]) {
      const sc = tinyScenario({ workload });
      const strip = async (shards: number) =>
        (await slotTxs(createWorkload(sc, partitionAccounts('hash', sc.accounts.count, shards)), 3)).map(({ id, from, to, amount, submitMs, op, a, b, c }) => ({
          id,
          from,
          to,
          amount,
          submitMs,
          op,
          a,
          b,
          c,
        }));
      const one = await strip(1);
      expect(one.length).toBeGreaterThan(0);
      expect(await strip(4)).toEqual(one);
      expect(await strip(7)).toEqual(one);
    }
  });

  it('a slot can be generated on its own: slot 5 does not depend on slots 0..4 being generated first', async () => {
    const sc = tinyScenario();
    const map = partitionAccounts('hash', sc.accounts.count, 2);
    const fresh = await slotTxs(createWorkload(sc, map), 5);
    const w = createWorkload(sc, map);
    for (let s = 0; s < 5; s++) await slotTxs(w, s);
    expect(await slotTxs(w, 5)).toEqual(fresh);
  });
});
