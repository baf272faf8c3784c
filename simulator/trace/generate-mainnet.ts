/**
 * Synthetic mainnet-like blocks in the ethereum-etl layout (the header of
 * generate.ts), so parallel-execution studies can replay blocks whose
 * conflicts look like mainnet's: plain ETH transfers and ERC-20 transfers to
 * a few hot receivers (exchange wallets), approvals to the Uniswap routers,
 * WETH wrapping, Uniswap V2/V3 swaps over a few hot pools (WETH/USDC,
 * WETH/USDT), and calls to other contracts that only conflict at the
 * contract level. Tokens, WETH9 and the routers are the real mainnet
 * addresses, so calldata.ts decodes every call to what it was meant to be
 * and swaps land on the real pool addresses.
 *
 * Every row draws from its own PRNG stream (seed, row), so a shorter trace is
 * a prefix of a longer one with the same seed, txPerBlock and senders
 * (nonces count up per sender, as in generate.ts).
 */
import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { ConfigError } from '../../crosslink/common/errors.js';
import { Rng } from '../prng.js';
import { ZipfSampler } from '../zipf.js';
import { KNOWN_SELECTORS, UNISWAP_SWAP_ROUTER02, UNISWAP_V2_ROUTER02, UNISWAP_V3_SWAP_ROUTER, WETH9 } from './calldata.js';
import { ETL_HEADER, ether, FIRST_BLOCK, FIRST_TIMESTAMP, hex, linesText, writeLinesFile } from './generate.js';

export interface MainnetTraceOptions {
  /** Whole blocks. */
  readonly blocks: number;
  /** Transactions per block (mainnet: ~150-200 in 2022). */
  readonly txPerBlock: number;
  /** Distinct externally owned senders. */
  readonly senders: number;
  readonly seed: number;
}

/** What a generated transaction is meant to be; all but 'eth-transfer' are decodeCall's kinds. */
export type MainnetKind = 'eth-transfer' | 'erc20-transfer' | 'erc20-approve' | 'weth-deposit' | 'weth-withdraw' | 'swap' | 'unknown';

// ---------------------------------------------------------------------------
// The mix: shares of all transactions.

/**
 * Plain ETH transfers (empty input). Glassnode's transaction-type breakdown,
 * as quoted by Delphi Digital, "What Is The Composition Of Transactions On
 * Ethereum?" (2023, https://members.delphidigital.io/feed/what-is-the-composition-of-transactions-on-ethereum):
 * "vanilla" EOA-to-EOA ETH transfers were roughly 29% of transactions.
 * (No 2022 figure was found; the same source's chart shows a slow decline,
 * so 2022 was about this or a little higher.)
 */
export const ETH_TRANSFER_SHARE = 0.29;
/**
 * Calls to token contracts: the same source puts ERC-20 calls at ~15% and
 * stablecoin calls at ~10%, ~25% together. Split (assumed) into transfers,
 * approvals and WETH wrapping, 0.19 + 0.04 + 0.02 = 0.25.
 */
export const ERC20_TRANSFER_SHARE = 0.19;
/** ERC-20 approve: assumed (one approval per few swaps; part of the ~25% above). */
export const ERC20_APPROVE_SHARE = 0.04;
/** WETH9 deposit/withdraw: assumed (part of the ~25% above). */
export const WETH_SHARE = 0.02;
/**
 * Uniswap swaps: assumed. The source gives no count share for DEX trades; its
 * remaining categories (DeFi, which includes DEXs, NFTs, bridges, MEV bots,
 * other) hold the other ~46%, split here into swaps and unknown calls.
 */
export const SWAP_SHARE = 0.17;
/** Calls to other contracts (NFT marketplaces, bridges, lending, bots...): the rest, ~0.29. */
export const UNKNOWN_SHARE = 1 - ETH_TRANSFER_SHARE - ERC20_TRANSFER_SHARE - ERC20_APPROVE_SHARE - WETH_SHARE - SWAP_SHARE;

