/**
 * The inbox over long runs, against a model that remembers every admission
 * (the header of every batch, as the inbox did before admitted-record.ts):
 * the same receipts admitted once each, in the same order, and every
 * delivery classified the same (duplicate, or rejected for the same reason),
 * while what the inbox holds stays bounded whatever the run's length; and
 * the same under a byte cap on admission, which the model applies as a
 * greedy prefix of its ready batches a slot, the first always.
 */
import { deserialize, serialize } from 'node:v8';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ReceiptBatch, sealBatches, verifyBatch } from '../../crosslink/batch.js';
import { ZERO_HASH } from '../../crosslink/hash.js';
import type { BlockHeader, Crosslink } from '../../crosslink/header.js';
import { Inbox, type InboxStats, type RejectReason } from '../../crosslink/inbox.js';
import { RECEIPT_BYTES } from '../../crosslink/network/message-sizes.js';
import type { Receipt } from '../../crosslink/receipt.js';
import { BATCH_NUMS } from '../../crosslink/wire/layout.js';
import { creditReceipt } from '../helpers/credit-receipt.js';

const SELF = 0;
/** Every block also sends this shard a receipt, so that the batch for SELF needs a real proof. */
const OTHER = 1;

/** A batch's bytes as the wire carries it: its numbers, its receipts, its proof. */
const bytesOf = (b: ReceiptBatch): number => BATCH_NUMS * 8 + b.receipts.length * RECEIPT_BYTES + b.proof.length;

/** The inbox as it was: every admitted batch's header kept for good (and, under a byte cap, the verified batches it held back). */
class UnprunedInbox {
  readonly stats = { admittedBatches: 0, admittedReceipts: 0, duplicateBatches: 0, rejected: {} as Partial<Record<RejectReason, number>> };
  readonly admitted = new Map<number, BlockHeader>();
  /** Newest slot admitted from each source. */
  readonly newest = new Map<number, number>();
  private readonly awaiting = new Map<number, Crosslink>();
  private readonly candidates = new Map<number, ReceiptBatch[]>();
  private readonly due = new Map<number, number>();
  private readonly heldBack = new Map<number, ReceiptBatch>();
  private finalized = -1;
  /** Batches the last admission admitted, and their bytes. */
  lastBatches = 0;
  lastBytes = 0;

  constructor(
    private readonly n: number,
    private readonly delayOf: (src: number, slot: number) => number,
  ) {}

  private reject(reason: RejectReason): void {
    this.stats.rejected[reason] = (this.stats.rejected[reason] ?? 0) + 1;
  }

  deliver(b: ReceiptBatch): void {
    const key = b.srcSlot * this.n + b.srcShard;
    const header = this.admitted.get(key);
    if (header !== undefined) {
      const v = verifyBatch(b, header, SELF);
      if (v.ok) this.stats.duplicateBatches++;
      else this.reject(v.reason);
    } else if (b.srcSlot <= this.finalized && !this.awaiting.has(key)) {
      this.reject('not-committed');
    } else {
      this.candidates.set(key, [...(this.candidates.get(key) ?? []), b]);
    }
  }

  addCrosslinks(finalized: number, cls: readonly Crosslink[], now: number): void {
    this.finalized = Math.max(this.finalized, finalized);
    for (const cl of cls) {
      const key = cl.header.slot * this.n + cl.header.shard;
      this.awaiting.set(key, cl);
      const d = this.delayOf(cl.header.shard, cl.header.slot);
      if (d > 0) this.due.set(key, now + d);
    }
    for (const [key, held] of this.candidates) {
      if (Math.floor(key / this.n) > this.finalized || this.awaiting.has(key)) continue;
      for (let i = 0; i < held.length; i++) this.reject('not-committed');
      this.candidates.delete(key);
    }
  }

