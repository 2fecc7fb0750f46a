import type { Aggregate, ThresholdCheck, ThresholdJudgeSettings } from '../../../../config/sections/judges.js';
import type { MetricEvidence, Verdict, VerdictOutcome } from '../../types.js';
import { countOf, errorOf, metricData, type VariantData } from '../measurements.js';
import type { Judge, JudgeInput } from '../types.js';

/**
 * The threshold judge: absolute SLOs (`max: 250` on p95 latency) and limits relative to the
 * reference (`maxRatio: 1.2`: canary <= reference * 1.2, the reference being the baseline variant
 * when it was measured, else stable), each with a minimum of samples per variant.
 *
 * One call judges one measurement. A measurement fails when any check fails. `failureLimit: N`
 * tolerates N failed measurements in the analysis: they pass, with the failed metric and the
 * count in the evidence, and the (N+1)th fails the analysis (`failureLimit: 3`: the fourth). The
 * count comes from `history`: earlier verdicts whose evidence has a failed metric.
 * A metric with too few samples is `nodata` and a provider error is `error`: either makes the
 * verdict inconclusive unless the measurement already fails; never a pass.
 */
export function createThresholdJudge(settings: ThresholdJudgeSettings): Judge {
  return {
    id: 'threshold',
    judge: (input) => judgeThresholds(settings, input),
  };
}

/** Earlier failed measurements: verdicts of this judge whose evidence records a failed metric. */
export function failedMeasurements(history: readonly Verdict[]): number {
  return history.filter((verdict) => verdict.judge === 'threshold' && verdict.evidence.some((metric) => metric.outcome === 'fail')).length;
}

function quantile(sorted: readonly number[], q: number): number {
  // R's default (type 7): linear interpolation between order statistics.
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
}

/** One variant's value under the check's aggregate; undefined when there is nothing to aggregate. */
export function aggregateOf(data: VariantData, aggregate: Aggregate): number | undefined {
  if (data.state !== 'measured') return undefined;
  const samples = data.measurement.samples.filter((value) => Number.isFinite(value));
  if (aggregate === 'value' && data.measurement.value !== undefined && Number.isFinite(data.measurement.value)) return data.measurement.value;
  if (samples.length === 0) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  switch (aggregate) {
    case 'value':
    case 'mean':
      return samples.reduce((sum, value) => sum + value, 0) / samples.length;
    case 'min':
      return sorted[0];
    case 'max':
      return sorted[sorted.length - 1];
    case 'p50':
      return quantile(sorted, 0.5);
    case 'p90':
      return quantile(sorted, 0.9);
    case 'p95':
      return quantile(sorted, 0.95);
    case 'p99':
      return quantile(sorted, 0.99);
  }
}

export function describeLimits(check: ThresholdCheck): string {
  const name = check.aggregate === 'value' ? check.metric : `${check.aggregate}(${check.metric})`;
  const parts: string[] = [];
  if (check.max !== undefined) parts.push(`${name} <= ${check.max}`);
  if (check.min !== undefined) parts.push(`${name} >= ${check.min}`);
  if (check.maxRatio !== undefined) parts.push(`canary <= reference * ${check.maxRatio}`);
  if (check.minRatio !== undefined) parts.push(`canary >= reference * ${check.minRatio}`);
  return parts.join(', ');
}

