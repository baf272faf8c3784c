import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spliceReference } from '../../simulator/config/reference.js';
import { ROOT } from '../helpers/cli.js';

describe('README scenario reference', () => {
  it('matches the schema (regenerate with npm run docs:config)', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(spliceReference(readme)).toBe(readme);
  });

  it('documents every key with a description', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const key of ['workload.rate', 'workload.crossShardRatio', 'shard.receiptGasShare', 'accounts.frozenRatio', 'finalityDelaySlots', 'security.threshold']) {
      expect(readme).toMatch(new RegExp(`\\| \`${key.replace('.', '\\.')}\` \\|[^\\n]+\\| [^|\\s][^|]+ \\|`));
    }
  });
});
