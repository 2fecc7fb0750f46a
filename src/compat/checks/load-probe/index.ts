import type { LoadProbeCheckSettings } from '../../../config/sections/compat.js';
import { formatDuration, parseDuration } from '../../../core/duration.js';
import type { CheckOutcome, CheckRequest, CheckRunner } from '../../types.js';
import { counterView, type MetricView, rateView, trendView } from './metrics.js';
import { type ProbeMeasures, runProbe } from './probe.js';
import { holds, parseThreshold, type Threshold, unsupportedAggregation } from '../../../core/k6-thresholds.js';

type MetricName = 'http_req_duration' | 'http_req_failed' | 'http_reqs' | 'checks';
const metricTypes = { http_req_duration: 'trend', http_req_failed: 'rate', http_reqs: 'counter', checks: 'rate' } as const satisfies Record<MetricName, string>;

interface PlannedThreshold {
  metric: MetricName;
  threshold: Threshold;
}

interface Verdict {
  metric: MetricName;
  threshold: string;
  ok: boolean;
  observed: number;
  /** `p(95)=312.4 ms`: what the summary quotes. */
  text: string;
}

/**
 * `kind: load-probe`: a constant-arrival-rate load against the spec's URL, judged by k6-style
 * thresholds on k6's metrics (http_req_duration, http_req_failed, http_reqs, checks). Every
 * threshold holding passes; one not holding fails, naming it and the value seen; a run where no
 * request got an answer is an error (there is nothing to judge).
 */
export function createLoadProbeCheckRunner(): CheckRunner<LoadProbeCheckSettings> {
  return {
    kind: 'load-probe',
    async run(request: CheckRequest<LoadProbeCheckSettings>): Promise<CheckOutcome> {
      const { spec } = request;
      const endpoint = shownUrl(spec.url);
      const planned = planThresholds(spec.thresholds);
      if (!planned.ok) return { status: 'error', summary: `check ${request.checkId}: thresholds.${planned.reason}` };
      const url = checkUrl(spec.url);
      if (url !== undefined) return { status: 'error', summary: `check ${request.checkId}: url ${endpoint} ${url}` };
      const durationMs = parseDuration(spec.duration);
      const requestTimeoutMs = parseDuration(spec.requestTimeout);
      const cellTimeoutMs = parseDuration(spec.timeout);
      if (durationMs === undefined || durationMs === 0) return { status: 'error', summary: `check ${request.checkId}: duration '${spec.duration}' is not a duration such as 30s` };
      if (requestTimeoutMs === undefined) return { status: 'error', summary: `check ${request.checkId}: requestTimeout '${spec.requestTimeout}' is not a duration such as 10s` };
      if (cellTimeoutMs !== undefined && durationMs >= cellTimeoutMs) {
        return { status: 'error', summary: `check ${request.checkId}: duration ${spec.duration} does not fit in the check's timeout ${spec.timeout}; raise timeout or shorten duration` };
      }
      if (request.signal.aborted) return { status: 'error', summary: `stopped before any request to ${endpoint} was sent: ${reasonOf(request.signal)}` };

      const measures = await runProbe({ url: spec.url, method: spec.method, headers: spec.headers, ...(spec.body !== undefined ? { body: spec.body } : {}), rate: spec.rate, durationMs, requestTimeoutMs, signal: request.signal });
      const views = metricViews(measures);
      const verdicts = planned.thresholds.map((planned) => judge(planned, views[planned.metric]));
      const details = {
        url: endpoint,
        method: spec.method,
        rate: spec.rate,
        duration: spec.duration,
        elapsedMs: Math.round(measures.elapsedMs),
        metrics: metricSummary(measures, views, planned.thresholds),
        thresholds: verdicts.map(({ metric, threshold, ok, observed }) => ({ metric, threshold, ok, observed: round(observed) })),
        statuses: measures.statuses,
        errors: measures.errors,
      };
      if (measures.aborted) return { status: 'error', summary: `stopped after ${measures.httpReqs} requests to ${endpoint}: ${reasonOf(request.signal)}`, details };
      const answered = measures.httpReqDuration.count;
      if (answered === 0) {
        return { status: 'error', summary: `no request to ${endpoint} got an answer (${measures.httpReqs} sent${describeCounts(measures.errors)})`, details };
      }
      const failed = verdicts.filter((verdict) => !verdict.ok);
      const first = failed[0];
      if (first !== undefined) {
        const more = failed.length > 1 ? ` (and ${failed.length - 1} more threshold${failed.length > 2 ? 's' : ''})` : '';
        return { status: 'fail', summary: `${first.metric} ${first.threshold} failed: ${first.text}${more}`, details };
      }
      const passSummary = verdicts.map((verdict) => `${verdict.metric} ${verdict.threshold} (${verdict.text})`).join(', ');
      return { status: 'pass', summary: `${measures.httpReqs} requests in ${formatDuration(Math.round(measures.elapsedMs))}; ${passSummary}`, details };
    },
  };
}

