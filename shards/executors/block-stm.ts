/**
 * Block-STM (Gelashvili et al., "Block-STM: Scaling Blockchain Execution by
 * Turning Ordering Curse to a Performance Blessing", PPoPP'23), simulated on
 * k virtual threads as a deterministic discrete-event schedule.
 *
 * The algorithm: transactions execute optimistically against a multi-version
 * memory (mv-memory.ts), recording the version of every read; a validation
 * re-reads the read set and aborts the incarnation if anything changed, its
 * writes turning into ESTIMATE markers; a reader that meets an ESTIMATE stops
 * and waits for that writer, then runs a new incarnation. A collaborative
 * scheduler hands out tasks from two indices, execution_idx and
 * validation_idx (lower one first, validation on ties), lowering them when an
 * abort or a re-execution that wrote a new key makes work reappear.
 * Transactions commit in block order (the rolling commit of aptos-core's
 * block executor): i commits once everything below it has, and it has passed
 * a validation of its current incarnation started after the last event that
 * could have invalidated it, tracked with validation "waves" (each lowering
 * of validation_idx opens a wave; i needs a successful validation from a
 * wave at least the highest one opened at or below i).
 *
 * The simulation: time is thread-gas (see virtual-threads.ts). A task's reads
 * happen at its start (the VM runs against the memory as of that instant),
 * its writes and scheduler effects at its end. Durations: an execution takes
 * its gas; a validation VALIDATION_GAS_PER_READ per read; an execution halted
 * at an ESTIMATE takes VALIDATION_GAS_PER_READ per read it got through,
 * including the blocking one. When tasks end at the same instant they are
 * processed in thread-index order, then their follow-up tasks start, then
 * idle threads take new tasks from the scheduler, lowest thread first.
 * With `costs` (execution-cost.ts) every task also pays the scheduler, an
 * execution each access through the multi-version memory, and commits run
 * one after another on a serial lane beside the threads.
 *
 * Capacity: see capacity.ts. Probes simulate against the state read-only
 * (the multi-version memory is their overlay); only the chosen prefix's
 * final values are written to the state.
 */

import { InternalError } from '../../crosslink/common/errors.js';
import type { StateAccess } from '../state.js';
import type { ItemResult, VmContext } from '../vm.js';
import { type ExecuteItem, executeItem } from './block-items.js';
import { executeFitted } from './committed-block.js';
import type { AccessLog } from './dependency-bound.js';
import type { BlockStmCosts } from './execution-cost.js';
import type { BlockCandidates, BlockExecution, ExecutionLimits, Executor } from './executor.js';
import { MvMemory, ReadKind } from './mv-memory.js';
import { VirtualThreads } from './virtual-threads.js';

/** Cost of checking one read of a read set, in gas (about a warm storage read). */
export const VALIDATION_GAS_PER_READ = 100;

export const TaskKind = {
  Execute: 0,
  Validate: 1,
  /** An execution that stopped at an ESTIMATE marker. */
  Halted: 2,
} as const;
export type TaskKind = (typeof TaskKind)[keyof typeof TaskKind];

/** Maps a task's default cost (gas) to its duration in thread-gas; tests inject random ones. */
export type TaskDurations = (kind: TaskKind, txIndex: number, incarnation: number, gas: number) => number;

export type BlockStmEvent =
  | { readonly type: 'run'; readonly items: number }
  | {
      readonly type: 'task';
      readonly kind: TaskKind;
      readonly tx: number;
      readonly incarnation: number;
      readonly thread: number;
      readonly start: number;
      readonly end: number;
    }
  | { readonly type: 'abort'; readonly tx: number; readonly incarnation: number; readonly time: number }
  | { readonly type: 'commit'; readonly tx: number; readonly incarnation: number; readonly time: number };

