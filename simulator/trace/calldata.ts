/**
 * A pure decoder of replayed Ethereum call data: given a transaction's
 * receiver and `input` hex, what does the call touch (which token balances,
 * which Uniswap pools)? It only reads; turning a decoded call into read/write
 * keys is the integrator's business.
 *
 * Decoding follows the Solidity "Contract ABI Specification"
 * (https://docs.soliditylang.org/en/latest/abi-spec.html): a 4-byte selector
 * (the first bytes of keccak256 of the canonical signature), then the head of
 * 32-byte words, where a dynamic argument's word is a byte offset (from the
 * start of the enclosing tuple) to its length-prefixed data. Strictness is
 * that of Solidity's ABI coder v2: call data shorter than the head, an offset
 * or length running past the data, an address word whose upper 12 bytes are
 * not zero, or a uint24 above 2^24 - 1 are malformed, hence 'unknown'
 * (older contracts compiled with ABI coder v1 would mask dirty address bits
 * instead; such calls are not what wallets send). Trailing bytes after the
 * data are accepted, as Solidity does.
 *
 * Contracts covered (mainnet addresses):
 * - any ERC-20 token (EIP-20: transfer, transferFrom, approve);
 * - WETH9 (deposit, withdraw), only at its own address;
 * - Uniswap V2 Router02 (Uniswap/v2-periphery, contracts/UniswapV2Router02.sol): the nine swaps;
 * - Uniswap V3 SwapRouter (Uniswap/v3-periphery, contracts/interfaces/ISwapRouter.sol):
 *   exactInputSingle, exactInput, exactOutputSingle, exactOutput, and multicall(bytes[]);
 * - SwapRouter02 (Uniswap/swap-router-contracts v1.0.0, contracts/interfaces/IV3SwapRouter.sol,
 *   IV2SwapRouter.sol, IMulticallExtended.sol): the same four V3 swaps with their structs
 *   lacking `deadline`, its two V2 swaps (no deadline either), and its three multicalls.
 * Swap selectors count only at their own router: a fork with the same ABI
 * (e.g. SushiSwap's router) has another factory, so its pools would be wrong.
 */
import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';

/** What a decoded call touches. Addresses: 40 lower-case hex chars without 0x (as TraceRow uses). Amounts: bigint. */
export type DecodedCall =
  | { readonly kind: 'erc20-transfer'; readonly token: string; readonly to: string; readonly amount: bigint }
  | { readonly kind: 'erc20-transfer-from'; readonly token: string; readonly owner: string; readonly to: string; readonly amount: bigint }
  | { readonly kind: 'erc20-approve'; readonly token: string; readonly spender: string; readonly amount: bigint }
  | { readonly kind: 'weth-deposit'; readonly token: string }
  | { readonly kind: 'weth-withdraw'; readonly token: string; readonly amount: bigint }
  | { readonly kind: 'swap'; readonly router: string; readonly version: 'v2' | 'v3'; readonly tokens: readonly string[]; readonly pools: readonly string[] }
  | { readonly kind: 'unknown'; readonly selector: string | null };

/** Canonical WETH9 (mainnet). */
export const WETH9 = 'c02aaa39b223fe8d0a0e5c4f27ead9083c756cc2';
/** Uniswap V2 Router02 and the V2 factory whose pairs it trades. */
export const UNISWAP_V2_ROUTER02 = '7a250d5630b4cf539739df2c5dacb4c659f2488d';
export const UNISWAP_V2_FACTORY = '5c69bee701ef814a2b6a3edd4b1652cb9cc5aa6f';
/** keccak256 of UniswapV2Pair's creation code, as in v2-periphery's UniswapV2Library.pairFor. */
export const UNISWAP_V2_PAIR_INIT_CODE_HASH = '96e8ac4277198ff8b6f785478aa9a39f403cb768dd02cbee326c3e7da348845f';
/** Uniswap V3 SwapRouter, SwapRouter02 and the V3 factory whose pools both trade. */
export const UNISWAP_V3_SWAP_ROUTER = 'e592427a0aece92de3edc1f2f9f4b5db7c4c7b0b';
export const UNISWAP_SWAP_ROUTER02 = '68b3465833fb72a70ecdf485e0e4c7bd8665fc45';
export const UNISWAP_V3_FACTORY = '1f98431c8ad98523631ae4a59f267346ea31f984';
/** keccak256 of UniswapV3Pool's creation code, as in v3-periphery's PoolAddress.POOL_INIT_CODE_HASH. */
export const UNISWAP_V3_POOL_INIT_CODE_HASH = 'e34f199b19b2b4f47f68442619d555527d244f78a3297ea89325f843f87b8b54';

