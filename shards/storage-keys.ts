/**
 * The numeric state-key layout. Account fields sit below ACCOUNT_KEYS_END
 * (local index * 2 + field); contract storage above it, one span of 2^28
 * slots per contract account (by its local index), all safe integers, so
 * executors can version and lock every key without strings.
 */
export const ACCOUNT_KEYS_END = 2 ** 26;
export const SLOTS_PER_CONTRACT = 2 ** 28;
/** The slot that stands for a whole contract in access lists (Solana locks accounts, not slots). */
export const CONTRACT_LOCK_SLOT = SLOTS_PER_CONTRACT - 1;

export const storageKey = (contractLocal: number, slot: number): number => ACCOUNT_KEYS_END + contractLocal * SLOTS_PER_CONTRACT + slot;
export const isStorageKey = (key: number): boolean => key >= ACCOUNT_KEYS_END;
export const contractLocalOfKey = (key: number): number => Math.floor((key - ACCOUNT_KEYS_END) / SLOTS_PER_CONTRACT);
export const slotOfKey = (key: number): number => (key - ACCOUNT_KEYS_END) % SLOTS_PER_CONTRACT;

/** The access-list lock that covers `key`: itself for account fields, its contract's lock for storage. */
export function lockKeyOf(key: number): number {
  return isStorageKey(key) ? storageKey(contractLocalOfKey(key), CONTRACT_LOCK_SLOT) : key;
}