export interface BlockStmOptions {
  readonly executeItem?: ExecuteItem;
  readonly durations?: TaskDurations;
  /** What running Block-STM costs beyond gas (execution-cost.ts); none when absent (`executionCost: ideal`). */
  readonly costs?: BlockStmCosts;
  /** Called for every simulated event, capacity probes included (each starts with a 'run' event). */
  readonly trace?: (e: BlockStmEvent) => void;
}

const READY = 0;
const EXECUTING = 1;
const EXECUTED = 2;
/** Aborted by an ESTIMATE read, waiting for the writer to finish. */
const WAITING = 3;
const COMMITTED = 4;

const NO_TASK = -1;

/** Thrown through the VM when a read meets an ESTIMATE. */
const HALT = { halt: true };

/**
 * The view an execution runs against: own writes, then the multi-version
 * memory, then storage. Every execution's read set and writes are appended
 * to two arenas (typed arrays) that live as long as the run, and a
 * transaction's current incarnation points into them: no arrays per
 * execution (they were most of Block-STM's garbage).
 */
class ExecView implements StateAccess {
  tx = 0;
  /** Read sets, 4 numbers per read: key, writer tx (-1 storage), writer incarnation, value. */
  reads: Float64Array;
  readStart = 0;
  readEnd = 0;
  /** Written keys and values. */
  wKeys: Float64Array;
  wVals: Float64Array;
  writeStart = 0;
  writeEnd = 0;
  blocking = -1;

  constructor(
    private readonly mv: MvMemory,
    private readonly storage: StateAccess,
    items: number,
  ) {
    // Room for a first incarnation of every item with a few reads and writes each.
    this.reads = new Float64Array(Math.max(64, 16 * items));
    this.wKeys = new Float64Array(Math.max(16, 4 * items));
    this.wVals = new Float64Array(this.wKeys.length);
  }

  /** Starts an execution of `tx`: its reads and writes go after everything recorded so far. */
  begin(tx: number): void {
    this.tx = tx;
    this.readStart = this.readEnd;
    this.writeStart = this.writeEnd;
    this.blocking = -1;
  }

  /** Drops what the current execution recorded (it halted: nothing of it is kept). */
  discard(): void {
    this.readEnd = this.readStart;
    this.writeEnd = this.writeStart;
  }

  read(key: number): number {
    const wk = this.wKeys;
    for (let i = this.writeStart; i < this.writeEnd; i++) if (wk[i] === key) return this.wVals[i]!;
    let r = this.reads;
    for (let i = this.readStart; i < this.readEnd; i += 4) if (r[i] === key) return r[i + 3]!;
    const kind = this.mv.read(key, this.tx);
    if (kind === ReadKind.Estimate) {
      this.blocking = this.mv.lastTx;
      throw HALT;
    }
    const value = kind === ReadKind.Value ? this.mv.lastValue : this.storage.read(key);
    const at = this.readEnd;
    if (at + 4 > r.length) {
      const grown = new Float64Array(2 * r.length);
      grown.set(r);
      this.reads = r = grown;
    }
    r[at] = key;
    r[at + 1] = this.mv.lastTx;
    r[at + 2] = this.mv.lastInc;
    r[at + 3] = value;
    this.readEnd = at + 4;
    return value;
  }

  write(key: number, value: number): void {
    const wk = this.wKeys;
    for (let i = this.writeStart; i < this.writeEnd; i++) {
      if (wk[i] === key) {
        this.wVals[i] = value;
        return;
      }
    }
    const at = this.writeEnd;
    if (at === wk.length) {
      const keys = new Float64Array(2 * wk.length);
      keys.set(wk);
      this.wKeys = keys;
      const vals = new Float64Array(keys.length);
      vals.set(this.wVals);
      this.wVals = vals;
    }
    this.wKeys[at] = key;
    this.wVals[at] = value;
    this.writeEnd = at + 1;
  }
}

/** True if keys[from, to) holds `key`. */
function holds(keys: Float64Array, from: number, to: number, key: number): boolean {
  for (let i = from; i < to; i++) if (keys[i] === key) return true;
  return false;
}