const ZERO_ADDRESS = '0'.repeat(40);
const WORD = 32;

// ---------------------------------------------------------------------------
// Pool addresses: CREATE2 (EIP-1014), address = keccak256(0xff ++ deployer ++ salt ++ keccak256(init_code))[12:].

const V2_FACTORY_BYTES = hexToBytes(UNISWAP_V2_FACTORY);
const V2_INIT_HASH_BYTES = hexToBytes(UNISWAP_V2_PAIR_INIT_CODE_HASH);
const V3_FACTORY_BYTES = hexToBytes(UNISWAP_V3_FACTORY);
const V3_INIT_HASH_BYTES = hexToBytes(UNISWAP_V3_POOL_INIT_CODE_HASH);

function create2(deployer: Uint8Array, salt: Uint8Array, initCodeHash: Uint8Array): string {
  const buf = new Uint8Array(85);
  buf[0] = 0xff;
  buf.set(deployer, 1);
  buf.set(salt, 21);
  buf.set(initCodeHash, 53);
  return bytesToHex(keccak_256(buf).subarray(12));
}

/** Pool addresses seen so far: a replay meets the same few hot pools again and again. Cleared when full, so memory stays bounded. */
const poolCache = new Map<string, string>();
const POOL_CACHE_LIMIT = 1 << 16;

function cached(key: string, compute: () => string): string {
  let hit = poolCache.get(key);
  if (hit === undefined) {
    if (poolCache.size >= POOL_CACHE_LIMIT) poolCache.clear();
    hit = compute();
    poolCache.set(key, hit);
  }
  return hit;
}

/**
 * The Uniswap V2 pair of two tokens (40 hex, any order): the factory's CREATE2
 * address with salt keccak256(abi.encodePacked(token0, token1)), token0 < token1
 * (v2-periphery UniswapV2Library.sortTokens / pairFor). The pair need not exist.
 */
export function uniswapV2Pair(a: string, b: string): string {
  const [t0, t1] = a < b ? [a, b] : [b, a];
  return cached(`2${t0}${t1}`, () => {
    const packed = new Uint8Array(40);
    packed.set(hexToBytes(t0), 0);
    packed.set(hexToBytes(t1), 20);
    return create2(V2_FACTORY_BYTES, keccak_256(packed), V2_INIT_HASH_BYTES);
  });
}

/**
 * The Uniswap V3 pool of two tokens and a fee tier (hundredths of a bip): the
 * factory's CREATE2 address with salt keccak256(abi.encode(token0, token1, fee))
 * (v3-periphery libraries/PoolAddress.sol computeAddress). The pool need not exist.
 */
export function uniswapV3Pool(a: string, b: string, fee: number): string {
  const [t0, t1] = a < b ? [a, b] : [b, a];
  return cached(`3${t0}${t1}${fee}`, () => {
    const encoded = new Uint8Array(3 * WORD);
    encoded.set(hexToBytes(t0), WORD - 20);
    encoded.set(hexToBytes(t1), 2 * WORD - 20);
    encoded[3 * WORD - 3] = (fee >>> 16) & 0xff;
    encoded[3 * WORD - 2] = (fee >>> 8) & 0xff;
    encoded[3 * WORD - 1] = fee & 0xff;
    return create2(V3_FACTORY_BYTES, keccak_256(encoded), V3_INIT_HASH_BYTES);
  });
}

// ---------------------------------------------------------------------------
// ABI word readers. Every reader takes the bytes of one tuple's encoding (the
// arguments after the selector, or a nested dynamic value) and a byte
// position in it, and returns null instead of reading past the end.

function zeroes(data: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (data[i] !== 0) return false;
  return true;
}

/** An address word: 12 zero bytes, then 20 bytes. */
function addressAt(data: Uint8Array, pos: number): string | null {
  if (pos + WORD > data.length || !zeroes(data, pos, pos + 12)) return null;
  return bytesToHex(data.subarray(pos + 12, pos + WORD));
}

function uint256At(data: Uint8Array, pos: number): bigint | null {
  if (pos + WORD > data.length) return null;
  return BigInt(`0x${bytesToHex(data.subarray(pos, pos + WORD))}`);
}

