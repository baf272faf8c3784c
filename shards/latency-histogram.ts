/**
 * Latency histogram in integer milliseconds, log-linear buckets (64 linear
 * sub-buckets per power of two, like HdrHistogram at ~1.5% relative
 * precision), so a run of millions of transactions keeps a few KB instead of
 * a list of latencies. Histograms of several shards merge by adding counts.
 */
const SUB_BITS = 6;
const SUB = 1 << SUB_BITS;

export function bucketOf(ms: number): number {
  const v = Math.max(0, Math.floor(ms));
  if (v < SUB) return v;
  const e = 31 - Math.clz32(v); // floor(log2 v) >= SUB_BITS
  return (e - SUB_BITS + 1) * SUB + ((v >>> (e - SUB_BITS)) - SUB);
}

/** Smallest value in a bucket. */
export function bucketLow(index: number): number {
  if (index < SUB) return index;
  const e = Math.floor(index / SUB) - 1 + SUB_BITS;
  return ((index % SUB) + SUB) * 2 ** (e - SUB_BITS);
}

/** How many integer milliseconds a bucket holds. */
export function bucketWidth(index: number): number {
  return index < SUB ? 1 : 2 ** (Math.floor(index / SUB) - 1);
}

export class LatencyHistogram {
  private readonly counts = new Map<number, number>();
  total = 0;

  record(ms: number): void {
    const b = bucketOf(ms);
    this.counts.set(b, (this.counts.get(b) ?? 0) + 1);
    this.total++;
  }

  merge(pairs: ReadonlyArray<readonly [number, number]>): void {
    for (const [b, c] of pairs) {
      this.counts.set(b, (this.counts.get(b) ?? 0) + c);
      this.total += c;
    }
  }

  /** Replaces the contents with sparse pairs (restoring a checkpoint). */
  reset(pairs: ReadonlyArray<readonly [number, number]>): void {
    this.counts.clear();
    this.total = 0;
    this.merge(pairs);
  }

  /** Sparse [bucket, count] pairs in bucket order: the wire and digest form. */
  toPairs(): Array<[number, number]> {
    return [...this.counts.entries()].sort((a, b) => a[0] - b[0]);
  }

  /** The q-quantile (0..1) in milliseconds, as the midpoint of its bucket; NaN when empty. */
  quantile(q: number): number {
    if (this.total === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil(q * this.total));
    let seen = 0;
    for (const [b, c] of this.toPairs()) {
      seen += c;
      if (seen >= rank) return bucketLow(b) + (bucketWidth(b) - 1) / 2;
    }
    return Number.NaN;
  }

  mean(): number {
    if (this.total === 0) return Number.NaN;
    let s = 0;
    for (const [b, c] of this.counts) s += (bucketLow(b) + (bucketWidth(b) - 1) / 2) * c;
    return s / this.total;
  }
}
