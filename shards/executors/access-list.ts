/**
 * Declared-access execution, as in Solana's Sealevel runtime: every item
 * declares up front the state keys it reads and writes (vm.ts
 * `declaredAccess`), each key keeps a FIFO of lock requests in block order
 * (readers share, a writer is exclusive), and an item may start once every
 * earlier item it conflicts with has finished: the dependency DAG Solana's
 * unified scheduler replays blocks by. It is list-scheduled on k virtual
 * threads: whenever threads are free, the lowest-index ready item goes to the
 * lowest-index free thread. An item takes its gas in thread-gas; nothing is
 * retried, nothing validated. With `costs` (execution-cost.ts) an item also
 * pays the scheduler and a lock a declared key, and the DAG is built before
 * the first item starts.
 *
 * An item that touches a key it did not declare fails (outcome Failed, its
 * intrinsic gas still charged) and its writes are discarded, as Solana
 * rejects access to an account a transaction did not lock. With correct
 * declarations the results equal `sequential`.
 *
 * Capacity: see capacity.ts. Probes write into a copy-on-write overlay over
 * the state; only the chosen prefix's overlay is written to the state.
 */
import type { StateAccess } from '../state.js';
import { lockKeyOf } from '../storage-keys.js';
import { type DeclaredAccess, declaredAccess, type ItemResult, Outcome, type VmContext } from '../vm.js';
import { type ExecuteItem, executeItem, intrinsicGas } from './block-items.js';
import { executeFitted } from './committed-block.js';
import type { AccessLog } from './dependency-bound.js';
import type { AccessListCosts } from './execution-cost.js';
import type { BlockCandidates, BlockExecution, ExecutionLimits, Executor } from './executor.js';
import { IntMinHeap } from './int-heap.js';
import { VirtualThreads } from './virtual-threads.js';

/** What item `index` of `block` declares; tests pass their own alongside their own VM. */
export type DeclareItem = (block: BlockCandidates, index: number, ctx: VmContext) => DeclaredAccess;

export const declareItem: DeclareItem = (block, index, ctx) => {
  const r = block.receipts.length;
  return declaredAccess(index < r ? block.receipts[index]! : block.txs[index - r]!, ctx);
};

export type AccessListEvent =
  | { readonly type: 'run'; readonly items: number }
  | { readonly type: 'task'; readonly item: number; readonly thread: number; readonly start: number; readonly end: number };

export interface AccessListOptions {
  readonly executeItem?: ExecuteItem;
  readonly declare?: DeclareItem;
  /** Maps an item's gas to its duration in thread-gas; tests inject random ones. */
  readonly durations?: (item: number, gas: number) => number;
  /** What running the scheduler costs beyond gas (execution-cost.ts); none when absent (`executionCost: ideal`). */
  readonly costs?: AccessListCosts;
  /** Called for every simulated event, capacity probes included (each starts with a 'run' event). */
  readonly trace?: (e: AccessListEvent) => void;
}

/** Thrown through the VM on a key the item did not declare. */
const UNDECLARED = { undeclared: true };

/** An item's view: its declared keys only; reads see its own writes, then the overlay, then the state. */
class LockedView implements StateAccess {
  keys!: Float64Array;
  writable!: Uint8Array;
  from = 0;
  to = 0;
  reads: number[] = [];
  wKeys: number[] = [];
  wVals: number[] = [];

  constructor(
    private readonly overlay: Map<number, number>,
    private readonly storage: StateAccess,
  ) {}

  reset(from: number, to: number): void {
    this.from = from;
    this.to = to;
    this.reads = [];
    this.wKeys = [];
    this.wVals = [];
  }

  read(key: number): number {
    this.check(key, false);
    const wk = this.wKeys;
    for (let i = 0; i < wk.length; i++) if (wk[i] === key) return this.wVals[i]!;
    if (!this.reads.includes(key)) this.reads.push(key);
    const v = this.overlay.get(key);
    return v === undefined ? this.storage.read(key) : v;
  }

  write(key: number, value: number): void {
    this.check(key, true);
    const wk = this.wKeys;
    for (let i = 0; i < wk.length; i++) {
      if (wk[i] === key) {
        this.wVals[i] = value;
        return;
      }
    }
    wk.push(key);
    this.wVals.push(value);
  }

