import { bernoulli, logNormal, type Rng } from './prng.js';

/**
 * The canary bench's traffic: every simulated second, `requestsPerSecond` requests are routed
 * at random to the canary (`canaryShare`), to a fresh baseline of the old version with the same
 * share (`baselineShare`, Kayenta's advice) and to the stable fleet (the rest). Each request has a
 * log-normal latency, fails with the variant's error rate and converts with its conversion rate
 * (Bernoulli draws). The canary's profile is the old one with the case's regression applied.
 */

export type SimVariant = 'stable' | 'baseline' | 'canary';
export const simVariants: readonly SimVariant[] = ['stable', 'baseline', 'canary'];

/** How one version behaves. */
export interface Profile {
  /** Median latency in ms (e^mu of the log-normal). */
  latencyMedianMs: number;
  /** Sigma of the log-normal's underlying normal. */
  latencySigma: number;
  /** Probability that a request fails. */
  errorRate: number;
  /** Probability that a request converts (a purchase, a sign-up). */
  conversionRate: number;
}

/** What the canary changes: every latency multiplied by `latencyFactor` (so p95 too), new rates. */
export interface Regression {
  latencyFactor: number;
  errorRate?: number;
  conversionRate?: number;
}

export interface TrafficPlan {
  requestsPerSecond: number;
  canaryShare: number;
  baselineShare: number;
  old: Profile;
  regression: Regression;
  /** Draw the stable fleet's latencies too (default true); the bench skips them, nothing reads them. */
  stableLatencies?: boolean;
}

/** One variant's traffic in one simulated second. */
export interface VariantSecond {
  requests: number;
  errors: number;
  conversions: number;
  /** Latency of every request, ms (empty for stable when `stableLatencies` is false). */
  latencies: number[];
}

export type Second = Record<SimVariant, VariantSecond>;

export const defaultProfile: Profile = { latencyMedianMs: 100, latencySigma: 0.5, errorRate: 0.005, conversionRate: 0.2 };

/** The canary's profile: the old version with the regression applied. */
export function canaryProfile(plan: TrafficPlan): Profile {
  return {
    latencyMedianMs: plan.old.latencyMedianMs * plan.regression.latencyFactor,
    latencySigma: plan.old.latencySigma,
    errorRate: plan.regression.errorRate ?? plan.old.errorRate,
    conversionRate: plan.regression.conversionRate ?? plan.old.conversionRate,
  };
}

/** Simulates one second of traffic. Deterministic for a given generator state. */
export function simulateSecond(rng: Rng, plan: TrafficPlan): Second {
  const canary = canaryProfile(plan);
  const second: Second = {
    stable: { requests: 0, errors: 0, conversions: 0, latencies: [] },
    baseline: { requests: 0, errors: 0, conversions: 0, latencies: [] },
    canary: { requests: 0, errors: 0, conversions: 0, latencies: [] },
  };
  for (let i = 0; i < plan.requestsPerSecond; i++) {
    const route = rng.next();
    const variant: SimVariant = route < plan.canaryShare ? 'canary' : route < plan.canaryShare + plan.baselineShare ? 'baseline' : 'stable';
    const profile = variant === 'canary' ? canary : plan.old;
    const bucket = second[variant];
    bucket.requests++;
    if (variant !== 'stable' || plan.stableLatencies !== false) bucket.latencies.push(logNormal(rng, profile.latencyMedianMs, profile.latencySigma));
    if (bernoulli(rng, profile.errorRate)) bucket.errors++;
    if (bernoulli(rng, profile.conversionRate)) bucket.conversions++;
  }
  return second;
}

/** The p-quantile of values (R's type 7, as the threshold judge computes it). */
export function quantile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * p;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
}
