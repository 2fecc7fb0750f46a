/**
 * Log-linear latency buckets, as in HDR histograms: each power of two of microseconds is cut into
 * 16 equal buckets, so a percentile read from them is within 1/32 (about 3 %) of the true value,
 * from 1 µs up to about 35 minutes, with 464 counters and no allocation per recorded value.
 */
const subBits = 4;
const subCount = 1 << subBits;
const maxMicros = 0x7fffffff;

export const latencyBucketCount = (31 - subBits + 1) * subCount;

/** The bucket of a latency in milliseconds. */
export function latencyBucket(ms: number): number {
  const micros = ms <= 0 ? 0 : ms >= maxMicros / 1000 ? maxMicros : Math.round(ms * 1000);
  if (micros < subCount) return micros;
  const magnitude = 31 - Math.clz32(micros);
  return (magnitude - subBits + 1) * subCount + ((micros >>> (magnitude - subBits)) & (subCount - 1));
}

/** The middle of a bucket, in milliseconds: the value reported for latencies in it. */
export function latencyBucketMiddle(bucket: number): number {
  if (bucket < subCount) return bucket / 1000;
  const magnitude = (bucket >>> subBits) + subBits - 1;
  const width = 1 << (magnitude - subBits);
  const lower = (subCount + (bucket & (subCount - 1))) * width;
  return (lower + (width - 1) / 2) / 1000;
}

/**
 * The q-quantile (0 < q ≤ 1) of the latencies counted in `counts` (indexed by bucket), in
 * milliseconds; null when nothing was counted.
 */
export function latencyQuantile(counts: ArrayLike<number>, total: number, q: number): number | null {
  if (total <= 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (let bucket = 0; bucket < counts.length; bucket++) {
    seen += counts[bucket]!;
    if (seen >= rank) return latencyBucketMiddle(bucket);
  }
  return latencyBucketMiddle(counts.length - 1);
}
