/**
 * Redis URLs: a password never shows, whatever the typo; a database the
 * server does not have is an error, not a silent db 0.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransportError } from '../../../../crosslink/common/errors.js';
import { assertRedisReachable, redisOptions } from '../../../../crosslink/transports/redis/connection.js';
import { redactRedisUrl } from '../../../../crosslink/transports/redis/url.js';
import { startRedis, type TestRedis } from '../../../helpers/redis.js';

/** Ways to mistype (or type) a URL around a password. */
const SHAPES: ReadonlyArray<(pw: string) => string> = [
  (pw) => `redis:/:${pw}@host`,
  (pw) => `redis:${pw}@host:6379`,
  (pw) => `redis//:${pw}@host`,
  (pw) => `redis://:${pw}@host`,
  (pw) => `redis://user:${pw}@host:6379/2`,
  (pw) => `rediss://user:${pw}@[::1`,
  (pw) => `redis://user:${pw}@host:99999999`,
  (pw) => `redis://${pw}@host`,
  (pw) => `redis:///${pw}@host`,
  (pw) => `redis://user:${pw}`,
  (pw) => `:${pw}@host`,
  (pw) => ` redis://:${pw}@host `,
];

/** Passwords of characters a URL's user info may hold unescaped (`/`, `?` and `#` would end it). */
const password = fc.string({ minLength: 6, maxLength: 24, unit: fc.constantFrom(...'abcXYZ019!$&()*+,;=:@%-._~é'.split('')) });

describe('redactRedisUrl', () => {
  it('never shows the password, whatever the shape of the URL', () => {
    fc.assert(
      fc.property(password, fc.nat(SHAPES.length - 1), (pw, i) => {
        const url = SHAPES[i]!(pw);
        // A password that also spells another part of the URL (the host...) would be found there.
        // And an `@` in a password the URL does not end with `@host` makes what follows it a host.
        fc.pre(SHAPES[i]!('').includes('@') || !pw.includes('@'));
        fc.pre(!url.replace(pw, '').includes(pw) && !['redis', 'host', 'user', '6379', '***'].some((part) => part.includes(pw)));
        // The mask stands where the password was: a "password" that a user name, a colon and stars spell (`aaaa:*`
        // as `aaaa:***`) is found in the mask, not leaked. So the mask is read as one character no password holds.
        fc.pre(!pw.includes('***'));
        const shown = redactRedisUrl(url).replaceAll('***', '\u0000');
        expect(shown).not.toContain(pw);
        expect(shown).not.toContain(encodeURIComponent(pw));
      }),
      { numRuns: 2_000 },
    );
  });

  it('keeps what helps: scheme, host, port and database', () => {
    expect(redactRedisUrl('redis://user:pw@example.com:6380/3')).toBe('redis://user:***@example.com:6380/3');
    expect(redactRedisUrl('redis:/:PW@host')).toBe('redis:/***@host');
    expect(redactRedisUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
    // User `aaaa`, password `*`: the password masked like any other (fast-check's counterexample to a test that read the mask as a leak).
    expect(redactRedisUrl('redis://aaaa:*@host')).toBe('redis://aaaa:***@host');
  });

  it('a URL without a host is rejected with the password redacted', () => {
    expect(() => redisOptions('redis:/:hunter2secret@host')).toThrow(TransportError);
    expect(() => redisOptions('redis:/:hunter2secret@host')).toThrow(/^(?!.*hunter2secret).*names no host/);
  });
});

describe('database numbers', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('a database the server does not have is an error naming its range, not a run in db 0', async () => {
    await expect(assertRedisReachable(`${redis.url}/99999`)).rejects.toThrow(/database 99999 does not exist on this server \(it has 16: 0 to 15\)/);
    await expect(assertRedisReachable(`${redis.url}/16`)).rejects.toThrow(TransportError);
    await expect(assertRedisReachable(`${redis.url}/15`)).resolves.toBeUndefined();
  });
});