/** The mix by kind (WETH deposits and withdrawals together), for tests and docs. */
export const MAINNET_MIX: Readonly<Record<'eth-transfer' | 'erc20-transfer' | 'erc20-approve' | 'weth' | 'swap' | 'unknown', number>> = {
  'eth-transfer': ETH_TRANSFER_SHARE,
  'erc20-transfer': ERC20_TRANSFER_SHARE,
  'erc20-approve': ERC20_APPROVE_SHARE,
  weth: WETH_SHARE,
  swap: SWAP_SHARE,
  unknown: UNKNOWN_SHARE,
};

// Shares inside a kind, all assumed.
/** WETH calls that deposit (the rest withdraw). */
const WETH_DEPOSIT_SHARE = 0.6;
/** Swaps through V2 Router02 (the rest: V3 SwapRouter); V3 carried most volume in 2022, V2 many small trades. */
const V2_SWAP_SHARE = 0.4;
/** Swaps over two pools (token -> WETH -> token). */
const TWO_HOP_SHARE = 0.15;
/** V2 swaps with WETH at an end that pay or take ETH (swapExactETHForTokens / swapExactTokensForETH). */
const V2_ETH_END_SHARE = 0.7;
/** V3 single-pool swaps on the pair's most used fee tier (else another of its tiers). */
const TOP_FEE_TIER_SHARE = 0.75;
/** Transfers (ETH and ERC-20) to a fresh address rather than a Zipf-popular one. */
const FRESH_RECIPIENT_SHARE = 0.3;
/** Approvals of the maximum uint256 ("unlimited"), as wallets and dapps default to. */
const UNLIMITED_APPROVAL_SHARE = 0.6;
/** Approval spenders: V2 Router02, V3 SwapRouter, SwapRouter02, cumulative; the rest approve an unknown contract. */
const APPROVE_SPENDERS: ReadonlyArray<readonly [string, number]> = [
  [UNISWAP_V2_ROUTER02, 0.45],
  [UNISWAP_V3_SWAP_ROUTER, 0.7],
  [UNISWAP_SWAP_ROUTER02, 0.85],
];
/** Contract calls that revert (receipt_status 0); generate.ts uses the same 2%. */
const FAILED_CALLS = 0.02;

// Popularity, all assumed.
/** Sender activity: with 0.8, the busiest of 10,000 senders sends ~4% of all transactions (an exchange hot wallet or a bot, several a block). */
const SENDER_ZIPF = 0.8;
/** Popular receivers of transfers: rank 1, 2, 3... stand for exchange hot wallets. */
const RECIPIENTS = 10_000;
const RECIPIENT_ZIPF = 1.0;
/** Token popularity (MAINNET_TOKENS order), swap pair popularity (SWAP_PAIRS order), and other contracts'. */
const TOKEN_ZIPF = 1.0;
const PAIR_ZIPF = 1.0;
const CONTRACTS = 500;
const CONTRACT_ZIPF = 1.0;

// PRNG streams of this generator, apart from generate.ts's (0x7472_000x) and the simulator's.
const SENDER_STREAM = 0x6d6e_0001;
const RECIPIENT_STREAM = 0x6d6e_0002;
const CONTRACT_STREAM = 0x6d6e_0003;
const ROW_STREAM = 0x6d6e_0004;
const BLOCK_STREAM = 0x6d6e_0005;

// ---------------------------------------------------------------------------
// Tokens and pairs.

export interface MainnetToken {
  readonly symbol: string;
  /** Mainnet address, 40 lower-case hex characters without 0x. */
  readonly address: string;
  readonly decimals: number;
  /** log10 of a typical amount in whole tokens (amounts are log-uniform within two decades of it). */
  readonly scale: number;
}

/**
 * Ten well-known mainnet tokens (addresses and decimals as on Etherscan's token
 * pages; the tests check several against the real Uniswap pool addresses they
 * derive), most transferred first: the order sets the Zipf ranks (assumed).
 */