function planThresholds(thresholds: LoadProbeCheckSettings['thresholds']): { ok: true; thresholds: PlannedThreshold[] } | { ok: false; reason: string } {
  const plan: PlannedThreshold[] = [];
  for (const [metric, expressions] of Object.entries(thresholds) as [MetricName, string[] | undefined][]) {
    if (!(metric in metricTypes)) return { ok: false, reason: `${metric}: not a metric the probe measures (http_req_duration, http_req_failed, http_reqs, checks)` };
    for (const expression of expressions ?? []) {
      const parsed = parseThreshold(expression);
      if (!parsed.ok) return { ok: false, reason: `${metric}: ${parsed.reason}` };
      const unsupported = unsupportedAggregation(metric, metricTypes[metric], parsed.threshold);
      if (unsupported !== undefined) return { ok: false, reason: unsupported };
      plan.push({ metric, threshold: parsed.threshold });
    }
  }
  return { ok: true, thresholds: plan };
}

function metricViews(measures: ProbeMeasures): Record<MetricName, MetricView> {
  return {
    http_req_duration: trendView(measures.httpReqDuration),
    http_req_failed: rateView(measures.httpReqFailed),
    http_reqs: counterView(measures.httpReqs, measures.elapsedMs),
    checks: rateView(measures.checks),
  };
}

function judge({ metric, threshold }: PlannedThreshold, view: MetricView): Verdict {
  const observed = view.value(threshold);
  const unit = view.unit(threshold.aggregation);
  const text = unit === 'ms' ? `${threshold.aggregation}=${Math.round(observed * 10) / 10} ms` : `${threshold.aggregation}=${round(observed)}${unit}`;
  return { metric, threshold: threshold.source.trim(), ok: holds(threshold, observed), observed, text };
}

/** Every metric's aggregations as k6's end-of-test summary shows them, plus any percentile a threshold asked for. */
function metricSummary(measures: ProbeMeasures, views: Record<MetricName, MetricView>, planned: PlannedThreshold[]): Record<string, unknown> {
  const trend = measures.httpReqDuration;
  const duration: Record<string, number> = {};
  for (const name of ['avg', 'min', 'med', 'max']) duration[name] = round(trend.aggregate(name));
  const percentiles = new Set([90, 95, ...planned.flatMap((p) => (p.threshold.percentile === undefined ? [] : [p.threshold.percentile]))]);
  for (const pct of [...percentiles].sort((a, b) => a - b)) duration[`p(${pct})`] = round(trend.aggregate('p', pct));
  return {
    http_req_duration: { type: 'trend', unit: 'ms', count: trend.count, ...duration },
    http_req_failed: { type: 'rate', rate: round(measures.httpReqFailed.rate), passes: measures.httpReqFailed.passes, fails: measures.httpReqFailed.fails },
    http_reqs: { type: 'counter', count: measures.httpReqs, rate: round(views.http_reqs.value({ aggregation: 'rate' })) },
    checks: { type: 'rate', name: 'status is 2xx-3xx', rate: round(measures.checks.rate), passes: measures.checks.passes, fails: measures.checks.fails },
    dropped_iterations: { type: 'counter', count: measures.droppedIterations, maxInFlight: measures.maxInFlight },
    data_received: { type: 'counter', bytes: measures.dataReceived },
  };
}

/** Why the URL cannot be probed, or undefined. */
function checkUrl(text: string): string | undefined {
  try {
    const protocol = new URL(text).protocol;
    return protocol === 'http:' || protocol === 'https:' ? undefined : `is not http(s) (${protocol})`;
  } catch {
    return 'is not a URL';
  }
}

/** The URL as messages show it: without any user:password part. */
function shownUrl(text: string): string {
  try {
    const url = new URL(text);
    url.username = '';
    url.password = '';
    return url.toString();
  } catch {
    return JSON.stringify(text);
  }
}

function describeCounts(counts: Record<string, number>): string {
  const entries = Object.entries(counts);
  return entries.length === 0 ? '' : `: ${entries.map(([code, count]) => `${count} × ${code}`).join(', ')}`;
}

/** Four decimals at most: enough for a rate, finer than any latency matters. */
function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

function reasonOf(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason.message : String(reason ?? 'aborted');
}
