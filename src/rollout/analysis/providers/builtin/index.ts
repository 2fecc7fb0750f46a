import { z } from 'zod';
import type { BuiltinMetricSettings } from '../../../../config/sections/metrics.js';
import { bearerHeader, endpointOf, fetchText } from '../http.js';
import { failed, measured } from '../result.js';
import { windowMs } from '../template.js';
import type { MetricProvider, MetricProviderDeps } from '../types.js';

/** The windows the router's `/stats` summarises, in seconds: the last 10 s and the last 60 s. */
export const builtinWindowSeconds = [10, 60] as const;

/** How far the window's end may lie from now and still be "the last N seconds" of /stats. */
const endSkewMs = 5_000;

const summary = z.object({
  requests: z.number().nonnegative(),
  errorRate: z.number().min(0).max(1).nullable(),
  p50: z.number().nonnegative().nullable(),
  p95: z.number().nonnegative().nullable(),
  p99: z.number().nonnegative().nullable(),
});
const statsAnswer = z.object({
  variants: z.record(z.string(), z.object({ windows: z.object({ '10s': summary, '60s': summary }) })),
});

/**
 * Reads the built-in router's own measurements from its admin API (`GET /stats`). The router
 * keeps per-second counts for the last minute and answers summaries of the last 10 s and 60 s,
 * so a window must be 10 s or 60 s long and end now (within 5 s): anything else is refused with
 * that reason rather than answered from a window that is not the one asked about.
 *
 * Per stat: `requests` (count), `error_rate` (share answered 5xx, 0..1), `p50`/`p95`/`p99`
 * (latency in ms, within about 3 % from the router's log-linear buckets). The router gives one
 * aggregate per window, so the samples are that one value; `count` is the requests behind it.
 * A variant without requests in the window is a measurement without samples (no data).
 */
export function createBuiltinMetricProvider(deps: MetricProviderDeps): MetricProvider<BuiltinMetricSettings> {
  const id = 'builtin';
  return {
    id,
    async measure(query) {
      const { settings, window } = query;
      const base = settings.adminUrl.replace(/\/+$/, '');
      const source = `GET ${endpointOf(`${base}/stats`)} ${query.variant} ${settings.stat}`;
      const seconds = windowMs(window) / 1000;
      const key = builtinWindowSeconds.find((length) => Math.abs(length - seconds) < 0.5);
      if (key === undefined) return failed(id, query, `the built-in router summarises only the last 10 s or 60 s, not a window of ${seconds} s`, source);
      const lateBy = deps.clock.now().getTime() - Date.parse(window.end);
      if (Math.abs(lateBy) > endSkewMs) return failed(id, query, `the built-in router summarises only the last ${key} s, and the window ended ${Math.round(lateBy / 1000)} s ago`, source);

      const auth = bearerHeader(settings.tokenEnv, deps.env);
      if (!auth.ok) return failed(id, query, auth.reason, source);
      const answer = await fetchText(`${base}/stats`, { headers: auth.headers, timeoutMs: settings.timeoutMs });
      if (!answer.ok) return failed(id, query, answer.reason, source);
      const parsed = statsAnswer.safeParse(parseJson(answer.text));
      if (!parsed.success) return failed(id, query, `${endpointOf(`${base}/stats`)} sent no router statistics: ${describeIssue(parsed.error)}`, source);
      const variant = parsed.data.variants[query.variant];
      if (variant === undefined) return failed(id, query, `the built-in router at ${endpointOf(base)} has no ${query.variant} variant`, source);

      const numbers = variant.windows[`${key}s`];
      if (settings.stat === 'requests') return measured(id, query, { samples: [numbers.requests], value: numbers.requests, count: numbers.requests }, source);
      const value = settings.stat === 'error_rate' ? numbers.errorRate : numbers[settings.stat];
      if (value === null || numbers.requests === 0) return measured(id, query, { samples: [], count: 0 }, source);
      return measured(id, query, { samples: [value], value, count: numbers.requests }, source);
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'invalid';
  return issue.path.length === 0 ? 'the answer is not a JSON object' : `${issue.path.join('.')}: ${issue.message}`;
}
