import type { NetworkTables } from '../../../crosslink/network/tables.js';

/** One region with a fixed mean latency L ms, bandwidth B Mbit/s both ways and processing p ms: the closed-form cases' network. */
export function oneRegion(latencyMs: number, mbps: number, processingMs: number): NetworkTables {
  return { regions: ['R'], latencyMs: [[latencyMs]], uploadMbps: [mbps], downloadMbps: [mbps], shares: [1], processingMs };
}
