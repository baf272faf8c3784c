import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type DecodedCall,
  decodeCall,
  KNOWN_SELECTORS,
  MULTICALL_HELPERS,
  UNISWAP_SWAP_ROUTER02,
  UNISWAP_V2_ROUTER02,
  UNISWAP_V3_SWAP_ROUTER,
  uniswapV2Pair,
  uniswapV3Pool,
  WETH9,
} from '../../simulator/trace/calldata.js';

const USDC = 'a0b86991c6218b36c1d19d4a2e9eb0ce3606eb48';
const DAI = '6b175474e89094c44da98b954eedeac495271d0f';
const ALICE = 'ab'.repeat(20);
const BOB = '0123456789abcdef0123456789abcdef01234567';
/** Real mainnet deployments, as listed by Uniswap's info pages and Etherscan. */
const WETH_USDC_V2_PAIR = 'b4e16d0168e52d35cacd2c6185b44281ec28c9dc';
const USDC_WETH_V3_POOL_500 = '88e6a0c2ddd26feeb64f039a2c41296fcb3f5640';

// A tiny ABI encoder (head/tail encoding of the Solidity ABI specification), enough for the calls under test.
type Enc = { readonly dynamic: boolean; readonly hex: string };
const word = (n: bigint | number): string => BigInt(n).toString(16).padStart(64, '0');
const u = (n: bigint | number): Enc => ({ dynamic: false, hex: word(n) });
const a = (addr: string): Enc => ({ dynamic: false, hex: addr.padStart(64, '0') });
const padded = (hex: string): string => hex.padEnd(Math.ceil(hex.length / 64) * 64, '0');
const bytes = (hex: string): Enc => ({ dynamic: true, hex: word(hex.length / 2) + padded(hex) });
const addressArray = (list: readonly string[]): Enc => ({ dynamic: true, hex: word(list.length) + list.map((x) => a(x).hex).join('') });
const bytesArray = (list: readonly string[]): Enc => ({ dynamic: true, hex: word(list.length) + encode(list.map(bytes)) });
const tuple = (items: readonly Enc[]): Enc => ({ dynamic: items.some((i) => i.dynamic), hex: encode(items) });
function encode(items: readonly Enc[]): string {
  let head = '';
  let tail = '';
  const headBytes = items.length * 32;
  for (const item of items) {
    if (item.dynamic) {
      head += word(headBytes + tail.length / 2);
      tail += item.hex;
    } else head += item.hex;
  }
  return head + tail;
}
/** Call data without 0x (for nesting); `call` adds it. */
const raw = (selector: string, items: readonly Enc[]): string => selector + encode(items);
const call = (selector: string, items: readonly Enc[]): string => `0x${raw(selector, items)}`;
/** A packed V3 path: token, then fee (3 bytes) and token per hop. */
const v3Path = (...parts: readonly (string | number)[]): string => parts.map((p) => (typeof p === 'number' ? p.toString(16).padStart(6, '0') : p)).join('');

const selectorOf = (signature: string): string => bytesToHex(keccak_256(utf8ToBytes(signature))).slice(0, 8);
const sel = (signature: string): string => {
  const entry = KNOWN_SELECTORS.find((k) => k.signature === signature);
  if (entry === undefined) throw new Error(`not known: ${signature}`);
  return entry.selector;
};

const unknown = (selector: string | null): DecodedCall => ({ kind: 'unknown', selector });

describe('selector tables', () => {
  it('every selector is the first 4 bytes of keccak256 of its signature, and selectors are distinct', () => {
    for (const { selector, signature } of [...KNOWN_SELECTORS, ...MULTICALL_HELPERS]) expect(selector, signature).toBe(selectorOf(signature));
    const all = [...KNOWN_SELECTORS, ...MULTICALL_HELPERS].map((k) => k.selector);
    expect(new Set(all).size).toBe(all.length);
  });
});

describe('pool addresses (CREATE2) against mainnet', () => {
  it('the V2 WETH/USDC pair, in either token order', () => {
    expect(uniswapV2Pair(WETH9, USDC)).toBe(WETH_USDC_V2_PAIR);
    expect(uniswapV2Pair(USDC, WETH9)).toBe(WETH_USDC_V2_PAIR);
  });
  it('the V3 USDC/WETH 0.05% pool, and another fee tier is another pool', () => {
    expect(uniswapV3Pool(USDC, WETH9, 500)).toBe(USDC_WETH_V3_POOL_500);
    expect(uniswapV3Pool(WETH9, USDC, 500)).toBe(USDC_WETH_V3_POOL_500);
    expect(uniswapV3Pool(USDC, WETH9, 3000)).not.toBe(USDC_WETH_V3_POOL_500);
  });
});

