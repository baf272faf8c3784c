/**
 * The network a shard's committee, the beacon and cross-shard deliveries talk
 * over, in virtual time: validators in regions, a one-way latency drawn per
 * message, and a transmission time set by the slower end's bandwidth. Every
 * figure is a pure function of its arguments (draws are counter-based, keyed
 * by the seed and a message's identity), so a result never depends on the
 * order in which messages are computed: the determinism contract.
 *
 * This file is the contract the consensus timings (shards/consensus/) and the
 * network's own modules share; the modules beside it implement it.
 */

/** Identifies one message for its latency draw: the same message always draws the same latency. */
export interface MessageKey {
  /** The slot it belongs to. */
  readonly slot: number;
  /** What it is: a small integer per message kind and phase (proposal, prepare vote, ...), chosen by the caller. */
  readonly kind: number;
  /** A further index where one sender sends one kind more than once in a slot (a round, a shard); 0 otherwise. */
  readonly index: number;
}

/**
 * The relative error within which a model's latency estimates
 * (NetworkModel.estimateLatenciesMs) lie: |estimate − latency| ≤
 * LATENCY_ESTIMATE_ERROR × latency.
 */
export const LATENCY_ESTIMATE_ERROR = 1e-5;

export interface NetworkModel {
  /** Validators the model holds (committee members are indices into it). */
  readonly validators: number;
  /** The region of each validator (an index into the model's region table). */
  regionOf(validator: number): number;
  /**
   * One-way propagation latency, ms, of message `key` from `from` to `to`:
   * a deterministic draw around the mean of their regions' pair. 0 when
   * `from === to`.
   */
  latencyMs(from: number, to: number, key: MessageKey): number;
  /**
   * Optional batch form of latencyMs for the hot loops (a committee's m²
   * votes): out[i] = latencyMs(from, to[i], key) for i in 0..count, exactly
   * the same figures, with the per-sender work done once. A model without
   * it is asked message by message.
   */
  latenciesMs?(from: number, to: ArrayLike<number>, count: number, key: MessageKey, out: Float64Array): void;
  /**
   * Optional: estimates of latencyMs(from, to[i], key) for i in 0..count,
   * each within LATENCY_ESTIMATE_ERROR of it (relative), cheaper than the
   * exact draws. They never stand for a figure: a caller uses them to find
   * which messages decide an order statistic, and asks latencyMs for those.
   */
  estimateLatenciesMs?(from: number, to: ArrayLike<number>, count: number, key: MessageKey, out: Float64Array): void;
  /**
   * Optional, with estimateLatenciesMs: a committee's whole all-to-all fan-out
   * in one call, the same figures bit for bit. Row s, at
   * out[s × (m − 1) + k], is estimateLatenciesMs of members[s] to the members
   * after it in rotation order (members[(s + k + 1) mod m]); the members'
   * regions are looked up once, not once a copy (it runs m² times a block).
   * The members are distinct (FanOutRows checks), so no copy goes to its sender.
   */
  estimateFanOutMs?(members: Int32Array, m: number, key: MessageKey, out: Float64Array): void;
  /**
   * Optional: transmitMs of `bytes` from members[s] to each member after it in rotation order
   * (members[(s + k + 1) mod m]), at out[s × (m − 1) + k], the same figures bit for bit (a committee's vote
   * fan-outs ask for m² of them a block; here the sender's side is looked up once a row).
   */
  transmitFanOutMs?(members: Int32Array, m: number, s: number, bytes: number, out: Float64Array): void;
  /** Time, ms, to push `bytes` through the link from `from` to `to`: bytes × 8 / min(upload of from, download of to). */
  transmitMs(from: number, to: number, bytes: number): number;
  /** Fixed time, ms, a validator takes to handle a received message before acting on it (verify a signature, ...). */
  readonly processingMs: number;
}
