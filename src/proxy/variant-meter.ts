import type { Clock } from '../core/clock.js';
import { SlidingWindow, statusClasses, type StatusClass, type WindowSlot, type WindowSummary } from './sliding-window.js';

/** The status a truncated response is counted as. */
const truncatedStatus = 502;

/** Ways talking to an upstream fails; each is counted against the version it happened on. */
export const upstreamErrorKinds = ['connect_failed', 'connect_timeout', 'response_timeout', 'deadline', 'reset', 'bad_response', 'body_error'] as const;
export type UpstreamErrorKind = (typeof upstreamErrorKinds)[number];

/** How far back the router keeps per-second counts: `/stats?seconds=N` answers N up to this. */
export const statsMaxSeconds = 60;

/**
 * Upper bounds of the Prometheus latency histogram, in seconds (the /stats percentiles are finer).
 * The meter counts into them itself; the histogram is read from these counts when scraped.
 */
export const durationBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] as const;

/** Everything a meter counted, as plain numbers: what a router worker process hands the primary. */
export interface MeterSnapshot {
  requests: number[];
  upstreamErrors: number[];
  retriedOnStable: number;
  truncated: number;
  inFlight: number;
  websocketsOpen: number;
  /** Per `durationBuckets` bound, not cumulative, and one more past the last bound. */
  durationCounts: number[];
  durationSumSeconds: number;
  window: WindowSlot[];
}

export interface VariantStats {
  inFlight: number;
  websocketsOpen: number;
  /** Since the proxy started. */
  /**
   * Since the proxy started. `truncated`: responses cut off mid-body (the upstream failed after
   * the headers); each is also counted in `byClass['5xx']`, whatever status the client saw.
   */
  total: { requests: number; byClass: Record<StatusClass, number>; upstreamErrors: Record<UpstreamErrorKind, number>; retriedOnStable: number; truncated: number };
  /** The last 10 s and 60 s, and the last N s when asked for (`/stats?seconds=N`, 1 to 60). */
  windows: { '10s': WindowSummary; '60s': WindowSummary } & Partial<Record<`${number}s`, WindowSummary>>;
}

/**
 * The measurements of one version: plain numbers on the request path (a few array writes per
 * request), read by /stats and by the Prometheus collector when asked.
 */
export class VariantMeter {
  readonly requests = new Float64Array(statusClasses.length);
  readonly upstreamErrors = new Float64Array(upstreamErrorKinds.length);
  /** Requests that failed here before any response byte and were answered by stable instead. */
  retriedOnStable = 0;
  /** Responses cut off mid-body by an upstream failure. */
  truncated = 0;
  inFlight = 0;
  websocketsOpen = 0;
  /** The Prometheus histogram's counts: per `durationBuckets` bound (not cumulative), and past the last. */
  readonly durationCounts = new Float64Array(durationBuckets.length + 1);
  durationSumSeconds = 0;
  private window = new SlidingWindow(statsMaxSeconds);

  /** `clock` places each response in the sliding windows. */
  constructor(private readonly clock: Clock) {}

  private nowMs(): number {
    return this.clock.now().getTime();
  }

  recordResponse(status: number, latencyMs: number, nowMs = this.nowMs()): void {
    const statusClass = Math.floor(status / 100) - 1;
    if (statusClass >= 0 && statusClass < statusClasses.length) this.requests[statusClass]! += 1;
    this.window.recordResponse(nowMs, status, latencyMs);
    const seconds = latencyMs / 1000;
    let bucket = 0;
    while (bucket < durationBuckets.length && seconds > durationBuckets[bucket]!) bucket++;
    this.durationCounts[bucket]! += 1;
    this.durationSumSeconds += seconds;
  }

  /**
   * A response the upstream failed to finish after its headers went out: the client has a broken
   * answer, so it counts as a 5xx of this version, not as the status it began with.
   */
  recordTruncated(latencyMs: number, nowMs = this.nowMs()): void {
    this.truncated += 1;
    this.recordResponse(truncatedStatus, latencyMs, nowMs);
  }

  recordUpstreamError(kind: UpstreamErrorKind, nowMs = this.nowMs()): void {
    this.upstreamErrors[upstreamErrorKinds.indexOf(kind)]! += 1;
    this.window.recordUpstreamError(nowMs);
  }

  snapshot(nowMs = this.nowMs()): MeterSnapshot {
    return {
      requests: Array.from(this.requests),
      upstreamErrors: Array.from(this.upstreamErrors),
      retriedOnStable: this.retriedOnStable,
      truncated: this.truncated,
      inFlight: this.inFlight,
      websocketsOpen: this.websocketsOpen,
      durationCounts: Array.from(this.durationCounts),
      durationSumSeconds: this.durationSumSeconds,
      window: this.window.snapshot(nowMs),
    };
  }

  /** Adds another meter's counts (another process's, from `snapshot`): the sum over router workers. */
  absorb(snapshot: MeterSnapshot, nowMs = this.nowMs()): void {
    snapshot.requests.forEach((n, i) => (this.requests[i]! += n));
    snapshot.upstreamErrors.forEach((n, i) => (this.upstreamErrors[i]! += n));
    snapshot.durationCounts.forEach((n, i) => (this.durationCounts[i]! += n));
    this.durationSumSeconds += snapshot.durationSumSeconds;
    this.retriedOnStable += snapshot.retriedOnStable;
    this.truncated += snapshot.truncated;
    this.inFlight += snapshot.inFlight;
    this.websocketsOpen += snapshot.websocketsOpen;
    this.window.absorb(nowMs, snapshot.window);
  }

  /** Back to nothing counted. */
  clear(): void {
    this.requests.fill(0);
    this.upstreamErrors.fill(0);
    this.durationCounts.fill(0);
    this.durationSumSeconds = 0;
    this.retriedOnStable = 0;
    this.truncated = 0;
    this.inFlight = 0;
    this.websocketsOpen = 0;
    this.window = new SlidingWindow(statsMaxSeconds);
  }

  stats(nowMs = this.nowMs(), seconds?: number): VariantStats {
    const byClass = Object.fromEntries(statusClasses.map((c, i) => [c, this.requests[i]!])) as Record<StatusClass, number>;
    const upstreamErrors = Object.fromEntries(upstreamErrorKinds.map((k, i) => [k, this.upstreamErrors[i]!])) as Record<UpstreamErrorKind, number>;
    return {
      inFlight: this.inFlight,
      websocketsOpen: this.websocketsOpen,
      total: { requests: this.requests.reduce((sum, n) => sum + n, 0), byClass, upstreamErrors, retriedOnStable: this.retriedOnStable, truncated: this.truncated },
      windows: { '10s': this.window.summary(nowMs, 10), '60s': this.window.summary(nowMs, 60), ...(seconds === undefined ? {} : { [`${seconds}s`]: this.window.summary(nowMs, seconds) }) },
    };
  }
}