/** A uint word whose value fits `bytes` bytes (a uint24 fee: 3), else null, as ABI coder v2 rejects it. */
function smallUintAt(data: Uint8Array, pos: number, bytes: number): number | null {
  if (pos + WORD > data.length || !zeroes(data, pos, pos + WORD - bytes)) return null;
  let v = 0;
  for (let i = pos + WORD - bytes; i < pos + WORD; i++) v = v * 256 + data[i]!;
  return v;
}

/**
 * Where the dynamic value whose head word is at `headPos` starts: the word is
 * an offset from `base`, the start of the enclosing tuple. Six bytes bound any
 * real offset (and keep it a safe integer); the caller bounds-checks the data.
 */
function offsetAt(data: Uint8Array, base: number, headPos: number): number | null {
  const off = smallUintAt(data, headPos, 6);
  if (off === null) return null;
  const at = base + off;
  return at + WORD <= data.length ? at : null;
}

/** A dynamic `address[]` at `at`: its length word, then one address word each. */
function addressArrayAt(data: Uint8Array, at: number): string[] | null {
  const n = smallUintAt(data, at, 6);
  if (n === null || at + WORD + n * WORD > data.length) return null;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const a = addressAt(data, at + WORD + i * WORD);
    if (a === null) return null;
    out.push(a);
  }
  return out;
}

/** A dynamic `bytes` at `at`: its length word, then the bytes (padding to a word is not required, as in Solidity's calldata decoder). */
function bytesAt(data: Uint8Array, at: number): Uint8Array | null {
  const n = smallUintAt(data, at, 6);
  if (n === null || at + WORD + n > data.length) return null;
  return data.subarray(at + WORD, at + WORD + n);
}

/** The head must be whole: Solidity reverts on call data shorter than its static part. */
function hasWords(data: Uint8Array, words: number): boolean {
  return data.length >= words * WORD;
}

// ---------------------------------------------------------------------------
// Swaps.

interface Swap {
  readonly version: 'v2' | 'v3';
  readonly tokens: readonly string[];
  readonly pools: readonly string[];
}