export const MAINNET_TOKENS: readonly MainnetToken[] = [
  { symbol: 'USDT', address: 'dac17f958d2ee523a2206206994597c13d831ec7', decimals: 6, scale: 3 },
  { symbol: 'USDC', address: 'a0b86991c6218b36c1d19d4a2e9eb0ce3606eb48', decimals: 6, scale: 3 },
  { symbol: 'WETH', address: WETH9, decimals: 18, scale: 0 },
  { symbol: 'DAI', address: '6b175474e89094c44da98b954eedeac495271d0f', decimals: 18, scale: 3 },
  { symbol: 'SHIB', address: '95ad61b0a150d79219dcf64e1e6cc01f0b64c4ce', decimals: 18, scale: 7 },
  { symbol: 'LINK', address: '514910771af9ca656af840dff83e8264ecf986ca', decimals: 18, scale: 2 },
  { symbol: 'MATIC', address: '7d1afa7b718fb893db30a3abc0cfc608aacfebb0', decimals: 18, scale: 3 },
  { symbol: 'UNI', address: '1f9840a85d5af5bf1d1762f925bdaddc4201f984', decimals: 18, scale: 2 },
  { symbol: 'WBTC', address: '2260fac5e5542a773aa44fbcfedf7c193bc2c599', decimals: 8, scale: -1 },
  { symbol: 'APE', address: '4d224452801aced8b2f0aebe155379bb5d594381', decimals: 18, scale: 2 },
];

const TOKEN = new Map(MAINNET_TOKENS.map((t) => [t.symbol, t]));
const WETH_TOKEN = TOKEN.get('WETH')!;

interface SwapPair {
  readonly a: MainnetToken;
  readonly b: MainnetToken;
  /** V3 fee tiers (hundredths of a bip) it trades on, most used first. */
  readonly fees: readonly number[];
}

/**
 * Swap pairs, most traded first (the Zipf ranks and fee tiers are assumed):
 * WETH/USDC and WETH/USDT lead.
 */
const SWAP_PAIRS: readonly SwapPair[] = (
  [
    ['WETH', 'USDC', [500, 3000]],
    ['WETH', 'USDT', [500, 3000]],
    ['USDC', 'USDT', [500]],
    ['WETH', 'DAI', [500, 3000]],
    ['WBTC', 'WETH', [3000, 500]],
    ['SHIB', 'WETH', [3000, 10000]],
    ['USDC', 'DAI', [500]],
    ['LINK', 'WETH', [3000]],
    ['UNI', 'WETH', [3000]],
    ['APE', 'WETH', [3000, 10000]],
    ['MATIC', 'WETH', [3000]],
    ['WBTC', 'USDC', [3000]],
  ] as const
).map(([a, b, fees]) => ({ a: TOKEN.get(a)!, b: TOKEN.get(b)!, fees }));

/** Tokens that two-hop swaps route through WETH, in MAINNET_TOKENS order; each has a WETH pair above. */
const HOP_TOKENS = MAINNET_TOKENS.filter((t) => t !== WETH_TOKEN);

/** A token's most used fee tier against WETH (two-hop V3 paths take it). */
function wethFee(t: MainnetToken): number {
  const pair = SWAP_PAIRS.find((p) => (p.a === t && p.b === WETH_TOKEN) || (p.b === t && p.a === WETH_TOKEN));
  return pair!.fees[0]!;
}

// ---------------------------------------------------------------------------
// ABI encoding (Solidity "Contract ABI Specification": 32-byte head words, dynamic values as offsets to a tail).

function selectorOf(signature: string): string {
  return bytesToHex(keccak_256(utf8ToBytes(signature))).slice(0, 8);
}

const SIG = {
  transfer: selectorOf('transfer(address,uint256)'),
  approve: selectorOf('approve(address,uint256)'),
  deposit: selectorOf('deposit()'),
  withdraw: selectorOf('withdraw(uint256)'),
  // Uniswap/v2-periphery contracts/UniswapV2Router02.sol
  swapExactTokensForTokens: selectorOf('swapExactTokensForTokens(uint256,uint256,address[],address,uint256)'),
  swapExactETHForTokens: selectorOf('swapExactETHForTokens(uint256,address[],address,uint256)'),
  swapExactTokensForETH: selectorOf('swapExactTokensForETH(uint256,uint256,address[],address,uint256)'),
  // Uniswap/v3-periphery contracts/interfaces/ISwapRouter.sol
  exactInputSingle: selectorOf('exactInputSingle((address,address,uint24,address,uint256,uint256,uint256,uint160))'),
  exactInput: selectorOf('exactInput((bytes,address,uint256,uint256,uint256))'),
} as const;

const MAX_UINT256 = (1n << 256n) - 1n;

