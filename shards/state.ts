/**
 * A shard's account state: balance and nonce of each account it owns, in
 * typed arrays indexed by local account index. Reads and writes go through
 * numeric state keys (local index * 2 + field) so executors can record and
 * version them without strings. Committing rehashes only touched accounts.
 */

import { CheckpointError } from '../crosslink/common/errors.js';
import { ByteWriter, type Hash, hashPair } from '../crosslink/hash.js';
import { StateTree } from './state-tree.js';
import { isStorageKey } from './storage-keys.js';
import { StorageTree } from './storage-tree.js';

export const FIELD_BALANCE = 0;
export const FIELD_NONCE = 1;
export const FIELDS = 2;

export const balanceKey = (local: number): number => local * FIELDS + FIELD_BALANCE;
export const nonceKey = (local: number): number => local * FIELDS + FIELD_NONCE;

/** The view a transaction executes against; executors decide what stands behind it. */
export interface StateAccess {
  read(key: number): number;
  write(key: number, value: number): void;
}

const leafWriter = new ByteWriter(16);

/** An account state as plain data (shard checkpoints): storage in tree-position order. */
export interface StateSnapshot {
  readonly balances: Float64Array;
  readonly nonces: Uint32Array;
  readonly storageKeys: Float64Array;
  readonly storageValues: Float64Array;
}

export class ShardState implements StateAccess {
  readonly size: number;
  private readonly balances: Float64Array;
  private readonly nonces: Uint32Array;
  private readonly tree: StateTree;
  private readonly touched: Uint8Array;
  private readonly touchedList: number[] = [];
  /** Contract storage slots ever written (storage-keys.ts); unwritten ones read as `storageDefault`. */
  private readonly storage = new Map<number, number>();
  private readonly storageTree = new StorageTree();
  private readonly storageDefault: (key: number) => number;

  constructor(accountCount: number, initialBalance: number, storageDefault: (key: number) => number = () => 0) {
    this.storageDefault = storageDefault;
    this.size = accountCount;
    this.balances = new Float64Array(accountCount).fill(initialBalance);
    this.nonces = new Uint32Array(accountCount);
    this.touched = new Uint8Array(accountCount);
    // Leaves are positional (local index = position, as a trie keys by address),
    // so identical genesis accounts share one leaf hash and their subtrees'
    // hashes: genesis costs O(log n) hashes, not n.
    this.tree = new StateTree(accountCount, this.encodeLeaf(0).leafHash());
  }

  read(key: number): number {
    if (isStorageKey(key)) return this.storage.get(key) ?? this.storageDefault(key);
    const local = key >> 1;
    return (key & 1) === FIELD_BALANCE ? this.balances[local]! : this.nonces[local]!;
  }

  write(key: number, value: number): void {
    if (isStorageKey(key)) {
      this.storage.set(key, value);
      this.storageTree.set(key, value);
      return;
    }
    const local = key >> 1;
    if ((key & 1) === FIELD_BALANCE) this.balances[local] = value;
    else this.nonces[local] = value;
    if (this.touched[local] === 0) {
      this.touched[local] = 1;
      this.touchedList.push(local);
    }
  }

  balanceOf(local: number): number {
    return this.balances[local]!;
  }

  balanceSum(): number {
    let s = 0;
    for (let i = 0; i < this.size; i++) s += this.balances[i]!;
    return s;
  }

  /** Folds every account touched since the last commit into the tree; returns the state root. */
  commit(): Hash {
    const list = this.touchedList;
    for (let i = 0; i < list.length; i++) {
      const local = list[i]!;
      this.touched[local] = 0;
      this.tree.setLeafHashOf(local, this.encodeLeaf(local));
    }
    list.length = 0;
    const accounts = this.tree.commit();
    // Runs without contracts keep the plain account root.
    return this.storageTree.size === 0 && !this.storageTree.dirty ? accounts : hashPair(accounts, this.storageTree.commit());
  }

  /** The committed state as plain data (copies; call right after `commit`). */
  snapshot(): StateSnapshot {
    const keys = Float64Array.from(this.storageTree.keys());
    const values = keys.map((k) => this.storage.get(k)!);
    return { balances: this.balances.slice(), nonces: this.nonces.slice(), storageKeys: keys, storageValues: values };
  }

  /**
   * Takes over a snapshot of a state built the same way (same size and
   * genesis) and returns the new root. Storage slots are replayed in tree
   * position order, committing wherever the order descends: the storage tree
   * numbers a block's new slots in ascending order, so each ascending run
   * lands on the positions it had.
   */
  restore(s: StateSnapshot): Hash {
    if (s.balances.length !== this.size) throw new CheckpointError(`state snapshot holds ${s.balances.length} accounts, not ${this.size}`);
    // Against the state as built (broker accounts start at their liquidity, every other at the initial balance).
    for (let i = 0; i < this.size; i++) {
      if (s.balances[i] !== this.balances[i] || s.nonces[i] !== this.nonces[i]) this.write(balanceKey(i), s.balances[i]!);
    }
    this.nonces.set(s.nonces);
    let previous = -1;
    for (let i = 0; i < s.storageKeys.length; i++) {
      const key = s.storageKeys[i]!;
      if (key < previous) this.storageTree.commit();
      previous = key;
      this.write(key, s.storageValues[i]!);
    }
    return this.commit();
  }

  /** Every storage slot written so far with its value, for contract invariants at the end of a run. */
  writtenStorage(): ReadonlyMap<number, number> {
    return this.storage;
  }

  /** An account's leaf record: balance (u64) and nonce (u32). */
  private encodeLeaf(local: number): ByteWriter {
    return leafWriter.reset().u64(this.balances[local]!).u32(this.nonces[local]!);
  }
}
