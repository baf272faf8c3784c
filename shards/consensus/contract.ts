/**
 * How long a shard's committee takes to agree on one block, in virtual time
 * over the network model (crosslink/network/model.ts): the contract every
 * protocol of this folder keeps (`pbft`, `hotstuff`, `tendermint`, `ideal`).
 *
 * Time 0 is the slot's start, when the leader holds the block. A message
 * from a to b that a's uplink starts sending at t is usable at b at
 * t + transmitMs(a, b, bytes) + latencyMs(a, b, key) + processingMs. Each
 * member's uplink sends one message at a time, first come first served: a
 * fan-out goes to the other members in rotation order (the sender's position
 * + 1, + 2, ... modulo m, so no member is always served last), and a later
 * fan-out waits until the uplink is free. Quorums are counted over arrival
 * times as order statistics, so the result is exact for the model, and a
 * pure function of the input (the determinism contract).
 */
import type { MessageKey, NetworkModel } from '../../crosslink/network/model.js';

/** The protocols, by the name `consensus.protocol` gives. */
export type ProtocolName = 'pbft' | 'hotstuff' | 'tendermint' | 'ideal';

/**
 * Message kinds for the latency draws (`MessageKey.kind`): a message's draw
 * is keyed by (from, to, slot, kind, index), so each phase draws its own.
 */
export const MessageKind = {
  proposal: 0,
  pbftPrepare: 1,
  pbftCommit: 2,
  hotstuffPrepareVote: 3,
  hotstuffPreCommit: 4,
  hotstuffPreCommitVote: 5,
  hotstuffCommit: 6,
  hotstuffCommitVote: 7,
  hotstuffDecide: 8,
  tendermintPrevote: 9,
  tendermintPrecommit: 10,
  /** A receipt batch from a source shard's leader to a destination's (slot-agreement.ts batchDueSlot). */
  receiptBatch: 11,
} as const;

/** What a proposal's dissemination is asked: one proposer sending one block to its committee. */
export interface SpreadInput {
  readonly model: NetworkModel;
  /** The committee, as validator indices into the model. */
  readonly committee: readonly number[];
  /** The proposer's position in `committee`. */
  readonly proposer: number;
  readonly bytes: number;
  /** Keys the latency draws: `{ slot, kind: MessageKind.proposal, index: round }`. */
  readonly key: MessageKey;
}

/** How a proposal reached the committee, in ms from when its proposer started sending. */
export interface ProposalArrivals {
  /** By committee position: when the member first holds the proposal (the proposer's is 0). */
  readonly arrivalMs: Float64Array;
  /**
   * By committee position: when the member's uplink is free again after its
   * part in spreading the proposal (0 for a member that forwarded nothing).
   * Its votes queue behind it.
   */
  readonly uplinkFreeMs: Float64Array;
  readonly messages: number;
  readonly bytes: number;
}

/** A dissemination other than `direct` (gossip, later): a pure function of its input. */
export type ProposalSpread = (input: SpreadInput) => ProposalArrivals;

/**
 * How the proposal reaches the committee: `direct`, the proposer's uplink
 * sends the block to every member one at a time (as BlockEmulator's PBFT
 * does), or a spread the caller supplies.
 */
export type Dissemination = 'direct' | ProposalSpread;

export interface ConsensusInput {
  readonly model: NetworkModel;
  /** The committee: distinct validator indices into the model. */
  readonly committee: readonly number[];
  /** The leader (proposer of the first round): a validator index that is in `committee`. */
  readonly leader: number;
  readonly slot: number;
  /** The block's size in bytes (header and transactions). */
  readonly blockBytes: number;
  /** A vote's size in bytes, its signature included. */
  readonly voteBytes: number;
  readonly dissemination: Dissemination;
  /**
   * Time a member spends checking the proposal once it holds it, before it
   * votes (the proposer checks nothing): a beacon block's crosslink
   * signatures. It delays the member's votes, not its forwarding: gossip
   * relays a block before its full verification, as Ethereum's beacon_block
   * topic validates only the proposer's signature before forwarding
   * (consensus-specs, phase0/p2p-interface.md). 0 when absent.
   */
  readonly checkMs?: number;
}

/** Messages and bytes sent, counted whether or not the quorum needed them. */
export interface TrafficCount {
  readonly messages: number;
  readonly bytes: number;
}

/** When a step of the protocol was reached by its quorum, in ms from the slot's start. */
export interface PhaseTime {
  readonly phase: string;
  readonly ms: number;
}

export interface ConsensusTiming {
  /**
   * When the block is committed: a quorum of members has committed it, ms
   * from the slot's start. Infinity when no round within the protocol's
   * limit succeeds (Tendermint): the caller counts the slot missed.
   */
  readonly commitMs: number;
  /** When a quorum of members holds the proposal (of the round that decided). */
  readonly proposalMs: number;
  /** When the first vote quorum formed (PBFT: a quorum prepared; HotStuff: the prepare QC; Tendermint: a quorum holds a polka of prevotes). */
  readonly voteMs: number;
  /** Every step, in order, with its time. */
  readonly phases: readonly PhaseTime[];
  /** The block's dissemination. */
  readonly proposal: TrafficCount;
  /** Everything else: votes, and the leader's certificates (HotStuff). */
  readonly votes: TrafficCount;
  /** Rounds tried (Tendermint moves to a new round when the proposal is late); 1 otherwise. */
  readonly rounds: number;
}

export interface ConsensusProtocol {
  readonly name: ProtocolName;
  /** The smallest committee the protocol accepts (4 = 3f + 1 with f = 1 for the BFT protocols). */
  readonly minCommittee: number;
  agree(input: ConsensusInput): ConsensusTiming;
}
