/**
 * Runs with time from the network (docs/network.md): agreement takes slot time and costs throughput, a slot too
 * short for agreement is missed, the receipt byte cap and the beacon's capacity delay without losing anything,
 * and every run names the constraint that binds it.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../simulator/run.js';
import { tinyScenario } from '../helpers/scenario.js';

type Overrides = Parameters<typeof tinyScenario>[0];

/** A saturated shard: more offered than a block holds, on SimBlock's network with PBFT committees of 16. */
const saturated = (o: Overrides = {}) =>
  tinyScenario({
    workload: { rate: 'saturate', saturation: 1.5, crossShardRatio: 0.5 },
    network: { preset: 'global-2019' },
    consensus: { protocol: 'pbft', maxCommittee: 16 },
    security: { validators: 64 },
    ...o,
  });

describe('runs on a network', () => {
  it('agreement takes part of the slot, blocks hold less, and the run says consensus or bandwidth binds it', async () => {
    const ideal = await runScenario(saturated({ network: { preset: 'ideal' } }), 2);
    const global = await runScenario(saturated(), 2);
    expect(ideal.network.agreementSeconds).toBe(0);
    expect(ideal.network.committee).toBe(0);
    expect(ideal.bottleneck).toBe('execution');
    expect(global.network.agreementSeconds).toBeGreaterThan(0.1);
    expect(global.network.agreementShare).toBeLessThan(1);
    expect(global.network.committee).toBe(16);
    expect(global.network.dissemination).toBe('gossip');
    expect(global.network.cutShare).toBeGreaterThan(0.5);
    expect(global.throughputTps).toBeLessThan(ideal.throughputTps);
    expect(['consensus', 'bandwidth']).toContain(global.bottleneck);
    expect(global.network.bytesPerSlot.proposal).toBeGreaterThan(0);
    expect(global.network.bytesPerSlot.votes).toBeGreaterThan(0);
    expect(global.network.bytesPerSlot.beacon).toBeGreaterThan(0);
    expect(global.network.bytesPerValidatorPerSlot).toBeGreaterThan(0);
    // The voting committee is the one security prices.
    expect(global.security.committeeSize).toBe(16);
  });

  it('a larger committee costs agreement time and throughput', async () => {
    const small = await runScenario(saturated({ consensus: { protocol: 'pbft', maxCommittee: 8, dissemination: 'direct' } }), 2);
    const large = await runScenario(saturated({ consensus: { protocol: 'pbft', maxCommittee: 32, dissemination: 'direct' } }), 2);
    expect(large.network.committee).toBe(32);
    expect(large.network.agreementSeconds).toBeGreaterThan(small.network.agreementSeconds);
    expect(large.throughputTps).toBeLessThan(small.throughputTps);
  });

  it('a slot too short for agreement on an empty block is missed: no block, nothing lost', async () => {
    const run = await runScenario(saturated({ slotSeconds: 0.05 }), 2);
    const { measure } = saturated().slots;
    expect(run.network.missedSlots).toBe(2 * measure);
    expect(run.throughputTps).toBe(0);
    expect(run.bottleneck).toBe('consensus');
  });

  it('every protocol times its blocks, each its own way, deterministically', async () => {
    const times: Record<string, number> = {};
    for (const protocol of ['pbft', 'hotstuff', 'tendermint'] as const) {
      const sc = saturated({ consensus: { protocol, maxCommittee: 16 } });
      const a = await runScenario(sc, 2);
      const b = await runScenario(sc, 2);
      expect(b.digest).toBe(a.digest);
      times[protocol] = a.network.agreementSeconds;
      expect(a.network.agreementSeconds).toBeGreaterThan(0);
    }
    expect(new Set(Object.values(times)).size).toBe(3);
  });

  it('a receipt byte cap below a slot’s receipts leaves a backlog that drains: every receipt applied once', async () => {
    const sc = tinyScenario({
      workload: { rate: 300, crossShardRatio: 0.9 },
      network: { preset: 'datacenter', receiptBytesPerSlot: 1_500 },
      slots: { warmup: 1, measure: 4, drain: 30 },
    });
    const capped = await runScenario(sc, 4);
    const free = await runScenario({ ...sc, network: { ...sc.network, receiptBytesPerSlot: 'unlimited' } }, 4);
    expect(capped.network.receiptBytesPerSlot).toBe(1_500);
    expect(capped.network.receiptsHeldBackMax).toBeGreaterThan(0);
    expect(free.network.receiptsHeldBackMax).toBe(0);
    // The run's invariants held (it returned); after the drain every receipt sent was applied.
    expect(capped.receipts.inFlight).toBe(0);
    expect(capped.receipts.applied).toBe(capped.receipts.sent);
    expect(capped.receipts.sent).toBe(free.receipts.sent);
    expect(capped.latency.p50).toBeGreaterThan(free.latency.p50);
  });

  it('a beacon of capacity c under k > c shards finalizes d + ⌈k/c⌉ − 1 slots late; the run says the beacon binds', async () => {
    const sc = tinyScenario({
      workload: { rate: 100 },
      network: { preset: 'datacenter' },
      beacon: { crosslinksPerSlot: 1 },
      slots: { warmup: 6, measure: 6, drain: 10 },
    });
    const run = await runScenario(sc, 4);
    const d = sc.finalityDelaySlots;
    expect(run.network.beacon.crosslinksPerSlot).toBe(1);
    expect(run.network.beacon.finalityDelaySlots.p50).toBe(d + 3);
    expect(run.network.beacon.finalityDelaySlots.p99).toBe(d + 3);
    expect(run.stability.stable).toBe(true);
    expect(run.bottleneck).toBe('beacon');
    const roomy = await runScenario({ ...sc, beacon: { crosslinksPerSlot: 4 } }, 4);
    expect(roomy.network.beacon.finalityDelaySlots.p50).toBe(d);
    expect(roomy.bottleneck).toBe('load');
  });
});