describe('ERC-20', () => {
  it('transfer, transferFrom and approve on any receiver', () => {
    expect(decodeCall(DAI, call('a9059cbb', [a(BOB), u(10n ** 18n)]))).toEqual({ kind: 'erc20-transfer', token: DAI, to: BOB, amount: 10n ** 18n });
    expect(decodeCall(DAI, call('23b872dd', [a(ALICE), a(BOB), u(7)]))).toEqual({ kind: 'erc20-transfer-from', token: DAI, owner: ALICE, to: BOB, amount: 7n });
    const max = 2n ** 256n - 1n;
    expect(decodeCall(USDC, call('095ea7b3', [a(BOB), u(max)]))).toEqual({ kind: 'erc20-approve', token: USDC, spender: BOB, amount: max });
  });
  it('normalises the receiver and the input hex to lower case, and accepts trailing bytes', () => {
    const input = call('a9059cbb', [a(BOB), u(5)])
      .toUpperCase()
      .replace('0X', '0x');
    expect(decodeCall(`0x${DAI.toUpperCase()}`, `${input}ff`)).toEqual({ kind: 'erc20-transfer', token: DAI, to: BOB, amount: 5n });
  });
  it('a dirty address word, a short amount or a receiver that is not an address is unknown', () => {
    expect(decodeCall(DAI, call('a9059cbb', [u(2n ** 160n + 1n), u(5)]))).toEqual(unknown('a9059cbb'));
    expect(decodeCall(DAI, call('23b872dd', [a(ALICE), { dynamic: false, hex: `01${BOB.padStart(62, '0')}` }, u(1)]))).toEqual(unknown('23b872dd'));
    expect(decodeCall(DAI, call('a9059cbb', [a(BOB), u(5)]).slice(0, -2))).toEqual(unknown('a9059cbb'));
    expect(decodeCall('not an address', call('a9059cbb', [a(BOB), u(5)]))).toEqual(unknown('a9059cbb'));
  });
});

describe('WETH9', () => {
  it('deposit and withdraw at WETH9; its ERC-20 calls are ERC-20 calls', () => {
    expect(decodeCall(WETH9, '0xd0e30db0')).toEqual({ kind: 'weth-deposit', token: WETH9 });
    expect(decodeCall(WETH9, call('2e1a7d4d', [u(123)]))).toEqual({ kind: 'weth-withdraw', token: WETH9, amount: 123n });
    expect(decodeCall(WETH9, call('a9059cbb', [a(BOB), u(1)]))).toEqual({ kind: 'erc20-transfer', token: WETH9, to: BOB, amount: 1n });
  });
  it('the same selectors anywhere else, or a short withdraw, are unknown', () => {
    expect(decodeCall(DAI, '0xd0e30db0')).toEqual(unknown('d0e30db0'));
    expect(decodeCall(DAI, call('2e1a7d4d', [u(123)]))).toEqual(unknown('2e1a7d4d'));
    expect(decodeCall(WETH9, '0x2e1a7d4d00')).toEqual(unknown('2e1a7d4d'));
  });
});

