/**
 * What a replayed call touches, from its decoded input: two ERC-20 transfers
 * with different senders and recipients do not conflict, two to one
 * recipient do; two swaps through one pool conflict, through different pools
 * they do not. Read from each block's dependency bound with two threads (2:
 * independent, 1: one chain).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateScenario } from '../../simulator/config/load.js';
import { runScenario } from '../../simulator/run.js';
import { UNISWAP_V2_ROUTER02, WETH9 } from '../../simulator/trace/calldata.js';
import { tempDir } from '../helpers/cli.js';

const TOKEN = 'a0b86991c6218b36c1d19d4a2e9eb0ce3606eb48'; // USDC
const DAI = '6b175474e89094c44da98b954eedeac495271d0f';
const addr = (n: number): string => n.toString(16).padStart(40, '0');
const word = (n: number | string): string => (typeof n === 'number' ? n.toString(16) : n).padStart(64, '0');
const transfer = (to: string): string => `0xa9059cbb${word(to)}${word(5)}`;
/** swapExactTokensForTokens(amountIn, amountOutMin, path, to, deadline) on Uniswap V2 Router02. */
const swap = (path: readonly string[], to: string): string =>
  `0x38ed1739${word(100)}${word(1)}${word(0xa0)}${word(to)}${word(9_999_999_999)}${word(path.length)}${path.map(word).join('')}`;

/**
 * The dependency bound of block 7 of a trace: its two rows (the columns after `block_number`), then a plain
 * transfer in block 8 that keeps the trace's accounts two or more whatever the rows. `extra` names columns
 * after `input`; the last row leaves them empty.
 */
async function blockBound(rows: readonly string[], extra: readonly string[] = []): Promise<number> {
  const dir = tempDir();
  const header = ['block_number', 'from_address', 'to_address', 'value', 'gas', 'input', ...extra].join(',');
  const filler = `8,0x${addr(90)},0x${addr(91)},1,21000,0x${','.repeat(extra.length)}`;
  writeFileSync(join(dir, 't.csv'), `${header}\n${rows.map((r) => `7,${r}`).join('\n')}\n${filler}\n`);
  const sc = validateScenario(
    {
      name: 'conflicts',
      slots: { warmup: 0, measure: 1, drain: 1 },
      shard: { executor: 'block-stm', threads: 2 },
      workload: { kind: 'trace', trace: { file: join(dir, 't.csv'), format: 'ethereum-etl', replay: 'each-block' } },
    },
    'test',
  );
  const run = await runScenario(sc, 1);
  expect(run.blocks!.transactions[0]).toBe(2);
  return run.blocks!.bound[0]!;
}

/** The bound of one block of two calls (sender, receiver, input). */
const boundOf = (rows: ReadonlyArray<readonly [number, string, string]>): Promise<number> =>
  blockBound(rows.map(([from, to, input]) => `0x${addr(from)},0x${to},0,200000,${input}`));

