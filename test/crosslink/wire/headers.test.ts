import { describe, expect, it } from 'vitest';
import { headerHash } from '../../../crosslink/header.js';

const h = (n: number): Uint8Array => new Uint8Array(32).map((_, i) => (i * n + 7) & 255);

describe("a header's hash (its fields in HEADER_FIELDS's order, each at its width)", () => {
  it('keeps the hash of a fixed header (every crosslink and run digest rests on it)', () => {
    const header = {
      shard: 5,
      slot: 77,
      parentHash: h(1),
      stateRoot: h(3),
      txRoot: h(5),
      receiptsRoot: h(11),
      gasUsed: 2 ** 40 + 21_000,
      txCount: 900,
      receiptCount: 2 ** 32 - 1,
    };
    expect(Buffer.from(headerHash(header)).toString('hex')).toBe('9c2e2f25c9a1e63d7992f384ebde803bac8d42d1ac6c807e989194dae2da4745');
  });

  it('commits to every field', () => {
    const base = { shard: 5, slot: 77, parentHash: h(1), stateRoot: h(3), txRoot: h(5), receiptsRoot: h(11), gasUsed: 21_000, txCount: 900, receiptCount: 4 };
    const seen = new Set([Buffer.from(headerHash(base)).toString('hex')]);
    for (const k of Object.keys(base) as Array<keyof typeof base>) {
      const changed = { ...base, [k]: typeof base[k] === 'number' ? (base[k] as number) + 1 : h(13) };
      seen.add(Buffer.from(headerHash(changed)).toString('hex'));
    }
    expect(seen.size).toBe(Object.keys(base).length + 1);
  });
});