/**
 * One multi-version memory for every run: runs are simulated one at a time,
 * and a run copies its final values out before the next one starts, so the
 * memory's arrays serve every block.
 */
const sharedMv = new MvMemory();

/** One simulation of a block prefix; also the capacity search's probe. */
class BlockStmRun {
  readonly n: number;
  private readonly mv = sharedMv;
  makespan = 0;
  // Scheduler.
  private execIdx = 0;
  private valIdx = 0;
  private wave = 0;
  private commitIdx = 0;
  /** Highest wave opened at or below commitIdx - 1. */
  private commitWave = 0;
  /** With costs: when the serial commit lane finishes the last commit so far. */
  private commitLane = 0;
  private readonly status: Uint8Array;
  private readonly inc: Int32Array;
  /** Highest wave opened with validation_idx lowered to exactly i. */
  private readonly triggeredWave: Int32Array;
  /** Highest wave of a successful validation of i's current incarnation, -1 if none. */
  private readonly validatedWave: Int32Array;
  private readonly dependents: (number[] | null)[];
  readonly commitTime: Float64Array;
  // Per transaction, as ranges of the view's arenas: the current incarnation's read set
  // (reads[rsStart, rsEnd)) and the writes it published (wKeys[wStart, wEnd)); a running
  // one's output (pStart, pEnd, pendingResult); and its result.
  private readonly rsStart: Int32Array;
  private readonly rsEnd: Int32Array;
  private readonly wStart: Int32Array;
  private readonly wEnd: Int32Array;
  private readonly pStart: Int32Array;
  private readonly pEnd: Int32Array;
  readonly results: (ItemResult | null)[];
  private readonly pendingResult: (ItemResult | null)[];
  /** The final value of every key written, once simulated (the memory itself moves on to the next run). */
  private finalKeys = new Float64Array(0);
  private finalVals = new Float64Array(0);
  private finalCount = 0;
  // Threads: current task, and the follow-up a finishing task hands its own thread.
  private readonly threads: VirtualThreads;
  private readonly taskKind: Int8Array;
  private readonly taskTx: Int32Array;
  private readonly taskInc: Int32Array;
  private readonly taskWave: Int32Array;
  private readonly taskValid: Uint8Array;
  private readonly taskStart: Float64Array;
  private readonly followKind: Int8Array;
  private readonly followWave: Int32Array;
  // The task nextTask() found.
  private nKind: number = NO_TASK;
  private nTx = 0;
  private nWave = 0;
  private readonly view: ExecView;
  readonly stats = { executions: 0, reexecutions: 0, validations: 0, aborts: 0, estimateWaits: 0, wastedGas: 0 };

  constructor(
    private readonly block: BlockCandidates,
    private readonly ctx: VmContext,
    k: number,
    storage: StateAccess,
    private readonly run: ExecuteItem,
    private readonly durations: TaskDurations | null,
    private readonly trace: ((e: BlockStmEvent) => void) | null,
    private readonly costs: BlockStmCosts | null = null,
  ) {
    const n = (this.n = block.receipts.length + block.txs.length);
    this.status = new Uint8Array(n);
    this.inc = new Int32Array(n);
    this.triggeredWave = new Int32Array(n + 1);
    this.validatedWave = new Int32Array(n).fill(-1);
    this.dependents = new Array<number[] | null>(n).fill(null);
    this.commitTime = new Float64Array(n);
    this.rsStart = new Int32Array(n);
    this.rsEnd = new Int32Array(n);
    this.wStart = new Int32Array(n);
    this.wEnd = new Int32Array(n);
    this.pStart = new Int32Array(n);
    this.pEnd = new Int32Array(n);
    this.results = new Array<ItemResult | null>(n).fill(null);
    this.pendingResult = new Array<ItemResult | null>(n).fill(null);
    this.threads = new VirtualThreads(k);
    this.taskKind = new Int8Array(k);
    this.taskTx = new Int32Array(k);
    this.taskInc = new Int32Array(k);
    this.taskWave = new Int32Array(k);
    this.taskValid = new Uint8Array(k);
    this.taskStart = new Float64Array(k);
    this.followKind = new Int8Array(k).fill(NO_TASK);
    this.followWave = new Int32Array(k);
    this.view = new ExecView(this.mv, storage, n);
  }