const word = (n: bigint | number): string => BigInt(n).toString(16).padStart(64, '0');
const addressWord = (address: string): string => address.padStart(64, '0');
/** An `address[]` tail: its length, then one word per address. */
const addressArray = (list: readonly string[]): string => word(list.length) + list.map(addressWord).join('');

// ---------------------------------------------------------------------------
// Rows.

/** One generated transaction: the CSV columns, plus what it was meant to be. */
export interface MainnetTransaction {
  readonly kind: MainnetKind;
  /** For swaps: the router's version, the token path in trade order and (V3) the fee tier of each hop. */
  readonly swap?: { readonly version: 'v2' | 'v3'; readonly path: readonly string[]; readonly fees: readonly number[] };
  readonly hash: string;
  readonly nonce: number;
  readonly blockHash: string;
  readonly block: number;
  readonly index: number;
  readonly timestamp: number;
  /** Addresses: 40 lower-case hex characters without 0x. */
  readonly from: string;
  readonly to: string;
  /** Wei. */
  readonly value: bigint;
  readonly gas: number;
  readonly gasPrice: number;
  /** '0x' for a plain transfer, else '0x' + selector + ABI words. */
  readonly input: string;
  readonly maxFeePerGas: number;
  readonly maxPriorityFeePerGas: number;
  readonly gasUsed: number;
  readonly status: 0 | 1;
}

/** What the kind-specific part of a row decides. */
interface Call {
  readonly kind: MainnetKind;
  readonly to: string;
  readonly input: string;
  readonly value: bigint;
  /** Gas a successful execution uses. */
  readonly gasUsed: number;
  readonly swap?: MainnetTransaction['swap'];
}

/** A uniform integer in [lo, hi]. */
function between(rng: Rng, lo: number, hi: number): number {
  return lo + rng.int(hi - lo + 1);
}

/** An integer log-uniform in [lo, hi). */
function logBetween(rng: Rng, lo: number, hi: number): number {
  return Math.floor(lo * (hi / lo) ** rng.next());
}

/**
 * Gas of a call to another contract: mostly 60-200k, with mainnet's heavy
 * tail. In the 18 real blocks of configs/traces/mainnet-blocks.csv.gz a
 * call's gas has p95 279k, p99 696k and a maximum of 7.3M; 1.75% of calls
 * use over 500k and they burn 19% of the calls' gas. The tail here (5% of
 * these calls above 200k, 2% above a million, up to 8M) gives the
 * generated calls as a whole about the same p99 and maximum.
 */
function otherCallGas(rng: Rng): number {
  const u = rng.next();
  if (u < 0.93) return between(rng, 60_000, 200_000);
  if (u < 0.98) return logBetween(rng, 200_000, 1_000_000);
  return logBetween(rng, 1_000_000, 8_000_000);
}

/** A token amount in base units, log-uniform within two decades of the token's typical amount, 12 significant digits at most. */
function tokenAmount(rng: Rng, t: MainnetToken): bigint {
  const e = t.scale + t.decimals + 4 * rng.next() - 2;
  const whole = Math.floor(e);
  if (whole < 0) return 1n;
  const digits = Math.min(whole, 12);
  return BigInt(Math.round(10 ** (e - whole + digits))) * 10n ** BigInt(whole - digits);
}

/** The row generator's state: samplers and the tables drawn once from the seed. */
class Mainnet {
  private readonly senders: ZipfSampler;
  private readonly recipients = new ZipfSampler(RECIPIENTS, RECIPIENT_ZIPF);
  private readonly tokens = new ZipfSampler(MAINNET_TOKENS.length, TOKEN_ZIPF);
  private readonly hopTokens = new ZipfSampler(HOP_TOKENS.length, TOKEN_ZIPF);
  private readonly pairs = new ZipfSampler(SWAP_PAIRS.length, PAIR_ZIPF);
  private readonly contractRanks = new ZipfSampler(CONTRACTS, CONTRACT_ZIPF);
  private readonly contracts: readonly string[];
  /** Three made-up selectors per contract, none of them one decodeCall knows. */
  private readonly selectors: ReadonlyArray<readonly string[]>;

