/**
 * What `rate: saturate` offers a multiple of (simulator/slot-capacity.ts): the gas capacity where agreement is
 * instant, and over a network whose agreement takes time, what a committee can agree on and execute within a
 * slot, so a saturating load stays a modest multiple of what blocks hold instead of flooding the mempools.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../simulator/run.js';
import { blockCapacityTx, slotCapacityTx } from '../../simulator/slot-capacity.js';
import { slotVolume } from '../../simulator/workload.js';
import { tinyScenario } from '../helpers/scenario.js';

type Overrides = Parameters<typeof tinyScenario>[0];

const onNetwork = (o: Overrides = {}) =>
  tinyScenario({
    workload: { rate: 'saturate', saturation: 1.2, crossShardRatio: 0 },
    network: { preset: 'global-2019' },
    consensus: { protocol: 'pbft', maxCommittee: 64 },
    security: { validators: 256 },
    ...o,
  });

describe('slot capacity', () => {
  it('is the gas capacity where agreement is instant: on the ideal network and with ideal consensus', () => {
    for (const sc of [onNetwork({ network: { preset: 'ideal' } }), onNetwork({ consensus: { protocol: 'ideal' } })]) {
      expect(slotCapacityTx(sc, 4)).toBe(blockCapacityTx(sc));
    }
  });

  it('over a network, is what agreement leaves of the slot: below the gas capacity, lower for larger committees, the same every time', () => {
    const sc = onNetwork();
    const four = slotCapacityTx(sc, 4);
    expect(four).toBeGreaterThan(0);
    expect(four).toBeLessThan(blockCapacityTx(sc));
    expect(slotCapacityTx(onNetwork(), 4)).toBe(four);
    // 4 shards of 256 validators: committees of 64; at 16 shards, of 16, which agree sooner.
    expect(slotCapacityTx(sc, 16)).toBeGreaterThan(four);
    // A saturating load offers saturation x shards x that a slot.
    expect(slotVolume(sc, 4)(0)[0]).toBe(Math.ceil(1.2 * 4 * four));
  });

  it('a saturated run on the network offers a modest multiple of what its blocks hold, and keeps them full', async () => {
    const run = await runScenario(onNetwork(), 4);
    expect(run.network.cutShare).toBeGreaterThan(0.5);
    expect(run.offeredTps).toBeGreaterThan(run.throughputTps);
    expect(run.offeredTps).toBeLessThan(2 * run.throughputTps);
  });
});
