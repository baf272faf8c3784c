import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../crosslink/common/errors.js';
import { decodeCall, UNISWAP_V2_ROUTER02, UNISWAP_V3_SWAP_ROUTER, uniswapV2Pair, uniswapV3Pool, WETH9 } from '../../simulator/trace/calldata.js';
import { ETL_HEADER, FIRST_BLOCK, FIRST_TIMESTAMP } from '../../simulator/trace/generate.js';
import {
  generateMainnetTrace,
  MAINNET_MIX,
  MAINNET_TOKENS,
  type MainnetTraceOptions,
  type MainnetTransaction,
  mainnetTraceLines,
  mainnetTransactions,
  writeMainnetTraceFile,
} from '../../simulator/trace/generate-mainnet.js';
import { readTrace } from '../../simulator/trace/trace-reader.js';

const SMALL: MainnetTraceOptions = { blocks: 4, txPerBlock: 150, senders: 2_000, seed: 3 };
/** 3,000 transactions: enough for the shares, decoded in well under a second. */
const MIX: MainnetTraceOptions = { blocks: 20, txPerBlock: 150, senders: 10_000, seed: 11 };
const mixTxs: readonly MainnetTransaction[] = [...mainnetTransactions(MIX)];

const token = (symbol: string): string => MAINNET_TOKENS.find((t) => t.symbol === symbol)!.address;
/** Real mainnet pools (Uniswap's info pages, Etherscan): the token addresses must derive them. */
const REAL_POOLS = {
  usdcWethV2: 'b4e16d0168e52d35cacd2c6185b44281ec28c9dc',
  usdcWethV3_500: '88e6a0c2ddd26feeb64f039a2c41296fcb3f5640',
  usdtWethV2: '0d4a11d5eeaac28ec3f61d100daf4d40471f1852',
  usdtWethV3_3000: '4e68ccd3e89f51c3074ca5072bbac773960dfa36',
  daiWethV2: 'a478c2975ab1ea89e8196811f51a7b7ade33eb11',
  wbtcWethV3_3000: 'cbcdf9626bc03e24f779434178a73a0b4bad62ed',
};

/** The kind a row decodes to, from its CSV fields alone: empty input is a plain transfer. */
function decodedKind(to: string, input: string): string {
  return input === '0x' ? 'eth-transfer' : decodeCall(to, input).kind;
}

describe('layout and determinism', () => {
  const csv = generateMainnetTrace(SMALL);
  const lines = csv.split('\n');

  it('the ethereum-etl header, 17 columns a row, one row per transaction and a trailing newline', () => {
    expect(lines[0]).toBe(ETL_HEADER);
    expect(csv.endsWith('\n')).toBe(true);
    expect(lines.length).toBe(SMALL.blocks * SMALL.txPerBlock + 2);
    for (const line of lines.slice(1, -1)) expect(line.split(',').length).toBe(17);
    expect([...mainnetTraceLines(SMALL)].join('\n')).toBe(csv.slice(0, -1));
  });

  it('blocks from 15,000,000, 12 s apart, txPerBlock rows each with indexes 0.., one hash a block', () => {
    const rows = lines.slice(1, -1).map((l) => l.split(','));
    rows.forEach((f, i) => {
      const b = Math.floor(i / SMALL.txPerBlock);
      expect(Number(f[3])).toBe(FIRST_BLOCK + b);
      expect(Number(f[4])).toBe(i % SMALL.txPerBlock);
      expect(Number(f[11])).toBe(FIRST_TIMESTAMP + 12 * b);
      expect(f[2]).toBe(rows[b * SMALL.txPerBlock]![2]);
    });
    expect(new Set(rows.map((f) => f[2])).size).toBe(SMALL.blocks);
    expect(new Set(rows.map((f) => f[0])).size).toBe(rows.length);
  });

  it('same options, same trace; another seed, another trace', () => {
    expect(generateMainnetTrace(SMALL)).toBe(csv);
    expect(generateMainnetTrace({ ...SMALL, seed: 4 })).not.toBe(csv);
  });

  it('a shorter trace is a prefix of a longer one', () => {
    expect(csv.startsWith(generateMainnetTrace({ ...SMALL, blocks: 1 }))).toBe(true);
    expect(generateMainnetTrace({ ...SMALL, blocks: 9 }).startsWith(csv)).toBe(true);
    expect(generateMainnetTrace({ ...SMALL, blocks: 0 })).toBe(`${ETL_HEADER}\n`);
  });

  it('nonces count up per sender, and some senders send several transactions in one block', () => {
    const next = new Map<string, number>();
    for (const tx of mixTxs) {
      expect(tx.nonce).toBe(next.get(tx.from) ?? 0);
      next.set(tx.from, tx.nonce + 1);
    }
    const perBlock = new Map<string, number>();
    for (const tx of mixTxs) perBlock.set(`${tx.block}:${tx.from}`, (perBlock.get(`${tx.block}:${tx.from}`) ?? 0) + 1);
    const repeats = [...perBlock.values()].filter((n) => n >= 2).length;
    expect(repeats).toBeGreaterThan(MIX.blocks); // more than one busy sender a block on average
    expect(Math.max(...perBlock.values())).toBeGreaterThanOrEqual(3);
    expect(Math.max(...perBlock.values())).toBeLessThan(MIX.txPerBlock / 5);
  });

  it('rejects options that are not whole numbers in range', () => {
    for (const bad of [{ blocks: -1 }, { blocks: 1.5 }, { txPerBlock: 0 }, { senders: 0 }, { seed: -1 }, { seed: Number.NaN }]) {
      expect(() => generateMainnetTrace({ ...SMALL, ...bad })).toThrow(ConfigError);
    }
  });
});

