/** A run's `network` figures as the ideal network gives them, for hand-built results. */
import type { BlockTable } from '../../simulator/block-figures.js';
import type { NetworkFigures } from '../../simulator/network-figures.js';

export function idealNetworkFigures(): NetworkFigures {
  return {
    preset: 'ideal',
    protocol: 'ideal',
    dissemination: null,
    committee: 0,
    agreementSeconds: 0,
    agreementShare: 0,
    missedSlots: 0,
    cutShare: 0,
    blockBytesMean: 0,
    receiptProofShare: 0,
    bytesPerSlot: { proposal: 0, votes: 0, receipts: 0, beacon: 0 },
    bytesPerValidatorPerSlot: null,
    receiptBytesPerSlot: null,
    receiptsHeldBackMax: 0,
    beacon: {
      crosslinksPerSlot: null,
      crosslinksPerSlotMean: null,
      finalityDelaySlots: { configured: 2, p50: 2, p99: 2, mean: 2, unfinalized: 0 },
      backlogMean: 0,
      backlogMax: 0,
    },
    latencyBreakdown: { completed: 1000, meanSeconds: 3.1, mempool: 0.6, agreement: 0, execution: 1.5, finality: 0.8, receiptQueue: 0.2, outboundLeg: 0 },
  };
}

/** A run's block table with no block (hand-built runs). */
export const NO_BLOCKS: BlockTable = {
  total: 0,
  shard: [],
  slot: [],
  sourceBlock: [],
  transactions: [],
  gas: [],
  makespanSeconds: [],
  speedup: [],
  aborts: [],
  bound: [],
};