  constructor(private readonly opts: MainnetTraceOptions) {
    this.senders = new ZipfSampler(opts.senders, SENDER_ZIPF);
    const known = new Set(KNOWN_SELECTORS.map((k) => k.selector));
    this.contracts = Array.from({ length: CONTRACTS }, (_, k) => hex(new Rng(opts.seed, CONTRACT_STREAM, k), 5));
    this.selectors = this.contracts.map((_, k) => {
      const r = new Rng(opts.seed, CONTRACT_STREAM, 0x1000_0000 + k);
      const out: string[] = [];
      while (out.length < 3) {
        const s = hex(r, 1);
        if (!known.has(s) && !out.includes(s)) out.push(s);
      }
      return out;
    });
  }

  /** A sender's index in [0, senders): Zipf rank - 1. */
  sender(rng: Rng): number {
    return this.senders.sample(rng) - 1;
  }

  senderAddress(i: number): string {
    return hex(new Rng(this.opts.seed, SENDER_STREAM, i), 5);
  }

  /** A transfer's receiver: a fresh address, or a Zipf-popular one (the first ranks: exchange wallets). */
  private recipient(rng: Rng): string {
    if (rng.next() < FRESH_RECIPIENT_SHARE) return hex(rng, 5);
    return hex(new Rng(this.opts.seed, RECIPIENT_STREAM, this.recipients.sample(rng)), 5);
  }

  private token(rng: Rng): MainnetToken {
    return MAINNET_TOKENS[this.tokens.sample(rng) - 1]!;
  }

  private contract(rng: Rng): number {
    return this.contractRanks.sample(rng) - 1;
  }

  /** The kind-specific part of a row, from its own stream. */
  call(rng: Rng, from: string, timestamp: number): Call {
    let u = rng.next();
    if ((u -= ETH_TRANSFER_SHARE) < 0) {
      return { kind: 'eth-transfer', to: this.recipient(rng), input: '0x', value: ether(rng, -3, 1.5), gasUsed: 21_000 };
    }
    if ((u -= ERC20_TRANSFER_SHARE) < 0) {
      const t = this.token(rng);
      const input = `0x${SIG.transfer}${addressWord(this.recipient(rng))}${word(tokenAmount(rng, t))}`;
      // ~50-65k: the balance writes, more when the receiver's balance was zero (EIP-2200 SSTORE costs).
      return { kind: 'erc20-transfer', to: t.address, input, value: 0n, gasUsed: between(rng, 50_000, 65_000) };
    }
    if ((u -= ERC20_APPROVE_SHARE) < 0) {
      const t = this.token(rng);
      const s = rng.next();
      const spender = APPROVE_SPENDERS.find(([, upTo]) => s < upTo)?.[0] ?? this.contracts[this.contract(rng)]!;
      const amount = rng.next() < UNLIMITED_APPROVAL_SHARE ? MAX_UINT256 : tokenAmount(rng, t);
      return {
        kind: 'erc20-approve',
        to: t.address,
        input: `0x${SIG.approve}${addressWord(spender)}${word(amount)}`,
        value: 0n,
        gasUsed: between(rng, 44_000, 47_000),
      };
    }
    if ((u -= WETH_SHARE) < 0) {
      if (rng.next() < WETH_DEPOSIT_SHARE) {
        return { kind: 'weth-deposit', to: WETH9, input: `0x${SIG.deposit}`, value: ether(rng, -2, 1), gasUsed: between(rng, 28_000, 45_000) };
      }
      return {
        kind: 'weth-withdraw',
        to: WETH9,
        input: `0x${SIG.withdraw}${word(tokenAmount(rng, WETH_TOKEN))}`,
        value: 0n,
        gasUsed: between(rng, 30_000, 36_000),
      };
    }
    if ((u -= SWAP_SHARE) < 0) return this.swap(rng, from, timestamp);
    // Anything else: a popular contract, one of its three selectors, 1-4 argument words.
    const k = this.contract(rng);
    let input = `0x${this.selectors[k]![rng.int(3)]!}`;
    const words = 1 + rng.int(4);
    for (let w = 0; w < words; w++) input += hex(rng, 8);
    const value = rng.next() < 0.7 ? 0n : ether(rng, -3, 0.5);
    return { kind: 'unknown', to: this.contracts[k]!, input, value, gasUsed: otherCallGas(rng) };
  }

