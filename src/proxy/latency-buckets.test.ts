import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { latencyBucket, latencyBucketCount, latencyBucketMiddle, latencyQuantile } from './latency-buckets.js';

describe('latency buckets', () => {
  it('report any latency within 3.2 % (or 1 µs) of its true value', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 2_000_000, noNaN: true }), (ms) => {
        const reported = latencyBucketMiddle(latencyBucket(ms));
        return Math.abs(reported - ms) <= Math.max(0.001, ms * 0.032);
      }),
    );
  });

  it('are ordered: a longer latency never lands in an earlier bucket', () => {
    fc.assert(fc.property(fc.double({ min: 0, max: 1e7, noNaN: true }), fc.double({ min: 0, max: 1e7, noNaN: true }), (a, b) => (a <= b ? latencyBucket(a) <= latencyBucket(b) : latencyBucket(a) >= latencyBucket(b))));
  });

  it('stay in range for absurd inputs', () => {
    for (const ms of [-5, 0, 1e-9, 1e12, Infinity]) {
      const bucket = latencyBucket(ms);
      expect(bucket).toBeGreaterThanOrEqual(0);
      expect(bucket).toBeLessThan(latencyBucketCount);
    }
  });

  it('give p50, p95 and p99 of a known distribution', () => {
    const counts = new Uint32Array(latencyBucketCount);
    for (let ms = 1; ms <= 1000; ms++) counts[latencyBucket(ms)]! += 1;
    expect(latencyQuantile(counts, 1000, 0.5)).toBeCloseTo(500, -1);
    expect(latencyQuantile(counts, 1000, 0.95)).toBeCloseTo(950, -2);
    expect(Math.abs(latencyQuantile(counts, 1000, 0.99)! - 990)).toBeLessThan(990 * 0.032);
    expect(latencyQuantile(counts, 0, 0.5)).toBeNull();
  });
});
