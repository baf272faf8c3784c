/**
 * Commitment to contract storage: a positional Merkle tree over the slots
 * ever written, each leaf hashing (key, value). A new slot takes the next
 * position when its block commits, new slots of a block in ascending key
 * order, so every executor yields the same tree. The tree doubles when full
 * (a rebuild, amortised over the slots that filled it).
 */
import { ByteWriter, type Hash, ZERO_HASH } from '../crosslink/hash.js';
import { StateTree } from './state-tree.js';

const leafWriter = new ByteWriter(24);

export class StorageTree {
  /**
   * Built on the first commit that has a slot to place: most shards of most runs hold no contract storage, and
   * an empty 1,024-leaf tree costs a build each (every shard of a 64-shard run builds one at setup). The
   * same tree either way: root() needs none while no slot is placed.
   */
  private tree: StateTree | null = null;
  private readonly position = new Map<number, number>();
  private readonly pending = new Map<number, number>();

  get size(): number {
    return this.position.size;
  }

  /** Whether slots were set since the last commit. */
  get dirty(): boolean {
    return this.pending.size > 0;
  }

  /** Slots by tree position (a checkpoint replays them in this order to rebuild the same tree). */
  keys(): IterableIterator<number> {
    return this.position.keys();
  }

  /** Records the value a slot holds after this block. */
  set(key: number, value: number): void {
    this.pending.set(key, value);
  }

  commit(): Hash {
    if (this.pending.size === 0) return this.root();
    const fresh = [...this.pending.keys()].filter((k) => !this.position.has(k)).sort((a, b) => a - b);
    for (const k of fresh) this.position.set(k, this.position.size);
    this.tree ??= new StateTree(1024);
    if (this.position.size > this.tree.capacity) this.grow(this.tree);
    const tree = this.tree;
    for (const [k, v] of this.pending) tree.setLeaf(this.position.get(k)!, leafWriter.reset().u64(k).u64(Math.max(0, v)).leafHash());
    this.pending.clear();
    return tree.commit();
  }

  root(): Hash {
    return this.position.size === 0 || this.tree === null ? ZERO_HASH : this.tree.root();
  }

  private grow(tree: StateTree): void {
    let cap = tree.capacity;
    while (cap < this.position.size) cap *= 2;
    const next = new StateTree(cap);
    for (let i = 0; i < tree.capacity; i++) next.setLeaf(i, tree.leaf(i));
    next.build();
    this.tree = next;
  }
}
