/**
 * The embedded transport: every shard in this process, batches handed over by
 * reference. Shards run one after another within a slot; since no batch is
 * admitted before its source block is finalized (at least one slot later),
 * the order in which shards run within a slot cannot change any result.
 */
import type { ReceiptBatch } from '../../batch.js';
import type { ShardEndpoint, ShardNetwork, ShardSummary, SlotCommand, SlotReport, Transport } from '../../transport.js';
import { BatchMailboxes } from './batch-mailbox.js';

export class MemoryNetwork {
  private readonly mailboxes: BatchMailboxes;

  constructor(readonly shardCount: number) {
    this.mailboxes = new BatchMailboxes(Array.from({ length: shardCount }, (_, s) => s));
  }

  /** The window of one shard onto this network. */
  endpointFor(shard: number): ShardNetwork {
    return {
      send: async (batches) => this.mailboxes.post(batches),
      // Everything sent in earlier slots is already here: there is never anything to wait for.
      receive: async (_awaited, finalizedSlot) => this.mailboxes.take(shard, finalizedSlot),
    };
  }

  /** Delivers one batch; also the hook tests use to inject forged or duplicate batches. */
  deliver(batch: ReceiptBatch): void {
    this.mailboxes.post([batch]);
  }
}

export class MemoryTransport implements Transport {
  readonly name = 'memory';

  constructor(private readonly shards: readonly ShardEndpoint[]) {}

  async runSlot(commands: readonly SlotCommand[]): Promise<SlotReport[]> {
    const reports: SlotReport[] = new Array(this.shards.length);
    for (let i = 0; i < this.shards.length; i++) reports[i] = await this.shards[i]!.onSlot(commands[i]!);
    return reports;
  }

  async finish(): Promise<ShardSummary[]> {
    const out: ShardSummary[] = [];
    for (const s of this.shards) out.push(await s.onFinish());
    return out;
  }

  async close(): Promise<void> {}
}
