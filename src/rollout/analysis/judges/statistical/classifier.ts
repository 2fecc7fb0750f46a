import type { MannWhitneySettings } from '../../../../config/sections/judges.js';
import { averageRanks, wilcoxonRankSum } from './wilcoxon.js';

/**
 * Kayenta's Mann-Whitney metric classifier (NetflixACAJudge), same semantics, our code:
 *
 * - NaN samples are removed (`nan: remove`) or replaced by 0 (`replace`). Infinite samples count
 *   as NaN: no interval can be computed through them.
 * - No data in either variant: `nodata`, critical when the metric is; or `nodata_fail` when the
 *   metric `mustHaveData` and is not critical. Kayenta passes an empty metric under
 *   `nan: replace`; we do not: no data is never a silent pass.
 * - Identical samples (as multisets), or one single value across both: `pass`.
 * - Otherwise the canary is compared with the baseline by the Wilcoxon rank-sum test: the
 *   interval of the shift canary - baseline must clear `tolerance` times the absolute
 *   Hodges-Lehmann estimate: above it is `high` (when direction is increase or either), below it
 *   `low` (decrease or either) — and only when the effect size is at least `allowedIncrease`
 *   (at most `allowedDecrease`); an effect size that cannot be computed (a mean of 0) is ignored.
 * - A critical metric's `high` (`low`) is critical when its effect reaches `criticalIncrease`
 *   (`criticalDecrease`): a critical failure scores the whole analysis 0.
 * - Two constant samples of different values: Kayenta adds random noise to get an interval; we
 *   take the limit of that noise going to 0, the exact shift, so the judge stays deterministic.
 */
export const classifications = ['pass', 'high', 'low', 'nodata', 'nodata_fail'] as const;
export type Classification = (typeof classifications)[number];

export interface ClassifierResult {
  classification: Classification;
  critical: boolean;
  /** Interval of the shift canary - baseline; null when no test ran. */
  ci: [number, number] | null;
  /** Hodges-Lehmann estimate of the shift; null when no test ran. */
  estimate: number | null;
  /** The configured measure (mean ratio or CLES); null when it cannot be computed. */
  effectSize: number | null;
  /** Canary mean / baseline mean, Kayenta's "deviation"; null when a mean is 0 or there is no data. */
  meanRatio: number | null;
  pValue: number | null;
  /** Samples left after NaN handling. */
  counts: { canary: number; baseline: number };
  reason: string;
}

function cleaned(samples: readonly number[], strategy: MannWhitneySettings['nan']): number[] {
  if (strategy === 'replace') return samples.map((value) => (Number.isFinite(value) ? value : 0));
  return samples.filter((value) => Number.isFinite(value));
}

