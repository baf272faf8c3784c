/** Transaction sizes: the 110-byte signed transfer, grown by its call data as RLP encodes it. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CALL_TX_BYTES, signedTxBytes, TRANSFER_TX_BYTES } from '../../../crosslink/network/message-sizes.js';

describe('signedTxBytes', () => {
  it('is the 110-byte transfer with no data, and 211 bytes for a selector and three ABI words', () => {
    expect(signedTxBytes(0)).toBe(TRANSFER_TX_BYTES);
    expect(TRANSFER_TX_BYTES).toBe(110);
    expect(CALL_TX_BYTES).toBe(signedTxBytes(100));
    // The data's prefix grows to two bytes (100 >= 56); the fields (208 bytes) keep a 2-byte list prefix.
    expect(CALL_TX_BYTES).toBe(1 + 2 + 106 + 2 + 100);
  });

  it('follows RLP prefixes at their thresholds: data of 55/56 bytes, fields of 255/256 bytes, data of 65,535/65,536', () => {
    expect(signedTxBytes(55) - signedTxBytes(54)).toBe(1);
    expect(signedTxBytes(56) - signedTxBytes(55)).toBe(2); // the data's prefix becomes 0xb8 and a length byte
    // Fields of 106 + 2 + 147 = 255 bytes keep a 2-byte list prefix; 256 need 3.
    expect(signedTxBytes(147)).toBe(1 + 2 + 255);
    expect(signedTxBytes(148)).toBe(1 + 3 + 256);
    expect(signedTxBytes(65_536) - signedTxBytes(65_535)).toBe(2); // the data's length takes a third byte
  });

  it('grows by at least the data and at most the data plus nine bytes of prefixes', () => {
    fc.assert(
      fc.property(fc.nat({ max: 10_000_000 }), (n) => {
        const grown = signedTxBytes(n) - TRANSFER_TX_BYTES;
        expect(grown).toBeGreaterThanOrEqual(n);
        expect(grown).toBeLessThanOrEqual(n + 9);
        expect(signedTxBytes(n + 1)).toBeGreaterThan(signedTxBytes(n));
      }),
    );
  });
});