describe('Uniswap V2 Router02', () => {
  const path = [USDC, WETH9, DAI];
  const swap = { kind: 'swap', router: UNISWAP_V2_ROUTER02, version: 'v2', tokens: path, pools: [WETH_USDC_V2_PAIR, uniswapV2Pair(WETH9, DAI)] };
  const deadline = u(1_700_000_000);
  /** (uint, uint, path, to, deadline) and (uint, path, to, deadline) layouts. */
  const fiveArgs = (p: readonly string[]) => [u(1000), u(900), addressArray(p), a(ALICE), deadline];
  const fourArgs = (p: readonly string[]) => [u(900), addressArray(p), a(ALICE), deadline];
  const cases = KNOWN_SELECTORS.filter((k) => k.kind === 'swap' && k.signature.startsWith('swap') && k.signature.endsWith(',address,uint256)'));

  it('knows the nine Router02 swaps', () => expect(cases).toHaveLength(9));
  it.each(cases.map((k) => [k.signature, k.selector]))('%s: path tokens and their pairs', (signature, selector) => {
    const args = signature.split(',').length === 5 ? fiveArgs : fourArgs;
    expect(decodeCall(UNISWAP_V2_ROUTER02, call(selector, args(path)))).toEqual(swap);
  });
  it('a one-token path, equal neighbours, an offset or a length past the data are unknown', () => {
    const s = sel('swapExactTokensForTokens(uint256,uint256,address[],address,uint256)');
    expect(decodeCall(UNISWAP_V2_ROUTER02, call(s, fiveArgs([USDC])))).toEqual(unknown(s));
    expect(decodeCall(UNISWAP_V2_ROUTER02, call(s, fiveArgs([USDC, USDC])))).toEqual(unknown(s));
    const good = call(s, fiveArgs(path));
    const offsetWord = 2 + 8 + 2 * 64;
    const badOffset = `${good.slice(0, offsetWord)}${word(10_000)}${good.slice(offsetWord + 64)}`;
    expect(decodeCall(UNISWAP_V2_ROUTER02, badOffset)).toEqual(unknown(s));
    const lengthWord = 2 + 8 + 5 * 64;
    const badLength = `${good.slice(0, lengthWord)}${word(2n ** 40n)}${good.slice(lengthWord + 64)}`;
    expect(decodeCall(UNISWAP_V2_ROUTER02, badLength)).toEqual(unknown(s));
  });
  it('the router selectors at another address are unknown', () => {
    const s = sel('swapExactTokensForTokens(uint256,uint256,address[],address,uint256)');
    expect(decodeCall(DAI, call(s, fiveArgs(path)))).toEqual(unknown(s));
  });
});

