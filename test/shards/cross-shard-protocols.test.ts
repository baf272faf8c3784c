import { describe, expect, it } from 'vitest';
import type { CrossShardSetup } from '../../shards/cross-shard.js';
import { FINALITY, INITIAL, transfer, twoShards } from '../helpers/two-shards.js';

const LOCK_2PC: CrossShardSetup = { protocol: 'lock-2pc', brokers: 0, liquidity: 0, fallback: 'wait' };
const broker = (liquidity: number, fallback: 'wait' | 'refund'): CrossShardSetup => ({ protocol: 'broker', brokers: 1, liquidity, fallback });

/** Steps empty slots until every transaction has had time to finish both legs. */
async function settle(h: ReturnType<typeof twoShards>, slots = 3 * (FINALITY + 1)): Promise<void> {
  for (let i = 0; i < slots; i++) await h.step();
}

async function finish(h: ReturnType<typeof twoShards>) {
  return Promise.all(h.shards.map((s) => s.onFinish()));
}

describe('lock-2pc', () => {
  it('a conflicting pair of cross-shard spends from one account: one commits, one aborts, the lock is released and value is conserved', async () => {
    const h = twoShards({ crossShard: LOCK_2PC });
    await h.step([transfer(0, 0, 2, 100, 1), transfer(1, 0, 3, 50, 1)]);
    // While the first holds account 0 locked, a local spend from it aborts too.
    await h.step([transfer(2, 0, 1, 10, 0)]);
    await settle(h);
    const [s0, s1] = await finish(h);
    expect(s0!.counters.lockAborts).toBe(2);
    expect(s0!.counters.locksTaken).toBe(1);
    expect(s0!.counters.locksReleased).toBe(1);
    // Taken at slot 0; the credit is admitted and applied at slot FINALITY, the commit back at 2 x FINALITY.
    expect(s0!.counters.lockHeldSlots).toBe(2 * FINALITY);
    expect(s0!.balanceSum).toBe(2 * INITIAL - 100);
    expect(s1!.balanceSum).toBe(2 * INITIAL + 100);
    expect(s0!.counters.completed).toBe(3);
    expect(s0!.counters.completedFailed).toBe(2);
    expect(s0!.delayed.count + s1!.delayed.count).toBe(0);
  });

  it('once the commit has come back, the account spends again', async () => {
    const h = twoShards({ crossShard: LOCK_2PC });
    await h.step([transfer(0, 0, 2, 100, 1)]);
    await settle(h);
    await h.step([transfer(1, 0, 3, 50, 1)]);
    await settle(h);
    const [s0, s1] = await finish(h);
    expect(s0!.counters.lockAborts).toBe(0);
    expect(s0!.counters.locksReleased).toBe(2);
    expect(s1!.balanceSum).toBe(2 * INITIAL + 150);
  });

  it('an output shard that refuses the credit aborts: the value comes back and the lock is released', async () => {
    const h = twoShards({ crossShard: LOCK_2PC, frozen: [2] });
    await h.step([transfer(0, 0, 2, 100, 1)]);
    await settle(h);
    await h.step([transfer(1, 0, 1, 10, 0)]);
    const [s0, s1] = await finish(h);
    expect(s0!.counters.lockAborts).toBe(0);
    expect(s0!.counters.locksReleased).toBe(1);
    expect(s1!.counters.refundsEmitted).toBe(1);
    expect(s0!.balanceSum).toBe(2 * INITIAL);
    expect(s1!.balanceSum).toBe(2 * INITIAL);
  });

  it('the receipts protocol takes no lock: both spends commit', async () => {
    const h = twoShards();
    await h.step([transfer(0, 0, 2, 100, 1), transfer(1, 0, 3, 50, 1)]);
    await settle(h);
    const [s0, s1] = await finish(h);
    expect(s0!.counters.lockAborts).toBe(0);
    expect(s1!.balanceSum).toBe(2 * INITIAL + 150);
  });
});

describe('broker', () => {
  it('splits a cross-shard transfer into two intra-shard ones: no value crosses shards', async () => {
    const liquidity = 1_000;
    const h = twoShards({ crossShard: broker(liquidity, 'wait') });
    await h.step([transfer(0, 0, 2, 100, 1)]);
    await settle(h);
    const [s0, s1] = await finish(h);
    // Each shard's total is its genesis (two accounts and the broker): the sender paid the broker, the broker paid the receiver.
    expect(s0!.balanceSum).toBe(2 * INITIAL + liquidity);
    expect(s1!.balanceSum).toBe(2 * INITIAL + liquidity);
    expect(s0!.counters.receiptValueEmitted).toBe(0);
    expect(s1!.counters.brokerPaid).toBe(1);
    expect(s1!.counters.brokerDry).toBe(0);
  });

  it('a dry broker under `wait` holds the payout until transfers out of that shard refill it', async () => {
    const h = twoShards({ crossShard: broker(50, 'wait') });
    await h.step([transfer(0, 0, 2, 100, 1)]);
    await settle(h);
    const dryBefore = (await h.shards[1]!.onFinish()).counters;
    expect(dryBefore.brokerPaid).toBe(0);
    expect(dryBefore.brokerDry).toBeGreaterThan(1); // retried every block
    // A transfer from shard 1 pays the broker there 100: the waiting payout goes through.
    await h.step([transfer(1, 3, 1, 100, 0)]);
    await settle(h);
    const [s0, s1] = await finish(h);
    expect(s1!.counters.brokerPaid).toBe(1);
    expect(s0!.counters.brokerPaid).toBe(1);
    expect(s1!.delayed.count).toBe(0);
    expect(s0!.balanceSum + s1!.balanceSum).toBe(4 * INITIAL + 2 * 50);
  });

  it('a dry broker under `refund` returns the value to the sender, who ends where it started', async () => {
    const h = twoShards({ crossShard: broker(50, 'refund') });
    await h.step([transfer(0, 0, 2, 100, 1)]);
    await settle(h);
    const [s0, s1] = await finish(h);
    expect(s1!.counters.brokerDry).toBe(1);
    expect(s0!.counters.brokerReturned).toBe(1);
    expect(s0!.counters.completedFailed).toBe(1);
    expect(s0!.balanceSum).toBe(2 * INITIAL + 50);
    expect(s1!.balanceSum).toBe(2 * INITIAL + 50);
  });
});
