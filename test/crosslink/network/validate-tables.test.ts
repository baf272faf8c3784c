import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../crosslink/common/errors.js';
import { createNetworkModel } from '../../../crosslink/network/create-model.js';
import type { NetworkTables } from '../../../crosslink/network/tables.js';
import { validateNetworkTables } from '../../../crosslink/network/validate-tables.js';

const good: NetworkTables = {
  regions: ['A', 'B', 'C'],
  latencyMs: [
    [5, 50, 80],
    [50, 5, 60],
    [80, 60, 5],
  ],
  uploadMbps: [10, 20, Number.POSITIVE_INFINITY],
  downloadMbps: [50, 40, 30],
  shares: [0.5, 0.3, 0.2],
  processingMs: 1,
};

/** The ConfigError validateNetworkTables throws for `t`. */
function faultOf(t: NetworkTables): ConfigError {
  try {
    validateNetworkTables(t);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('the table was accepted');
}

describe('validateNetworkTables', () => {
  it('accepts a well-formed custom table, unlimited (Infinity) bandwidth and shares off 1 by less than 1e-9 included', () => {
    expect(() => validateNetworkTables(good)).not.toThrow();
    expect(() => validateNetworkTables({ ...good, shares: [0.5, 0.3, 0.2 + 5e-10] })).not.toThrow();
    expect(() => validateNetworkTables({ ...good, shares: [1, 0, 0] })).not.toThrow();
  });

  const cases: ReadonlyArray<readonly [string, Partial<NetworkTables>, string, RegExp]> = [
    ['no regions', { regions: [] }, 'network.regions', /at least one region/],
    ['a region named twice', { regions: ['A', 'B', 'A'] }, 'network.regions.2', /"A" is listed twice/],
    ['an empty region name', { regions: ['A', '', 'C'] }, 'network.regions.1', /needs a name/],
    ['too few matrix rows', { latencyMs: [[5, 50, 80]] }, 'network.latencyMs', /square.*3 regions but 1 rows/],
    [
      'a short matrix row',
      {
        latencyMs: [
          [5, 50, 80],
          [50, 5],
          [80, 60, 5],
        ],
      },
      'network.latencyMs.1',
      /square: row 1 \(from B\) has 2 entries/,
    ],
    [
      'a negative latency',
      {
        latencyMs: [
          [5, 50, 80],
          [50, 5, -1],
          [80, 60, 5],
        ],
      },
      'network.latencyMs.1.2',
      /from B to C must be a finite number of ms >= 0, got -1/,
    ],
    [
      'an infinite latency',
      {
        latencyMs: [
          [5, 50, Number.POSITIVE_INFINITY],
          [50, 5, 60],
          [80, 60, 5],
        ],
      },
      'network.latencyMs.0.2',
      /got Infinity/,
    ],
    [
      'a NaN latency',
      {
        latencyMs: [
          [Number.NaN, 50, 80],
          [50, 5, 60],
          [80, 60, 5],
        ],
      },
      'network.latencyMs.0.0',
      /got NaN/,
    ],
    ['an upload list of the wrong length', { uploadMbps: [10, 20] }, 'network.uploadMbps', /one bandwidth per region: 3 regions but 2/],
    ['a zero upload bandwidth', { uploadMbps: [10, 0, 5] }, 'network.uploadMbps.1', /bandwidth of B must be a positive number of Mbit\/s, got 0/],
    ['a NaN download bandwidth', { downloadMbps: [10, 20, Number.NaN] }, 'network.downloadMbps.2', /got NaN/],
    ['a negative download bandwidth', { downloadMbps: [-10, 20, 30] }, 'network.downloadMbps.0', /got -10/],
    ['a download list of the wrong length', { downloadMbps: [10, 20, 30, 40] }, 'network.downloadMbps', /3 regions but 4/],
    ['a share list of the wrong length', { shares: [0.5, 0.5] }, 'network.shares', /one share per region/],
    ['a negative share', { shares: [0.7, -0.1, 0.4] }, 'network.shares.1', /share of B must be a number >= 0/],
    ['shares summing to 0.9', { shares: [0.5, 0.3, 0.1] }, 'network.shares', /must sum to 1, but they sum to 0.9/],
    ['shares summing to 1 + 1e-6', { shares: [0.5, 0.3, 0.200001] }, 'network.shares', /must sum to 1/],
    ['a negative processing time', { processingMs: -1 }, 'network.processingMs', /finite number of ms >= 0, got -1/],
    ['an infinite processing time', { processingMs: Number.POSITIVE_INFINITY }, 'network.processingMs', /got Infinity/],
  ];

  it.each(cases)('refuses %s, naming the key', (_what, patch, where, message) => {
    const e = faultOf({ ...good, ...patch });
    expect(e.where).toBe(where);
    expect(e.shortMessage).toMatch(message);
    expect(e.exitCode).toBe(2);
    expect(e.message.startsWith(`${where}: `)).toBe(true);
  });

  it('names keys under the path it is given', () => {
    expect(() => validateNetworkTables({ ...good, shares: [1, 1, 1] }, 'scenario.network')).toThrow(/^scenario\.network\.shares: /);
  });

  it('guards createNetworkModel: a bad table never becomes a model', () => {
    expect(() => createNetworkModel({ ...good, latencyMs: [[1]] }, 10, 1)).toThrow(ConfigError);
  });
});
