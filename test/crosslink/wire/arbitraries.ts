/** Generators of the messages the wire carries, for the round-trip properties. */
import fc from 'fast-check';
import type { ReceiptBatch } from '../../../crosslink/batch.js';
import type { BlockHeader } from '../../../crosslink/header.js';
import type { Receipt, ReceiptKind } from '../../../crosslink/receipt.js';
import { SLOT_METRICS } from '../../../crosslink/slot-metrics.js';
import type { SlotMetrics, SlotReport } from '../../../crosslink/transport.js';
import { RECEIPT_FIELDS } from '../../../crosslink/wire/layout.js';

/** Any float64 a field may hold: small and large integers, -0, NaN, fractions, infinities. */
export const num = fc.oneof(fc.nat({ max: 2 ** 31 }), fc.nat({ max: Number.MAX_SAFE_INTEGER }), fc.double());
const hash = fc.uint8Array({ minLength: 32, maxLength: 32 });

export const receipt: fc.Arbitrary<Receipt> = fc
  .tuple(...RECEIPT_FIELDS.map(() => num))
  .map((values) => Object.fromEntries(RECEIPT_FIELDS.map(([k], i) => [k, values[i]])) as unknown as Receipt);

export const batch: fc.Arbitrary<ReceiptBatch> = fc.record({
  srcShard: fc.nat(1_023),
  srcSlot: fc.nat(100_000),
  dstShard: fc.nat(1_023),
  receipts: fc.array(receipt, { maxLength: 8 }),
  leafIndex: fc.nat(1_023),
  leafCount: fc.nat(1_024),
  proof: fc.uint8Array({ maxLength: 10 * 32 }),
});

export const header: fc.Arbitrary<BlockHeader> = fc.record({
  shard: fc.nat(1_023),
  slot: fc.nat(100_000),
  parentHash: hash,
  stateRoot: hash,
  txRoot: hash,
  receiptsRoot: hash,
  gasUsed: num,
  txCount: num,
  receiptCount: num,
});

const metrics = fc
  .tuple(...SLOT_METRICS.map(() => num))
  .map((values) => Object.fromEntries(SLOT_METRICS.map((m, i) => [m.name, values[i]])) as unknown as SlotMetrics);

export const report: fc.Arbitrary<SlotReport> = fc.record({
  shard: fc.nat(1_023),
  slot: fc.nat(100_000),
  header,
  outbound: fc.array(num, { maxLength: 30 }).map((a) => Float64Array.from(a)),
  metrics,
  exec: fc.array(num, { maxLength: 10 }).map((a) => Float64Array.from(a)),
});

/** A valid receipt (every field within its width in the hashed record). */
export const validReceipt = (over: Partial<Receipt> = {}): Receipt => ({
  kind: 1 as ReceiptKind,
  srcShard: 2,
  srcSlot: 7,
  index: 0,
  dstShard: 3,
  txId: 11,
  from: 4,
  originShard: 2,
  to: 5,
  amount: 100,
  submitMs: 1_000,
  op: 0,
  a: 0,
  b: 0,
  c: 0,
  workGas: 0,
  ...over,
});