  simulate(): this {
    this.trace?.({ type: 'run', items: this.n });
    this.mv.clear();
    const th = this.threads;
    const ended: number[] = [];
    this.assignIdle(0);
    while (th.busyCount > 0) {
      const t = th.nextEnd();
      ended.length = 0;
      while (th.busyCount > 0 && th.nextEnd() === t) {
        const thread = th.popEnded();
        ended.push(thread);
        this.finish(thread, t);
      }
      this.tryCommit(t);
      for (const thread of ended) {
        if (this.followKind[thread] === NO_TASK) th.release(thread);
        else this.start(thread, this.followKind[thread]!, this.taskTx[thread]!, this.followWave[thread]!, t);
      }
      this.assignIdle(t);
      this.makespan = t;
    }
    // The last commits may still be running on the serial lane after the threads are done.
    this.makespan = Math.max(this.makespan, this.commitLane);
    if (this.commitIdx !== this.n) throw new InternalError(`block-stm: schedule stalled at ${this.commitIdx} of ${this.n} commits`);
    this.finalKeys = new Float64Array(this.mv.keyCount);
    this.finalVals = new Float64Array(this.mv.keyCount);
    this.finalCount = this.mv.finalValues(this.finalKeys, this.finalVals);
    return this;
  }

  /** Transactions committed by `budget` thread-gas, in block order. */
  finishedBy(budget: number): number {
    let i = 0;
    while (i < this.n && this.commitTime[i]! <= budget) i++;
    return i;
  }

  /** The committed incarnation's reads (recorded as key, version...) and writes. */
  logAccess(i: number, log: AccessLog): void {
    const r = this.view.reads;
    for (let j = this.rsStart[i]!; j < this.rsEnd[i]!; j += 4) log.read(r[j]!);
    const w = this.view.wKeys;
    for (let j = this.wStart[i]!; j < this.wEnd[i]!; j++) log.write(w[j]!);
  }

  /** Writes the committed values into the state, in first-write order. */
  flush(state: StateAccess): void {
    for (let i = 0; i < this.finalCount; i++) state.write(this.finalKeys[i]!, this.finalVals[i]!);
  }

  private assignIdle(t: number): void {
    const th = this.threads;
    while (th.idleCount > 0 && this.nextTask()) this.start(th.takeIdle(), this.nKind, this.nTx, this.nWave, t);
  }

  /** The scheduler's next task into nKind / nTx / nWave: a validation while validation_idx trails execution_idx. */
  private nextTask(): boolean {
    const n = this.n;
    while (this.valIdx < n || this.execIdx < n) {
      if (this.valIdx < this.execIdx && this.valIdx < n) {
        const v = this.valIdx++;
        if (this.status[v] === EXECUTED) {
          this.nKind = TaskKind.Validate;
          this.nTx = v;
          this.nWave = this.wave;
          return true;
        }
      } else {
        const e = this.execIdx++;
        if (this.status[e] === READY) {
          this.status[e] = EXECUTING;
          this.nKind = TaskKind.Execute;
          this.nTx = e;
          return true;
        }
      }
    }
    return false;
  }

  private duration(kind: TaskKind, tx: number, gas: number): number {
    return this.durations === null ? gas : this.durations(kind, tx, this.inc[tx]!, gas);
  }

