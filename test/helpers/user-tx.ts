/** A user transaction for tests: a local transfer of 1 from account 0 to 1, with what a test changes (one place to add a field to). */
import { TxKind, type UserTx } from '../../crosslink/tx.js';

export const userTx = (over: Partial<UserTx> = {}): UserTx => ({
  id: 0,
  kind: TxKind.Transfer,
  from: 0,
  to: 1,
  amount: 1,
  gasLimit: 21_000,
  submitMs: 0,
  toShard: 0,
  op: 0,
  a: 0,
  b: 0,
  c: 0,
  bytes: 110,
  workGas: 0,
  ...over,
});
