import { describe, expect, it } from 'vitest';
import { DATACENTER, GLOBAL_2019, IDEAL, NETWORK_PRESET_NAMES, NETWORK_PRESETS } from '../../../crosslink/network/presets.js';
import { validateNetworkTables } from '../../../crosslink/network/validate-tables.js';

describe('network presets', () => {
  it.each(NETWORK_PRESET_NAMES)('%s is a valid table: square matrix, one entry per region everywhere, shares summing to 1', (name) => {
    const t = NETWORK_PRESETS[name];
    expect(() => validateNetworkTables(t)).not.toThrow();
    const n = t.regions.length;
    expect(t.latencyMs).toHaveLength(n);
    for (const row of t.latencyMs) expect(row).toHaveLength(n);
    expect(t.uploadMbps).toHaveLength(n);
    expect(t.downloadMbps).toHaveLength(n);
    expect(t.shares).toHaveLength(n);
    expect(Math.abs(t.shares.reduce((a, b) => a + b, 0) - 1)).toBeLessThanOrEqual(1e-9);
  });

  it('global-2019 holds SimBlock 2019 figures (NetworkConfiguration.java), bandwidth converted from bit/s to Mbit/s', () => {
    const t = GLOBAL_2019;
    expect(t.regions).toEqual(['NORTH_AMERICA', 'EUROPE', 'SOUTH_AMERICA', 'ASIA_PACIFIC', 'JAPAN', 'AUSTRALIA']);
    // LATENCY_2019 spot values, ms.
    expect(t.latencyMs[0]![0]).toBe(32);
    expect(t.latencyMs[0]![1]).toBe(124);
    expect(t.latencyMs[1]![1]).toBe(11);
    expect(t.latencyMs[2]![3]).toBe(325);
    expect(t.latencyMs[3]![4]).toBe(58);
    expect(t.latencyMs[5]![1]).toBe(294);
    // DOWNLOAD_BANDWIDTH_2019 / UPLOAD_BANDWIDTH_2019 are bit/s: 52000000 bit/s is 52 Mbit/s.
    expect(t.downloadMbps[0]! * 1e6).toBe(52_000_000);
    expect(Math.round(t.downloadMbps[5]! * 1e6)).toBe(29_900_000);
    expect(Math.round(t.uploadMbps[1]! * 1e6)).toBe(20_700_000);
    expect(Math.round(t.uploadMbps[2]! * 1e6)).toBe(5_800_000);
    // REGION_DISTRIBUTION_BITCOIN_2019.
    expect(t.shares).toEqual([0.3316, 0.4998, 0.009, 0.1177, 0.0224, 0.0195]);
    expect(t.processingMs).toBe(2);
  });

  it("global-2019's matrix is symmetric, as SimBlock's is (and Asia-Pacific reaches Japan, 58 ms, faster than itself, 85 ms)", () => {
    const m = GLOBAL_2019.latencyMs;
    m.forEach((row, a) => {
      row.forEach((ms, b) => expect(m[b]![a]).toBe(ms));
    });
    expect(m[3]![4]).toBeLessThan(m[3]![3]!);
  });

  it('ideal has no latency, unlimited bandwidth and no processing; datacenter is one region at 1 ms and 10 Gbit/s', () => {
    expect(IDEAL.latencyMs).toEqual([[0]]);
    expect(IDEAL.uploadMbps).toEqual([Number.POSITIVE_INFINITY]);
    expect(IDEAL.downloadMbps).toEqual([Number.POSITIVE_INFINITY]);
    expect(IDEAL.processingMs).toBe(0);
    expect(DATACENTER.regions).toHaveLength(1);
    expect(DATACENTER.latencyMs).toEqual([[1]]);
    expect(DATACENTER.uploadMbps).toEqual([10_000]);
    expect(DATACENTER.downloadMbps).toEqual([10_000]);
  });
});
