import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Receipt, ReceiptKind } from '../../../crosslink/receipt.js';
import type { UserTx } from '../../../crosslink/tx.js';
import { buildAccountMap } from '../../../shards/account-map.js';
import { type CrossShardSetup, lockKey, RECEIPTS_PROTOCOL } from '../../../shards/cross-shard.js';
import { AccessListExecutor, type DeclareItem, declareItem } from '../../../shards/executors/access-list.js';
import { type ExecuteItem, executeItem, prefixBlock } from '../../../shards/executors/block-items.js';
import { type BlockStmEvent, BlockStmExecutor, type TaskDurations, TaskKind } from '../../../shards/executors/block-stm.js';
import { AccessLog, dependencyBound } from '../../../shards/executors/dependency-bound.js';
import type { BlockCandidates, BlockExecution, ExecutionLimits, Executor } from '../../../shards/executors/executor.js';
import { createExecutor } from '../../../shards/executors/index.js';
import { SequentialExecutor } from '../../../shards/executors/sequential.js';
import { balanceKey, nonceKey, ShardState } from '../../../shards/state.js';
import { Outcome, type VmContext } from '../../../shards/vm.js';
import { userTx } from '../../helpers/user-tx.js';

const GAS = { transfer: 21_000, receiptSend: 5_000, receiptApply: 5_000 };
const SPEED = 1_000_000;
const AMPLE: Omit<ExecutionLimits, 'threads'> = { gasLimit: 1e15, timeBudget: 1e9, gasPerSecondPerThread: SPEED };

/** Brokers in a `broker` world: their accounts come after the placement's. */
const BROKERS = 2;

const crossSetup = (protocol: CrossShardSetup['protocol']): CrossShardSetup =>
  protocol === 'broker' ? { protocol, brokers: BROKERS, liquidity: 60, fallback: 'wait' } : { ...RECEIPTS_PROTOCOL, protocol };

function world(accounts: number, frozen: number[] = [], cross: CrossShardSetup = RECEIPTS_PROTOCOL) {
  const map = buildAccountMap(accounts, 1, () => 0);
  const fz = new Uint8Array(accounts);
  for (const a of frozen) fz[a] = 1;
  const ctx: VmContext = {
    shard: 0,
    map,
    frozen: frozen.length > 0 ? fz : null,
    gas: GAS,
    contracts: new Map(),
    slot: 0,
    cross,
    members: map.members[0]!.length,
  };
  return { ctx, accounts };
}

const transfer = (id: number, from: number, to: number, amount: number, toShard = 0): UserTx =>
  userTx({ id, from, to, amount, gasLimit: toShard === 0 ? GAS.transfer : GAS.transfer + GAS.receiptSend, submitMs: id, toShard });

const receipt = (index: number, kind: ReceiptKind, from: number, to: number, amount: number, a = 0, b = 0): Receipt => ({
  kind,
  srcShard: 1,
  srcSlot: 0,
  index,
  dstShard: 0,
  txId: 10_000 + index,
  from,
  originShard: 0,
  to,
  amount,
  submitMs: 0,
  op: 0,
  a,
  b,
  c: 0,
  workGas: 0,
});

/**
 * A test-only VM: transactions whose id is a multiple of 7 read their
 * sender's balance and move one unit to the account that balance names, so
 * which keys they touch, and their gas, depend on values they read.
 */
function chaoticVm(accounts: number): ExecuteItem {
  return (block, index, ctx, state) => {
    const r = block.receipts.length;
    const tx = index >= r ? block.txs[index - r]! : null;
    if (tx === null || tx.id % 7 !== 0) return executeItem(block, index, ctx, state);
    const from = ctx.map.local[tx.from]!;
    const b = state.read(balanceKey(from));
    state.write(nonceKey(from), state.read(nonceKey(from)) + 1);
    const dest = b % accounts;
    if (dest === from || b < 1) return { outcome: Outcome.Failed, gasUsed: 20_000, emit: null };
    const dk = balanceKey(dest);
    const d = state.read(dk);
    state.write(balanceKey(from), b - 1);
    state.write(dk, state.read(dk) + 1);
    return { outcome: Outcome.LocalDone, gasUsed: 20_000 + (d % 7) * 1_000, emit: null };
  };
}

