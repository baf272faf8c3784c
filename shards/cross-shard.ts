/**
 * What the cross-shard protocols keep in a shard's state beyond balances
 * (docs/protocols.md): the lock-2pc lock on a sender's account, and the
 * broker accounts of the `broker` protocol. Both live in committed state,
 * so the state root, checkpoints and every executor see them like any
 * other key.
 */
import { balanceKey } from './state.js';
import { SLOTS_PER_CONTRACT, storageKey } from './storage-keys.js';

export type CrossShardProtocol = 'receipts' | 'relay' | 'broker' | 'lock-2pc';

/** The shard side of the scenario's `crossShard` section. */
export interface CrossShardSetup {
  readonly protocol: CrossShardProtocol;
  /** Broker accounts on every shard (0 unless the protocol is `broker`). */
  readonly brokers: number;
  /** Each broker's genesis balance on each shard. */
  readonly liquidity: number;
  /** What a payout that finds its broker dry does. */
  readonly fallback: 'wait' | 'refund';
}

export const RECEIPTS_PROTOCOL: CrossShardSetup = { protocol: 'receipts', brokers: 0, liquidity: 0, fallback: 'wait' };

/**
 * The storage slot of an account that holds its lock-2pc lock: 0 when free,
 * else 1 + the slot the lock was taken in (so releasing it knows how long it
 * was held). One slot below the contract lock slot, which no contract uses.
 */
const ACCOUNT_LOCK_SLOT = SLOTS_PER_CONTRACT - 2;

export const lockKey = (local: number): number => storageKey(local, ACCOUNT_LOCK_SLOT);

/** Broker `b`'s account on a shard of `members` accounts: after them, so the placement's local indices stay as they are. */
export const brokerLocal = (members: number, b: number): number => members + b;

export const brokerBalanceKey = (members: number, b: number): number => balanceKey(brokerLocal(members, b));

/** The broker that serves a transaction: spread by its id, so each broker serves a fixed share of the traffic. */
export const brokerOf = (txId: number, brokers: number): number => txId % brokers;

/** Why a payout travelling back to the sender's shard came back (the `op` of a BrokerBack receipt). */
export const BrokerBack = { Dry: 1, Refused: 2 } as const;