describe('the mix', () => {
  it('every row decodes to the kind it was generated as', () => {
    for (const tx of mixTxs) {
      expect(decodedKind(tx.to, tx.input), tx.input.slice(0, 10)).toBe(tx.kind);
      if (tx.kind === 'unknown') expect(decodeCall(tx.to, tx.input)).toMatchObject({ kind: 'unknown', selector: tx.input.slice(2, 10) });
    }
  });

  it('kind shares are near the configured ones', () => {
    const counts = new Map<string, number>();
    for (const tx of mixTxs) {
      const kind = decodedKind(tx.to, tx.input).replace(/^weth-.*/, 'weth');
      counts.set(kind, (counts.get(kind) ?? 0) + 1);
    }
    expect(Object.values(MAINNET_MIX).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    for (const [kind, share] of Object.entries(MAINNET_MIX)) {
      // 3,000 rows: a binomial share's standard deviation is under 0.009; 0.03 is beyond 3 of them.
      expect(Math.abs((counts.get(kind) ?? 0) / mixTxs.length - share), kind).toBeLessThan(0.03);
    }
  });

  it('gas per kind is realistic and ~2% of calls revert', () => {
    const used = (kind: string) => mixTxs.filter((t) => t.kind === kind && t.status === 1).map((t) => t.gasUsed);
    expect(new Set(used('eth-transfer'))).toEqual(new Set([21_000]));
    for (const g of used('erc20-transfer')) expect(g >= 50_000 && g <= 65_000).toBe(true);
    for (const g of used('erc20-approve')) expect(g >= 44_000 && g <= 47_000).toBe(true);
    for (const g of used('swap')) expect(g >= 100_000 && g <= 180_000).toBe(true);
    // Other calls: mostly 60-200k, with mainnet's heavy tail (a few percent above 200k, some in the millions, none above 8M).
    const other = used('unknown');
    for (const g of other) expect(g >= 60_000 && g < 8_000_000).toBe(true);
    const above = (x: number) => other.filter((g) => g > x).length / other.length;
    expect(above(200_000)).toBeGreaterThan(0.04);
    expect(above(200_000)).toBeLessThan(0.1);
    expect(above(1_000_000)).toBeGreaterThan(0.01);
    expect(above(1_000_000)).toBeLessThan(0.04);
    for (const tx of mixTxs) expect(tx.gasUsed).toBeLessThanOrEqual(tx.gas);
    const calls = mixTxs.filter((t) => t.kind !== 'eth-transfer');
    const reverted = calls.filter((t) => t.status === 0).length / calls.length;
    expect(reverted).toBeGreaterThan(0.005);
    expect(reverted).toBeLessThan(0.04);
    expect(mixTxs.filter((t) => t.kind === 'eth-transfer' && t.status === 0)).toEqual([]);
  });

  it('transfers favour a few hot receivers (exchange wallets) and also reach fresh addresses', () => {
    const to = mixTxs.filter((t) => t.kind === 'eth-transfer').map((t) => t.to);
    const hits = new Map<string, number>();
    for (const a of to) hits.set(a, (hits.get(a) ?? 0) + 1);
    const ranked = [...hits.values()].sort((a, b) => b - a);
    expect(ranked[0]! / to.length).toBeGreaterThan(0.03);
    expect(ranked.filter((n) => n === 1).length / to.length).toBeGreaterThan(0.2);
  });
});

describe('swaps', () => {
  const swaps = mixTxs.filter((t) => t.kind === 'swap');

  it('the token addresses derive real mainnet pools', () => {
    expect(uniswapV2Pair(token('USDC'), token('WETH'))).toBe(REAL_POOLS.usdcWethV2);
    expect(uniswapV3Pool(token('USDC'), token('WETH'), 500)).toBe(REAL_POOLS.usdcWethV3_500);
    expect(uniswapV2Pair(token('USDT'), token('WETH'))).toBe(REAL_POOLS.usdtWethV2);
    expect(uniswapV3Pool(token('USDT'), token('WETH'), 3000)).toBe(REAL_POOLS.usdtWethV3_3000);
    expect(uniswapV2Pair(token('DAI'), token('WETH'))).toBe(REAL_POOLS.daiWethV2);
    expect(uniswapV3Pool(token('WBTC'), token('WETH'), 3000)).toBe(REAL_POOLS.wbtcWethV3_3000);
    expect(token('WETH')).toBe(WETH9);
  });

  it('decode to the pools of their path, through the router of their version', () => {
    for (const tx of swaps) {
      const { version, path, fees } = tx.swap!;
      const pools = path.slice(1).map((b, i) => (version === 'v2' ? uniswapV2Pair(path[i]!, b) : uniswapV3Pool(path[i]!, b, fees[i]!)));
      expect(decodeCall(tx.to, tx.input)).toEqual({
        kind: 'swap',
        router: version === 'v2' ? UNISWAP_V2_ROUTER02 : UNISWAP_V3_SWAP_ROUTER,
        version,
        tokens: path,
        pools,
      });
    }
  });

  it('cover V2 and V3, ETH in and out, every fee tier, one and two hops', () => {
    const selectors = new Set(swaps.map((t) => t.input.slice(2, 10)));
    // swapExactTokensForTokens, swapExactETHForTokens, swapExactTokensForETH, exactInputSingle, exactInput
    for (const s of ['38ed1739', '7ff36ab5', '18cbafe5', '414bf389', 'c04b8d59']) expect(selectors.has(s), s).toBe(true);
    expect(new Set(swaps.flatMap((t) => t.swap!.fees))).toEqual(new Set([500, 3000, 10000]));
    const twoHop = swaps.filter((t) => t.swap!.path.length === 3).length / swaps.length;
    expect(twoHop).toBeGreaterThan(0.08);
    expect(twoHop).toBeLessThan(0.25);
    for (const tx of swaps.filter((t) => t.input.startsWith('0x7ff36ab5'))) expect(tx.value).toBeGreaterThan(0n);
  });

  it('hot pools are hot: WETH/USDC leads, and the top pool is in a substantial share of swaps', () => {
    const hits = new Map<string, number>();
    for (const tx of swaps) for (const p of (decodeCall(tx.to, tx.input) as { pools: readonly string[] }).pools) hits.set(p, (hits.get(p) ?? 0) + 1);
    const ranked = [...hits.entries()].sort((a, b) => b[1] - a[1]);
    expect([REAL_POOLS.usdcWethV3_500, REAL_POOLS.usdcWethV2]).toContain(ranked[0]![0]);
    expect(ranked[0]![1] / swaps.length).toBeGreaterThan(0.08);
    const wethUsdc = (hits.get(REAL_POOLS.usdcWethV3_500) ?? 0) + (hits.get(REAL_POOLS.usdcWethV2) ?? 0);
    expect(wethUsdc / swaps.length).toBeGreaterThan(0.18);
    // The five hottest pools take more than half the swaps, and there is a long tail too.
    expect(ranked.slice(0, 5).reduce((s, [, n]) => s + n, 0) / swaps.length).toBeGreaterThan(0.5);
    expect(ranked.length).toBeGreaterThan(20);
  });
});

describe('read back by the trace reader', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'shardsim-mainnet-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('every row parses as ethereum-etl with the call it was generated as', async () => {
    const file = join(dir, 'mainnet.csv');
    writeFileSync(file, generateMainnetTrace(SMALL));
    const txs = [...mainnetTransactions(SMALL)];
    let i = 0;
    for await (const row of readTrace({ file, format: 'ethereum-etl', onBadRow: 'error' }).rows) {
      const tx = txs[i++]!;
      expect([row.block, row.from, row.to, row.value, row.gas, row.failed]).toEqual([tx.block, tx.from, tx.to, tx.value, tx.gas, tx.status === 0]);
      if (tx.kind === 'eth-transfer') expect([row.isCall, row.inputBytes]).toEqual([false, 0]);
      else expect([row.isCall, row.call?.kind]).toEqual([true, tx.kind]);
    }
    expect(i).toBe(txs.length);
  });

  it('writeMainnetTraceFile streams the same text, gzip-compressed for .gz, and checks options before creating the file', async () => {
    const file = join(dir, 'mainnet.csv.gz');
    await writeMainnetTraceFile(SMALL, file);
    expect(gunzipSync(readFileSync(file)).toString()).toBe(generateMainnetTrace(SMALL));
    const bad = join(dir, 'bad.csv');
    await expect(writeMainnetTraceFile({ ...SMALL, senders: 0 }, bad)).rejects.toThrow(ConfigError);
    expect(existsSync(bad)).toBe(false);
  });
});

describe('the shipped mainnet-like trace', () => {
  it('is exactly what the generator writes (configs/traces/README.md says how)', () => {
    const shipped = gunzipSync(readFileSync(join(import.meta.dirname, '..', '..', 'configs', 'traces', 'mainnet-like-etl.csv.gz'))).toString('utf8');
    expect(shipped).toBe(generateMainnetTrace({ blocks: 40, txPerBlock: 150, senders: 10_000, seed: 1 }));
  });
});
