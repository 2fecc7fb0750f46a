import { latencyBucket, latencyBucketCount, latencyQuantile } from './latency-buckets.js';

/** Response status classes, counted separately: index = first digit − 1. */
export const statusClasses = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const;
export type StatusClass = (typeof statusClasses)[number];

export interface WindowSummary {
  seconds: number;
  requests: number;
  byClass: Record<StatusClass, number>;
  /** Failures talking to the upstream (connect, reset, timeout, bad response), retried or not. */
  upstreamErrors: number;
  /** Share of requests answered 5xx, 0..1; null without requests. */
  errorRate: number | null;
  /** Latency percentiles in milliseconds; null without requests. */
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/** One second of a window, as `SlidingWindow.snapshot` gives it. */
export interface WindowSlot {
  second: number;
  /** Responses per status class (`statusClasses` order). */
  classes: number[];
  errors: number;
  /** Latency buckets, sparse: bucket, count, bucket, count… */
  latency: number[];
}

/**
 * Counts and latencies of the last `slots` seconds, one slot per second, reused in a ring: a slot
 * older than the ring is cleared when its second comes round again. Recording costs a few array
 * writes; summaries add up the slots in range.
 */
export class SlidingWindow {
  private readonly slotSecond: Float64Array;
  private readonly latency: Uint32Array;
  private readonly classes: Uint32Array;
  private readonly errors: Uint32Array;

  constructor(private readonly slots = 60) {
    this.slotSecond = new Float64Array(slots).fill(-1);
    this.latency = new Uint32Array(slots * latencyBucketCount);
    this.classes = new Uint32Array(slots * statusClasses.length);
    this.errors = new Uint32Array(slots);
  }

  recordResponse(nowMs: number, status: number, latencyMs: number): void {
    const slot = this.slotAt(nowMs);
    const statusClass = Math.floor(status / 100) - 1;
    if (statusClass >= 0 && statusClass < statusClasses.length) this.classes[slot * statusClasses.length + statusClass]! += 1;
    this.latency[slot * latencyBucketCount + latencyBucket(latencyMs)]! += 1;
  }

  recordUpstreamError(nowMs: number): void {
    this.errors[this.slotAt(nowMs)]! += 1;
  }

  /** Everything recorded in the last `seconds` seconds (the current one included). */
  summary(nowMs: number, seconds: number): WindowSummary {
    const now = Math.floor(nowMs / 1000);
    const span = Math.min(seconds, this.slots);
    const latency = new Uint32Array(latencyBucketCount);
    const classes = [0, 0, 0, 0, 0];
    let upstreamErrors = 0;
    for (let slot = 0; slot < this.slots; slot++) {
      const second = this.slotSecond[slot]!;
      if (second <= now - span || second > now) continue;
      upstreamErrors += this.errors[slot]!;
      for (let c = 0; c < classes.length; c++) classes[c]! += this.classes[slot * statusClasses.length + c]!;
      const base = slot * latencyBucketCount;
      for (let b = 0; b < latencyBucketCount; b++) latency[b]! += this.latency[base + b]!;
    }
    const requests = classes.reduce((sum, n) => sum + n, 0);
    return {
      seconds: span,
      requests,
      byClass: { '1xx': classes[0]!, '2xx': classes[1]!, '3xx': classes[2]!, '4xx': classes[3]!, '5xx': classes[4]! },
      upstreamErrors,
      errorRate: requests === 0 ? null : classes[4]! / requests,
      p50: latencyQuantile(latency, requests, 0.5),
      p95: latencyQuantile(latency, requests, 0.95),
      p99: latencyQuantile(latency, requests, 0.99),
    };
  }

  /**
   * The slots of the last `slots` seconds that hold anything, as plain numbers (the latency
   * buckets sparse: bucket, count, bucket, count…), for another process to merge with `absorb`.
   */
  snapshot(nowMs: number): WindowSlot[] {
    const now = Math.floor(nowMs / 1000);
    const slots: WindowSlot[] = [];
    for (let slot = 0; slot < this.slots; slot++) {
      const second = this.slotSecond[slot]!;
      if (second <= now - this.slots || second > now) continue;
      const latency: number[] = [];
      const base = slot * latencyBucketCount;
      for (let b = 0; b < latencyBucketCount; b++) if (this.latency[base + b]! > 0) latency.push(b, this.latency[base + b]!);
      const classes = Array.from(this.classes.subarray(slot * statusClasses.length, (slot + 1) * statusClasses.length));
      if (latency.length === 0 && this.errors[slot] === 0) continue;
      slots.push({ second, classes, errors: this.errors[slot]!, latency });
    }
    return slots;
  }

  /** Adds another window's slots (from `snapshot`) to this one; slots older than the ring at `nowMs` are left out. */
  absorb(nowMs: number, slots: readonly WindowSlot[]): void {
    const now = Math.floor(nowMs / 1000);
    for (const { second, classes, errors, latency } of slots) {
      if (second <= now - this.slots || second > now) continue;
      const slot = this.slotAt(second * 1000);
      this.errors[slot]! += errors;
      for (let c = 0; c < statusClasses.length; c++) this.classes[slot * statusClasses.length + c]! += classes[c] ?? 0;
      const base = slot * latencyBucketCount;
      for (let i = 0; i + 1 < latency.length; i += 2) this.latency[base + latency[i]!]! += latency[i + 1]!;
    }
  }

  private slotAt(nowMs: number): number {
    const second = Math.floor(nowMs / 1000);
    const slot = second % this.slots;
    if (this.slotSecond[slot] !== second) {
      this.slotSecond[slot] = second;
      this.latency.fill(0, slot * latencyBucketCount, (slot + 1) * latencyBucketCount);
      this.classes.fill(0, slot * statusClasses.length, (slot + 1) * statusClasses.length);
      this.errors[slot] = 0;
    }
    return slot;
  }
}
