/**
 * Network models for the consensus tests, written against the contract
 * (crosslink/network/model.ts) only: a closed-form one (one region, fixed
 * latency, fixed bandwidth, no jitter) and a jittered one with regions of
 * different bandwidths, its draws counter-based like the real model's.
 */
import { mix32 } from '../../crosslink/common/mix32.js';
import { LATENCY_ESTIMATE_ERROR, type MessageKey, type NetworkModel } from '../../crosslink/network/model.js';

export interface FixedNetworkOptions {
  readonly validators: number;
  /** One-way latency between any two validators, ms. */
  readonly latencyMs: number;
  /** Every link's bandwidth, bits per ms (1 Mbit/s = 1,000 bits per ms). */
  readonly bitsPerMs: number;
  readonly processingMs: number;
}

/** One region, latency L, bandwidth B, processing P: a message of b bytes takes b·8/B + L + P. */
export function fixedNetwork(o: FixedNetworkOptions): NetworkModel {
  return {
    validators: o.validators,
    regionOf: () => 0,
    latencyMs: (from, to) => (from === to ? 0 : o.latencyMs),
    transmitMs: (_from, _to, bytes) => (bytes * 8) / o.bitsPerMs,
    processingMs: o.processingMs,
  };
}

/** Three regions with their own mean latencies and bandwidths; each message's latency is a deterministic draw keyed by (seed, from, to, key). */
export function jitteredNetwork(validators: number, seed: number): NetworkModel {
  const meanMs = Float64Array.of(5, 80, 160, 80, 5, 120, 160, 120, 5);
  const bitsPerMs = Float64Array.of(1_000_000, 100_000, 20_000);
  const region = Uint8Array.from({ length: validators }, (_, v) => mix32(seed ^ mix32(v)) % 3);
  return {
    validators,
    regionOf: (v) => region[v]!,
    latencyMs: (from, to, key) => {
      if (from === to) return 0;
      const draw = mix32(mix32(mix32(seed ^ (from * 65_537 + to)) ^ key.slot) ^ ((key.kind << 16) | key.index)) / 2 ** 32;
      return meanMs[region[from]! * 3 + region[to]!]! * (0.5 + draw);
    },
    transmitMs: (from, to, bytes) => (bytes * 8) / Math.min(bitsPerMs[region[from]!]!, bitsPerMs[region[to]!]!),
    processingMs: 0.2,
  };
}

/** Committee positions 0..m-1 as validators 0..m-1. */
export function firstMembers(m: number): number[] {
  return Array.from({ length: m }, (_, i) => i);
}

/**
 * Near ties, and estimates that use all the error the contract allows: a
 * latency of 100 ms plus 0, 1 or 2 × 1e-7 ms (arrivals a few 1e-9 apart,
 * relative), no transmission time, no processing, and estimates
 * (estimateLatenciesMs) off by up to 0.99 × LATENCY_ESTIMATE_ERROR either
 * way, so an estimate's order often differs from the exact one's.
 */
export function nearTieNetwork(validators: number, seed: number): NetworkModel {
  const hash = (from: number, to: number, key: MessageKey): number =>
    mix32(mix32(mix32(seed ^ (from * 65_537 + to)) ^ key.slot) ^ ((key.kind << 16) | key.index));
  const latencyMs = (from: number, to: number, key: MessageKey): number => (from === to ? 0 : 100 + (hash(from, to, key) % 3) * 1e-7);
  return {
    validators,
    regionOf: () => 0,
    latencyMs,
    estimateLatenciesMs: (from, to, count, key, out) => {
      for (let i = 0; i < count; i++) {
        const exact = latencyMs(from, to[i]!, key);
        const sign = (mix32(hash(from, to[i]!, key)) % 3) - 1;
        out[i] = exact * (1 + sign * 0.99 * LATENCY_ESTIMATE_ERROR);
      }
    },
    transmitMs: () => 0,
    processingMs: 0,
  };
}
