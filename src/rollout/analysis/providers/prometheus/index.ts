import type { PrometheusMetricSettings } from '../../../../config/sections/metrics.js';
import type { MeasurementResult } from '../../types.js';
import { bearerHeader, endpointOf, fetchText } from '../http.js';
import { failed, measured } from '../result.js';
import { promDuration, promqlEscape, renderTemplate, variantValue, windowMs } from '../template.js';
import type { MetricProvider, MetricProviderDeps, MetricQuery } from '../types.js';
import { describeLabels, prometheusAnswer, sampleValue, type PrometheusAnswer } from './api.js';

type Query = MetricQuery<PrometheusMetricSettings>;
type Read = { ok: true; values: number[] } | { ok: false; reason: string };

/**
 * Reads a metric from a Prometheus server with the PromQL template of its settings, `{{service}}`
 * and `{{variant}}` filled in (escaped for a PromQL string) and `{{window}}` as a PromQL duration.
 *
 * - `instant`: one query (`/api/v1/query`) at the window's end with `{{window}}` = the window's
 *   length: the value, and that one value as the sample.
 * - `range`: that same value, plus `/api/v1/query_range` over the window with `{{window}}` = the
 *   step, so each sample covers its own step and no two overlap (what a rank test needs).
 *
 * The query must give exactly one series: none is an error (a misspelt metric or label looks just
 * like that; it is never read as "no problem"), and several are an error (which would be judged?).
 * `NaN` is how PromQL answers a ratio over no events (0/0: no request in the window), so a NaN
 * value is a measurement without value or samples, which judges treat as no data; NaN steps are
 * left out of the samples. `+Inf`/`-Inf` (e.g. a quantile above the highest bucket) is an error:
 * no threshold can be compared with it honestly. An answer with `status: error`, or one that is
 * not Prometheus JSON, is an error with Prometheus's own reason.
 */
export function createPrometheusMetricProvider(deps: MetricProviderDeps): MetricProvider<PrometheusMetricSettings> {
  const id = 'prometheus';
  return {
    id,
    async measure(query) {
      const { settings, window } = query;
      const lengthMs = windowMs(window);
      const promql = render(query, promDuration(lengthMs));
      if (!(lengthMs > 0)) return failed(id, query, `the window ${window.start} .. ${window.end} is empty`, promql);
      const auth = bearerHeader(settings.tokenEnv, deps.env);
      if (!auth.ok) return failed(id, query, auth.reason, promql);
      const base = settings.url.replace(/\/+$/, '');
      const endSeconds = Date.parse(window.end) / 1000;
      const timeout = `${Math.max(1, Math.floor(settings.timeoutMs / 1000))}s`;

      const instantUrl = `${base}/api/v1/query?${new URLSearchParams({ query: promql, time: String(endSeconds), timeout })}`;
      if (settings.mode === 'instant') {
        const value = await read(instantUrl, auth.headers, settings.timeoutMs);
        if (!value.ok) return failed(id, query, value.reason, promql);
        return result(query, value.values[0]!, [value.values[0]!], promql);
      }

      const stepMs = settings.stepSeconds * 1000;
      const stepQuery = render(query, promDuration(stepMs));
      const firstPoint = (Date.parse(window.start) + stepMs) / 1000;
      if (firstPoint > endSeconds) return failed(id, query, `the window (${lengthMs / 1000} s) is shorter than one step (${settings.stepSeconds} s)`, promql);
      const rangeUrl = `${base}/api/v1/query_range?${new URLSearchParams({ query: stepQuery, start: String(firstPoint), end: String(endSeconds), step: `${settings.stepSeconds}s`, timeout })}`;
      const [value, steps] = await Promise.all([read(instantUrl, auth.headers, settings.timeoutMs), read(rangeUrl, auth.headers, settings.timeoutMs)]);
      const sourceQuery = `${promql} (samples: ${stepQuery}, step ${settings.stepSeconds}s)`;
      if (!value.ok) return failed(id, query, value.reason, sourceQuery);
      if (!steps.ok) return failed(id, query, steps.reason, sourceQuery);
      return result(query, value.values[0]!, steps.values, sourceQuery);
    },
  };

  function result(query: Query, value: number, samples: number[], sourceQuery: string): MeasurementResult {
    const infinite = [value, ...samples].find((n) => n === Infinity || n === -Infinity);
    if (infinite !== undefined) return failed(id, query, `Prometheus at ${endpointOf(query.settings.url)} answered ${infinite > 0 ? '+Inf' : '-Inf'} (a quantile above the highest histogram bucket?), which no threshold can be compared with`, sourceQuery);
    const kept = samples.filter((n) => !Number.isNaN(n));
    if (Number.isNaN(value)) return measured(id, query, { samples: kept }, sourceQuery);
    return measured(id, query, { samples: kept, value }, sourceQuery);
  }
}