  admitReady(now: number, budget: number): Receipt[] {
    const out: Receipt[] = [];
    let held = false;
    this.lastBatches = 0;
    this.lastBytes = 0;
    for (const key of [...this.awaiting.keys()].sort((a, b) => a - b)) {
      if ((this.due.get(key) ?? 0) > now) continue;
      const cl = this.awaiting.get(key)!;
      let accepted = this.heldBack.get(key);
      for (const b of this.candidates.get(key) ?? []) {
        const v = verifyBatch(b, cl.header, SELF);
        if (!v.ok) this.reject(v.reason);
        else if (accepted === undefined) accepted = b;
        else this.stats.duplicateBatches++;
      }
      this.candidates.delete(key);
      if (accepted === undefined) continue;
      // Past the budget (the first batch excepted): held back, and everything after it.
      held ||= this.lastBatches > 0 && this.lastBytes + bytesOf(accepted) > budget;
      if (held) {
        this.heldBack.set(key, accepted);
        continue;
      }
      this.heldBack.delete(key);
      this.lastBatches++;
      this.lastBytes += bytesOf(accepted);
      this.awaiting.delete(key);
      this.due.delete(key);
      this.admitted.set(key, cl.header);
      const src = cl.header.shard;
      this.newest.set(src, Math.max(this.newest.get(src) ?? -1, cl.header.slot));
      this.stats.admittedBatches++;
      this.stats.admittedReceipts += accepted.receipts.length;
      out.push(...accepted.receipts);
    }
    return out;
  }
}

/** A deterministic stream of numbers in [0, 1) (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  };
}

const receipt = creditReceipt;

function headerOf(src: number, slot: number, receiptsRoot: Uint8Array): BlockHeader {
  return { shard: src, slot, parentHash: ZERO_HASH, stateRoot: ZERO_HASH, txRoot: ZERO_HASH, receiptsRoot, gasUsed: 0, txCount: 0, receiptCount: 0 };
}

/** A block of `src` at `slot`: its header, and its batch for SELF (if it sent one). */
function block(src: number, slot: number, amounts: readonly number[]): { header: BlockHeader; batch: ReceiptBatch | undefined } {
  const out = amounts.map((a, i) => receipt(src, slot, SELF, i, a));
  out.push(receipt(src, slot, OTHER, out.length, 1));
  const sealed = sealBatches(src, slot, out);
  return { header: headerOf(src, slot, sealed.receiptsRoot), batch: amounts.length === 0 ? undefined : sealed.batches[0] };
}

const copy = (b: ReceiptBatch): ReceiptBatch => ({ ...b, proof: b.proof.slice() });

/** Forgeries of a batch, one per kind the inbox tells apart (the Forger's kinds, and a malformed one). */
const FORGERIES: ReadonlyArray<(b: ReceiptBatch) => ReceiptBatch> = [
  // inflate: an amount changed (bad proof)
  (b) => ({ ...copy(b), receipts: b.receipts.map((r, i) => (i === 0 ? { ...r, amount: r.amount * 1_000 + 1 } : r)) }),
  // absent: a receipt the committed root lacks (bad proof)
  (b) => ({ ...copy(b), receipts: [...b.receipts, { ...b.receipts[0]!, index: 99, amount: 1_000_000 }] }),
  // bad header: consistent, but against another root (bad proof)
  (b) =>
    sealBatches(
      b.srcShard,
      b.srcSlot,
      b.receipts.map((r) => ({ ...r, amount: r.amount + 1 })),
    ).batches[0]!,
  // a receipt naming another slot (malformed)
  (b) => ({ ...copy(b), receipts: b.receipts.map((r, i) => (i === 0 ? { ...r, srcSlot: r.srcSlot + 1 } : r)) }),
  // unfinalized: the receipts claiming the next block
  (b) => ({ ...copy(b), srcSlot: b.srcSlot + 1, receipts: b.receipts.map((r) => ({ ...r, srcSlot: r.srcSlot + 1 })) }),
];

interface Plan {
  readonly shards: number;
  readonly finality: number;
  readonly slots: number;
  readonly seed: number;
  readonly sendRatio: number;
  readonly faultRatio: number;
  /** Also deliver copies (honest or forged) of batches of any earlier slot, which no honest sender does. */
  readonly stale: boolean;
  /** After this slot the inbox goes on from its checkpoint (serialized and restored into a new inbox), as a restarted shard does. */
  readonly restoreAt: number;
  /** Bytes admitted a slot (admitReady's byteBudget); null: no cap. */
  readonly budget: number | null;
}

type Outcome = string;

