/**
 * Data shared beside the repository, not in it (the Ethereum extracts):
 * found through $SHARDSIM_SHARED_DATA, else `../shared/data` relative to the
 * repository root. A test that needs a missing file is skipped with the
 * reason and where it looked, except in CI (CI=true), where it fails.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

/** The shared data directory: $SHARDSIM_SHARED_DATA, else ../shared/data beside the repository. */
export function sharedDataDir(): string {
  const env = process.env['SHARDSIM_SHARED_DATA'];
  return env !== undefined && env !== '' ? resolve(env) : join(ROOT, '..', 'shared', 'data');
}

/** The real Etherscan extract the trace tests replay. */
export const ETHERSCAN_EXTRACT = 'ethereum/rwset_etherscan_blocks15200000-15364219.csv.gz';

/** 26 complete mainnet blocks from mev-inspect-py's fixtures (configs/traces/mainnet-blocks.csv.gz holds those whose gas is real). */
export const MEV_INSPECT_EXTRACT = 'ethereum/mevinspect_26blocks_txs.csv';

/**
 * The path of shared file `rel`, or, when it is missing, a skip of the
 * running test that says why (a thrown error in CI, where nothing may be skipped).
 */
export function sharedFileOrSkip(rel: string, skip: (note: string) => never): string {
  const file = join(sharedDataDir(), rel);
  if (existsSync(file)) return file;
  const why = `shared data file ${file} is missing (set SHARDSIM_SHARED_DATA to the directory holding ${rel}, or put it under ../shared/data beside the repository)`;
  if (process.env['CI'] === 'true') throw new Error(`${why}; CI runs every test, none is skipped`);
  return skip(why);
}
