/**
 * The `crossShard` section: which protocol moves value and calls between
 * shards (docs/protocols.md). Every protocol's messages travel as proven
 * batches against crosslinked headers; they differ in what the messages
 * are, where a transaction waits and what can abort it.
 */
import { z } from 'zod';

const int = () => z.number().int();

export const CROSS_SHARD_PROTOCOLS = ['receipts', 'relay', 'broker', 'lock-2pc'] as const;
export type CrossShardProtocol = (typeof CROSS_SHARD_PROTOCOLS)[number];

export const BrokerSchema = z
  .strictObject({
    count: int()
      .min(1)
      .max(1_024)
      .default(16)
      .describe(
        'Broker accounts. Each holds liquidity on every shard; a cross-shard transfer is served by broker (transaction id mod count), as BrokerChain (INFOCOM 2022) splits it into two intra-shard transfers.',
      ),
    liquidity: int()
      .min(0)
      .max(1e15)
      .default(100_000_000)
      .describe(
        "Each broker's genesis balance on each shard, in native units. A payout larger than the broker's balance on the receiver's shard finds it dry.",
      ),
    fallback: z
      .enum(['wait', 'refund'])
      .default('wait')
      .describe(
        "What a payout that finds its broker dry does: `wait` stays in the receiver's delayed-receipt queue and retries each block until transfers out of that shard refill the broker; `refund` goes back to the sender's shard, where the broker returns the value (waiting there if that side is short too).",
      ),
  })
  .describe('Brokers of the `broker` protocol.');

export const CrossShardSchema = z
  .strictObject({
    protocol: z
      .enum(CROSS_SHARD_PROTOCOLS)
      .default('receipts')
      .describe(
        "`receipts` (NEAR): debit at the source, a credit receipt applied later within the receipt gas share, refunds on failure. `relay` (Monoxide; BlockEmulator's Relay): the source commits and relays the transaction itself with its own inclusion proof; the destination takes it into its transaction queue by arrival, with no reserved share. `broker` (BrokerChain): sender pays a broker on its own shard, the broker pays the receiver on the other; value never crosses shards (transfers only; calls use receipts). `lock-2pc` (OmniLedger Atomix, Chainspace S-BAC): the sender's account is locked at its shard until the output shard commits or aborts and the decision comes back; other spends from a locked account abort.",
      ),
    broker: BrokerSchema.prefault({}),
  })
  .describe('How shards exchange value and calls (docs/protocols.md).');

export type CrossShardSettings = z.output<typeof CrossShardSchema>;