function mean(values: readonly number[]): number {
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

/** Canary mean / baseline mean; NaN when either mean is 0 (Kayenta). */
export function meanRatio(canary: readonly number[], baseline: readonly number[]): number {
  const canaryMean = mean(canary);
  const baselineMean = mean(baseline);
  return canaryMean === 0 || baselineMean === 0 ? Number.NaN : canaryMean / baselineMean;
}

/** Common-language effect size: P(canary > baseline) + P(tie) / 2 (Vargha and Delaney). */
export function cles(canary: readonly number[], baseline: readonly number[]): number {
  const m = canary.length;
  const n = baseline.length;
  const { ranks } = averageRanks([...canary, ...baseline]);
  let r1 = 0;
  for (let i = 0; i < m; i++) r1 += ranks[i]!;
  return (2 * r1 - m * (m + 1)) / (2 * n * m);
}

const finiteOrNull = (value: number): number | null => (Number.isFinite(value) ? value : null);
const format = (value: number): string => String(Number(value.toPrecision(6)));

export function classify(rawCanary: readonly number[], rawBaseline: readonly number[], settings: MannWhitneySettings): ClassifierResult {
  const canary = cleaned(rawCanary, settings.nan);
  const baseline = cleaned(rawBaseline, settings.nan);
  const counts = { canary: canary.length, baseline: baseline.length };
  const empty = { ci: null, estimate: null, effectSize: null, meanRatio: null, pValue: null, counts };

  if (canary.length === 0 || baseline.length === 0) {
    const missing = canary.length === 0 && baseline.length === 0 ? 'canary and baseline' : canary.length === 0 ? 'canary' : 'baseline';
    if (settings.mustHaveData && !settings.critical) {
      return { ...empty, classification: 'nodata_fail', critical: false, reason: `no ${missing} data, and the metric must have data` };
    }
    return { ...empty, classification: 'nodata', critical: settings.critical, reason: `no ${missing} data` };
  }

  const ratio = meanRatio(canary, baseline);
  const effect = settings.effectSize.measure === 'cles' ? cles(canary, baseline) : ratio;
  const sortedCanary = [...canary].sort((a, b) => a - b);
  const sortedBaseline = [...baseline].sort((a, b) => a - b);
  if (sortedCanary.length === sortedBaseline.length && sortedCanary.every((value, i) => value === sortedBaseline[i])) {
    return { ...empty, ci: [0, 0], estimate: 0, effectSize: finiteOrNull(effect), meanRatio: finiteOrNull(ratio), classification: 'pass', critical: false, reason: 'the canary and baseline data are identical' };
  }

  const canaryConstant = sortedCanary[0] === sortedCanary[sortedCanary.length - 1];
  const baselineConstant = sortedBaseline[0] === sortedBaseline[sortedBaseline.length - 1];
  let ci: [number, number];
  let estimate: number;
  let pValue: number | null;
  if (canaryConstant && baselineConstant) {
    const shift = sortedCanary[0]! - sortedBaseline[0]!;
    if (shift === 0) {
      return { ...empty, ci: [0, 0], estimate: 0, effectSize: finiteOrNull(effect), meanRatio: finiteOrNull(ratio), classification: 'pass', critical: false, reason: 'every canary and baseline value is the same' };
    }
    ci = [shift, shift];
    estimate = shift;
    pValue = null;
  } else {
    const test = wilcoxonRankSum(canary, baseline, settings.confidence);
    ci = test.ci;
    estimate = test.estimate;
    pValue = test.pValue;
  }

  const bound = settings.tolerance * Math.abs(estimate);
  const { allowedIncrease, allowedDecrease, criticalIncrease, criticalDecrease } = settings.effectSize;
  const effectReaches = (limit: number, above: boolean): boolean => Number.isNaN(effect) || (above ? effect >= limit : effect <= limit);
  const high = settings.direction !== 'decrease' && ci[0] > bound && effectReaches(allowedIncrease, true);
  const low = !high && settings.direction !== 'increase' && ci[1] < -bound && effectReaches(allowedDecrease, false);
  const critical = settings.critical && ((high && effectReaches(criticalIncrease, true)) || (low && effectReaches(criticalDecrease, false)));
  const interval = `[${format(ci[0])}, ${format(ci[1])}]`;
  const effectText = Number.isNaN(effect) ? 'not computable' : format(effect);
  const reason = high
    ? `canary is higher than baseline: the ${format(settings.confidence * 100)}% interval of the shift ${interval} lies above ${format(bound)} (tolerance ${settings.tolerance} of the estimate ${format(estimate)}), ${settings.effectSize.measure} ${effectText}${critical ? ', a critical failure' : ''}`
    : low
      ? `canary is lower than baseline: the ${format(settings.confidence * 100)}% interval of the shift ${interval} lies below ${format(-bound)} (tolerance ${settings.tolerance} of the estimate ${format(estimate)}), ${settings.effectSize.measure} ${effectText}${critical ? ', a critical failure' : ''}`
      : `no ${settings.direction === 'either' ? 'change' : settings.direction} beyond tolerance: the ${format(settings.confidence * 100)}% interval of the shift is ${interval}, estimate ${format(estimate)}, ${settings.effectSize.measure} ${effectText}`;
  return {
    classification: high ? 'high' : low ? 'low' : 'pass',
    critical,
    ci,
    estimate,
    effectSize: finiteOrNull(effect),
    meanRatio: finiteOrNull(ratio),
    pValue,
    counts,
    reason,
  };
}