function render(query: Query, window: string): string {
  const values = { service: query.service, variant: variantValue(query.variant, query.settings.variantValues), window };
  // Placeholders usually sit in label values; escaping leaves a duration as it is.
  return renderTemplate(query.settings.query, values, promqlEscape);
}

/** Runs one API call and returns the values of its single series (one for an instant query). */
async function read(url: string, headers: Record<string, string>, timeoutMs: number): Promise<Read> {
  const endpoint = endpointOf(url.split('?')[0]!);
  const answer = await fetchText(url, { headers, timeoutMs, keepErrorAnswers: true });
  if (!answer.ok) return answer;
  let json: unknown;
  try {
    json = JSON.parse(answer.text);
  } catch {
    return { ok: false, reason: `${endpoint} answered ${answer.status} with something other than JSON: ${answer.text.trim().slice(0, 120)}` };
  }
  const parsed = prometheusAnswer.safeParse(json);
  if (!parsed.success) return { ok: false, reason: `${endpoint} answered ${answer.status} with JSON that is not a Prometheus API answer` };
  return valuesOf(parsed.data, endpoint, answer.status);
}

function valuesOf(answer: PrometheusAnswer, endpoint: string, status: number): Read {
  if (answer.status === 'error') return { ok: false, reason: `Prometheus at ${endpoint} refused the query (${status}${answer.errorType ? `, ${answer.errorType}` : ''}): ${answer.error ?? 'no reason given'}` };
  const data = answer.data;
  if (data.resultType === 'string') return { ok: false, reason: `Prometheus at ${endpoint} answered a string, not a number: the query must give one series` };
  if (data.resultType === 'scalar') return numbers([data.result[1]], endpoint);
  const series: Array<{ metric: Record<string, string>; texts: string[] }> =
    data.resultType === 'vector' ? data.result.map((s) => ({ metric: s.metric, texts: [s.value[1]] })) : data.result.map((s) => ({ metric: s.metric, texts: s.values.map((pair) => pair[1]) }));
  if (series.length === 0) return { ok: false, reason: `Prometheus at ${endpoint} found no series for the query (a misspelt metric or label, or nothing scraped yet)` };
  if (series.length > 1) {
    const shown = series.slice(0, 2).map((s) => describeLabels(s.metric)).join(', ');
    return { ok: false, reason: `Prometheus at ${endpoint} answered ${series.length} series (${shown}${series.length > 2 ? ', …' : ''}): the query must aggregate to one, e.g. with sum()` };
  }
  return numbers(series[0]!.texts, endpoint);
}

function numbers(texts: string[], endpoint: string): Read {
  const values: number[] = [];
  for (const text of texts) {
    const value = sampleValue(text);
    if (value === undefined) return { ok: false, reason: `Prometheus at ${endpoint} answered a sample value that is not a number: ${JSON.stringify(text.slice(0, 40))}` };
    values.push(value);
  }
  return { ok: true, values };
}
