/**
 * What a built-in contract is: TypeScript functions over its storage slots,
 * with gas known before execution (the block builder packs by it) and the
 * slots a call will touch declared up front where the arguments determine
 * them (the access-list executor needs them). A call either succeeds or
 * fails without writing anything: every check comes before the first write.
 */
export type ContractKind = 'token' | 'amm' | 'nft' | 'dao' | 'router' | 'accessed';

/** A contract deployed at genesis on account `id`, with its kind's parameters. */
export interface ContractSpec {
  readonly id: number;
  readonly kind: ContractKind;
  /** token: every holder's genesis balance; amm: each trader's genesis balance of both assets. */
  readonly initialBalance?: number;
  /** amm: genesis reserve of each asset (and genesis LP shares). */
  readonly reserve?: number;
  /** nft: supply cap. */
  readonly cap?: number;
  /** dao: last slot in which votes count. */
  readonly deadlineSlot?: number;
  /** accessed: the storage each replayed transaction read and wrote, as slots of this contract (call argument `a` picks one). */
  readonly accesses?: ReadonlyArray<DeclaredSlots>;
}

/** Slots a call reads only, and slots it writes (and may read). */
export interface DeclaredSlots {
  readonly reads: readonly number[];
  readonly writes: readonly number[];
}

export interface Call {
  readonly from: number;
  readonly value: number;
  readonly slot: number;
  readonly op: number;
  readonly a: number;
  readonly b: number;
  readonly c: number;
}

/** A contract's view of its own storage. */
export interface Storage {
  read(slot: number): number;
  write(slot: number, value: number): void;
}

export interface ContractLogic {
  /** Gas of a call of `op` with these arguments (fixed per op, or per item of a batch); a replayed call may carry its trace's instead (UserTx.workGas). */
  gas(op: number, a: number, b: number, c: number): number;
  /** Runs the call; returns whether it succeeded. Writes happen only on success. */
  execute(spec: ContractSpec, call: Call, store: Storage): boolean;
  /**
   * Slots the call touches (all as written), or the slots it only reads apart from those it writes, or null
   * when they depend on values it reads (then the whole contract is locked).
   */
  declare(spec: ContractSpec, call: Call): number[] | DeclaredSlots | null;
  /** Value of a slot never written. */
  defaultValue(spec: ContractSpec, slot: number): number;
  /** Whether `op` exists. */
  knows(op: number): boolean;
  /**
   * The conserved quantity a slot counts towards, with its weight: the sum of
   * weight x (value - genesis value) over a class stays 0 (a token's supply, a
   * pool's assets, votes cast vs members who voted). Null: not conserved.
   */
  conserved(slot: number): readonly [cls: string, weight: number] | null;
}

/** Holder slots use the holder's global id, which must stay below this. */
export const MAX_HOLDERS = 2 ** 26;
