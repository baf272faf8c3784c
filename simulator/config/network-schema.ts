/**
 * The scenario's `network`, `consensus` and `beacon` sections: what time
 * costs between validators, how a shard's committee agrees on its block, and
 * how many crosslinks the beacon finalizes a slot. Part of the scenario
 * schema (schema.ts); the tables' own rules are validate-tables.ts's.
 */
import { z } from 'zod';
import { ConfigError } from '../../crosslink/common/errors.js';
import { NETWORK_PRESET_NAMES, NETWORK_PRESETS } from '../../crosslink/network/presets.js';
import type { NetworkTables } from '../../crosslink/network/tables.js';
import { validateNetworkTables } from '../../crosslink/network/validate-tables.js';

const int = () => z.number().int();

/** A bandwidth: Mbit/s, or `unlimited` (transmission takes no time). */
const Bandwidth = z.union([z.number().positive().max(1e9), z.literal('unlimited')]);
const REGION_LIMIT = 64;

/**
 * NEAR's bandwidth scheduler grants a shard at most 4.5 MB of outgoing
 * receipts per chunk (near/nearcore, core/primitives/src/bandwidth_scheduler.rs,
 * BandwidthSchedulerParams: max_shard_bandwidth = 4_500_000); the cap a
 * non-ideal network applies to the receipts a shard admits a slot.
 */
export const NEAR_RECEIPT_BYTES_PER_SLOT = 4_500_000;

/**
 * Ethereum's committee size target: TARGET_COMMITTEE_SIZE = 128 validators
 * (ethereum/consensus-specs, specs/phase0/beacon-chain.md, "Misc"), the
 * members that vote on a shard's block by default.
 */
export const DEFAULT_MAX_COMMITTEE = 128;

export const NetworkSchema = z
  .strictObject({
    preset: z
      .enum([...NETWORK_PRESET_NAMES, 'custom'])
      .default('ideal')
      .describe(
        "`ideal`: every message arrives the instant it is sent (no network). `datacenter`: one region, 1 ms one way, 10 Gbit/s. `global-2019`: SimBlock's six regions with their 2019 latency matrix, bandwidths and node shares (dsg-titech/simblock NetworkConfiguration.java). `custom`: the tables given here. The table keys below override a preset's.",
      ),
    regions: z
      .array(z.string().min(1))
      .min(1)
      .max(REGION_LIMIT)
      .optional()
      .describe('Region names; every table below lists one entry per region, in this order.'),
    latencyMs: z
      .array(z.array(z.number().min(0).max(60_000)))
      .optional()
      .describe('Mean one-way latency in ms from each region (row) to each region (column): a square matrix.'),
    uploadMbps: z.array(Bandwidth).optional().describe('Upload bandwidth of a validator in each region, Mbit/s, or `unlimited`.'),
    downloadMbps: z.array(Bandwidth).optional().describe('Download bandwidth of a validator in each region, Mbit/s, or `unlimited`.'),
    shares: z
      .array(z.number().min(0).max(1))
      .optional()
      .describe('Share of the validators in each region; they must sum to 1. Validators are placed by the seed.'),
    processingMs: z
      .number()
      .min(0)
      .max(10_000)
      .optional()
      .describe("Time a validator takes to handle a received message, ms (the presets use SimBlock's 2 ms; `ideal` 0)."),
    latency: z
      .enum(['pareto', 'mean'])
      .default('pareto')
      .describe(
        "`pareto`: each message draws its latency around its regions' mean with a heavy tail, as SimBlock does. `mean`: every message takes exactly the mean.",
      ),
    receiptBytesPerSlot: z
      .union([int().min(1).max(1e12), z.literal('unlimited'), z.literal('auto')])
      .default('auto')
      .describe(
        "Receipt bytes a shard admits a slot; the rest wait, in order. `auto`: unlimited with the `ideal` preset, else 4.5 MB, NEAR's bandwidth scheduler's max_shard_bandwidth.",
      ),
  })
  .describe('The network messages travel over, in virtual time: regions, latency, bandwidth.');

