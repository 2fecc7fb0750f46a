import type { StatisticalJudgeSettings } from '../../../../config/sections/judges.js';
import type { MetricEvidence, MetricOutcome, Verdict, VerdictOutcome } from '../../types.js';
import { errorOf, metricData, samplesOf } from '../measurements.js';
import type { Judge, JudgeInput } from '../types.js';
import { classify, type ClassifierResult } from './classifier.js';
import { classifyScore, scoreMetrics, type ScoredMetric } from './scoring.js';

export { classify, type ClassifierResult, type Classification } from './classifier.js';

/**
 * The statistical judge: Kayenta's canary analysis. Each metric's canary samples are classified
 * against its reference's (the baseline variant when measured, else stable) by the Mann-Whitney
 * classifier, the classifications are scored per group with weights, and the score is classed
 * with the pass and marginal thresholds.
 *
 * Verdict, where Kayenta has only the score:
 * - `fail`: the score is below `marginal` because canary data showed a regression (a metric
 *   high or low, a critical failure, or a metric that must have data without it);
 * - `inconclusive`: the score is marginal (Kayenta's "needs a human"), or data is missing: a
 *   provider error on any metric, `nodata` on any metric, or Kayenta's zero score for half the
 *   metrics without data (or a critical metric without data). A metrics outage pauses a rollout
 *   and asks a human; it does not roll back, and it never passes;
 * - `pass`: the score reaches `pass` and every metric had data.
 * Metrics whose provider failed take no part in the score.
 *
 * Repeated looks: a measurement that would fail is a failed measurement. `failureLimit: N`
 * (Argo's, as the threshold judge has it) tolerates N of them in the analysis: each passes (or is
 * inconclusive when data is missing) with `failedMeasurement: true` and the count in every
 * metric's statistics, and the (N+1)th fails. The count comes from `history`: earlier verdicts of
 * this judge recording a failed measurement. A critical metric's failure fails at once.
 */
export function createStatisticalJudge(settings: StatisticalJudgeSettings): Judge {
  return {
    id: 'statistical',
    judge: (input) => judgeStatistically(settings, input),
  };
}

const outcomeOf = (classification: ClassifierResult['classification']): MetricOutcome =>
  classification === 'pass' ? 'pass' : classification === 'nodata' ? 'nodata' : 'fail';