  private start(thread: number, kind: number, tx: number, wave: number, t: number): void {
    this.followKind[thread] = NO_TASK;
    const inc = this.inc[tx]!;
    this.taskTx[thread] = tx;
    this.taskInc[thread] = inc;
    this.taskStart[thread] = t;
    let d: number;
    if (kind === TaskKind.Validate) {
      this.stats.validations++;
      this.taskKind[thread] = TaskKind.Validate;
      this.taskWave[thread] = wave;
      this.taskValid[thread] = this.readSetValid(tx) ? 1 : 0;
      d = this.duration(TaskKind.Validate, tx, ((this.rsEnd[tx]! - this.rsStart[tx]!) / 4) * VALIDATION_GAS_PER_READ + (this.costs?.taskGas ?? 0));
    } else {
      this.stats.executions++;
      if (inc > 0) this.stats.reexecutions++;
      const view = this.view;
      view.begin(tx);
      let res: ItemResult | null = null;
      try {
        res = this.run(this.block, tx, this.ctx, view);
      } catch (e) {
        if (e !== HALT) throw e;
      }
      if (res === null) {
        // Met an ESTIMATE: this incarnation is aborted and waits for the writer (the paper's add_dependency).
        this.taskKind[thread] = TaskKind.Halted;
        this.status[tx] = WAITING;
        (this.dependents[view.blocking] ??= []).push(tx);
        const reads = (view.readEnd - view.readStart) / 4 + 1;
        const gas = reads * VALIDATION_GAS_PER_READ;
        view.discard();
        this.stats.aborts++;
        this.stats.estimateWaits++;
        this.stats.wastedGas += gas;
        d = this.duration(TaskKind.Halted, tx, gas + (this.costs === null ? 0 : this.costs.taskGas + reads * this.costs.accessGas));
      } else {
        this.taskKind[thread] = TaskKind.Execute;
        this.rsStart[tx] = view.readStart;
        this.rsEnd[tx] = view.readEnd;
        this.pStart[tx] = view.writeStart;
        this.pEnd[tx] = view.writeEnd;
        this.pendingResult[tx] = res;
        const c = this.costs;
        const accesses = c === null ? 0 : (view.readEnd - view.readStart) / 4 + (view.writeEnd - view.writeStart);
        d = this.duration(TaskKind.Execute, tx, res.gasUsed + (c === null ? 0 : c.taskGas + accesses * c.accessGas));
      }
    }
    this.threads.occupy(thread, t + d);
    if (this.trace !== null) {
      const k = this.taskKind[thread] as TaskKind;
      this.trace({ type: 'task', kind: k, tx, incarnation: inc, thread, start: t, end: t + d });
    }
  }

  private readSetValid(tx: number): boolean {
    const mv = this.mv;
    const rs = this.view.reads;
    for (let i = this.rsStart[tx]!; i < this.rsEnd[tx]!; i += 4) {
      const kind = mv.read(rs[i]!, tx);
      if (kind === ReadKind.Estimate) return false;
      if (mv.lastTx !== rs[i + 1] || mv.lastInc !== rs[i + 2]) return false;
    }
    return true;
  }

  private finish(thread: number, t: number): void {
    const kind = this.taskKind[thread];
    if (kind === TaskKind.Execute) this.finishExecution(thread);
    else if (kind === TaskKind.Validate) this.finishValidation(thread, t);
  }

  /** Publishes an execution's writes; resumes its waiters; validates it or lowers validation_idx. */
  private finishExecution(thread: number): void {
    const tx = this.taskTx[thread]!;
    const inc = this.taskInc[thread]!;
    const mv = this.mv;
    const keys = this.view.wKeys;
    const vals = this.view.wVals;
    const os = this.wStart[tx]!;
    const oe = this.wEnd[tx]!;
    const ps = this.pStart[tx]!;
    const pe = this.pEnd[tx]!;
    let wroteNew = false;
    for (let i = os; i < oe; i++) if (!holds(keys, ps, pe, keys[i]!)) mv.remove(keys[i]!, tx);
    for (let i = ps; i < pe; i++) {
      if (!wroteNew && !holds(keys, os, oe, keys[i]!)) wroteNew = true;
      mv.write(keys[i]!, tx, inc, vals[i]!);
    }
    this.wStart[tx] = ps;
    this.wEnd[tx] = pe;
    this.results[tx] = this.pendingResult[tx]!;
    this.pendingResult[tx] = null;
    this.status[tx] = EXECUTED;
    this.validatedWave[tx] = -1;
    const deps = this.dependents[tx];
    if (deps !== null && deps !== undefined) {
      for (const d of deps) {
        this.status[d] = READY;
        this.inc[d]!++;
        if (d < this.execIdx) this.execIdx = d;
      }
      this.dependents[tx] = null;
    }
    if (this.valIdx > tx) {
      if (wroteNew) this.lowerValidation(tx);
      else {
        this.followKind[thread] = TaskKind.Validate;
        this.followWave[thread] = this.wave;
      }
    }
  }

