/** A Redis job body's numbers, unpacked, and a body with other numbers (for tests that break one). */
import { packNumbers, unpackNumbers } from '../../../crosslink/wire/packed-numbers.js';

export const numbersOf = (body: { readonly f: string }): Float64Array => unpackNumbers(Buffer.from(body.f, 'base64'), 'test body');

export const withNumbers = <T extends { readonly f: string }>(body: T, f: Float64Array): T => ({ ...body, f: Buffer.from(packNumbers(f)).toString('base64') });