/** What one step did to the counters: 'duplicate', a reject reason, or '' (held or admitted). */
function outcomeOf(before: { dup: number; rejected: Record<string, number> }, after: { dup: number; rejected: Record<string, number> }): Outcome {
  const parts: string[] = [];
  if (after.dup > before.dup) parts.push(`duplicate x${after.dup - before.dup}`);
  for (const k of Object.keys(after.rejected).sort()) {
    const d = after.rejected[k]! - (before.rejected[k] ?? 0);
    if (d > 0) parts.push(`${k} x${d}`);
  }
  return parts.join(', ');
}

const countsOf = (s: InboxStats) => ({ dup: s.duplicateBatches, rejected: { ...s.rejectedByReason } as Record<string, number> });
const modelCountsOf = (m: UnprunedInbox) => ({ dup: m.stats.duplicateBatches, rejected: { ...m.stats.rejected } as Record<string, number> });

/**
 * Runs a plan through the inbox and the model side by side, slot by slot as
 * Shard.onSlot drives an inbox, and checks every step. Returns what the
 * inbox held along the way.
 */
function runPlan(p: Plan): {
  maxSources: number;
  maxAwaited: number;
  maxHeldBack: number;
  heldBackAtRestore: number;
  inbox: Inbox;
  model: UnprunedInbox;
  snapshotBytes: number[];
} {
  const rnd = prng(p.seed);
  const delays = new Map<number, number>();
  const delayOf = (src: number, slot: number): number => delays.get(slot * p.shards + src) ?? 0;
  let inbox = new Inbox(SELF, p.shards, (src, slot) => delayOf(src, slot));
  const model = new UnprunedInbox(p.shards, delayOf);
  /** Blocks by slot: their crosslinks for SELF. */
  const announced = new Map<number, Crosslink[]>();
  /** Deliveries by the slot they arrive in. */
  const arriving = new Map<number, ReceiptBatch[]>();
  const arrive = (at: number, b: ReceiptBatch) => arriving.set(at, [...(arriving.get(at) ?? []), b]);
  /** Per source, the batch it last sent SELF (what a Byzantine replay resends), and when that arrived. */
  const lastSent = new Map<number, ReceiptBatch>();
  const lastArrival = new Map<number, number>();
  const everSent: ReceiptBatch[] = [];
  let maxSources = 0;
  let maxAwaited = 0;
  let maxHeldBack = 0;
  let heldBackAtRestore = 0;
  const snapshotBytes: number[] = [];
  const drain = p.finality + 8;
  const budget = p.budget ?? Number.POSITIVE_INFINITY;
  // Under a cap, a backlog takes at most a slot a batch more to drain (every admission takes one at least).
  const limit = p.slots + drain + (p.budget === null ? 0 : p.slots * p.shards);

  for (let t = 0; t < p.slots + drain || (inbox.heldBackBatches > 0 && t < limit); t++) {
    // The inbox's slot t: crosslinks of the blocks final now, the batches arrived, admission.
    const finalized = t - p.finality;
    const cls = announced.get(finalized) ?? [];
    inbox.addCrosslinks(finalized, cls, t);
    model.addCrosslinks(finalized, cls, t);
    const step = (what: string, act: () => void, actModel: () => void) => {
      const before = countsOf(inbox.stats);
      const modelBefore = modelCountsOf(model);
      act();
      actModel();
      expect(outcomeOf(before, countsOf(inbox.stats)), `slot ${t}: ${what}`).toBe(outcomeOf(modelBefore, modelCountsOf(model)));
    };
    for (const b of arriving.get(t) ?? []) {
      const what = `batch of shard ${b.srcShard} slot ${b.srcSlot}`;
      const newest = model.newest.get(b.srcShard) ?? -1;
      if (b.srcSlot < newest && model.admitted.has(b.srcSlot * p.shards + b.srcShard)) {
        // Older than the newest admission from its source: the inbox has forgotten it and
        // refuses it unverified; the model verifies it. Never counted as harmless unverified.
        // Only the plans that send what no honest sender does get here.
        expect(p.stale, `slot ${t}: a late ${what} in a plan without stale copies`).toBe(true);
        const before = countsOf(inbox.stats);
        inbox.deliver(b);
        model.deliver(b);
        expect(outcomeOf(before, countsOf(inbox.stats)), `slot ${t}: stale ${what}`).toBe('not-committed x1');
        model.stats.rejected['not-committed'] = (model.stats.rejected['not-committed'] ?? 0) + 1;
        const v = verifyBatch(b, model.admitted.get(b.srcSlot * p.shards + b.srcShard)!, SELF);
        if (v.ok) model.stats.duplicateBatches--;
        else model.stats.rejected[v.reason]!--;
        continue;
      }
      step(
        what,
        () => inbox.deliver(b),
        () => model.deliver(b),
      );
    }
    let got: Receipt[] = [];
    let want: Receipt[] = [];
    const admittedBefore = inbox.stats.admittedBatches;
    step(
      'admission',
      () => (got = p.budget === null ? inbox.admitReady(t) : inbox.admitReady(t, budget)),
      () => (want = model.admitReady(t, budget)),
    );
    expect(got).toEqual(want);
    expect(inbox.lastAdmittedBytes, `slot ${t}: bytes admitted`).toBe(model.lastBytes);
    expect(inbox.stats.admittedBatches - admittedBefore).toBe(model.lastBatches);
    expect(model.lastBytes <= budget || model.lastBatches === 1, `slot ${t}: over the budget with more than one batch`).toBe(true);
    inbox.keepHeld();
    maxSources = Math.max(maxSources, inbox.rememberedSources);
    maxAwaited = Math.max(maxAwaited, inbox.awaited().length);
    maxHeldBack = Math.max(maxHeldBack, inbox.heldBackBatches);
    if (t % 25 === 0) snapshotBytes.push(serialize(inbox.snapshot()).length);
    if (t === p.restoreAt) {
      heldBackAtRestore = inbox.heldBackBatches;
      const restarted = new Inbox(SELF, p.shards, (src, slot) => delayOf(src, slot));
      restarted.restore(deserialize(serialize(inbox.snapshot())) as ReturnType<Inbox['snapshot']>);
      inbox = restarted;
    }

    // Every other shard's block of slot t: announced `finality` slots later, delivered within a few.
    if (t >= p.slots) continue;
    const cross: Crosslink[] = [];
    for (let src = 1; src < p.shards; src++) {
      const sends = rnd() < p.sendRatio;
      const amounts = sends ? Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => 1 + Math.floor(rnd() * 100)) : [];
      const { header, batch } = block(src, t, amounts);
      if (batch === undefined) {
        // A claim about a block that sent SELF nothing, delivered after it is final: not committed.
        if (rnd() < p.faultRatio) arrive(t + p.finality + 1, FORGERIES[0]!(block(src, t, [5]).batch!));
        continue;
      }
      cross.push({ header, count: batch.receipts.length, value: batch.receipts.reduce((s, r) => s + r.amount, 0) });
      if (rnd() < p.faultRatio) delays.set(t * p.shards + src, 1 + Math.floor(rnd() * 3));
      // Late by up to three slots past finality, but in the order the source sent them, as every
      // transport delivers a sender's batches (mailbox segments by slot, a queue per host).
      const at = Math.max(t + 1 + Math.floor(rnd() * (p.finality + 3)), lastArrival.get(src) ?? 0);
      lastArrival.set(src, at);
      arrive(at, batch);
      if (rnd() < p.faultRatio) arrive(at, copy(batch)); // a duplicated delivery
      if (rnd() < p.faultRatio) arrive(at, FORGERIES[Math.floor(rnd() * FORGERIES.length)]!(batch));
      const earlier = lastSent.get(src);
      if (earlier !== undefined && rnd() < p.faultRatio) arrive(at, copy(earlier)); // a Byzantine replay, with the next batch
      if (p.stale && everSent.length > 0 && rnd() < p.faultRatio) {
        const old = everSent[Math.floor(rnd() * everSent.length)]!;
        arrive(at, rnd() < 0.5 ? copy(old) : FORGERIES[Math.floor(rnd() * 4)]!(old));
      }
      lastSent.set(src, batch);
      everSent.push(batch);
    }
    announced.set(t, cross);
  }
  return { maxSources, maxAwaited, maxHeldBack, heldBackAtRestore, inbox, model, snapshotBytes };
}