export const ConsensusSchema = z
  .strictObject({
    protocol: z
      .enum(['ideal', 'pbft', 'hotstuff', 'tendermint'])
      .default('ideal')
      .describe(
        "How a shard's committee agrees on its block over the network. `ideal`: at once. `pbft` (Castro and Liskov 1999): all-to-all prepare and commit. `hotstuff` (Yin et al. 2019): votes to the leader. `tendermint` (CometBFT): propose, prevote, precommit, with its timeouts.",
      ),
    dissemination: z
      .enum(['auto', 'direct', 'gossip'])
      .default('auto')
      .describe(
        "How the proposal reaches the committee. `direct`: the leader sends the block to each member in turn, as BlockEmulator's PBFT does. `gossip`: each holder forwards it to 8 peers, as libp2p gossipsub with Ethereum's D = 8. `auto`: `direct` with the `ideal` network preset, else `gossip`.",
      ),
    maxCommittee: int()
      .min(1)
      .max(4096)
      .default(DEFAULT_MAX_COMMITTEE)
      .describe(
        "Most members that vote on a shard's block: a shard's committee is min(security.validators / shards, this). Default 128, Ethereum's TARGET_COMMITTEE_SIZE.",
      ),
  })
  .describe("Consensus inside each shard: the time a shard's committee takes to agree on each block.");

export const BeaconSchema = z
  .strictObject({
    crosslinksPerSlot: z
      .union([int().min(1).max(1_000_000), z.literal('unlimited'), z.literal('auto')])
      .default('auto')
      .describe(
        "Shards' crosslinks one beacon block holds; the rest wait for a later slot. `auto`: unlimited with the `ideal` network preset or protocol, else slot by slot the most crosslinks the beacon's own committee (min(security.validators, consensus.maxCommittee) members) can agree on within the slot with the shards' protocol, checking each crosslink's aggregate signature (1.5 ms, blst) before voting, in a block of at most 2^20 bytes (GOSSIP_MAX_SIZE).",
      ),
  })
  .describe('The beacon chain: how many shard headers it can finalize a slot.');

export type NetworkSettings = z.output<typeof NetworkSchema>;
export type ConsensusSettings = z.output<typeof ConsensusSchema>;

const bandwidth = (b: number | 'unlimited'): number => (b === 'unlimited' ? Number.POSITIVE_INFINITY : b);

/** The network's tables: the preset's, with any table the section gives instead. A ConfigError for a `custom` one that lacks a table. */
export function networkTables(n: NetworkSettings): NetworkTables {
  const base: NetworkTables | undefined = n.preset === 'custom' ? undefined : NETWORK_PRESETS[n.preset];
  const pick = <T>(key: string, given: T | undefined, preset: T | undefined): T => {
    if (given !== undefined) return given;
    if (preset !== undefined) return preset;
    throw new ConfigError(`network.${key}`, `network.preset: custom needs network.${key}`);
  };
  return {
    regions: pick('regions', n.regions, base?.regions),
    latencyMs: pick('latencyMs', n.latencyMs, base?.latencyMs),
    uploadMbps: n.uploadMbps?.map(bandwidth) ?? pick('uploadMbps', undefined, base?.uploadMbps),
    downloadMbps: n.downloadMbps?.map(bandwidth) ?? pick('downloadMbps', undefined, base?.downloadMbps),
    shares: pick('shares', n.shares, base?.shares),
    processingMs: n.processingMs ?? base?.processingMs ?? 0,
  };
}

/** Whether the network takes no time at all: the ideal preset and no table that adds delay. */
export function isIdealNetwork(n: NetworkSettings): boolean {
  const t = networkTables(n);
  return (
    t.processingMs === 0 &&
    t.latencyMs.every((row) => row.every((ms) => ms === 0)) &&
    t.uploadMbps.every((b) => b === Number.POSITIVE_INFINITY) &&
    t.downloadMbps.every((b) => b === Number.POSITIVE_INFINITY)
  );
}

/** Checks the network tables as a scenario issue (the key path validate-tables names), for the schema's refinement. */
export function networkIssue(n: NetworkSettings): { path: string[]; message: string } | null {
  try {
    validateNetworkTables(networkTables(n));
    return null;
  } catch (err) {
    if (err instanceof ConfigError) return { path: err.where.split('.'), message: err.shortMessage };
    throw err;
  }
}
