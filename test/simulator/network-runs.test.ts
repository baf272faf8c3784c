/**
 * Runs with time from the network (docs/network.md): agreement takes slot time and costs throughput, a slot too
 * short for agreement is missed, the receipt byte cap and the beacon's capacity delay without losing anything,
 * and every run names the constraint that binds it.
 */
import { describe, expect, it } from 'vitest';
import { PROOF_BOUND } from '../../simulator/network-figures.js';
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

  it('a block carries the proof of every batch it applies: the more shards it hears from, the more of its bytes proofs take from transactions', async () => {
    // Identical committees (one region, mean latencies, direct sends) on thin links: every block is as large as agreement allows.
    const cross = (o: Overrides = {}) =>
      saturated({
        shard: { blockGasLimit: 10_000_000, gasPerSecondPerThread: 100_000_000 },
        workload: { rate: 'saturate', saturation: 1.5, crossShardRatio: 1 },
        network: { preset: 'datacenter', latency: 'mean', uploadMbps: [3], downloadMbps: [3] },
        consensus: { protocol: 'pbft', maxCommittee: 16, dissemination: 'direct' },
        ...o,
      });
    const ideal = await runScenario(cross({ network: { preset: 'ideal' } }), 2);
    expect(ideal.network.receiptProofShare).toBe(0);
    const few = await runScenario(cross(), 2);
    const many = await runScenario(cross({ security: { validators: 256 } }), 16);
    expect(few.bottleneck).toBe('bandwidth');
    expect(many.bottleneck).toBe('bandwidth');
    expect(few.network.receiptProofShare).toBeGreaterThan(0);
    expect(many.network.receiptProofShare).toBeGreaterThan(5 * few.network.receiptProofShare!);
    // The blocks are as large either way; what proofs take, receipts and transactions lose.
    expect(many.network.blockBytesMean / few.network.blockBytesMean).toBeCloseTo(1, 1);
    const items = (r: typeof few) => r.network.blockBytesMean * (1 - r.network.receiptProofShare!);
    expect(items(many)).toBeLessThan(items(few) * (1 - 0.8 * many.network.receiptProofShare!));
  });

  it('when proofs take a third of blocks cut short by agreement, the run says receipts bind it', async () => {
    // Blocks of some thirty transfers, each to another shard: at 64 shards nearly every receipt comes in a batch of its own.
    const cross = { workload: { rate: 'saturate', saturation: 1.5, crossShardRatio: 1 } } as const;
    const few = await runScenario(saturated({ ...cross, security: { validators: 128 } }), 8);
    const many = await runScenario(saturated({ ...cross, security: { validators: 1024 } }), 64);
    expect(few.network.receiptProofShare).toBeLessThan(PROOF_BOUND);
    expect(['consensus', 'bandwidth']).toContain(few.bottleneck);
    expect(many.network.receiptProofShare).toBeGreaterThanOrEqual(PROOF_BOUND);
    expect(many.network.cutShare).toBeGreaterThan(0.5);
    expect(many.network.receiptsHeldBackMax).toBe(0);
    expect(many.bottleneck).toBe('receipts');
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
    // Stopped with receipts still held back: they count as announced and not admitted, and the accounts balance.
    const cut = await runScenario({ ...sc, slots: { ...sc.slots, drain: 1 } }, 4);
    expect(cut.network.receiptsHeldBackMax).toBeGreaterThan(0);
    expect(cut.receipts.inFlight).toBeGreaterThan(0);
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

  it('a receipt batch is admitted once it has crossed the network: slow links add slots to finality, nothing is lost', async () => {
    const link = (mbps: number) => ({
      preset: 'custom' as const,
      regions: ['A'],
      latencyMs: [[20]],
      uploadMbps: [mbps],
      downloadMbps: [mbps],
      shares: [1],
      receiptBytesPerSlot: 'unlimited' as const,
    });
    const sc = tinyScenario({ workload: { rate: 300, crossShardRatio: 1 }, slots: { warmup: 4, measure: 6, drain: 20 }, network: link(1_000) });
    const fast = await runScenario(sc, 2);
    // A block of 2M gas sends about 76 receipts of 120 bytes: at 0.02 Mbit/s about 3.6 s on the wire.
    const slow = await runScenario({ ...sc, network: { ...sc.network, uploadMbps: [0.02], downloadMbps: [0.02] } }, 2);
    const d = sc.finalityDelaySlots;
    expect(fast.network.latencyBreakdown.finality).toBeCloseTo(d - 1, 9);
    expect(slow.network.latencyBreakdown.finality).toBeGreaterThanOrEqual(d + 1);
    expect(slow.receipts.inFlight).toBe(0);
    expect(slow.receipts.applied).toBe(slow.receipts.sent);
    expect(slow.receipts.sent).toBe(fast.receipts.sent);
  });

  describe('the latency breakdown', () => {
    const sum = (b: ReturnType<typeof breakdownOf>) => b.mempool + b.agreement + b.execution + b.finality + b.receiptQueue + b.outboundLeg;
    const breakdownOf = (run: Awaited<ReturnType<typeof runScenario>>) => run.network.latencyBreakdown;

    it('local transfers: at most one block slot, nothing cross-shard', async () => {
      const run = await runScenario(tinyScenario({ workload: { rate: 100, crossShardRatio: 0 }, slots: { warmup: 1, measure: 4, drain: 6 } }), 2);
      const b = breakdownOf(run);
      expect(b.completed).toBe(run.latency.completed);
      // Unsaturated: every block takes its own slot's transactions, which spend the rest of that slot in it.
      expect(b.mempool).toBe(0);
      expect(b.agreement).toBe(0);
      expect(b.execution).toBeGreaterThan(0);
      expect(b.execution).toBeLessThanOrEqual(1);
      expect(b.finality + b.receiptQueue + b.outboundLeg).toBe(0);
      expect(sum(b)).toBeCloseTo(b.meanSeconds, 9);
    });

    it('cross-shard transfers: up to two block slots and d − 1 slots for finality; a slow beacon adds to finality alone', async () => {
      const sc = tinyScenario({ workload: { rate: 150, crossShardRatio: 1 }, slots: { warmup: 6, measure: 6, drain: 14 }, network: { preset: 'datacenter' } });
      const d = sc.finalityDelaySlots;
      const fast = breakdownOf(await runScenario(sc, 4));
      expect(fast.execution + fast.agreement).toBeGreaterThan(1);
      expect(fast.execution + fast.agreement).toBeLessThanOrEqual(2);
      expect(fast.finality).toBeCloseTo(d - 1, 9);
      expect(fast.outboundLeg).toBe(0);
      expect(sum(fast)).toBeCloseTo(fast.meanSeconds, 9);
      const slow = breakdownOf(await runScenario({ ...sc, beacon: { crosslinksPerSlot: 1 } }, 4));
      // Four shards, one crosslink a slot: a slot is final d + 3 slots after it started.
      expect(slow.finality).toBeCloseTo(d + 2, 9);
      expect(slow.mempool).toBeCloseTo(fast.mempool, 9);
    });

    it('off the ideal network, agreement takes its share of the block slots; stages sum to the mean latency of completed transactions', async () => {
      const run = await runScenario(saturated({ workload: { rate: 100, crossShardRatio: 0.5 }, slots: { warmup: 2, measure: 4, drain: 8 } }), 2);
      const b = breakdownOf(run);
      expect(b.agreement).toBeGreaterThan(0);
      expect(b.agreement / (b.agreement + b.execution)).toBeCloseTo(run.network.agreementShare, 9);
      expect(sum(b)).toBeCloseTo(b.meanSeconds, 9);
      // The histogram's mean of the same transactions, within its 1.5% buckets.
      if (run.latency.censored === 0) expect(Math.abs(run.latency.mean - b.meanSeconds) / b.meanSeconds).toBeLessThan(0.02);
    });

    it('calls carry their outbound leg whole', async () => {
      const run = await runScenario(tinyScenario({ workload: { kind: 'mix', mix: { amm: 1 }, rate: 100 }, slots: { warmup: 1, measure: 4, drain: 10 } }), 4);
      const b = breakdownOf(run);
      expect(b.outboundLeg).toBeGreaterThan(0);
      expect(sum(b)).toBeCloseTo(b.meanSeconds, 9);
    });
  });
});