const plans = (stale: boolean) =>
  fc.record({
    shards: fc.integer({ min: 2, max: 6 }),
    finality: fc.integer({ min: 1, max: 3 }),
    slots: fc.integer({ min: 40, max: 160 }),
    seed: fc.integer(),
    sendRatio: fc.double({ min: 0.05, max: 1, noNaN: true }),
    faultRatio: fc.double({ min: 0, max: 0.5, noNaN: true }),
    stale: fc.constant(stale),
    restoreAt: fc.integer({ min: 0, max: 200 }),
    budget: fc.constant<number | null>(null),
  });

describe('inbox over long runs', () => {
  it('admits what the unpruned model admits, once, in its order, and classifies every copy and forgery as it does, across a restore', () => {
    fc.assert(
      fc.property(plans(false), (p) => {
        const { inbox, model, maxSources } = runPlan(p);
        expect(inbox.stats.admittedBatches).toBe(model.stats.admittedBatches);
        expect(inbox.stats.admittedReceipts).toBe(model.stats.admittedReceipts);
        expect(inbox.stats.duplicateBatches).toBe(model.stats.duplicateBatches);
        expect(inbox.awaited()).toEqual([]);
        // What it remembers is bounded by the shard count; the model's record grows with the run.
        expect(maxSources).toBeLessThanOrEqual(p.shards - 1);
      }),
      { numRuns: 60 },
    );
  });

  it('under a byte cap, admits what the capped model admits, once, in its order, draining its backlog, across a restore', () => {
    fc.assert(
      fc.property(
        plans(false).chain((p) => fc.record({ plan: fc.constant(p), budget: fc.integer({ min: 0, max: 1_500 }) })),
        ({ plan, budget }) => {
          const { inbox, model } = runPlan({ ...plan, budget });
          expect(inbox.stats.admittedBatches).toBe(model.stats.admittedBatches);
          expect(inbox.stats.admittedReceipts).toBe(model.stats.admittedReceipts);
          expect(inbox.stats.duplicateBatches).toBe(model.stats.duplicateBatches);
          expect(inbox.heldBackBatches).toBe(0);
          expect(inbox.awaited()).toEqual([]);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('under a cap below the traffic, builds a backlog, is restored in the middle of it, and drains it', () => {
    const { inbox, model, maxHeldBack, heldBackAtRestore } = runPlan({
      shards: 6,
      finality: 2,
      slots: 120,
      seed: 11,
      sendRatio: 0.8,
      faultRatio: 0.2,
      stale: false,
      restoreAt: 100,
      budget: 600,
    });
    expect(maxHeldBack).toBeGreaterThan(5);
    expect(heldBackAtRestore).toBeGreaterThan(0);
    expect(inbox.stats.admittedBatches).toBe(model.stats.admittedBatches);
    expect(inbox.stats.duplicateBatches).toBeGreaterThan(0);
    expect(inbox.stats.rejectedByReason['bad-proof']).toBeGreaterThan(0);
    expect(inbox.heldBackBatches).toBe(0);
  });

  it("refuses a copy of an admission older than its source's newest unverified, never counting it harmless", () => {
    fc.assert(
      fc.property(plans(true), (p) => {
        const { inbox, model } = runPlan(p);
        expect(inbox.stats.admittedReceipts).toBe(model.stats.admittedReceipts);
        expect(inbox.stats.duplicateBatches).toBe(model.stats.duplicateBatches);
      }),
      { numRuns: 40 },
    );
  });

  it('holds as much after 1,000 slots as after 100: its checkpoint does not grow with the run', () => {
    const { inbox, model, snapshotBytes, maxAwaited } = runPlan({
      shards: 6,
      finality: 2,
      slots: 1_000,
      seed: 7,
      sendRatio: 0.6,
      faultRatio: 0.2,
      stale: false,
      restoreAt: 500,
      budget: null,
    });
    expect(model.admitted.size).toBeGreaterThan(2_000);
    // It met every kind of copy and forgery, and classified them as the model did (runPlan checked each).
    expect(inbox.stats.duplicateBatches).toBeGreaterThan(0);
    for (const reason of ['bad-proof', 'malformed', 'not-committed'] as const) expect(inbox.stats.rejectedByReason[reason]).toBeGreaterThan(0);
    expect(inbox.rememberedSources).toBe(5);
    expect(maxAwaited).toBeLessThan(5 * (2 + 4 + 2));
    // Its checkpoint, every 25 slots up to slot 1,000: a few kilobytes, with the batches in flight.
    // The unpruned record's grew by about 450 bytes a slot here, to 450 KB at slot 1,000.
    expect(snapshotBytes).toHaveLength(41);
    for (const bytes of snapshotBytes) expect(bytes).toBeLessThan(8_192);
  });
});