  private check(key: number, write: boolean): void {
    // A storage slot is also covered by a lock on its whole contract (declared when slots depend on values read).
    const lock = lockKeyOf(key);
    for (let i = this.from; i < this.to; i++) {
      const k = this.keys[i];
      if ((k === key || k === lock) && (!write || this.writable[i] === 1)) return;
    }
    throw UNDECLARED;
  }
}

/** One list-scheduled simulation of a block prefix; also the capacity search's probe. */
class AccessListRun {
  readonly n: number;
  readonly overlay = new Map<number, number>();
  makespan = 0;
  readonly results: ItemResult[];
  readonly endTime: Float64Array;
  /** Per item, the keys it actually read and wrote (empty for an item that failed on an undeclared key). */
  readonly readKeys: number[][];
  readonly writeKeys: number[][];
  private readonly writeVals: number[][];
  private readonly declStart: Int32Array;
  private readonly declKeys: Float64Array;
  private readonly declWritable: Uint8Array;
  private readonly succStart: Int32Array;
  private readonly succ: Int32Array;
  private readonly indeg: Int32Array;
  private readonly view: LockedView;

  constructor(
    private readonly block: BlockCandidates,
    private readonly ctx: VmContext,
    private readonly k: number,
    storage: StateAccess,
    private readonly run: ExecuteItem,
    declare: DeclareItem,
    private readonly durations: ((item: number, gas: number) => number) | null,
    private readonly trace: ((e: AccessListEvent) => void) | null,
    private readonly costs: AccessListCosts | null = null,
  ) {
    const n = (this.n = block.receipts.length + block.txs.length);
    this.results = new Array<ItemResult>(n);
    this.endTime = new Float64Array(n);
    this.readKeys = new Array<number[]>(n);
    this.writeKeys = new Array<number[]>(n);
    this.writeVals = new Array<number[]>(n);
    // Declarations, flattened; a key declared both ways is writable.
    const keys: number[] = [];
    const writable: number[] = [];
    this.declStart = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) {
      const d = declare(block, i, ctx);
      const from = keys.length;
      for (const key of d.writes) {
        if (keys.indexOf(key, from) < 0) {
          keys.push(key);
          writable.push(1);
        }
      }
      for (const key of d.reads) {
        if (keys.indexOf(key, from) < 0) {
          keys.push(key);
          writable.push(0);
        }
      }
      this.declStart[i + 1] = keys.length;
    }
    this.declKeys = Float64Array.from(keys);
    this.declWritable = Uint8Array.from(writable);
    // The DAG: per key, the last writer and the readers since; an edge from each to a later conflicting item.
    const slotOf = new Map<number, number>();
    const lastWriter: number[] = [];
    const readers: number[][] = [];
    const stamp = new Int32Array(n).fill(-1);
    const from: number[] = [];
    const to: number[] = [];
    this.indeg = new Int32Array(n);
    const edge = (p: number, i: number): void => {
      if (p < 0 || stamp[p] === i) return;
      stamp[p] = i;
      from.push(p);
      to.push(i);
      this.indeg[i]!++;
    };
    for (let i = 0; i < n; i++) {
      for (let j = this.declStart[i]!; j < this.declStart[i + 1]!; j++) {
        const key = this.declKeys[j]!;
        let s = slotOf.get(key);
        if (s === undefined) {
          s = lastWriter.length;
          slotOf.set(key, s);
          lastWriter.push(-1);
          readers.push([]);
        }
        edge(lastWriter[s]!, i);
        if (this.declWritable[j] === 1) {
          for (const r of readers[s]!) edge(r, i);
          lastWriter[s] = i;
          readers[s] = [];
        } else readers[s]!.push(i);
      }
    }
    this.succStart = new Int32Array(n + 1);
    for (const p of from) this.succStart[p + 1]!++;
    for (let i = 0; i < n; i++) this.succStart[i + 1]! += this.succStart[i]!;
    this.succ = new Int32Array(from.length);
    const fill = this.succStart.slice(0, n);
    for (let e = 0; e < from.length; e++) this.succ[fill[from[e]!]!++] = to[e]!;
    this.view = new LockedView(this.overlay, storage);
    this.view.keys = this.declKeys;
    this.view.writable = this.declWritable;
  }

  simulate(): this {
    this.trace?.({ type: 'run', items: this.n });
    const n = this.n;
    const ready = new IntMinHeap(n);
    for (let i = 0; i < n; i++) if (this.indeg[i] === 0) ready.push(i);
    // With costs, the DAG is built, one declared key after another, before the first item starts.
    const dagGas = this.costs === null ? 0 : this.declKeys.length * this.costs.dagGasPerKey;
    const th = new VirtualThreads(this.k);
    const item = new Int32Array(this.k);
    const ended: number[] = [];
    const assign = (t: number): void => {
      while (th.idleCount > 0 && ready.size > 0) {
        const thread = th.takeIdle();
        const i = ready.pop();
        item[thread] = i;
        const end = t + this.start(i);
        th.occupy(thread, end);
        this.trace?.({ type: 'task', item: i, thread, start: t, end });
      }
    };
    assign(dagGas);
    while (th.busyCount > 0) {
      const t = th.nextEnd();
      ended.length = 0;
      while (th.busyCount > 0 && th.nextEnd() === t) ended.push(th.popEnded());
      for (const thread of ended) {
        const i = item[thread]!;
        this.endTime[i] = t;
        const keys = this.writeKeys[i]!;
        const vals = this.writeVals[i]!;
        for (let j = 0; j < keys.length; j++) this.overlay.set(keys[j]!, vals[j]!);
        for (let e = this.succStart[i]!; e < this.succStart[i + 1]!; e++) {
          const s = this.succ[e]!;
          if (--this.indeg[s]! === 0) ready.push(s);
        }
        th.release(thread);
      }
      assign(t);
      this.makespan = t;
    }
    this.makespan = Math.max(this.makespan, dagGas);
    return this;
  }

  /** Runs item i at its start; returns its duration. Its writes are applied when it ends. */
  private start(i: number): number {
    const view = this.view;
    view.reset(this.declStart[i]!, this.declStart[i + 1]!);
    let res: ItemResult;
    try {
      res = this.run(this.block, i, this.ctx, view);
      this.readKeys[i] = view.reads;
      this.writeKeys[i] = view.wKeys;
      this.writeVals[i] = view.wVals;
    } catch (e) {
      if (e !== UNDECLARED) throw e;
      res = { outcome: Outcome.Failed, gasUsed: intrinsicGas(this.block, i, this.ctx), emit: null };
      this.readKeys[i] = [];
      this.writeKeys[i] = [];
      this.writeVals[i] = [];
    }
    this.results[i] = res;
    const c = this.costs;
    const gas = res.gasUsed + (c === null ? 0 : c.taskGas + (this.declStart[i + 1]! - this.declStart[i]!) * c.lockGas);
    return this.durations === null ? gas : this.durations(i, gas);
  }

  /** Leading items finished by `budget` thread-gas. */
  finishedBy(budget: number): number {
    let i = 0;
    while (i < this.n && this.endTime[i]! <= budget) i++;
    return i;
  }

  logAccess(i: number, log: AccessLog): void {
    for (const key of this.readKeys[i]!) log.read(key);
    for (const key of this.writeKeys[i]!) log.write(key);
  }

  flush(state: StateAccess): void {
    for (const [key, value] of this.overlay) state.write(key, value);
  }
}

export class AccessListExecutor implements Executor {
  readonly name = 'access-list' as const;
  private readonly run: ExecuteItem;
  private readonly declare: DeclareItem;
  private readonly durations: ((item: number, gas: number) => number) | null;
  private readonly trace: ((e: AccessListEvent) => void) | null;
  private readonly costs: AccessListCosts | null;

  constructor(opts: AccessListOptions = {}) {
    this.run = opts.executeItem ?? executeItem;
    this.declare = opts.declare ?? declareItem;
    this.durations = opts.durations ?? null;
    this.costs = opts.costs ?? null;
    this.trace = opts.trace ?? null;
  }

  execute(block: BlockCandidates, state: StateAccess, ctx: VmContext, limits: ExecutionLimits): BlockExecution {
    return executeFitted(
      block,
      state,
      ctx,
      limits,
      (prefix) => new AccessListRun(prefix, ctx, limits.threads, state, this.run, this.declare, this.durations, this.trace, this.costs).simulate(),
      // No retries: one execution per item, never aborted.
      (run) => ({ executions: run.n, reexecutions: 0, validations: 0, aborts: 0, estimateWaits: 0, wastedGas: 0 }),
    );
  }
}