describe('Uniswap V3 SwapRouter and SwapRouter02', () => {
  const single = (fee: number) => [a(USDC), a(WETH9), u(fee), a(ALICE), u(1_700_000_000), u(1000), u(1), u(0)];
  const single02 = (fee: number) => [a(USDC), a(WETH9), u(fee), a(ALICE), u(1000), u(1), u(0)];
  const usdcWeth = { tokens: [USDC, WETH9], pools: [USDC_WETH_V3_POOL_500] };
  const forward = v3Path(USDC, 500, WETH9, 3000, DAI);
  const backward = v3Path(DAI, 3000, WETH9, 500, USDC);
  const twoHops = { tokens: [USDC, WETH9, DAI], pools: [USDC_WETH_V3_POOL_500, uniswapV3Pool(WETH9, DAI, 3000)] };
  const v3 = (router: string, r: { tokens: string[]; pools: string[] }) => ({ kind: 'swap', router, version: 'v3', ...r });
  const pathArgs = (p: string) => [tuple([bytes(p), a(ALICE), u(1_700_000_000), u(1000), u(1)])];
  const pathArgs02 = (p: string) => [tuple([bytes(p), a(ALICE), u(1000), u(1)])];

  it('exactInputSingle and exactOutputSingle (structs with a deadline)', () => {
    expect(decodeCall(UNISWAP_V3_SWAP_ROUTER, call('414bf389', single(500)))).toEqual(v3(UNISWAP_V3_SWAP_ROUTER, usdcWeth));
    expect(decodeCall(UNISWAP_V3_SWAP_ROUTER, call('db3e2198', single(500)))).toEqual(v3(UNISWAP_V3_SWAP_ROUTER, usdcWeth));
  });
  it('exactInput follows the path; exactOutput reads it reversed, both in trade order', () => {
    expect(decodeCall(UNISWAP_V3_SWAP_ROUTER, call('c04b8d59', pathArgs(forward)))).toEqual(v3(UNISWAP_V3_SWAP_ROUTER, twoHops));
    expect(decodeCall(UNISWAP_V3_SWAP_ROUTER, call('f28c0498', pathArgs(backward)))).toEqual(v3(UNISWAP_V3_SWAP_ROUTER, twoHops));
  });
  it('SwapRouter02: the same swaps without deadline, and its V2 swaps', () => {
    const r = UNISWAP_SWAP_ROUTER02;
    expect(decodeCall(r, call('04e45aaf', single02(500)))).toEqual(v3(r, usdcWeth));
    expect(decodeCall(r, call('5023b4df', single02(500)))).toEqual(v3(r, usdcWeth));
    expect(decodeCall(r, call('b858183f', pathArgs02(forward)))).toEqual(v3(r, twoHops));
    expect(decodeCall(r, call('09b81346', pathArgs02(backward)))).toEqual(v3(r, twoHops));
    for (const s of ['472b43f3', '42712a67']) {
      expect(decodeCall(r, call(s, [u(1000), u(1), addressArray([WETH9, USDC]), a(ALICE)]))).toEqual({
        kind: 'swap',
        router: r,
        version: 'v2',
        tokens: [WETH9, USDC],
        pools: [WETH_USDC_V2_PAIR],
      });
    }
  });
  it("each router's selectors only at that router", () => {
    expect(decodeCall(UNISWAP_SWAP_ROUTER02, call('414bf389', single(500)))).toEqual(unknown('414bf389'));
    expect(decodeCall(UNISWAP_V3_SWAP_ROUTER, call('04e45aaf', single02(500)))).toEqual(unknown('04e45aaf'));
    expect(decodeCall(UNISWAP_V2_ROUTER02, call('c04b8d59', pathArgs(forward)))).toEqual(unknown('c04b8d59'));
  });
  it('a fee above uint24, a same-token hop, a ragged or one-token path, a cut struct or one that overruns the data is unknown', () => {
    const r = UNISWAP_V3_SWAP_ROUTER;
    expect(decodeCall(r, call('414bf389', single(2 ** 24)))).toEqual(unknown('414bf389'));
    expect(decodeCall(r, call('414bf389', single(500)).slice(0, -64))).toEqual(unknown('414bf389'));
    expect(decodeCall(r, call('c04b8d59', pathArgs(v3Path(USDC, 500, USDC))))).toEqual(unknown('c04b8d59'));
    expect(decodeCall(r, call('c04b8d59', pathArgs(`${forward}00`)))).toEqual(unknown('c04b8d59'));
    expect(decodeCall(r, call('c04b8d59', pathArgs(USDC)))).toEqual(unknown('c04b8d59'));
    const full = call('c04b8d59', pathArgs(forward));
    expect(decodeCall(r, full.slice(0, 2 + 8 + 4 * 64))).toEqual(unknown('c04b8d59'));
    expect(decodeCall(r, `0xc04b8d59${word((full.length - 10) / 2 - 64)}${full.slice(10 + 64)}`)).toEqual(unknown('c04b8d59'));
  });

  describe('multicall', () => {
    const swapIn = raw('414bf389', single(500));
    const unwrap = raw('49404b7c', [u(1), a(ALICE)]);
    const sweepDai = raw('df2ab5bb', [a(DAI), u(1), a(ALICE)]);
    it('merges the inner swaps and the tokens the payment helpers name', () => {
      const r = UNISWAP_V3_SWAP_ROUTER;
      const inner = [swapIn, raw('c04b8d59', pathArgs(forward)), unwrap, sweepDai, raw('12210e8a', [])];
      expect(decodeCall(r, call('ac9650d8', [bytesArray(inner)]))).toEqual(v3(r, twoHops));
    });
    it('SwapRouter02 multicall(deadline, ...) and multicall(blockhash, ...) over V2 and V3 swaps', () => {
      const r = UNISWAP_SWAP_ROUTER02;
      const v2 = raw('472b43f3', [u(1000), u(1), addressArray([DAI, WETH9]), a(ALICE)]);
      const expected = { kind: 'swap', router: r, version: 'v3', tokens: [DAI, WETH9, USDC], pools: [uniswapV2Pair(DAI, WETH9), USDC_WETH_V3_POOL_500] };
      const inner = [v2, raw('04e45aaf', single02(500)), raw('49616997', [u(1)])];
      expect(decodeCall(r, call('5ae401dc', [u(1_700_000_000), bytesArray(inner)]))).toEqual(expected);
      expect(decodeCall(r, call('1f0464d1', [u(0xabcdef), bytesArray(inner)]))).toEqual(expected);
      expect(decodeCall(r, call('ac9650d8', [bytesArray([v2])]))).toMatchObject({ version: 'v2', pools: [uniswapV2Pair(DAI, WETH9)] });
    });
    it('a nested multicall, an unknown or malformed inner call, or no swap at all is unknown', () => {
      const r = UNISWAP_V3_SWAP_ROUTER;
      const nested = raw('ac9650d8', [bytesArray([swapIn])]);
      for (const inner of [[swapIn, nested], [swapIn, 'deadbeef'], [swapIn, swapIn.slice(0, -64)], [swapIn, 'ab'], [unwrap, sweepDai], []]) {
        expect(decodeCall(r, call('ac9650d8', [bytesArray(inner)])), inner.join(',')).toEqual(unknown('ac9650d8'));
      }
      expect(decodeCall(r, call('5ae401dc', [u(1), bytesArray([swapIn])]))).toEqual(unknown('5ae401dc'));
    });
  });
});