  /** A Uniswap swap: a Zipf-popular pair either way round, or a two-hop path through WETH. */
  private swap(rng: Rng, recipient: string, timestamp: number): Call {
    const v2 = rng.next() < V2_SWAP_SHARE;
    const deadline = timestamp + between(rng, 60, 1800);
    let path: MainnetToken[];
    let fees: number[];
    if (rng.next() < TWO_HOP_SHARE) {
      const a = HOP_TOKENS[this.hopTokens.sample(rng) - 1]!;
      let b = HOP_TOKENS[this.hopTokens.sample(rng) - 1]!;
      if (b === a) b = HOP_TOKENS[(HOP_TOKENS.indexOf(a) + 1 + rng.int(HOP_TOKENS.length - 1)) % HOP_TOKENS.length]!;
      path = [a, WETH_TOKEN, b];
      fees = [wethFee(a), wethFee(b)];
    } else {
      const pair = SWAP_PAIRS[this.pairs.sample(rng) - 1]!;
      path = rng.next() < 0.5 ? [pair.a, pair.b] : [pair.b, pair.a];
      const f = pair.fees;
      fees = [f.length === 1 || rng.next() < TOP_FEE_TIER_SHARE ? f[0]! : f[1 + rng.int(f.length - 1)]!];
    }
    const tokenIn = path[0]!;
    const tokenOut = path[path.length - 1]!;
    const amountIn = tokenAmount(rng, tokenIn);
    const amountOutMin = tokenAmount(rng, tokenOut);
    const addresses = path.map((t) => t.address);
    // One pool: 100-150k; each further pool adds its own swap and transfer.
    const gasUsed = path.length === 2 ? between(rng, 100_000, 150_000) : between(rng, 150_000, 180_000);

    if (v2) {
      const swap = { version: 'v2' as const, path: addresses, fees: [] };
      const ethEnd = rng.next() < V2_ETH_END_SHARE;
      if (ethEnd && tokenIn === WETH_TOKEN) {
        // swapExactETHForTokens(amountOutMin, path, to, deadline): the path's offset is the head's 4 words.
        const input = `0x${SIG.swapExactETHForTokens}${word(amountOutMin)}${word(4 * 32)}${addressWord(recipient)}${word(deadline)}${addressArray(addresses)}`;
        return { kind: 'swap', to: UNISWAP_V2_ROUTER02, input, value: amountIn, gasUsed, swap };
      }
      const selector = ethEnd && tokenOut === WETH_TOKEN ? SIG.swapExactTokensForETH : SIG.swapExactTokensForTokens;
      // (amountIn, amountOutMin, path, to, deadline): the path's offset is the head's 5 words.
      const input = `0x${selector}${word(amountIn)}${word(amountOutMin)}${word(5 * 32)}${addressWord(recipient)}${word(deadline)}${addressArray(addresses)}`;
      return { kind: 'swap', to: UNISWAP_V2_ROUTER02, input, value: 0n, gasUsed, swap };
    }

    const swap = { version: 'v3' as const, path: addresses, fees };
    if (path.length === 2) {
      // exactInputSingle: a static struct inline (tokenIn, tokenOut, fee, recipient, deadline, amountIn, amountOutMinimum, sqrtPriceLimitX96 = 0).
      const input = `0x${SIG.exactInputSingle}${addressWord(tokenIn.address)}${addressWord(tokenOut.address)}${word(fees[0]!)}${addressWord(recipient)}${word(deadline)}${word(amountIn)}${word(amountOutMin)}${word(0)}`;
      return { kind: 'swap', to: UNISWAP_V3_SWAP_ROUTER, input, value: 0n, gasUsed, swap };
    }
    // exactInput: one dynamic struct (bytes path, recipient, deadline, amountIn, amountOutMinimum); the packed
    // path is token (20 bytes), then fee (3 bytes) and token per hop (v3-periphery libraries/Path.sol).
    let packed = addresses[0]!;
    for (let h = 0; h < fees.length; h++) packed += fees[h]!.toString(16).padStart(6, '0') + addresses[h + 1]!;
    const bytes = word(packed.length / 2) + packed.padEnd(Math.ceil(packed.length / 64) * 64, '0');
    const struct = word(5 * 32) + addressWord(recipient) + word(deadline) + word(amountIn) + word(amountOutMin) + bytes;
    return { kind: 'swap', to: UNISWAP_V3_SWAP_ROUTER, input: `0x${SIG.exactInput}${word(32)}${struct}`, value: 0n, gasUsed, swap };
  }
}

