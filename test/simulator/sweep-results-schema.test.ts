/**
 * Reading results.json back (sweep-results-schema.ts) gives the text it came
 * from: every shipped config's scenario passes the schema unchanged, and the
 * results come back in the file's key order, whatever that order is.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../simulator/config/load.js';
import { checkSweepResults } from '../../simulator/sweep-results-schema.js';
import { ROOT, runCli, tempDir } from '../helpers/cli.js';

const configs = readdirSync(join(ROOT, 'configs')).filter((f) => /\.(ya?ml|json)$/.test(f));

let resultsText = '';
beforeAll(() => {
  const out = tempDir('shardsim-schema-');
  const res = runCli(['sweep', 'configs/quickstart.yaml', '--shards', '1,2', '--set', 'slots.measure=3', '--out', out, '-q']);
  expect(res.code, res.stderr).toBe(0);
  resultsText = readFileSync(join(out, 'results.json'), 'utf8');
});

/** `value` with every object's keys in an order drawn from `rand` (a number in [0, 1) per call). */
function shuffledKeys(value: unknown, rand: () => number): unknown {
  if (Array.isArray(value)) return value.map((v) => shuffledKeys(v, rand));
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value);
  for (let i = entries.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [entries[i], entries[j]] = [entries[j]!, entries[i]!];
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, shuffledKeys(v, rand)]));
}

describe('checkSweepResults', () => {
  for (const file of configs) {
    it(`reads back the scenario of ${file} as the sweep wrote it`, () => {
      const config = JSON.parse(JSON.stringify(loadScenario(join(ROOT, 'configs', file)))) as unknown;
      const results = { ...(JSON.parse(resultsText) as Record<string, unknown>), config };
      const check = checkSweepResults(results);
      if (!check.ok) throw new Error(check.problems);
      expect(JSON.stringify(check.results)).toBe(JSON.stringify(results));
    });
  }

  it('keeps the key order of the file, whatever it is, and its null figures', () => {
    const original = JSON.parse(resultsText) as unknown;
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 1, maxLength: 64 }), (draws) => {
        let at = 0;
        const shuffled = shuffledKeys(original, () => draws[at++ % draws.length]!);
        const check = checkSweepResults(shuffled);
        if (!check.ok) throw new Error(check.problems);
        expect(JSON.stringify(check.results)).toBe(JSON.stringify(shuffled));
      }),
      { numRuns: 50 },
    );
    // A figure written as null reads back as NaN (as the sweep had it), and is written as null again.
    const withNull = JSON.parse(resultsText) as { runs: Array<{ latency: { p50: number | null } }> };
    withNull.runs[0]!.latency.p50 = null;
    const check = checkSweepResults(withNull);
    if (!check.ok) throw new Error(check.problems);
    expect(check.results.runs[0]!.latency.p50).toBeNaN();
    expect(JSON.stringify(check.results)).toBe(JSON.stringify(withNull));
  });
});
