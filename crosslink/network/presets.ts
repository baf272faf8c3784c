/**
 * The network presets a scenario names (`network.preset`): `ideal` (no
 * delay at all: the simulator as it was before it had a network),
 * `datacenter` (one region of round figures) and `global-2019` (SimBlock's
 * measured six-region Internet of 2019).
 */
import type { NetworkTables } from './tables.js';

/**
 * One region, no latency, unlimited bandwidth (transmission takes no time),
 * no processing: every message arrives the instant it is sent.
 */
export const IDEAL: NetworkTables = {
  regions: ['IDEAL'],
  latencyMs: [[0]],
  uploadMbps: [Number.POSITIVE_INFINITY],
  downloadMbps: [Number.POSITIVE_INFINITY],
  shares: [1],
  processingMs: 0,
};

/**
 * SimBlock's per-message processing time, ms: Node.processingTime = 2, added
 * to every block message it sends (dsg-titech/simblock,
 * simulator/src/main/java/simblock/node/Node.java).
 */
const SIMBLOCK_PROCESSING_MS = 2;

/**
 * One region of round figures: a 1 ms mean one-way latency and 10 Gbit/s
 * links both ways. The order of magnitude: a round trip within one
 * datacenter is about 0.5 ms in Dean's "Numbers everyone should know"
 * (Jeff Dean, LADIS 2009 keynote), so 1 ms one way is a conservative round
 * figure that also covers a region's several buildings; 10 Gbit/s is the
 * common server network port. Processing as SimBlock's (2 ms).
 */
export const DATACENTER: NetworkTables = {
  regions: ['DATACENTER'],
  latencyMs: [[1]],
  uploadMbps: [10_000],
  downloadMbps: [10_000],
  shares: [1],
  processingMs: SIMBLOCK_PROCESSING_MS,
};

/**
 * SimBlock's 2019 network: its six regions, their mean one-way latency
 * matrix, per-region download and upload bandwidth and Bitcoin's 2019 node
 * distribution over them. The figures are those of dsg-titech/simblock,
 * simulator/src/main/java/simblock/settings/NetworkConfiguration.java
 * (REGION_LIST, LATENCY_2019, DOWNLOAD_BANDWIDTH_2019, UPLOAD_BANDWIDTH_2019,
 * REGION_DISTRIBUTION_BITCOIN_2019), the network of Aoki et al., "SimBlock: A
 * Blockchain Network Simulator", IEEE INFOCOM 2019 Workshops (CryBlock),
 * arXiv:1901.09777.
 *
 * Units: SimBlock states latency in ms (as here) and bandwidth in bits per
 * second; here it is Mbit/s (SimBlock's 52000000 bit/s is 52 Mbit/s). Its
 * bandwidth arrays carry a seventh "inter-regional" entry (6 Mbit/s) that its
 * Network.getBandwidth never reads (it takes min(upload[from region],
 * download[to region])); it is left out. Processing as SimBlock's (2 ms).
 */
export const GLOBAL_2019: NetworkTables = {
  regions: ['NORTH_AMERICA', 'EUROPE', 'SOUTH_AMERICA', 'ASIA_PACIFIC', 'JAPAN', 'AUSTRALIA'],
  latencyMs: [
    [32, 124, 184, 198, 151, 189],
    [124, 11, 227, 237, 252, 294],
    [184, 227, 88, 325, 301, 322],
    [198, 237, 325, 85, 58, 198],
    [151, 252, 301, 58, 12, 126],
    [189, 294, 322, 198, 126, 16],
  ],
  downloadMbps: [52, 40, 18, 22.8, 22.8, 29.9],
  uploadMbps: [19.2, 20.7, 5.8, 15.7, 10.2, 11.3],
  shares: [0.3316, 0.4998, 0.009, 0.1177, 0.0224, 0.0195],
  processingMs: SIMBLOCK_PROCESSING_MS,
};

export const NETWORK_PRESETS = {
  ideal: IDEAL,
  datacenter: DATACENTER,
  'global-2019': GLOBAL_2019,
} as const satisfies Readonly<Record<string, NetworkTables>>;

export type NetworkPresetName = keyof typeof NETWORK_PRESETS;

export const NETWORK_PRESET_NAMES = Object.keys(NETWORK_PRESETS) as readonly NetworkPresetName[];
