import { z } from 'zod';
import type { BuiltinMetricSettings } from '../../../../config/sections/metrics.js';
import { bearerHeader, endpointOf, fetchText } from '../http.js';
import { failed, measured } from '../result.js';
import { windowMs } from '../template.js';
import type { MetricProvider, MetricProviderDeps } from '../types.js';

/** How far back the router's `/stats?seconds=N` reaches: it keeps per-second counts for the last minute. */
export const builtinMaxWindowSeconds = 60;

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
  variants: z.record(z.string(), z.object({ windows: z.record(z.string(), summary) })),
});

/**
 * Reads the built-in router's own measurements from its admin API (`GET /stats?seconds=N`). The
 * router keeps per-second counts for the last minute and summarises the last N seconds, so a
 * window must be at most 60 s long (rounded to whole seconds) and end now (within 5 s): anything
 * else is refused with that reason rather than answered from a window that is not the one asked
 * about. (The rollout policy refuses, at load, an analysis reading it without a `window` of 60 s or less.)
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
      const key = Math.max(1, Math.round(seconds));
      if (key > builtinMaxWindowSeconds) return failed(id, query, `the built-in router keeps only the last ${builtinMaxWindowSeconds} s, not a window of ${seconds} s: set the analysis's window to ${builtinMaxWindowSeconds}s or less`, source);
      const lateBy = deps.clock.now().getTime() - Date.parse(window.end);
      if (Math.abs(lateBy) > endSkewMs) return failed(id, query, `the built-in router summarises only the last ${key} s, and the window ended ${Math.round(lateBy / 1000)} s ago`, source);

      const auth = bearerHeader(settings.tokenEnv, deps.env);
      if (!auth.ok) return failed(id, query, auth.reason, source);
      const answer = await fetchText(`${base}/stats?seconds=${key}`, { headers: auth.headers, timeoutMs: settings.timeoutMs });
      if (!answer.ok) return failed(id, query, answer.reason, source);
      const parsed = statsAnswer.safeParse(parseJson(answer.text));
      if (!parsed.success) return failed(id, query, `${endpointOf(`${base}/stats`)} sent no router statistics: ${describeIssue(parsed.error)}`, source);
      const variant = parsed.data.variants[query.variant];
      if (variant === undefined) return failed(id, query, `the built-in router at ${endpointOf(base)} has no ${query.variant} variant`, source);

      const numbers = variant.windows[`${key}s`];
      if (numbers === undefined) return failed(id, query, `${endpointOf(`${base}/stats`)} sent no summary of the last ${key} s (a router older than /stats?seconds=N?)`, source);
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
