/**
 * A NetworkModel built from a validated table: validators placed in regions
 * by the seed (region-assignment.ts), one latency draw per message
 * (latency-draw.ts) and a transmission time from the slower end's bandwidth.
 * Per region pair the draw's parameters and the milliseconds a byte takes
 * are computed once, so a query is a lookup and, for a latency, one hash
 * chain and one power.
 */
import { InternalError } from '../common/errors.js';
import { mix32 } from '../common/mix32.js';
import { DRAW_TAG, seedTag } from './keyed-draw.js';
import { latencyHashFrom, latencyUnit, latencyUnitFrom, paretoFor, senderLatencyTag } from './latency-draw.js';
import type { MessageKey, NetworkModel } from './model.js';
import { PowerTables } from './power-estimate.js';
import { assignRegions } from './region-assignment.js';
import type { NetworkTables } from './tables.js';
import { validateNetworkTables } from './validate-tables.js';

export interface NetworkModelOptions {
  /**
   * `pareto` (the default): each message draws its latency around the pair's
   * mean, as SimBlock does. `mean`: every message takes exactly the pair's
   * mean, for closed-form checks and for studies that want no jitter.
   */
  readonly latency?: 'pareto' | 'mean';
}

/** Throws a ConfigError (key paths under `network`) if `tables` is not a valid table. */
export function createNetworkModel(tables: NetworkTables, validators: number, seed: number, options: NetworkModelOptions = {}): NetworkModel {
  validateNetworkTables(tables);
  if (!Number.isSafeInteger(validators) || validators < 1)
    throw new InternalError(`a network model needs a whole number of validators >= 1, got ${validators}`);
  return new RegionNetworkModel(tables, validators, seed, options.latency ?? 'pareto');
}

class RegionNetworkModel implements NetworkModel {
  readonly processingMs: number;
  private readonly region: Int32Array;
  private readonly regionCount: number;
  /** Per region pair (from × regions + to): the draw's mean, scale and −1/shape, and ms a byte takes. */
  private readonly meanMs: Float64Array;
  private readonly scaleMs: Float64Array;
  private readonly negInvShape: Float64Array;
  private readonly msPerByte: Float64Array;
  private readonly latencyTag: number;
  /** Per region pair, its draws' power estimate (power-estimate.ts PowerTables). */
  private readonly powers: PowerTables;

  constructor(
    tables: NetworkTables,
    readonly validators: number,
    seed: number,
    private readonly mode: 'pareto' | 'mean',
  ) {
    const r = tables.regions.length;
    this.regionCount = r;
    this.processingMs = tables.processingMs;
    this.region = assignRegions(validators, tables.shares, seed);
    this.latencyTag = seedTag(seed, DRAW_TAG.latency);
    this.meanMs = new Float64Array(r * r);
    this.scaleMs = new Float64Array(r * r);
    this.negInvShape = new Float64Array(r * r);
    this.msPerByte = new Float64Array(r * r);
    for (let a = 0; a < r; a++) {
      for (let b = 0; b < r; b++) {
        const i = a * r + b;
        const mean = tables.latencyMs[a]![b]!;
        const p = paretoFor(mean);
        this.meanMs[i] = mean;
        this.scaleMs[i] = p.scaleMs;
        this.negInvShape[i] = -1 / p.shape;
        const mbps = Math.min(tables.uploadMbps[a]!, tables.downloadMbps[b]!);
        // Mbit/s is 1000 bits a ms; unlimited bandwidth takes no time.
        this.msPerByte[i] = mbps === Number.POSITIVE_INFINITY ? 0 : 8 / (mbps * 1000);
      }
    }
    this.powers = new PowerTables(this.scaleMs, this.negInvShape);
  }

  regionOf(validator: number): number {
    const r = this.region[validator];
    if (r === undefined || !Number.isInteger(validator)) throw new InternalError(`validator ${validator} is not one of the model's ${this.validators}`);
    return r;
  }

  latencyMs(from: number, to: number, key: MessageKey): number {
    if (from === to) return 0;
    const i = this.regionOf(from) * this.regionCount + this.regionOf(to);
    const scale = this.scaleMs[i]!;
    if (scale === 0) return 0;
    if (this.mode === 'mean') return this.meanMs[i]!;
    return scale * latencyUnit(this.latencyTag, from, to, key) ** this.negInvShape[i]!;
  }