describe('everything else is unknown', () => {
  it('empty, short or non-hex input has no selector; an unknown function keeps its selector', () => {
    for (const input of ['', '0x', 'None', '0xa9059c', '0xzz059cbb', '0xa9059cb']) expect(decodeCall(DAI, input), input).toEqual(unknown(null));
    expect(decodeCall(DAI, '0x12345678')).toEqual(unknown('12345678'));
    expect(decodeCall(DAI, '0xa9059cbb')).toEqual(unknown('a9059cbb'));
  });
});

describe('never throws', () => {
  const receivers = [DAI, WETH9, UNISWAP_V2_ROUTER02, UNISWAP_V3_SWAP_ROUTER, UNISWAP_SWAP_ROUTER02];
  const selectors = [...KNOWN_SELECTORS, ...MULTICALL_HELPERS].map((k) => k.selector);
  const kinds = new Set(['erc20-transfer', 'erc20-transfer-from', 'erc20-approve', 'weth-deposit', 'weth-withdraw', 'swap', 'unknown']);
  const sane = (d: DecodedCall): boolean => kinds.has(d.kind) && (d.kind !== 'swap' || (d.pools.length > 0 && d.pools.every((p) => /^[0-9a-f]{40}$/.test(p))));

  it('on random hex strings', () => {
    fc.assert(
      fc.property(fc.constantFrom(...receivers), fc.stringMatching(/^(0x)?[0-9a-fA-F]{0,300}$/), (to, input) => sane(decodeCall(to, input))),
      { numRuns: 300 },
    );
  });

  /** Words that look like ABI data: small numbers and multiples of 32 (lengths and offsets), addresses, or anything. */
  const abiWord = fc.oneof(
    fc.nat({ max: 640 }).map((n) => word(n)),
    fc.nat({ max: 20 }).map((n) => word(32 * n)),
    fc.constantFrom(USDC, WETH9, DAI).map((t) => t.padStart(64, '0')),
    fc.uint8Array({ minLength: 32, maxLength: 32 }).map(bytesToHex),
  );
  it('on known selectors followed by ABI-like words', () => {
    fc.assert(
      fc.property(fc.constantFrom(...receivers), fc.constantFrom(...selectors), fc.array(abiWord, { maxLength: 24 }), (to, s, words) =>
        sane(decodeCall(to, `0x${s}${words.join('')}`)),
      ),
      { numRuns: 400 },
    );
  });

  const valid: ReadonlyArray<readonly [string, string]> = [
    [DAI, call('23b872dd', [a(ALICE), a(BOB), u(7)])],
    [WETH9, call('2e1a7d4d', [u(1)])],
    [UNISWAP_V2_ROUTER02, call('7ff36ab5', [u(1), addressArray([WETH9, USDC, DAI]), a(ALICE), u(2)])],
    [UNISWAP_V3_SWAP_ROUTER, call('c04b8d59', [tuple([bytes(v3Path(USDC, 500, WETH9, 3000, DAI)), a(ALICE), u(1), u(2), u(3)])])],
    [
      UNISWAP_SWAP_ROUTER02,
      call('5ae401dc', [u(1), bytesArray([raw('b858183f', [tuple([bytes(v3Path(DAI, 100, USDC)), a(ALICE), u(1), u(2)])]), raw('e90a182f', [a(DAI), u(1)])])]),
    ],
  ];
  it('the valid calls above decode', () => {
    for (const [to, input] of valid) expect(decodeCall(to, input).kind, input).not.toBe('unknown');
  });
  it('a truncation of valid call data is unknown, or the same call when only padding was cut', () => {
    fc.assert(
      fc.property(fc.constantFrom(...valid), fc.nat(), ([to, input], cut) => {
        const bytesLeft = cut % ((input.length - 2) / 2);
        const got = decodeCall(to, input.slice(0, 2 + 2 * bytesLeft));
        if (got.kind === 'unknown') return true;
        expect(got).toEqual(decodeCall(to, input));
        return /^0*$/.test(input.slice(2 + 2 * bytesLeft));
      }),
      { numRuns: 300 },
    );
  });
  it('a byte changed in valid call data', () => {
    fc.assert(
      fc.property(fc.constantFrom(...valid), fc.nat(), fc.integer({ min: 0, max: 255 }), ([to, input], at, value) => {
        const i = 2 + 2 * (at % ((input.length - 2) / 2));
        return sane(decodeCall(to, `${input.slice(0, i)}${value.toString(16).padStart(2, '0')}${input.slice(i + 2)}`));
      }),
      { numRuns: 300 },
    );
  });
});
