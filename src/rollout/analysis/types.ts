/**
 * What canary analysis measures and decides, shared by the metric providers (`providers/<id>/`),
 * the judges (`judges/<id>/`) and the rollout engine. Providers return measurements and never
 * decide; judges turn measurements into a verdict with its evidence; no data is its own outcome.
 */

/** The versions a rollout compares: the long-running stable fleet, the canary, and an optional
 * fresh baseline (the old version with the canary's share of traffic, as Kayenta advises). */
export const variants = ['stable', 'canary', 'baseline'] as const;
export type Variant = (typeof variants)[number];

/** The interval a measurement covers, as ISO-8601 UTC instants (end exclusive). */
export interface MetricWindow {
  start: string;
  end: string;
}

/** One metric of one variant over one window, as a provider read it. */
export interface Measurement {
  /** The metric's name in the rollout policy, e.g. `p95_latency`, `error_rate`, `conversion`. */
  metric: string;
  variant: Variant;
  window: MetricWindow;
  /**
   * Individual observations when the provider has them (latencies of single requests, per-interval
   * error ratios, per-scrape values): what the statistical judge needs. Empty when none were seen.
   */
  samples: number[];
  /** The provider's aggregate over the window (the p95, the ratio), when it computes one. */
  value?: number;
  /** How many events stand behind the measurement (requests, scrapes), when known. */
  count?: number;
  /** Where it came from, for the evidence: provider id and the query it ran (PromQL, URL and path). */
  source: { provider: string; query?: string };
}

/** A measurement that could not be taken: recorded as an error, never as a pass. */
export interface MeasurementError {
  metric: string;
  variant: Variant;
  window: MetricWindow;
  /** Why: `Prometheus at http://… answered 503`, `JSON path $.kpi.conversion not found`. */
  reason: string;
  source: { provider: string; query?: string };
}

export type MeasurementResult = { ok: true; measurement: Measurement } | { ok: false; error: MeasurementError };

/** How one judged metric came out. `nodata` is not a pass: there was nothing to judge. */
export const metricOutcomes = ['pass', 'fail', 'nodata', 'error'] as const;
export type MetricOutcome = (typeof metricOutcomes)[number];

/** The evidence behind one metric's outcome: enough to re-check the decision by hand. */
export interface MetricEvidence {
  metric: string;
  outcome: MetricOutcome;
  /** A critical metric's failure fails the whole analysis, whatever the others say. */
  critical: boolean;
  window: MetricWindow;
  /** Per variant: the count of samples and the aggregate the judge used. */
  values: Partial<Record<Variant, { count: number; value?: number }>>;
  /** The limit as the policy stated it, e.g. `p95 < 250ms`, `canary <= baseline * 1.2`, `Mann-Whitney, tolerance 0.25`. */
  threshold: string;
  /** The judge's statistics: the estimate, the confidence interval, p-values, effect size, failures so far. */
  statistics: Record<string, number | string | boolean | number[] | null>;
  /** One sentence a release engineer can read. */
  reason: string;
}

/**
 * The outcome of one analysis: `pass` and `fail` are decisions; `inconclusive` means there was not
 * enough data (too few samples, a metric without data, a provider error) and asks a human: it is
 * never a silent pass.
 */
export const verdictOutcomes = ['pass', 'fail', 'inconclusive'] as const;
export type VerdictOutcome = (typeof verdictOutcomes)[number];

export interface Verdict {
  /** The judge that gave it: `threshold`, `statistical`. */
  judge: string;
  outcome: VerdictOutcome;
  /** A score from 0 to 100 when the judge computes one (Kayenta's group-weighted score). */
  score?: number;
  reason: string;
  evidence: MetricEvidence[];
}
