import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REFERENCE_FILE, renderReferenceDocument } from '../../simulator/config/reference.js';
import { ROOT } from '../helpers/cli.js';

describe('docs/scenario-reference.md', () => {
  const doc = (): string => readFileSync(join(ROOT, REFERENCE_FILE), 'utf8');

  it('matches the schema (regenerate with npm run docs:config)', () => {
    expect(doc()).toBe(renderReferenceDocument());
  });

  it('documents every key with a description', () => {
    const text = doc();
    for (const key of [
      'workload.rate',
      'workload.crossShardRatio',
      'shard.receiptGasShare',
      'accounts.frozenRatio',
      'finalityDelaySlots',
      'security.threshold',
    ]) {
      expect(text).toMatch(new RegExp(`\\| \`${key.replace('.', '\\.')}\` \\|[^\\n]+\\| [^|\\s][^|]+ \\|`));
    }
  });
});