  latenciesMs(from: number, to: ArrayLike<number>, count: number, key: MessageKey, out: Float64Array): void {
    const row = this.regionOf(from) * this.regionCount;
    const senderTag = senderLatencyTag(this.latencyTag, from);
    const jitter = this.mode === 'pareto';
    for (let i = 0; i < count; i++) {
      const t = to[i]!;
      const pair = row + this.regionOf(t);
      const scale = this.scaleMs[pair]!;
      // The same figure latencyMs gives, case by case.
      if (t === from || scale === 0) out[i] = 0;
      else if (!jitter) out[i] = this.meanMs[pair]!;
      else out[i] = scale * latencyUnitFrom(senderTag, t, key) ** this.negInvShape[pair]!;
    }
  }

  /**
   * latenciesMs's figures with the power estimated (power-estimate.ts
   * PowerTables, the pair's scale folded in, within 1e-5): within
   * LATENCY_ESTIMATE_ERROR. Exact where there is no draw.
   */
  estimateLatenciesMs(from: number, to: ArrayLike<number>, count: number, key: MessageKey, out: Float64Array): void {
    const row = this.regionOf(from) * this.regionCount;
    const senderTag = senderLatencyTag(this.latencyTag, from);
    const jitter = this.mode === 'pareto';
    for (let i = 0; i < count; i++) {
      const t = to[i]!;
      const pair = row + this.regionOf(t);
      const scale = this.scaleMs[pair]!;
      if (t === from || scale === 0) out[i] = 0;
      else if (!jitter) out[i] = this.meanMs[pair]!;
      else out[i] = this.powers.estimate(pair, latencyHashFrom(senderTag, t, key));
    }
  }

  /** The fan-out's members' regions and its draws' hashes, reused across calls (filled and read within one). */
  private memberRegions = new Int32Array(0);
  private fanOutHashes = new Uint32Array(0);

  /**
   * estimateLatenciesMs over a committee's rotation-ordered fan-out (model.ts), the same expression per copy:
   * the regions and the message key are read once, and the hash chain is written out. Two passes, the
   * hashes and then their estimates: each loop stays small enough for the compiler to inline what it calls
   * (about 5% faster than one loop doing both, in a 128-member committee).
   */
  estimateFanOutMs(members: Int32Array, m: number, key: MessageKey, out: Float64Array): void {
    if (this.memberRegions.length < m) {
      this.memberRegions = new Int32Array(m);
      this.fanOutHashes = new Uint32Array(m * (m - 1));
    }
    const regions = this.memberRegions;
    for (let i = 0; i < m; i++) regions[i] = this.regionOf(members[i]!);
    const r = this.regionCount;
    const scales = this.scaleMs;
    const { slot, kind, index } = key;
    const jitter = this.mode === 'pareto';
    const hashes = this.fanOutHashes;
    if (jitter) {
      const tag = this.latencyTag;
      for (let s = 0, i = 0; s < m; s++) {
        const senderTag = senderLatencyTag(tag, members[s]!);
        for (let k = 1; k < m; k++, i++) {
          const p = s + k < m ? s + k : s + k - m;
          // latencyHashFrom(senderTag, t, key), its chain written out.
          hashes[i] = mix32(mix32(mix32(mix32(senderTag ^ members[p]!) ^ slot) ^ kind) ^ index);
        }
      }
    }
    const means = this.meanMs;
    const powers = this.powers;
    for (let s = 0, i = 0; s < m; s++) {
      const row = regions[s]! * r;
      // A pair with no latency has scale 0, whose estimate is 0 too (+0: every factor of it is positive).
      if (jitter) {
        for (let k = 1; k < m; k++, i++) {
          const p = s + k < m ? s + k : s + k - m;
          out[i] = powers.estimate(row + regions[p]!, hashes[i]!);
        }
      } else {
        for (let k = 1; k < m; k++, i++) {
          const p = s + k < m ? s + k : s + k - m;
          const pair = row + regions[p]!;
          out[i] = scales[pair] === 0 ? 0 : means[pair]!;
        }
      }
    }
  }

  /** transmitMs over row s of a committee's rotation-ordered fan-out (model.ts), the same expression per copy. */
  transmitFanOutMs(members: Int32Array, m: number, s: number, bytes: number, out: Float64Array): void {
    const from = members[s]!;
    const row = this.regionOf(from) * this.regionCount;
    const msPerByte = this.msPerByte;
    for (let p = s + 1 === m ? 0 : s + 1, i = s * (m - 1); p !== s; p = p + 1 === m ? 0 : p + 1, i++) {
      const to = members[p]!;
      out[i] = to === from ? 0 : bytes * msPerByte[row + this.regionOf(to)]!;
    }
  }

  /** A validator sending to itself uses no link: 0. */
  transmitMs(from: number, to: number, bytes: number): number {
    if (from === to) return 0;
    return bytes * this.msPerByte[this.regionOf(from) * this.regionCount + this.regionOf(to)]!;
  }
}
