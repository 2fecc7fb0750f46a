import { counterView, rateView, Rate, Trend, trendView, type MetricView } from '../../compat/checks/load-probe/metrics.js';
import type { Journey, JourneyMetric } from '../../config/sections/journeys.js';
import { holds, parseThreshold } from '../../core/k6-thresholds.js';
import type { IterationResult, ThresholdOutcome } from './types.js';

/**
 * A journey run's metrics under k6's names, from its iterations: `http_req_duration` (ms per
 * HTTP try, redirects included), `http_req_failed` (the share of tries without an answer or with
 * a status of 400 or more), `http_reqs`, `checks` (the share of checks that held) and
 * `iteration_duration` (ms per run of the journey). The same aggregations as k6, through the
 * load probe's sinks, so a threshold means here what it means there.
 */
export interface JourneyMetrics {
  views: Record<JourneyMetric, MetricView>;
  summary: Record<string, Record<string, number>>;
}

export interface HttpTry {
  latencyMs: number;
  failed: boolean;
}

const round = (value: number) => Math.round(value * 1000) / 1000;

function trendSummary(trend: Trend): Record<string, number> {
  return Object.fromEntries([
    ['count', trend.count],
    ...(['avg', 'min', 'med', 'max'] as const).map((a) => [a, round(trend.aggregate(a))] as const),
    ['p(90)', round(trend.aggregate('p', 90))],
    ['p(95)', round(trend.aggregate('p', 95))],
  ]);
}

export function journeyMetrics(iterations: readonly IterationResult[], tries: readonly HttpTry[], elapsedMs: number): JourneyMetrics {
  const duration = new Trend();
  const failed = new Rate();
  for (const attempt of tries) {
    duration.add(attempt.latencyMs);
    failed.add(attempt.failed);
  }
  const checks = new Rate();
  const iteration = new Trend();
  for (const run of iterations) {
    iteration.add(run.durationMs);
    for (const step of run.steps) for (const check of step.checks) checks.add(check.ok);
  }
  return {
    views: { http_req_duration: trendView(duration), http_req_failed: rateView(failed), http_reqs: counterView(tries.length, elapsedMs), checks: rateView(checks), iteration_duration: trendView(iteration) },
    summary: {
      http_req_duration: trendSummary(duration),
      http_req_failed: { rate: round(failed.rate), fails: failed.passes, total: tries.length },
      http_reqs: { count: tries.length },
      checks: { rate: round(checks.rate), passes: checks.passes, fails: checks.fails },
      iteration_duration: trendSummary(iteration),
    },
  };
}

/** Each threshold of the journey against the run's metrics (the config refused unparsable ones at load). */
export function judgeThresholds(journey: Journey, metrics: JourneyMetrics): ThresholdOutcome[] {
  const outcomes: ThresholdOutcome[] = [];
  for (const [metric, entries] of Object.entries(journey.thresholds) as [JourneyMetric, { threshold: string; abortOnFail: boolean }[]][]) {
    for (const entry of entries) {
      const parsed = parseThreshold(entry.threshold);
      if (!parsed.ok) throw new Error(`journey ${journey.name}: thresholds.${metric}: ${parsed.reason}`);
      const observed = metrics.views[metric].value(parsed.threshold);
      outcomes.push({ metric, threshold: entry.threshold.trim(), abortOnFail: entry.abortOnFail, ok: holds(parsed.threshold, observed), observed: round(observed) });
    }
  }
  return outcomes;
}

