/**
 * One all-to-all vote phase (PBFT's prepares and commits, Tendermint's
 * prevotes and precommits): an m × m table of arrival times, row j what
 * member j receives, column s what member s sent, and each row's order
 * statistic (when member j holds a quorum).
 *
 * Drawing every vote's latency exactly costs one Math.pow each, m² a phase,
 * and is most of a block's timing. Where the model estimates latencies
 * (NetworkModel.estimateLatenciesMs, within LATENCY_ESTIMATE_ERROR), the
 * table holds estimates and a row's k-th smallest is found exactly from them:
 * with the estimates' k-th smallest K, every true value lies within a
 * relative MARGIN of its estimate, so the true k-th smallest lies within
 * MARGIN of K; an entry whose estimate is clearly below that window is below
 * it, one clearly above is above, and only the few inside are drawn exactly.
 * The result is the exact draws' k-th smallest, bit for bit (draws are keyed,
 * so drawing fewer shifts no other; equal times have equal bits, as no time
 * is −0). The relative bounds hold because every time is a sum of
 * non-negative terms from the slot's start at 0.
 */
import { LATENCY_ESTIMATE_ERROR, type MessageKey, type NetworkModel } from '../../crosslink/network/model.js';
import { arrivalMs, sendInRotation } from '../../crosslink/network/uplink.js';
import { kthSmallest } from './order-statistics.js';
import { scratch } from './scratch.js';

/**
 * An arrival's estimate is within MARGIN of its exact value (relative):
 * the latency's error, plus the rounding of the sum of non-negative times,
 * doubled. Windows are widened by 3 × MARGIN, which also covers their own
 * rounding.
 */
const MARGIN = 4 * LATENCY_ESTIMATE_ERROR;

/** When each estimated entry's transmission ended (NaN for an exact entry), and one row's working copy: reused, as scratch.ts's table. */
let sentBuffer = new Float64Array(0);
let rowBuffer = new Float64Array(0);

export class VoteRows {
  private readonly m: number;
  private readonly values: Float64Array;
  private readonly sentAt: Float64Array | undefined;

  /** A phase whose votes carry `key`; uses the shared scratch table, so one phase at a time. */
  constructor(
    private readonly model: NetworkModel,
    private readonly committee: readonly number[],
    private readonly key: MessageKey,
  ) {
    const m = committee.length;
    this.m = m;
    this.values = scratch(m * m);
    if (model.estimateLatenciesMs !== undefined) {
      if (sentBuffer.length < m * m) sentBuffer = new Float64Array(Math.max(m * m, sentBuffer.length * 2));
      if (rowBuffer.length < m) rowBuffer = new Float64Array(Math.max(m, rowBuffer.length * 2));
      this.sentAt = sentBuffer;
    }
  }

  /** Member s multicasts its vote of `bytes` to all others from `startMs` (column s); returns when its uplink is free. */
  send(s: number, startMs: number, bytes: number): number {
    return sendInRotation(this.model, this.committee, s, startMs, bytes, this.key, this.values, s, this.m, this.sentAt);
  }

  /** Sets an entry known exactly: a member's own vote, or Infinity for a vote never counted. */
  set(j: number, s: number, ms: number): void {
    const i = j * this.m + s;
    this.values[i] = ms;
    if (this.sentAt !== undefined) this.sentAt[i] = Number.NaN;
  }

  /** The k-th smallest (from 1) arrival in row j, exactly. Call once per row: it may reorder the row. */
  kth(j: number, k: number): number {
    const m = this.m;
    const row = j * m;
    const sentAt = this.sentAt;
    if (sentAt === undefined) return kthSmallest(this.values, row, row + m, k);
    const work = rowBuffer;
    work.set(this.values.subarray(row, row + m));
    const estimate = kthSmallest(work, 0, m, k);
    const low = estimate * (1 - 3 * MARGIN);
    const high = estimate * (1 + 3 * MARGIN);
    const processing = this.model.processingMs;
    const to = this.committee[j]!;
    let below = 0;
    let inside = 0;
    for (let s = 0; s < m; s++) {
      const v = this.values[row + s]!;
      if (v < low) below++;
      else if (v <= high) {
        const sent = sentAt[row + s]!;
        work[inside++] = Number.isNaN(sent) ? v : arrivalMs(sent, this.model.latencyMs(this.committee[s]!, to, this.key), processing);
      }
    }
    // Fewer than k estimates are below `estimate`, and at least k are at most it: so 0 <= below < k <= below + inside.
    return kthSmallest(work, 0, inside, k - below);
  }
}