  /** Records a validation; a failure aborts the incarnation, marks its writes ESTIMATE and re-executes it. */
  private finishValidation(thread: number, t: number): void {
    const tx = this.taskTx[thread]!;
    const inc = this.taskInc[thread]!;
    const wave = this.taskWave[thread]!;
    if (this.status[tx] !== EXECUTED || this.inc[tx] !== inc) return; // stale: that incarnation is gone
    if (this.taskValid[thread] === 1) {
      if (wave > this.validatedWave[tx]!) this.validatedWave[tx] = wave;
      return;
    }
    // A failure read before a later, successful validation of the same incarnation is stale.
    if (this.validatedWave[tx]! >= wave) return;
    this.stats.aborts++;
    this.stats.wastedGas += this.results[tx]!.gasUsed;
    this.trace?.({ type: 'abort', tx, incarnation: inc, time: t });
    const keys = this.view.wKeys;
    for (let i = this.wStart[tx]!; i < this.wEnd[tx]!; i++) this.mv.markEstimate(keys[i]!, tx);
    this.inc[tx] = inc + 1;
    this.status[tx] = READY;
    this.lowerValidation(tx + 1);
    if (this.execIdx > tx) {
      this.status[tx] = EXECUTING;
      this.followKind[thread] = TaskKind.Execute;
    }
  }

  /** Lowers validation_idx to `target`, opening a new wave, if it is above it. */
  private lowerValidation(target: number): void {
    if (this.valIdx <= target) return;
    this.valIdx = target;
    this.wave++;
    this.triggeredWave[target] = this.wave;
  }

  private tryCommit(t: number): void {
    while (this.commitIdx < this.n) {
      const c = this.commitIdx;
      if (this.status[c] !== EXECUTED) return;
      const required = Math.max(this.commitWave, this.triggeredWave[c]!);
      if (this.validatedWave[c]! < required) return;
      this.status[c] = COMMITTED;
      this.commitWave = required;
      // With costs, commits queue on one serial lane: each starts once it is committable and the one before is done.
      const done = this.costs === null ? t : (this.commitLane = Math.max(t, this.commitLane) + this.costs.commitGas);
      this.commitTime[c] = done;
      this.commitIdx++;
      this.trace?.({ type: 'commit', tx: c, incarnation: this.inc[c]!, time: done });
    }
  }
}

export class BlockStmExecutor implements Executor {
  readonly name = 'block-stm' as const;
  private readonly run: ExecuteItem;
  private readonly durations: TaskDurations | null;
  private readonly trace: ((e: BlockStmEvent) => void) | null;
  private readonly costs: BlockStmCosts | null;

  constructor(opts: BlockStmOptions = {}) {
    this.run = opts.executeItem ?? executeItem;
    this.durations = opts.durations ?? null;
    this.trace = opts.trace ?? null;
    this.costs = opts.costs ?? null;
  }

  execute(block: BlockCandidates, state: StateAccess, ctx: VmContext, limits: ExecutionLimits): BlockExecution {
    return executeFitted(
      block,
      state,
      ctx,
      limits,
      (prefix) => new BlockStmRun(prefix, ctx, limits.threads, state, this.run, this.durations, this.trace, this.costs).simulate(),
      (run) => run.stats,
    );
  }
}
