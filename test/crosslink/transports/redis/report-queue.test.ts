/**
 * The controller's report queue: a step resolves once every sender it awaits
 * has reported, whichever comes first (the wait or the reports); a
 * redelivered report replaces its twin; a failure ends every wait, pending
 * or future.
 */
import { describe, expect, it } from 'vitest';
import { ReportQueue } from '../../../../crosslink/transports/redis/report-queue.js';

describe('ReportQueue', () => {
  it('resolves a step once all its senders reported, reports before or after the wait', async () => {
    const q = new ReportQueue<string>();
    q.put('slot:0', 0, 'a');
    const arrived = q.wait('slot:0', 2);
    expect(q.peek('slot:0', 0)).toBe('a');
    q.put('slot:0', 0, 'a again');
    q.put('slot:1', 1, 'other step');
    q.put('slot:0', 1, 'b');
    expect([...(await arrived)]).toEqual([
      [0, 'a again'],
      [1, 'b'],
    ]);
    // A step resolved is forgotten; others are kept.
    expect(q.peek('slot:0', 0)).toBeUndefined();
    expect(q.peek('slot:1', 1)).toBe('other step');
  });

  it('a failure rejects the pending waits and every later one', async () => {
    const q = new ReportQueue<number>();
    const pending = q.wait('summary', 3);
    q.put('summary', 0, 1);
    q.fail(new Error('host died'));
    q.fail(new Error('second failure'));
    await expect(pending).rejects.toThrow('host died');
    await expect(q.wait('closed', 1)).rejects.toThrow('host died');
  });
});
