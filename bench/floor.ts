/**
 * The floor: the least work a transfer costs whatever the protocol around it,
 * measured in the same run as the cases. Per transaction, the hashing and
 * state updates a real chain cannot skip: the transaction's leaf hash, the
 * sender's and receiver's balance writes with their account leaves and their
 * share of the state tree's Merkle paths, and the receipt's compression in
 * its batch digest. No
 * mempool, no executor, no batches, no messages. A case's floor ratio is its
 * throughput over this one.
 */
import { performance } from 'node:perf_hooks';
import { batchDigest } from '../crosslink/batch.js';
import { ByteWriter } from '../crosslink/hash.js';
import { type Receipt, ReceiptKind } from '../crosslink/receipt.js';
import { balanceKey, nonceKey, ShardState } from '../shards/state.js';
import { quantile } from './quantile.js';

/** A shard of the 16-shard case: 100,000 / 16 accounts, blocks of 30M gas / 21,000 transfers. */
const ACCOUNTS = 6_250;
const BLOCK_TXS = 1_428;

/**
 * The floor's blocks, run a few at a time (just before a case's run, so its samples see the machine as the run does: its speed drifts by
 * a fifth from one second to the next here), with what they took.
 */
export class FloorSampler {
  tx = 0;
  wallMs = 0;
  cpuMicros = 0;
  private readonly block: () => void;

  constructor() {
    const state = new ShardState(ACCOUNTS, 1_000_000_000);
    const w = new ByteWriter(64);
    const receipt = {
      kind: ReceiptKind.Credit,
      srcShard: 0,
      srcSlot: 0,
      index: 0,
      dstShard: 1,
      txId: 0,
      from: 0,
      originShard: 0,
      to: 0,
      amount: 1,
      submitMs: 0,
      op: 0,
      a: 0,
      b: 0,
      c: 0,
    };
    const batch = [receipt as Receipt];
    let seed = 12_345;
    let id = 0;
    let slot = 0;
    let sink = 0;
    this.block = () => {
      for (let i = 0; i < BLOCK_TXS; i++) {
        seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
        const from = seed % ACCOUNTS;
        const to = (seed >> 13) % ACCOUNTS;
        const amount = 1 + (seed & 1023);
        id++;
        sink ^= w
          .reset()
          .u64(id)
          .u8(0)
          .u32(from)
          .u32(to)
          .u64(amount)
          .u64(21_000)
          .u64(slot * 1000)
          .leafHash()[0]!;
        state.write(balanceKey(from), state.read(balanceKey(from)) - amount);
        state.write(nonceKey(from), state.read(nonceKey(from)) + 1);
        state.write(balanceKey(to), state.read(balanceKey(to)) + amount);
        receipt.srcSlot = slot;
        receipt.index = i;
        receipt.txId = id;
        receipt.from = from;
        receipt.to = to;
        receipt.amount = amount;
        sink ^= batchDigest(batch)[0]!; // one compression: the receipt's share of its batch digest
      }
      sink ^= state.commit()[0]!;
      slot++;
      if (sink === -1) process.stdout.write(''); // keeps the hashing observable
    };
    for (let b = 0; b < 20; b++) this.block(); // warm-up, not counted
  }

  /** Runs `blocks` floor blocks, counting their transactions, wall and CPU time. */
  sample(blocks: number): void {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let b = 0; b < blocks; b++) this.block();
    this.wallMs += performance.now() - t0;
    const c = process.cpuUsage(c0);
    this.cpuMicros += c.user + c.system;
    this.tx += blocks * BLOCK_TXS;
  }

  /**
   * The floor rate now: the upper quartile of `blocks` one-block samples. A
   * pause (garbage collected, the thread preempted) only ever slows a
   * sample, so the fast end reads the machine's speed.
   */
  rateNow(blocks: number): number {
    const rates: number[] = [];
    for (let b = 0; b < blocks; b++) {
      const tx = this.tx;
      const ms = this.wallMs;
      this.sample(1);
      rates.push((this.tx - tx) / ((this.wallMs - ms) / 1000));
    }
    return quantile(rates, 0.75);
  }
}

/** The floor on its own (the bench's floor row), by the statistic each case's paired floor uses. */
export function measureFloor(blocks = 60): number {
  return new FloorSampler().rateNow(blocks);
}
