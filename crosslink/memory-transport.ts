/**
 * The embedded transport: every shard in this process, batches handed over by
 * reference. Shards run one after another within a slot; since no batch is
 * admitted before its source block is finalized (at least one slot later),
 * the order in which shards run within a slot cannot change any result.
 */
import type { ReceiptBatch } from './batch.js';
import type { ShardEndpoint, ShardNetwork, ShardSummary, SlotCommand, SlotReport, Transport } from './transport.js';

export class MemoryNetwork {
  private readonly mailboxes: ReceiptBatch[][];

  constructor(readonly shardCount: number) {
    this.mailboxes = Array.from({ length: shardCount }, () => []);
  }

  /** The window of one shard onto this network. */
  endpointFor(shard: number): ShardNetwork {
    return {
      send: async (batches) => {
        for (const b of batches) this.deliver(b);
      },
      // Everything sent in earlier slots is already here: there is never anything to wait for.
      receive: async () => {
        const box = this.mailboxes[shard]!;
        this.mailboxes[shard] = [];
        return box;
      },
    };
  }

  /** Delivers one batch; also the hook tests use to inject forged or duplicate batches. */
  deliver(batch: ReceiptBatch): void {
    const box = this.mailboxes[batch.dstShard];
    if (box !== undefined) box.push(batch);
  }

  /** Batches sent but not yet received (in transit), for the end-of-run accounting. */
  inTransit(): ReceiptBatch[] {
    return this.mailboxes.flat();
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