/** The whole trace as one CSV string (header and a trailing newline included). */
export function generateMainnetTrace(opts: MainnetTraceOptions): string {
  return linesText(mainnetTraceLines(opts));
}

/** Writes the trace to a file by streaming, gzip-compressed when the name ends in .gz. */
export async function writeMainnetTraceFile(opts: MainnetTraceOptions, file: string): Promise<void> {
  validate(opts); // before the file is created
  await writeLinesFile(mainnetTraceLines(opts), file);
}

/** The ethereum-etl header, then one CSV line per transaction (no newlines). */
export function* mainnetTraceLines(opts: MainnetTraceOptions): Generator<string> {
  validate(opts);
  yield ETL_HEADER;
  for (const tx of mainnetTransactions(opts)) {
    yield [
      `0x${tx.hash}`,
      tx.nonce,
      `0x${tx.blockHash}`,
      tx.block,
      tx.index,
      `0x${tx.from}`,
      `0x${tx.to}`,
      tx.value,
      tx.gas,
      tx.gasPrice,
      tx.input,
      tx.timestamp,
      tx.maxFeePerGas,
      tx.maxPriorityFeePerGas,
      2,
      tx.gasUsed,
      tx.status,
    ].join(',');
  }
}

/** The transactions of the trace, in order, with what each was meant to be. */
export function* mainnetTransactions(opts: MainnetTraceOptions): Generator<MainnetTransaction> {
  validate(opts);
  const { seed, txPerBlock } = opts;
  const gen = new Mainnet(opts);
  const nonces = new Uint32Array(opts.senders);
  let blockHash = '';
  let baseFee = 0;
  for (let row = 0; row < opts.blocks * txPerBlock; row++) {
    const blockIndex = Math.floor(row / txPerBlock);
    const index = row % txPerBlock;
    const timestamp = FIRST_TIMESTAMP + 12 * blockIndex;
    if (index === 0) {
      const b = new Rng(seed, BLOCK_STREAM, blockIndex);
      blockHash = hex(b, 8);
      // Base fee 10-60 gwei: mainnet's usual range in mid-2022 (assumed from Etherscan's gas charts).
      baseFee = 10_000_000_000 + Math.floor(50_000_000_000 * b.next());
    }
    const rng = new Rng(seed, ROW_STREAM, row);
    const sender = gen.sender(rng);
    const from = gen.senderAddress(sender);
    const call = gen.call(rng, from, timestamp);
    const plain = call.kind === 'eth-transfer';
    // Wallets pad a call's gas limit above its estimate; a reverted call stops somewhere before the end.
    const gas = plain ? 21_000 : Math.floor(call.gasUsed * (1.1 + 0.4 * rng.next()));
    const failed = !plain && rng.next() < FAILED_CALLS;
    const gasUsed = failed ? Math.floor(gas * (0.2 + 0.8 * rng.next())) : call.gasUsed;
    const priorityFee = 1_000_000_000 + rng.int(2_000_000_000);
    yield {
      kind: call.kind,
      ...(call.swap === undefined ? {} : { swap: call.swap }),
      hash: hex(rng, 8),
      nonce: nonces[sender]!++,
      blockHash,
      block: FIRST_BLOCK + blockIndex,
      index,
      timestamp,
      from,
      to: call.to,
      value: call.value,
      gas,
      gasPrice: baseFee + priorityFee,
      input: call.input,
      maxFeePerGas: 2 * baseFee + priorityFee,
      maxPriorityFeePerGas: priorityFee,
      gasUsed,
      status: failed ? 0 : 1,
    };
  }
}

function validate(o: MainnetTraceOptions): void {
  const int = (key: keyof MainnetTraceOptions, min: number): void => {
    const v = o[key];
    if (!Number.isSafeInteger(v) || v < min) throw new ConfigError(`mainnet trace generator option ${key}`, `must be an integer >= ${min}, got ${v}`);
  };
  int('blocks', 0);
  int('txPerBlock', 1);
  int('senders', 1);
  int('seed', 0);
}
