import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TxKind, type UserTx } from '../../../crosslink/tx.js';
import { buildAccountMap } from '../../../shards/account-map.js';
import { AccessedOp } from '../../../shards/contracts/accessed.js';
import { AmmOp } from '../../../shards/contracts/amm.js';
import type { ContractSpec } from '../../../shards/contracts/contract.js';
import { DaoOp } from '../../../shards/contracts/dao.js';
import { CONTRACTS } from '../../../shards/contracts/index.js';
import { NftOp } from '../../../shards/contracts/nft.js';
import { RouterOp } from '../../../shards/contracts/router.js';
import { TokenOp } from '../../../shards/contracts/token.js';
import { RECEIPTS_PROTOCOL } from '../../../shards/cross-shard.js';
import { AccessListExecutor } from '../../../shards/executors/access-list.js';
import { BlockStmExecutor } from '../../../shards/executors/block-stm.js';
import type { Executor } from '../../../shards/executors/executor.js';
import { SequentialExecutor } from '../../../shards/executors/sequential.js';
import { ShardState } from '../../../shards/state.js';
import { contractLocalOfKey, slotOfKey } from '../../../shards/storage-keys.js';
import { txGas, type VmContext } from '../../../shards/vm.js';

const GAS = { transfer: 21_000, receiptSend: 5_000, receiptApply: 5_000 };

/** Access lists over six slots, for the replayed-storage contract: shared reads, shared writes, both. */
const ACCESSES = [
  { reads: [0, 1], writes: [2] },
  { reads: [0], writes: [3] },
  { reads: [2], writes: [0] },
  { reads: [], writes: [4, 5] },
  { reads: [4, 5], writes: [] },
];

/** One shard: users 0..users-1, then a token, a pool, a collection, a proposal, a swap router and replayed storage. */
function world(users: number) {
  const accounts = users + 6;
  const specs: ContractSpec[] = [
    { id: users, kind: 'token', initialBalance: 50 },
    { id: users + 1, kind: 'amm', reserve: 10_000, initialBalance: 500 },
    { id: users + 2, kind: 'nft', cap: 5 },
    { id: users + 3, kind: 'dao', deadlineSlot: 100 },
    { id: users + 4, kind: 'router' },
    { id: users + 5, kind: 'accessed', accesses: ACCESSES },
  ];
  const map = buildAccountMap(accounts, 1, () => 0);
  const ctx: VmContext = {
    shard: 0,
    map,
    frozen: null,
    gas: GAS,
    contracts: new Map(specs.map((s) => [s.id, s])),
    slot: 0,
    cross: RECEIPTS_PROTOCOL,
    members: map.members[0]!.length,
  };
  const byLocal = new Map(specs.map((s) => [map.local[s.id]!, s]));
  const storageDefault = (key: number) => {
    const spec = byLocal.get(contractLocalOfKey(key));
    return spec === undefined ? 0 : CONTRACTS[spec.kind].defaultValue(spec, slotOfKey(key));
  };
  return { accounts, ctx, storageDefault, users };
}

/** A random call (or transfer) on a small universe: many conflicts, some value-dependent keys (mints), failures. */
const item = (users: number) =>
  fc.tuple(fc.integer({ min: 0, max: 13 }), fc.nat(users - 1), fc.nat(users - 1), fc.nat(60), fc.nat(2)).map(([k, from, other, x, y]) => {
    const call = (to: number, op: number, a: number, b: number, c = 0, amount = 0) => ({ kind: TxKind.Call, to, op, a, b, c, amount });
    switch (k) {
      case 0:
        return { kind: TxKind.Transfer, to: other, op: 0, a: 0, b: 0, c: 0, amount: x, from };
      case 1:
        return { ...call(users, TokenOp.Transfer, other, x), from };
      case 2:
        return { ...call(users, TokenOp.Approve, other, x), from };
      case 3:
        return { ...call(users, TokenOp.TransferFrom, other, from, x), from };
      case 4:
        return { ...call(users + 1, AmmOp.Swap, y % 2, x + 1), from };
      case 5:
        return { ...call(users + 1, AmmOp.AddLiquidity, x * 3, x * 3), from };
      case 6:
        return { ...call(users + 1, AmmOp.RemoveLiquidity, x + 1, 0), from };
      case 7:
        return { ...call(users + 2, NftOp.Mint, 0, 0, 0, 3), from };
      case 8:
        return { ...call(users + 2, NftOp.Transfer, x % 6, other), from };
      case 10:
        return { ...call(users, TokenOp.ReplayTransferFrom, other, from, x % 3), from };
      case 11:
        // A path of up to three of four pools (0: no pool), so swaps share pools often.
        return { ...call(users + 4, RouterOp.Swap, (x % 5) as number, y + 1, (x * 7) % 5), from };
      case 12:
        return { ...call(users + 4, RouterOp.Opaque, 0, 0), from };
      case 13: {
        const entry = ACCESSES[x % ACCESSES.length]!;
        return { ...call(users + 5, AccessedOp.Replay, x % ACCESSES.length, entry.reads.length, entry.writes.length), from };
      }
      default:
        return { ...call(users + 3, DaoOp.Vote, y % 2, 0), from };
    }
  });

function run(executor: Executor, txs: UserTx[], w: ReturnType<typeof world>, threads: number) {
  const state = new ShardState(w.accounts, 100, w.storageDefault);
  const exec = executor.execute({ receipts: [], txs }, state, w.ctx, { gasLimit: 1e15, timeBudget: 1e9, gasPerSecondPerThread: 1e6, threads });
  const accounts = Array.from({ length: w.accounts * 2 }, (_, k) => state.read(k));
  const storage = [...state.writtenStorage()].sort((a, b) => a[0] - b[0]);
  return { results: exec.results, gas: exec.gasUsed, accounts, storage, root: state.commit() };
}

describe('parallel executors on contract workloads', () => {
  it('random blocks of token, amm, nft, dao, router, replayed-storage calls and transfers: same state, results and gas as sequential', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 12 }), fc.integer({ min: 1, max: 32 }), fc.integer({ min: 1, max: 60 }), fc.nat(), (users, threads, n, seed) => {
        const w = world(users);
        const txs = fc.sample(fc.array(item(users), { minLength: n, maxLength: n }), { numRuns: 1, seed })[0]!.map((d, i): UserTx => {
          const tx = { ...d, id: i, submitMs: 0, toShard: 0, gasLimit: 0, bytes: 110, workGas: 0 };
          return { ...tx, gasLimit: txGas(tx, w.ctx) };
        });
        const ref = run(new SequentialExecutor(), txs, w, threads);
        for (const ex of [new BlockStmExecutor(), new AccessListExecutor()]) {
          const got = run(ex, txs, w, threads);
          expect(got.results, ex.name).toEqual(ref.results);
          expect(got.gas).toBe(ref.gas);
          expect(got.accounts).toEqual(ref.accounts);
          expect(got.storage).toEqual(ref.storage);
          expect(got.root).toEqual(ref.root);
        }
      }),
      { numRuns: 200 },
    );
  });
});
