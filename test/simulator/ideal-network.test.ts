/**
 * `network.preset: ideal` with `consensus.protocol: ideal` (the defaults), and `shard.executionCost: ideal`, is the
 * simulator as it was before it had a network: every shipped config's figures, the new `network`, `bottleneck`, `blocks` and `crossShard` aside, digest exactly as they
 * did then (fixtures/ideal-digests.json).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../simulator/config/load.js';
import { digestOf } from '../../simulator/digest.js';
import { runScenario } from '../../simulator/run.js';
import { ROOT } from '../helpers/cli.js';

const golden = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'ideal-digests.json'), 'utf8')) as { digests: Record<string, string> };
const configs = join(ROOT, 'configs');
/** Shipped configs that use what the simulator could not do before the network (each-block replay, custom trace layouts, moving accounts): no figure from then to compare. */
const NEWER = new Set(['parallel-mainnet.yaml', 'parallel-real-blocks.yaml', 'repartition.yaml', 'tour/6-protocols.yaml']);
const shipped = [...readdirSync(configs).filter((f) => f.endsWith('.yaml')), ...readdirSync(join(configs, 'tour')).map((f) => `tour/${f}`)].sort();

describe('the ideal network reproduces the figures from before the network', () => {
  it('has a recorded digest for every shipped config that runs on the ideal network and existed before it', () => {
    const ideal = shipped.filter((f) => {
      const sc = loadScenario(join(configs, f));
      return sc.network.preset === 'ideal' && sc.consensus.protocol === 'ideal' && !NEWER.has(f);
    });
    expect(ideal.sort()).toEqual(Object.keys(golden.digests).sort());
  });

  for (const file of Object.keys(golden.digests)) {
    it(`${file} at 2 shards`, async () => {
      // Execution then cost only gas: shard.executionCost ideal is the executor as it was; a replayed call cost its stand-in's gas.
      const trace = loadScenario(join(configs, file)).workload.kind === 'trace';
      const sc = loadScenario(join(configs, file), ['shard.executionCost=ideal', ...(trace ? ['workload.trace.gas=stand-in'] : [])]);
      const { network, bottleneck, blocks, crossShard, digest, wall, ...figures } = await runScenario(sc, 2);
      void network;
      void crossShard;
      void bottleneck;
      void blocks;
      void digest;
      void wall;
      expect(digestOf(figures)).toBe(golden.digests[file]);
    });
  }
});