/** Distinct values, first occurrence first. */
function distinct(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/**
 * A V2 path (token addresses in trade order) and its pairs. The router's
 * UniswapV2Library needs at least two tokens ('INVALID_PATH') and, in
 * sortTokens, distinct non-zero neighbours; a path it would reject is malformed.
 */
function v2Swap(path: readonly string[]): Swap | null {
  if (path.length < 2) return null;
  const pools: string[] = [];
  for (let i = 0; i + 1 < path.length; i++) {
    const a = path[i]!;
    const b = path[i + 1]!;
    if (a === b || a === ZERO_ADDRESS || b === ZERO_ADDRESS) return null;
    pools.push(uniswapV2Pair(a, b));
  }
  return { version: 'v2', tokens: distinct(path), pools: distinct(pools) };
}

/** A V2 router swap whose `address[] path` argument is head word `pathWord` of `words` head words. */
function v2PathSwap(words: number, pathWord: number) {
  return (args: Uint8Array): Swap | null => {
    if (!hasWords(args, words)) return null;
    const at = offsetAt(args, 0, pathWord * WORD);
    const path = at === null ? null : addressArrayAt(args, at);
    return path === null ? null : v2Swap(path);
  };
}

/** A V3 hop between distinct tokens; PoolAddress.computeAddress requires token0 < token1. */
function v3Hop(a: string, b: string, fee: number): string | null {
  return a === b ? null : uniswapV3Pool(a, b, fee);
}

/** exactInputSingle / exactOutputSingle: a static struct inline, tokenIn, tokenOut, fee first, `words` words in all. */
function v3SingleSwap(words: number) {
  return (args: Uint8Array): Swap | null => {
    if (!hasWords(args, words)) return null;
    const tokenIn = addressAt(args, 0);
    const tokenOut = addressAt(args, WORD);
    const fee = smallUintAt(args, 2 * WORD, 3);
    if (tokenIn === null || tokenOut === null || fee === null) return null;
    const pool = v3Hop(tokenIn, tokenOut, fee);
    return pool === null ? null : { version: 'v3', tokens: [tokenIn, tokenOut], pools: [pool] };
  };
}

/** The bytes of a packed V3 path (v3-periphery libraries/Path.sol): token (20) then, per hop, fee (3) and token (20). */
const V3_ADDR = 20;
const V3_FEE = 3;

/**
 * exactInput / exactOutput: one dynamic struct `(bytes path, ...)` of
 * `structWords` head words. exactOutput's path runs from the output token back
 * to the input (ISwapRouter: "the specified path (reversed)"); the result lists
 * tokens and pools in trade order either way.
 */
function v3PathSwap(structWords: number, reversed: boolean) {
  return (args: Uint8Array): Swap | null => {
    if (!hasWords(args, 1)) return null;
    const tuple = offsetAt(args, 0, 0);
    if (tuple === null || tuple + structWords * WORD > args.length) return null;
    const at = offsetAt(args, tuple, tuple);
    const path = at === null ? null : bytesAt(args, at);
    // Path.sol reads hops while the rest is long enough; a length that is not token (fee token)+ is not a path the router meant.
    if (path === null || path.length < V3_ADDR + V3_FEE + V3_ADDR || (path.length - V3_ADDR) % (V3_FEE + V3_ADDR) !== 0) return null;
    const tokens = [bytesToHex(path.subarray(0, V3_ADDR))];
    const pools: string[] = [];
    for (let p = V3_ADDR; p < path.length; p += V3_FEE + V3_ADDR) {
      const fee = (path[p]! << 16) | (path[p + 1]! << 8) | path[p + 2]!;
      const next = bytesToHex(path.subarray(p + V3_FEE, p + V3_FEE + V3_ADDR));
      const pool = v3Hop(tokens[tokens.length - 1]!, next, fee);
      if (pool === null) return null;
      tokens.push(next);
      pools.push(pool);
    }
    if (reversed) {
      tokens.reverse();
      pools.reverse();
    }
    return { version: 'v3', tokens: distinct(tokens), pools: distinct(pools) };
  };
}

type SwapDecoder = (args: Uint8Array) => Swap | null;

interface SwapEntry {
  readonly selector: string;
  readonly signature: string;
  readonly decode: SwapDecoder;
}

/** v2-periphery UniswapV2Router02.sol: every swap ends (path, to, deadline); the ETH-in ones have one uint before the path. */
const V2_ROUTER02_SWAPS: readonly SwapEntry[] = [
  { selector: '38ed1739', signature: 'swapExactTokensForTokens(uint256,uint256,address[],address,uint256)', decode: v2PathSwap(5, 2) },
  { selector: '8803dbee', signature: 'swapTokensForExactTokens(uint256,uint256,address[],address,uint256)', decode: v2PathSwap(5, 2) },
  { selector: '7ff36ab5', signature: 'swapExactETHForTokens(uint256,address[],address,uint256)', decode: v2PathSwap(4, 1) },
  { selector: '4a25d94a', signature: 'swapTokensForExactETH(uint256,uint256,address[],address,uint256)', decode: v2PathSwap(5, 2) },
  { selector: '18cbafe5', signature: 'swapExactTokensForETH(uint256,uint256,address[],address,uint256)', decode: v2PathSwap(5, 2) },
  { selector: 'fb3bdb41', signature: 'swapETHForExactTokens(uint256,address[],address,uint256)', decode: v2PathSwap(4, 1) },
  {
    selector: '5c11d795',
    signature: 'swapExactTokensForTokensSupportingFeeOnTransferTokens(uint256,uint256,address[],address,uint256)',
    decode: v2PathSwap(5, 2),
  },
  { selector: 'b6f9de95', signature: 'swapExactETHForTokensSupportingFeeOnTransferTokens(uint256,address[],address,uint256)', decode: v2PathSwap(4, 1) },
  {
    selector: '791ac947',
    signature: 'swapExactTokensForETHSupportingFeeOnTransferTokens(uint256,uint256,address[],address,uint256)',
    decode: v2PathSwap(5, 2),
  },
];

/** v3-periphery ISwapRouter.sol: structs with a deadline (8 words for the single-pool ones, 5 head words for the path ones). */
const V3_ROUTER_SWAPS: readonly SwapEntry[] = [
  { selector: '414bf389', signature: 'exactInputSingle((address,address,uint24,address,uint256,uint256,uint256,uint160))', decode: v3SingleSwap(8) },
  { selector: 'db3e2198', signature: 'exactOutputSingle((address,address,uint24,address,uint256,uint256,uint256,uint160))', decode: v3SingleSwap(8) },
  { selector: 'c04b8d59', signature: 'exactInput((bytes,address,uint256,uint256,uint256))', decode: v3PathSwap(5, false) },
  { selector: 'f28c0498', signature: 'exactOutput((bytes,address,uint256,uint256,uint256))', decode: v3PathSwap(5, true) },
];

/**
 * swap-router-contracts v1.0.0 (the SwapRouter02 deployment): IV3SwapRouter's
 * structs drop `deadline` (7 and 4 words; the deadline moved to
 * multicall(uint256,bytes[])), and IV2SwapRouter's swaps drop it too.
 */
const SWAP_ROUTER02_SWAPS: readonly SwapEntry[] = [
  { selector: '04e45aaf', signature: 'exactInputSingle((address,address,uint24,address,uint256,uint256,uint160))', decode: v3SingleSwap(7) },
  { selector: '5023b4df', signature: 'exactOutputSingle((address,address,uint24,address,uint256,uint256,uint160))', decode: v3SingleSwap(7) },
  { selector: 'b858183f', signature: 'exactInput((bytes,address,uint256,uint256))', decode: v3PathSwap(4, false) },
  { selector: '09b81346', signature: 'exactOutput((bytes,address,uint256,uint256))', decode: v3PathSwap(4, true) },
  { selector: '472b43f3', signature: 'swapExactTokensForTokens(uint256,uint256,address[],address)', decode: v2PathSwap(4, 2) },
  { selector: '42712a67', signature: 'swapTokensForExactTokens(uint256,uint256,address[],address)', decode: v2PathSwap(4, 2) },
];

// ---------------------------------------------------------------------------
// Multicall on the V3 routers: the inner calls run on the router itself
// (v3-periphery base/Multicall.sol delegatecalls address(this)).

const MULTICALL = { selector: 'ac9650d8', signature: 'multicall(bytes[])', dataWord: 0 } as const;
/** IMulticallExtended (SwapRouter02 only): a deadline or a previous block hash before the calls. */
const MULTICALL_EXTENDED = [
  { selector: '5ae401dc', signature: 'multicall(uint256,bytes[])', dataWord: 1 },
  { selector: '1f0464d1', signature: 'multicall(bytes32,bytes[])', dataWord: 1 },
] as const;

/** Which token a payment helper touches: its first argument, or WETH9 (which the router wraps or unwraps), or none. */
type HelperToken = 'arg0' | 'weth' | 'none';

/**
 * Payment and permit helpers that multicalls bundle around swaps
 * (v3-periphery IPeripheryPayments, IPeripheryPaymentsWithFee, ISelfPermit;
 * swap-router-contracts IPeripheryPaymentsExtended,
 * IPeripheryPaymentsWithFeeExtended). They move the router's own balances
 * or set a permit; the token they name joins the swap's tokens. `words`: the
 * head words they need.
 */
export const MULTICALL_HELPERS: ReadonlyArray<{ readonly selector: string; readonly signature: string; readonly token: HelperToken; readonly words: number }> =
  [
    { selector: '49404b7c', signature: 'unwrapWETH9(uint256,address)', token: 'weth', words: 2 },
    { selector: '49616997', signature: 'unwrapWETH9(uint256)', token: 'weth', words: 1 },
    { selector: '9b2c0a37', signature: 'unwrapWETH9WithFee(uint256,address,uint256,address)', token: 'weth', words: 4 },
    { selector: 'd4ef38de', signature: 'unwrapWETH9WithFee(uint256,uint256,address)', token: 'weth', words: 3 },
    { selector: '1c58db4f', signature: 'wrapETH(uint256)', token: 'weth', words: 1 },
    { selector: '12210e8a', signature: 'refundETH()', token: 'none', words: 0 },
    { selector: 'df2ab5bb', signature: 'sweepToken(address,uint256,address)', token: 'arg0', words: 3 },
    { selector: 'e90a182f', signature: 'sweepToken(address,uint256)', token: 'arg0', words: 2 },
    { selector: 'e0e189a0', signature: 'sweepTokenWithFee(address,uint256,address,uint256,address)', token: 'arg0', words: 5 },
    { selector: '3068c554', signature: 'sweepTokenWithFee(address,uint256,uint256,address)', token: 'arg0', words: 4 },
    { selector: 'f2d5d56b', signature: 'pull(address,uint256)', token: 'arg0', words: 2 },
    { selector: 'f3995c67', signature: 'selfPermit(address,uint256,uint256,uint8,bytes32,bytes32)', token: 'arg0', words: 6 },
    { selector: 'c2e3140a', signature: 'selfPermitIfNecessary(address,uint256,uint256,uint8,bytes32,bytes32)', token: 'arg0', words: 6 },
    { selector: '4659a494', signature: 'selfPermitAllowed(address,uint256,uint256,uint8,bytes32,bytes32)', token: 'arg0', words: 6 },
    { selector: 'a4a78f0c', signature: 'selfPermitAllowedIfNecessary(address,uint256,uint256,uint8,bytes32,bytes32)', token: 'arg0', words: 6 },
  ];

const HELPERS = new Map(MULTICALL_HELPERS.map((h) => [h.selector, h]));

/**
 * The inner calls of a multicall, decoded one level deep and merged. Each
 * must be a swap of the same router or a payment helper; anything else (a
 * nested multicall, an unknown or malformed call) leaves the bundle 'unknown',
 * since part of what it touches would be missing. A bundle without a swap is
 * 'unknown' too. `version` is 'v3' when any inner swap is a V3 one.
 */
function multicallSwap(swaps: ReadonlyMap<string, SwapDecoder>, dataWord: number) {
  return (args: Uint8Array): Swap | null => {
    if (!hasWords(args, dataWord + 1)) return null;
    const array = offsetAt(args, 0, dataWord * WORD);
    const n = array === null ? null : smallUintAt(args, array, 6);
    if (array === null || n === null) return null;
    // bytes[] is a length, then a tuple of n dynamic elements whose offsets count from the tuple's start.
    const start = array + WORD;
    if (start + n * WORD > args.length) return null;
    const tokens: string[] = [];
    const pools: string[] = [];
    let v3 = false;
    let swapped = false;
    for (let i = 0; i < n; i++) {
      const at = offsetAt(args, start, start + i * WORD);
      const call = at === null ? null : bytesAt(args, at);
      if (call === null || call.length < 4) return null;
      const selector = bytesToHex(call.subarray(0, 4));
      const inner = call.subarray(4);
      const decode = swaps.get(selector);
      if (decode !== undefined) {
        const swap = decode(inner);
        if (swap === null) return null;
        tokens.push(...swap.tokens);
        pools.push(...swap.pools);
        v3 ||= swap.version === 'v3';
        swapped = true;
        continue;
      }
      const helper = HELPERS.get(selector);
      if (helper === undefined || !hasWords(inner, helper.words)) return null;
      if (helper.token === 'weth') tokens.push(WETH9);
      else if (helper.token === 'arg0') {
        const token = addressAt(inner, 0);
        if (token === null) return null;
        tokens.push(token);
      }
    }
    return swapped ? { version: v3 ? 'v3' : 'v2', tokens: distinct(tokens), pools: distinct(pools) } : null;
  };
}

function routerTable(
  entries: readonly SwapEntry[],
  multicalls: ReadonlyArray<{ readonly selector: string; readonly dataWord: number }>,
): Map<string, SwapDecoder> {
  const swaps = new Map(entries.map((e) => [e.selector, e.decode]));
  const table = new Map(swaps);
  for (const m of multicalls) table.set(m.selector, multicallSwap(swaps, m.dataWord));
  return table;
}

/** Per router, the selectors it decodes. */
const ROUTERS: ReadonlyMap<string, ReadonlyMap<string, SwapDecoder>> = new Map([
  [UNISWAP_V2_ROUTER02, routerTable(V2_ROUTER02_SWAPS, [])],
  [UNISWAP_V3_SWAP_ROUTER, routerTable(V3_ROUTER_SWAPS, [MULTICALL])],
  [UNISWAP_SWAP_ROUTER02, routerTable(SWAP_ROUTER02_SWAPS, [MULTICALL, ...MULTICALL_EXTENDED])],
]);

// ---------------------------------------------------------------------------
// Tokens.

const TRANSFER = 'a9059cbb';
const TRANSFER_FROM = '23b872dd';
const APPROVE = '095ea7b3';
const DEPOSIT = 'd0e30db0';
const WITHDRAW = '2e1a7d4d';

/** EIP-20 transfer / transferFrom / approve, on any receiver. */
function decodeErc20(token: string, selector: string, args: Uint8Array): DecodedCall | null {
  switch (selector) {
    case TRANSFER: {
      const to = addressAt(args, 0);
      const amount = uint256At(args, WORD);
      return to === null || amount === null ? null : { kind: 'erc20-transfer', token, to, amount };
    }
    case TRANSFER_FROM: {
      const owner = addressAt(args, 0);
      const to = addressAt(args, WORD);
      const amount = uint256At(args, 2 * WORD);
      return owner === null || to === null || amount === null ? null : { kind: 'erc20-transfer-from', token, owner, to, amount };
    }
    case APPROVE: {
      const spender = addressAt(args, 0);
      const amount = uint256At(args, WORD);
      return spender === null || amount === null ? null : { kind: 'erc20-approve', token, spender, amount };
    }
    default:
      return null;
  }
}

/**
 * WETH9 (mainnet 0xc02a…): deposit() wraps the call's value, withdraw(uint256) unwraps.
 * WETH9's payable fallback deposits too, so a plain ETH send to it is a deposit;
 * decodeCall leaves such empty or unmatched input 'unknown' and the caller may
 * read a value sent to WETH9 as one.
 */
function decodeWeth(selector: string, args: Uint8Array): DecodedCall | null {
  if (selector === DEPOSIT) return { kind: 'weth-deposit', token: WETH9 };
  if (selector === WITHDRAW) {
    const amount = uint256At(args, 0);
    return amount === null ? null : { kind: 'weth-withdraw', token: WETH9, amount };
  }
  return null;
}

/** The 4-byte selectors decodeCall knows, hex without 0x, with their Solidity signatures (for docs). */
export const KNOWN_SELECTORS: ReadonlyArray<{ readonly selector: string; readonly signature: string; readonly kind: DecodedCall['kind'] }> = [
  { selector: TRANSFER, signature: 'transfer(address,uint256)', kind: 'erc20-transfer' },
  { selector: TRANSFER_FROM, signature: 'transferFrom(address,address,uint256)', kind: 'erc20-transfer-from' },
  { selector: APPROVE, signature: 'approve(address,uint256)', kind: 'erc20-approve' },
  { selector: DEPOSIT, signature: 'deposit()', kind: 'weth-deposit' },
  { selector: WITHDRAW, signature: 'withdraw(uint256)', kind: 'weth-withdraw' },
  ...[...V2_ROUTER02_SWAPS, ...V3_ROUTER_SWAPS, ...SWAP_ROUTER02_SWAPS, MULTICALL, ...MULTICALL_EXTENDED].map(({ selector, signature }) => ({
    selector,
    signature,
    kind: 'swap' as const,
  })),
];

// ---------------------------------------------------------------------------

const HEX_BYTES = /^(?:[0-9a-fA-F]{2})*$/;
const ADDRESS = /^[0-9a-fA-F]{40}$/;

/** The input column's bytes ('0x…', bare hex, '' / '0x' / None: empty), or null when it is not whole bytes of hex. */
function inputBytes(input: string): Uint8Array | null {
  if (input === '' || input === 'None') return new Uint8Array(0);
  const hex = input.startsWith('0x') || input.startsWith('0X') ? input.slice(2) : input;
  return HEX_BYTES.test(hex) ? hexToBytes(hex) : null;
}

function receiver(to: string): string | null {
  const hex = to.startsWith('0x') || to.startsWith('0X') ? to.slice(2) : to;
  return ADDRESS.test(hex) ? hex.toLowerCase() : null;
}

/**
 * `to`: the receiver (40 hex, no 0x); `input`: the input column ('0x...' or '' / '0x').
 * Never throws on bad calldata: malformed or truncated data is 'unknown'.
 */
export function decodeCall(to: string, input: string): DecodedCall {
  const data = inputBytes(input);
  if (data === null || data.length < 4) return { kind: 'unknown', selector: null };
  const selector = bytesToHex(data.subarray(0, 4));
  const token = receiver(to);
  if (token === null) return { kind: 'unknown', selector };
  const args = data.subarray(4);
  const router = ROUTERS.get(token)?.get(selector);
  if (router !== undefined) {
    const swap = router(args);
    return swap === null ? { kind: 'unknown', selector } : { kind: 'swap', router: token, ...swap };
  }
  const decoded = (token === WETH9 ? decodeWeth(selector, args) : null) ?? decodeErc20(token, selector, args);
  return decoded ?? { kind: 'unknown', selector };
}
