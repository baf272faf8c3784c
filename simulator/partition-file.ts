/**
 * Reads a precomputed placement: CSV lines `account,group` (a header line is
 * allowed). Accounts are integer ids, or 0x addresses when a resolver is
 * given (trace replay). Every problem names the file and line.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../crosslink/errors.js';

export function loadPartitionFile(file: string, accounts: number, resolve?: (address: string) => number | undefined): Int32Array {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`accounts.partitionFile ${file}`, `cannot read it: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
  }
  const groups = new Int32Array(accounts).fill(-1);
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const [a, g, ...rest] = line.split(',').map((f) => f.trim());
    const where = `${file}:${i + 1}`;
    if (i === 0 && !/^\d+$/.test(g ?? '')) continue; // header
    if (a === undefined || g === undefined || rest.length > 0) throw new ConfigError(where, 'expected two fields: account,group');
    if (!/^\d+$/.test(g) || Number(g) > 1_000_000) throw new ConfigError(where, `group "${g}" is not a non-negative integer`);
    let id: number | undefined;
    if (/^\d+$/.test(a)) id = Number(a);
    else if (/^0x[0-9a-fA-F]{40}$/.test(a) && resolve !== undefined) id = resolve(a.slice(2).toLowerCase());
    else throw new ConfigError(where, `"${a}" is not an account id${resolve === undefined ? '' : ' or a 0x address'}`);
    if (id === undefined) continue; // an address the trace never uses
    if (id >= accounts) throw new ConfigError(where, `account ${id} is outside the population (accounts.count is ${accounts})`);
    groups[id] = Number(g);
  }
  return groups;
}
