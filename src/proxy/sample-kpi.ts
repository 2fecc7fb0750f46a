/**
 * What a sample service reports besides latency and errors: checkout conversion and a work queue's
 * backlog, counted from the requests it really served. Every business request (any path but the
 * helper ones) is a session; a session answered successfully converts as the version's
 * `conversionRate` says; every session puts one job on the version's queue, which works off
 * `queueDrainPerSecond` jobs a second.
 *
 * Conversion is deterministic, not drawn at random: of n successful sessions, exactly
 * floor(n * rate) convert (the k-th converts when floor(k * rate) rises), so a short window of a
 * few dozen sessions already shows the version's rate within 1/n, and an analysis of it does not
 * pass or fail by chance.
 */
export interface KpiBehaviour {
  /** Share of successful sessions that convert, 0..1. */
  conversionRate: number;
  /** Jobs the version works off per second; undefined: as fast as they come (no backlog). */
  queueDrainPerSecond: number | undefined;
}

/** A window's figures, as `GET /kpi?seconds=N` answers them. */
export interface KpiReport {
  seconds: number;
  sessions: number;
  conversions: number;
  /** conversions / sessions; null when there was no session in the window. */
  conversion: number | null;
  /** Jobs waiting now. */
  queueBacklog: number;
  /** The most jobs waiting at any session of the window (the backlog now when none came). */
  peakQueueBacklog: number;
}

interface Second {
  sessions: number;
  conversions: number;
  peakBacklog: number;
}

/** How long per-second counts are kept: the longest window `report` answers. */
export const kpiHorizonSeconds = 600;

/**
 * The KPI counts of one sample service instance. `nowMs` is a monotonic millisecond reading
 * (`performance.now()` by default; tests pass their own).
 */
export class KpiCounter {
  private readonly seconds = new Map<number, Second>();
  private successes = 0;
  private backlog = 0;
  private drainedAt: number;

  constructor(
    private readonly behaviour: () => KpiBehaviour,
    private readonly nowMs: () => number = () => performance.now(),
  ) {
    this.drainedAt = nowMs();
  }

  /** Counts one session; `ok` when it was answered successfully (only those can convert). */
  session(ok: boolean): void {
    const now = this.nowMs();
    this.drain(now);
    if (this.behaviour().queueDrainPerSecond !== undefined) this.backlog += 1;
    const second = this.second(now);
    second.sessions += 1;
    if (ok) {
      const rate = clampRate(this.behaviour().conversionRate);
      const before = Math.floor(this.successes * rate + 1e-9);
      this.successes += 1;
      if (Math.floor(this.successes * rate + 1e-9) > before) second.conversions += 1;
    }
    second.peakBacklog = Math.max(second.peakBacklog, this.backlog);
  }

  /** The last `seconds` seconds (1..kpiHorizonSeconds), this second included. */
  report(seconds: number): KpiReport {
    const now = this.nowMs();
    this.drain(now);
    const current = Math.floor(now / 1000);
    let sessions = 0;
    let conversions = 0;
    let peak = this.backlog;
    for (const [index, second] of this.seconds) {
      if (index <= current - seconds) continue;
      sessions += second.sessions;
      conversions += second.conversions;
      peak = Math.max(peak, second.peakBacklog);
    }
    return { seconds, sessions, conversions, conversion: sessions === 0 ? null : conversions / sessions, queueBacklog: Math.round(this.backlog), peakQueueBacklog: Math.round(peak) };
  }

  private drain(now: number): void {
    const rate = this.behaviour().queueDrainPerSecond;
    const elapsed = Math.max(0, now - this.drainedAt) / 1000;
    this.drainedAt = now;
    this.backlog = rate === undefined ? 0 : Math.max(0, this.backlog - rate * elapsed);
  }

  private second(now: number): Second {
    const index = Math.floor(now / 1000);
    let second = this.seconds.get(index);
    if (!second) {
      second = { sessions: 0, conversions: 0, peakBacklog: 0 };
      this.seconds.set(index, second);
      for (const old of this.seconds.keys()) if (old <= index - kpiHorizonSeconds) this.seconds.delete(old);
    }
    return second;
  }
}

function clampRate(rate: number): number {
  return Number.isFinite(rate) ? Math.min(1, Math.max(0, rate)) : 0;
}