function judgeCheck(check: ThresholdCheck, minSamples: number, input: JudgeInput): MetricEvidence {
  const data = metricData(input.results, check.metric);
  const ratios = check.maxRatio !== undefined || check.minRatio !== undefined;
  const relative = ratios && input.withoutReference !== true;
  const limits = relative || !ratios ? describeLimits(check) : describeLimits({ ...check, maxRatio: undefined, minRatio: undefined });
  const threshold = `${limits || 'no absolute limit'}, at least ${minSamples} sample${minSamples === 1 ? '' : 's'} per variant${relative === ratios ? '' : ' (ratio limits not applied: no reference has traffic at 100%)'}`;
  if (!relative && check.max === undefined && check.min === undefined) {
    return { metric: check.metric, critical: false, threshold, outcome: 'nodata', window: input.window, values: {}, statistics: { aggregate: check.aggregate, minSamples, comparedWith: null }, reason: 'only ratio limits, and no reference has traffic at 100%' };
  }
  const base = { metric: check.metric, critical: false, threshold };
  const error = errorOf(data);
  if (error && (data.canary.state === 'error' || relative)) {
    return { ...base, outcome: 'error', window: error.window, values: {}, statistics: { provider: error.source.provider, query: error.source.query ?? null, variant: error.variant }, reason: `could not measure ${error.variant}: ${error.reason}` };
  }
  const canaryValue = aggregateOf(data.canary, check.aggregate);
  const referenceValue = relative ? aggregateOf(data.reference, check.aggregate) : undefined;
  const canaryCount = countOf(data.canary);
  const referenceCount = countOf(data.reference);
  const window = data.canary.state === 'measured' ? data.canary.measurement.window : input.window;
  const values: MetricEvidence['values'] = { canary: { count: canaryCount, ...(canaryValue === undefined ? {} : { value: canaryValue }) } };
  if (relative) values[data.referenceVariant] = { count: referenceCount, ...(referenceValue === undefined ? {} : { value: referenceValue }) };
  const statistics: MetricEvidence['statistics'] = { aggregate: check.aggregate, minSamples, comparedWith: relative ? data.referenceVariant : null };

  const short: string[] = [];
  if (canaryValue === undefined || canaryCount < minSamples) short.push(`canary has ${canaryCount} of ${minSamples} samples`);
  if (relative && (referenceValue === undefined || referenceCount < minSamples)) short.push(`${data.referenceVariant} has ${referenceCount} of ${minSamples} samples`);
  if (short.length > 0) return { ...base, outcome: 'nodata', window, values, statistics, reason: `not enough data: ${short.join(', ')}` };

  const canary = canaryValue!;
  const breaches: string[] = [];
  if (check.max !== undefined && canary > check.max) breaches.push(`canary ${canary} > max ${check.max}`);
  if (check.min !== undefined && canary < check.min) breaches.push(`canary ${canary} < min ${check.min}`);
  if (relative) {
    const reference = referenceValue!;
    statistics.ratio = reference === 0 ? null : canary / reference;
    if (check.maxRatio !== undefined && canary > reference * check.maxRatio) breaches.push(`canary ${canary} > ${data.referenceVariant} ${reference} * ${check.maxRatio}`);
    if (check.minRatio !== undefined && canary < reference * check.minRatio) breaches.push(`canary ${canary} < ${data.referenceVariant} ${reference} * ${check.minRatio}`);
  }
  if (breaches.length > 0) return { ...base, outcome: 'fail', window, values, statistics, reason: breaches.join('; ') };
  return { ...base, outcome: 'pass', window, values, statistics, reason: `within ${limits}` };
}

function judgeThresholds(settings: ThresholdJudgeSettings, input: JudgeInput): Verdict {
  const evidence = settings.checks.map((check) => judgeCheck(check, check.minSamples ?? settings.minSamples, input));
  const failed = evidence.filter((metric) => metric.outcome === 'fail');
  const missing = evidence.filter((metric) => metric.outcome === 'nodata' || metric.outcome === 'error');
  const earlier = failedMeasurements(input.history);
  const failures = earlier + (failed.length > 0 ? 1 : 0);
  for (const metric of evidence) {
    metric.statistics.failedMeasurements = failures;
    metric.statistics.failureLimit = settings.failureLimit;
  }
  let outcome: VerdictOutcome;
  let reason: string;
  const failedText = failed.map((metric) => `${metric.metric}: ${metric.reason}`).join('; ');
  if (failed.length > 0 && failures > settings.failureLimit) {
    outcome = 'fail';
    reason = `failed measurement ${failures}, beyond the failure limit of ${settings.failureLimit}: ${failedText}`;
  } else if (missing.length > 0) {
    outcome = 'inconclusive';
    reason = `not enough data to judge: ${missing.map((metric) => `${metric.metric} (${metric.reason})`).join('; ')}`;
  } else if (failed.length > 0) {
    outcome = 'pass';
    reason = `failed measurement ${failures} of ${settings.failureLimit} tolerated: ${failedText}`;
  } else {
    outcome = 'pass';
    reason = `every check passed${earlier > 0 ? ` (${earlier} of ${settings.failureLimit} tolerated failures so far)` : ''}`;
  }
  return { judge: 'threshold', outcome, reason, evidence };
}
