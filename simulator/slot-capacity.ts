/**
 * How many transactions a shard's block can hold a slot, at best: what
 * `rate: saturate` offers a multiple of, and where find-max starts. By gas
 * alone it is the block's gas limit, or what the threads execute in a slot,
 * in transfers. Over a network whose agreement takes time, a block may only
 * execute what agreement leaves of the slot (docs/network.md, "A slot's
 * time"), so the capacity is what a committee can agree on and execute
 * within the slot, found by the shards' own block plan
 * (shards/consensus/slot-agreement.ts) for blocks of transfers, averaged over
 * a sample of shards and slots. Offering a multiple of the gas capacity
 * there instead would flood the mempools with several times what the
 * blocks can take, and the drops would be most of the latency figures.
 */
import { blockBytes, TRANSFER_TX_BYTES } from '../crosslink/network/message-sizes.js';
import { SlotAgreement } from '../shards/consensus/slot-agreement.js';
import type { Scenario } from './config/schema.js';
import { agreementSetup, isIdealTime } from './network-setup.js';

/** Transactions per slot a shard can include, by gas and execution time (local transfers, ideal parallelism). */
export function blockCapacityTx(sc: Scenario): number {
  const timeGas = sc.shard.gasPerSecondPerThread * sc.shard.threads * sc.slotSeconds;
  return Math.floor(Math.min(sc.shard.blockGasLimit, timeGas) / sc.gas.transfer);
}

/** Shards and slots the network capacity is averaged over: a deterministic sample, spread over the shards. */
const SAMPLE_SHARDS = 8;
const SAMPLE_SLOTS = 4;

const known = new WeakMap<Scenario, Map<number, number>>();

/**
 * Transactions per slot a shard can include at `shards` shards: blockCapacityTx, or, where agreement takes time,
 * the mean block its committee can agree on and execute within a slot (never above blockCapacityTx). A pure
 * function of the scenario and the shard count. Where no sampled slot fits even an empty block, the gas capacity
 * (nothing is included either way).
 */
export function slotCapacityTx(sc: Scenario, shards: number): number {
  const byGas = blockCapacityTx(sc);
  const setup = agreementSetup(sc, shards);
  if (isIdealTime(sc) || setup === null) return byGas;
  let perScenario = known.get(sc);
  if (perScenario === undefined) known.set(sc, (perScenario = new Map()));
  const cached = perScenario.get(shards);
  if (cached !== undefined) return cached;
  const slotMs = sc.slotSeconds * 1000;
  const msPerTx = (sc.gas.transfer * 1000) / (sc.shard.gasPerSecondPerThread * sc.shard.threads);
  const sample = Math.min(shards, SAMPLE_SHARDS);
  let sum = 0;
  for (let i = 0; i < sample; i++) {
    const agreement = new SlotAgreement(setup, Math.floor((i * shards) / sample), shards, slotMs);
    for (let slot = 0; slot < SAMPLE_SLOTS; slot++) {
      sum += agreement.plan(
        slot,
        byGas,
        (k) => blockBytes(k * TRANSFER_TX_BYTES, 0),
        (k) => k * msPerTx,
      ).items;
      agreement.release();
    }
  }
  const mean = Math.round(sum / (sample * SAMPLE_SLOTS));
  const capacity = mean === 0 ? byGas : Math.min(byGas, mean);
  perScenario.set(shards, capacity);
  return capacity;
}
