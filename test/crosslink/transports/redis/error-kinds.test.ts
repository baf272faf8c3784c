/**
 * What a Redis error means to a run (crosslink/transports/redis/faults.ts): a refusal is
 * named by its cause and never retried; a command cut off by a dropped
 * connection is sent again.
 */
import { describe, expect, it } from 'vitest';
import { isDropped, redisRefusal, retryDropped } from '../../../../crosslink/transports/redis/faults.js';

describe('what a Redis error means', () => {
  const reply = (message: string, previous: Error[] = []): Error => Object.assign(new Error(message), { name: 'ReplyError', previousErrors: previous });

  it('a refusal is named by its cause, also behind a transaction it aborted (EXECABORT)', () => {
    expect(redisRefusal(reply("OOM command not allowed when used memory > 'maxmemory'."))).toMatch(/^Redis reached its memory limit \(maxmemory/);
    expect(
      redisRefusal(reply('EXECABORT Transaction discarded because of previous errors.', [reply("OOM command not allowed when used memory > 'maxmemory'.")])),
    ).toMatch(/memory limit.*Redis said: OOM/);
    expect(redisRefusal(reply("READONLY You can't write against a read only replica."))).toMatch(/read-only replica; point --redis-url at the primary/);
    expect(redisRefusal(reply('WRONGPASS invalid username-password pair or user is disabled.'))).toMatch(/refused the credentials/);
    expect(redisRefusal(reply('NOAUTH Authentication required.'))).toMatch(/refused the credentials/);
    expect(redisRefusal(reply('ERR unknown command'))).toBeUndefined();
    expect(redisRefusal(Object.assign(new Error('Command aborted due to connection close'), { name: 'AbortError' }))).toBeUndefined();
  });

  it('a command cut off by a dropped connection is sent again; a refusal is not', async () => {
    expect(isDropped(Object.assign(new Error('Command aborted due to connection close'), { name: 'AbortError' }))).toBe(true);
    expect(isDropped(new Error('LOADING Redis is loading the dataset in memory'))).toBe(true);
    expect(isDropped(reply('OOM command not allowed'))).toBe(false);
    let calls = 0;
    const flaky = async (): Promise<string> => {
      if (++calls < 3) throw Object.assign(new Error('Command aborted due to connection close'), { name: 'AbortError' });
      return 'ok';
    };
    await expect(retryDropped(flaky, 5_000)).resolves.toBe('ok');
    expect(calls).toBe(3);
    calls = 0;
    await expect(
      retryDropped(async () => {
        calls++;
        throw reply('OOM command not allowed');
      }, 5_000),
    ).rejects.toThrow(/OOM/);
    expect(calls).toBe(1);
  });
});