describe('conflicts of replayed calls', () => {
  it('ERC-20 transfers: different senders to different recipients run in parallel; to one recipient they chain', async () => {
    expect(
      await boundOf([
        [1, TOKEN, transfer(addr(11))],
        [2, TOKEN, transfer(addr(12))],
      ]),
    ).toBe(2);
    expect(
      await boundOf([
        [1, TOKEN, transfer(addr(11))],
        [2, TOKEN, transfer(addr(11))],
      ]),
    ).toBe(1);
    // Undecoded calls to one contract all meet on its contract-level key.
    expect(
      await boundOf([
        [1, TOKEN, '0xdeadbeef'],
        [2, TOKEN, '0xdeadbeef'],
      ]),
    ).toBe(1);
  });

  it('swaps through a shared pool chain; through different pools they run in parallel', async () => {
    const router = UNISWAP_V2_ROUTER02;
    expect(
      await boundOf([
        [1, router, swap([WETH9, TOKEN], addr(1))],
        [2, router, swap([TOKEN, WETH9], addr(2))],
      ]),
    ).toBe(1);
    expect(
      await boundOf([
        [1, router, swap([WETH9, TOKEN], addr(1))],
        [2, router, swap([WETH9, DAI], addr(2))],
      ]),
    ).toBe(2);
    // Two hops: WETH -> USDC -> DAI shares the WETH/USDC pool with a one-hop swap.
    expect(
      await boundOf([
        [1, router, swap([WETH9, TOKEN, DAI], addr(1))],
        [2, router, swap([TOKEN, WETH9], addr(2))],
      ]),
    ).toBe(1);
  });

  it('an access list (reads, writes columns) decides: shared writes chain, shared reads do not, and it overrides the input', async () => {
    const key = (n: number): string => `0x${TOKEN}:0x${n.toString(16)}`;
    /** The bound of one block of two rows with these access lists (input: a transfer to one recipient, which alone would chain them). */
    const boundWith = (a: readonly [string, string], b: readonly [string, string]): Promise<number> =>
      blockBound(
        [a, b].map(([reads, writes], i) => `0x${addr(i + 1)},0x${TOKEN},0,200000,${transfer(addr(11))},${reads},${writes}`),
        ['reads', 'writes'],
      );
    expect(await boundWith([key(1), key(2)], [key(3), key(4)])).toBe(2);
    expect(await boundWith([key(1), key(2)], [key(1), key(4)])).toBe(2); // both only read slot 1
    expect(await boundWith([key(1), key(2)], [key(2), key(4)])).toBe(1); // the second reads what the first wrote
    expect(await boundWith(['', key(5)], ['', key(5)])).toBe(1);
    // Keys are normalized: another spelling of a slot is the same slot.
    expect(await boundWith(['', `${TOKEN}:0x05`], ['', `0x${TOKEN.toUpperCase()}:${'0'.repeat(63)}5`])).toBe(1);
  });

  it("an access-list row's contract work costs the gas the trace says it used: one heavy transaction caps its block", async () => {
    const key = (n: number): string => `0x${TOKEN}:0x${n.toString(16)}`;
    const row = (sender: number, writes: string, used: string) => `0x${addr(sender)},0x${TOKEN},0,2000000,0x,,${writes},${used}`;
    // Disjoint keys: with the cold-access price both are small and even (bound 2); with the rows' gas one is a million.
    expect(await blockBound([row(1, key(1), ''), row(2, key(2), '')], ['reads', 'writes', 'receipt_gas_used'])).toBe(2);
    const heavy = await blockBound([row(1, key(1), '1021000'), row(2, key(2), '50000')], ['reads', 'writes', 'receipt_gas_used']);
    expect(heavy).toBeCloseTo((1_021_000 + 50_000) / 1_021_000, 6);
  });

  it("a decoded or unknown call's work costs the gas its row used, on whichever shard the work runs (its action receipt carries it)", async () => {
    const dir = tempDir();
    /** Every block's gas summed over a run of four calls to TOKEN from four senders, each having used `used` gas. */
    const gasOf = async (used: number, shards: number): Promise<{ gas: number; cross: number }> => {
      const file = join(dir, `t${used}.csv`);
      const header = 'block_number,from_address,to_address,value,gas,input,receipt_gas_used';
      const calls = [1, 2, 3, 4].map((n) => `7,0x${addr(n)},0x${TOKEN},0,2000000,${n % 2 === 0 ? transfer(addr(20 + n)) : '0xdeadbeef'},${used}`);
      writeFileSync(file, `${header}\n${calls.join('\n')}\n8,0x${addr(90)},0x${addr(91)},1,21000,0x,21000\n`);
      const sc = validateScenario(
        {
          name: 'work-gas',
          // Long enough that the cross-shard actions run (and count) in the measured window.
          slots: { warmup: 0, measure: 4, drain: 1 },
          shard: { executor: 'sequential' },
          workload: { kind: 'trace', trace: { file, format: 'ethereum-etl', replay: 'each-block' } },
        },
        'test',
      );
      const run = await runScenario(sc, shards);
      return { gas: run.blocks!.gas.reduce((a, b) => a + b, 0), cross: run.crossShardRatio };
    };
    for (const shards of [1, 2]) {
      const [light, heavy] = [await gasOf(22_000, shards), await gasOf(1_021_000, shards)];
      // Each call's work: 1,000 gas, or a million.
      expect(heavy.gas - light.gas).toBe(4 * 999_000);
      if (shards === 2) expect(heavy.cross).toBeGreaterThan(0);
    }
  });
});