/** Declarations for chaoticVm: a chaotic transaction may touch any balance, so it declares them all. */
function chaoticDeclare(accounts: number): DeclareItem {
  return (block, index, ctx) => {
    const r = block.receipts.length;
    const tx = index >= r ? block.txs[index - r]! : null;
    if (tx === null || tx.id % 7 !== 0) return declareItem(block, index, ctx);
    const writes = [nonceKey(ctx.map.local[tx.from]!)];
    for (let a = 0; a < accounts; a++) writes.push(balanceKey(a));
    return { reads: [], writes };
  };
}

function hash(...xs: number[]): number {
  let h = 0x9e3779b9;
  for (const x of xs) {
    h = Math.imul(h ^ (x | 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/** Durations: 0 = from gas, 1 = tiny (0..3, many ties and zero-length tasks), 2 = random 1..60,000. */
function durations(mode: number, seed: number): TaskDurations | undefined {
  if (mode === 0) return undefined;
  if (mode === 1) return (kind, i, inc) => hash(seed, kind, i, inc) % 4;
  return (kind, i, inc) => 1 + (hash(seed, kind, i, inc) % 60_000);
}

function runOn(executor: Executor, block: BlockCandidates, accounts: number, initial: number, ctx: VmContext, limits: ExecutionLimits) {
  const brokers = ctx.cross.brokers;
  const state = new ShardState(accounts + brokers, initial);
  const exec = executor.execute(block, state, ctx, limits);
  // Every account's balance and nonce, the brokers' balances, and every lock-2pc lock.
  const values: number[] = [];
  for (let k = 0; k < (accounts + brokers) * 2; k++) values.push(state.read(k));
  for (let a = 0; a < accounts; a++) values.push(state.read(lockKey(a)));
  return { exec, values };
}

function expectSameAs(ref: ReturnType<typeof runOn>, got: ReturnType<typeof runOn>): void {
  expect(got.exec.receiptsIncluded).toBe(ref.exec.receiptsIncluded);
  expect(got.exec.txsIncluded).toBe(ref.exec.txsIncluded);
  expect(got.exec.results).toEqual(ref.exec.results);
  expect(got.exec.gasUsed).toBe(ref.exec.gasUsed);
  expect(got.values).toEqual(ref.values);
}

/** Trace invariants: one run; each transaction commits once, in block order, with its last incarnation; incarnations go 0, 1, 2, ... */
function checkTrace(events: BlockStmEvent[], n: number, exec: BlockExecution): void {
  expect(events.filter((e) => e.type === 'run')).toHaveLength(1);
  const commits = events.filter((e) => e.type === 'commit');
  expect(commits.map((e) => e.tx)).toEqual(Array.from({ length: n }, (_, i) => i));
  const nextInc = new Array<number>(n).fill(0);
  const lastExecuted = new Array<number>(n).fill(-1);
  for (const e of events) {
    if (e.type !== 'task' || e.kind === TaskKind.Validate) continue;
    expect(e.incarnation).toBe(nextInc[e.tx]);
    nextInc[e.tx]!++;
    if (e.kind === TaskKind.Execute) lastExecuted[e.tx] = e.incarnation;
  }
  for (const c of commits) if (c.type === 'commit') expect(c.incarnation).toBe(lastExecuted[c.tx]);
  const s = exec.stats;
  expect(s.executions).toBe(n + s.reexecutions);
  expect(s.aborts).toBe(s.reexecutions);
  expect(s.estimateWaits).toBeLessThanOrEqual(s.aborts);
}

const itemArb = fc.record({
  kind: fc.integer({ min: 0, max: 9 }),
  a: fc.nat(),
  b: fc.nat(),
  amount: fc.integer({ min: 0, max: 150 }),
});

const blockArb = fc.record({
  accounts: fc.integer({ min: 2, max: 100 }),
  threads: fc.integer({ min: 1, max: 32 }),
  receipts: fc.array(itemArb, { maxLength: 15 }),
  txs: fc.array(itemArb, { maxLength: 120 }),
  frozen: fc.boolean(),
  durMode: fc.integer({ min: 0, max: 2 }),
  seed: fc.nat(),
  protocol: fc.constantFrom<CrossShardSetup['protocol']>('receipts', 'lock-2pc', 'broker'),
});

type BlockSpec = typeof blockArb extends fc.Arbitrary<infer T> ? T : never;

function buildBlock(spec: BlockSpec): BlockCandidates {
  const A = spec.accounts;
  const receipts = spec.receipts.map((r, i) => {
    // Kinds 0-4 credits, 5-7 the protocol's own (a commit; a broker's payout or return), 8-9 refunds.
    if (r.kind < 5) return receipt(i, ReceiptKind.Credit, r.a % A, r.b % A, r.amount);
    if (r.kind >= 8 || spec.protocol === 'receipts') return receipt(i, ReceiptKind.Refund, r.a % A, r.b % A, r.amount);
    if (spec.protocol === 'lock-2pc') return receipt(i, ReceiptKind.Commit, r.a % A, r.b % A, 0);
    const kind = r.kind === 7 ? ReceiptKind.BrokerBack : ReceiptKind.BrokerPay;
    return receipt(i, kind, r.a % A, r.b % A, 0, r.amount, r.b % BROKERS);
  });
  // Ids that are multiples of 7 are chaotic under chaoticVm; kinds 0-7 local, 8-9 cross-shard.
  const txs = spec.txs.map((t, i) => transfer(i, t.a % A, t.b % A, t.amount, t.kind >= 8 ? 1 : 0));
  return { receipts, txs };
}

describe('parallel executors reproduce sequential', () => {
  it('random blocks: same state, per-item results and gas; each transaction commits once; incarnations only grow', () => {
    const seen = { aborts: 0, estimateWaits: 0, validationAborts: 0 };
    fc.assert(
      fc.property(blockArb, fc.boolean(), (spec, chaotic) => {
        const A = spec.accounts;
        const { ctx } = world(A, spec.frozen ? [0, 3 % A] : [], crossSetup(spec.protocol));
        const block = buildBlock(spec);
        const vm = chaotic ? chaoticVm(A) : executeItem;
        const limits = { ...AMPLE, threads: spec.threads };
        const n = block.receipts.length + block.txs.length;
        const ref = runOn(new SequentialExecutor({ executeItem: vm }), block, A, 100, ctx, limits);
        const events: BlockStmEvent[] = [];
        const dur = durations(spec.durMode, spec.seed);
        const stm = new BlockStmExecutor({ executeItem: vm, trace: (e) => events.push(e), ...(dur ? { durations: dur } : {}) });
        const got = runOn(stm, block, A, 100, ctx, limits);
        expectSameAs(ref, got);
        checkTrace(events, n, got.exec);
        seen.aborts += got.exec.stats.aborts;
        seen.estimateWaits += got.exec.stats.estimateWaits;
        seen.validationAborts += got.exec.stats.aborts - got.exec.stats.estimateWaits;
        const al = new AccessListExecutor({
          executeItem: vm,
          ...(chaotic ? { declare: chaoticDeclare(A) } : {}),
          ...(dur ? { durations: (i: number, g: number) => dur(TaskKind.Execute, i, 0, g) } : {}),
        });
        expectSameAs(ref, runOn(al, block, A, 100, ctx, limits));
      }),
      { numRuns: 300 },
    );
    // The runs must exercise both abort paths, not only conflict-free schedules.
    expect(seen.estimateWaits).toBeGreaterThan(0);
    expect(seen.validationAborts).toBeGreaterThan(0);
  });

  it('the registry builds each executor by its scenario name', () => {
    for (const name of ['sequential', 'block-stm', 'access-list'] as const) expect(createExecutor(name).name).toBe(name);
  });

  it('a chain of 1,000 transfers, each spending what the previous one credited, ends in the sequential state', () => {
    const A = 1_001;
    const { ctx } = world(A);
    // Account i holds 100 and receives 99 + i from i - 1, so it can send 100 + i only after that credit.
    const txs = Array.from({ length: 1_000 }, (_, i) => transfer(i, i, i + 1, 100 + i));
    const block = { receipts: [], txs };
    for (const threads of [1, 4, 16, 32]) {
      const limits = { ...AMPLE, threads };
      const ref = runOn(new SequentialExecutor(), block, A, 100, ctx, limits);
      expect(ref.exec.results.every((r) => r.outcome === Outcome.LocalDone)).toBe(true);
      const events: BlockStmEvent[] = [];
      const got = runOn(new BlockStmExecutor({ trace: (e) => events.push(e) }), block, A, 100, ctx, limits);
      expectSameAs(ref, got);
      checkTrace(events, txs.length, got.exec);
      expectSameAs(ref, runOn(new AccessListExecutor(), block, A, 100, ctx, limits));
    }
  });
});

function uniformTransfers(accounts: number, count: number, seed: number): UserTx[] {
  return Array.from({ length: count }, (_, i) => {
    const from = hash(seed, i, 1) % accounts;
    let to = hash(seed, i, 2) % (accounts - 1);
    if (to >= from) to++;
    return transfer(i, from, to, 1 + (hash(seed, i, 3) % 50));
  });
}

function speedup(executor: Executor, accounts: number, threads: number): { speedup: number; exec: BlockExecution } {
  const { ctx } = world(accounts);
  const block = { receipts: [], txs: uniformTransfers(accounts, 1_000, 42) };
  // Ample balances: every transfer succeeds (a failed one skips its receiver and shortens the chain).
  const { exec } = runOn(executor, block, accounts, 1e9, ctx, { ...AMPLE, threads });
  return { speedup: exec.gasUsed / SPEED / exec.makespan, exec };
}

describe('speedup shape', () => {
  it('Block-STM: above 8x on 10,000 accounts with 16 threads, under 2x on 2 accounts', () => {
    expect(speedup(new BlockStmExecutor(), 10_000, 16).speedup).toBeGreaterThan(8);
    expect(speedup(new BlockStmExecutor(), 2, 16).speedup).toBeLessThan(2);
  });

  it('access-list matches or beats Block-STM on plain transfers', () => {
    for (const accounts of [2, 10, 100, 1_000, 10_000]) {
      for (const threads of [1, 4, 16]) {
        const al = speedup(new AccessListExecutor(), accounts, threads).exec.makespan;
        const stm = speedup(new BlockStmExecutor(), accounts, threads).exec.makespan;
        expect(al).toBeLessThanOrEqual(stm);
      }
    }
  });

  it('speedups stay within the dependency bound', () => {
    for (const accounts of [2, 100, 10_000]) {
      for (const ex of [new BlockStmExecutor(), new AccessListExecutor()]) {
        const r = speedup(ex, accounts, 16);
        expect(r.speedup).toBeLessThanOrEqual(r.exec.stats.boundRaw + 1e-9);
        expect(r.exec.stats.boundAll).toBeLessThanOrEqual(r.exec.stats.boundRaw);
      }
    }
  });
});

describe('capacity', () => {
  const parallel = (): Executor[] => [new BlockStmExecutor(), new AccessListExecutor()];

  it('a block over the time budget keeps the largest prefix whose makespan fits, and writes only that prefix', () => {
    const A = 50;
    const { ctx } = world(A);
    const block = {
      receipts: Array.from({ length: 20 }, (_, i) => receipt(i, ReceiptKind.Credit, 0, i % A, 5)),
      txs: uniformTransfers(A, 400, 7),
    };
    for (const budget of [0.001, 0.05, 0.5, 2]) {
      for (const ex of parallel()) {
        const limits = { ...AMPLE, timeBudget: budget, threads: 8 };
        const got = runOn(ex, block, A, 1_000, ctx, limits);
        const count = got.exec.receiptsIncluded + got.exec.txsIncluded;
        expect(got.exec.makespan).toBeLessThanOrEqual(budget);
        if (got.exec.txsIncluded > 0) expect(got.exec.receiptsIncluded).toBe(block.receipts.length);
        const ref = runOn(new SequentialExecutor(), prefixBlock(block, count), A, 1_000, ctx, { ...AMPLE, threads: 8 });
        expectSameAs(ref, got);
        if (count < 420) {
          const next = runOn(ex, prefixBlock(block, count + 1), A, 1_000, ctx, { ...AMPLE, threads: 8 });
          expect(next.exec.makespan).toBeGreaterThan(budget);
        }
      }
    }
  });

  it('the gas limit cuts the block where sequential cuts it', () => {
    const { ctx } = world(20);
    const block = { receipts: [receipt(0, ReceiptKind.Credit, 0, 1, 5)], txs: uniformTransfers(20, 100, 3) };
    const limits = { ...AMPLE, gasLimit: 1_000_000, threads: 4 };
    const ref = runOn(new SequentialExecutor(), block, 20, 1_000, ctx, limits);
    expect(ref.exec.txsIncluded).toBe(47);
    for (const ex of parallel()) expectSameAs(ref, runOn(ex, block, 20, 1_000, ctx, limits));
  });
});

describe('access-list declarations', () => {
  it('an item touching a key it did not declare fails, is charged its gas, and changes nothing', () => {
    const { ctx } = world(4);
    const block = { receipts: [], txs: [transfer(0, 0, 1, 10), transfer(1, 2, 3, 10)] };
    // The first transfer forgets its receiver's balance.
    const declare: DeclareItem = (b, i, c) => (i === 0 ? { reads: [], writes: [balanceKey(0), nonceKey(0)] } : declareItem(b, i, c));
    const got = runOn(new AccessListExecutor({ declare }), block, 4, 100, ctx, { ...AMPLE, threads: 2 });
    expect(got.exec.results[0]).toEqual({ outcome: Outcome.Failed, gasUsed: GAS.transfer, emit: null });
    expect(got.exec.results[1]!.outcome).toBe(Outcome.LocalDone);
    // Balances and nonces of the four accounts, then their (untaken) locks.
    expect(got.values).toEqual([100, 0, 100, 0, 90, 1, 110, 0, 0, 0, 0, 0]);
  });
});

describe('dependency bound', () => {
  it('counts read-after-write chains apart from write-after-read and write-after-write edges', () => {
    const log = new AccessLog();
    const item = (reads: number[], writes: number[]) => {
      log.beginItem();
      for (const k of reads) log.read(k);
      for (const k of writes) log.write(k);
      log.endItem();
    };
    item([], [1]); // 0 writes 1
    item([1], [2]); // 1 reads 0's write: RAW
    item([], [1]); // 2 overwrites what 1 read: WAR, and 0's write: WAW
    item([], [9]); // independent
    const b = dependencyBound(log, [10, 10, 10, 10], 8);
    expect(b.chainRaw).toBe(20);
    expect(b.chainAll).toBe(30);
    expect(b.boundRaw).toBe(2);
    expect(b.boundAll).toBeCloseTo(40 / 30);
    expect(dependencyBound(log, [10, 10, 10, 10], 1).boundRaw).toBe(1);
  });

  it('sequential reports the bound of its block: a serial block is bound near 1, independent transfers by the threads', () => {
    const { ctx } = world(10_000);
    const serial = runOn(new SequentialExecutor(), { receipts: [], txs: uniformTransfers(2, 200, 1) }, 2, 1e9, world(2).ctx, { ...AMPLE, threads: 16 });
    expect(serial.exec.stats.boundRaw).toBe(1);
    const disjoint = Array.from({ length: 100 }, (_, i) => transfer(i, 2 * i, 2 * i + 1, 1));
    const wide = runOn(new SequentialExecutor(), { receipts: [], txs: disjoint }, 10_000, 1_000, ctx, { ...AMPLE, threads: 16 });
    expect(wide.exec.stats.boundRaw).toBe(16);
    expect(wide.exec.stats.boundAll).toBe(16);
  });
});