function judgeStatistically(settings: StatisticalJudgeSettings, input: JudgeInput): Verdict {
  const evidence: MetricEvidence[] = [];
  const scored: ScoredMetric[] = [];
  const errors: string[] = [];
  for (const metric of settings.metrics) {
    const data = metricData(input.results, metric.metric);
    const threshold = `Mann-Whitney ${metric.direction}, tolerance ${metric.tolerance}, confidence ${metric.confidence}, ${metric.effectSize.measure} allowed ${metric.effectSize.allowedDecrease}..${metric.effectSize.allowedIncrease}${metric.critical ? ', critical' : ''}`;
    const window = data.canary.state === 'measured' ? data.canary.measurement.window : input.window;
    const error = errorOf(data);
    if (error) {
      errors.push(metric.metric);
      evidence.push({
        metric: metric.metric,
        outcome: 'error',
        critical: metric.critical,
        window: error.window,
        values: {},
        threshold,
        statistics: { provider: error.source.provider, query: error.source.query ?? null, variant: error.variant },
        reason: `could not measure ${error.variant}: ${error.reason}`,
      });
      continue;
    }
    const canary = samplesOf(data.canary);
    const reference = samplesOf(data.reference);
    const result = classify(canary, reference, metric);
    scored.push({ metric: metric.metric, groups: metric.groups, classification: result.classification, critical: result.critical, reason: result.reason });
    evidence.push({
      metric: metric.metric,
      outcome: outcomeOf(result.classification),
      critical: result.critical,
      window,
      values: {
        canary: { count: result.counts.canary, ...meanOf(canary) },
        [data.referenceVariant]: { count: result.counts.baseline, ...meanOf(reference) },
      },
      threshold,
      statistics: {
        classification: result.classification,
        comparedWith: data.referenceVariant,
        ci: result.ci,
        estimate: result.estimate,
        effectSize: result.effectSize,
        meanRatio: result.meanRatio,
        pValue: result.pValue,
      },
      reason: result.reason,
    });
  }

  const score = scoreMetrics(scored, settings.groupWeights);
  const scoreClass = classifyScore(score.score, settings.scoreThresholds);
  const nodata = scored.filter((metric) => metric.classification === 'nodata').map((metric) => metric.metric);
  const zeroed = score.zeroedBy;
  const zeroedByMissingData = zeroed !== undefined && (zeroed.rule === 'nodata' || scored.find((m) => m.metric === zeroed.metric)?.classification === 'nodata');
  let outcome: VerdictOutcome;
  let reason: string;
  const scoreText = `score ${score.score} (pass ${settings.scoreThresholds.pass}, marginal ${settings.scoreThresholds.marginal})`;
  const failedNow = scoreClass === 'fail' && !zeroedByMissingData && scored.length > 0;
  const criticalFailure = failedNow && score.zeroedBy?.rule === 'critical';
  const earlier = failedMeasurements(input.history);
  const failures = earlier + (failedNow ? 1 : 0);
  for (const metric of evidence) {
    metric.statistics.failedMeasurement = failedNow;
    metric.statistics.failedMeasurements = failures;
    metric.statistics.failureLimit = settings.failureLimit;
  }
  const missingData = errors.length > 0 || nodata.length > 0 || zeroedByMissingData || scored.length === 0;
  const failedText = score.zeroedBy?.rule === 'critical' ? `critical metric ${score.zeroedBy.metric} failed: ${score.zeroedBy.reason}; ${scoreText}` : `${scoreText}: ${failedNames(scored)}`;
  if (failedNow && (criticalFailure || failures > settings.failureLimit)) {
    outcome = 'fail';
    reason = settings.failureLimit === 0 || criticalFailure ? failedText : `failed measurement ${failures}, beyond the failure limit of ${settings.failureLimit}: ${failedText}`;
  } else if (missingData) {
    outcome = 'inconclusive';
    const missing = [...errors.map((name) => `${name} (provider error)`), ...nodata.map((name) => `${name} (no data)`)];
    reason = `not enough data to judge: ${missing.join(', ')}; ${scoreText}`;
    if (failedNow) reason += `; failed measurement ${failures} of ${settings.failureLimit} tolerated: ${failedNames(scored)}`;
  } else if (failedNow) {
    outcome = 'pass';
    reason = `failed measurement ${failures} of ${settings.failureLimit} tolerated: ${failedText}`;
  } else if (scoreClass === 'marginal') {
    outcome = 'inconclusive';
    reason = `${scoreText} is marginal, a human should decide: ${failedNames(scored)}`;
  } else {
    outcome = 'pass';
    reason = `${scoreText}${scored.some((m) => m.classification !== 'pass') ? `: ${failedNames(scored)}` : ': every metric passed'}`;
  }
  return { judge: 'statistical', outcome, score: score.score, reason, evidence };
}

/** Earlier failed measurements: verdicts of this judge whose evidence records one. */
export function failedMeasurements(history: readonly Verdict[]): number {
  return history.filter((verdict) => verdict.judge === 'statistical' && verdict.evidence.some((metric) => metric.statistics.failedMeasurement === true)).length;
}

function meanOf(samples: readonly number[]): { value?: number } {
  const finite = samples.filter((value) => Number.isFinite(value));
  if (finite.length === 0) return {};
  return { value: finite.reduce((sum, value) => sum + value, 0) / finite.length };
}

function failedNames(metrics: readonly ScoredMetric[]): string {
  const failed = metrics.filter((metric) => metric.classification !== 'pass' && metric.classification !== 'nodata');
  return failed.length === 0 ? 'no metric failed' : failed.map((metric) => `${metric.metric} ${metric.classification}`).join(', ');
}
