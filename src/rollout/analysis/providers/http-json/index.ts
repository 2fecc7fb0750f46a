import type { HttpJsonMetricSettings } from '../../../../config/sections/metrics.js';
import { lookupJsonPath, parseJsonPath } from '../../../../core/json-path.js';
import { endpointOf, fetchText } from '../http.js';
import { failed, measured } from '../result.js';
import { promDuration, renderTemplate, variantValue, windowMs } from '../template.js';
import type { MetricProvider, MetricProviderDeps, MetricQuery } from '../types.js';

/** The figure at a path: `single` when it is one number rather than an array of them. */
type Figure = { ok: true; values: number[] | null; single: boolean } | { ok: false; reason: string };

/**
 * Reads a number from a JSON document over HTTP: a business KPI (checkout conversion, a queue's
 * backlog) that no metrics system holds. The URL and the path take `{{variant}}`, `{{service}}`,
 * `{{window}}` (`5m`), `{{windowSeconds}}`, `{{start}}` and `{{end}}` (URL-encoded in the URL).
 *
 * At the path: a number is the value (and the one sample); an array of numbers is the samples
 * (no value: the judge aggregates); `null` means the source has no figure yet (no data). A path
 * that leads nowhere is an error naming the path up to the missing step; anything else there (a
 * string, an object) is an error naming what was found. `countPath` reads the events behind the
 * figure (sessions, orders) the same way. Headers from `headersFromEnv` are read from the
 * environment at each call, so factory.yaml never holds a secret.
 */
export function createHttpJsonMetricProvider(deps: MetricProviderDeps): MetricProvider<HttpJsonMetricSettings> {
  const id = 'http-json';
  return {
    id,
    async measure(query) {
      const { settings } = query;
      const values = placeholderValues(query);
      const url = renderTemplate(settings.url, values, encodeURIComponent);
      const path = renderTemplate(settings.path, values);
      const source = `GET ${endpointOf(url)} ${path}`;

      const headers: Record<string, string> = { accept: 'application/json', ...settings.headers };
      for (const [name, variable] of Object.entries(settings.headersFromEnv)) {
        const value = deps.env(variable);
        if (value === undefined || value === '') return failed(id, query, `the environment variable ${variable} (header ${name}) is not set`, source);
        headers[name] = value;
      }
      const answer = await fetchText(url, { headers, timeoutMs: settings.timeoutMs });
      if (!answer.ok) return failed(id, query, answer.reason, source);
      let document: unknown;
      try {
        document = JSON.parse(answer.text);
      } catch {
        return failed(id, query, `${endpointOf(url)} answered something other than JSON: ${answer.text.trim().slice(0, 120)}`, source);
      }

      const figure = numbersAt(document, path, endpointOf(url));
      if (!figure.ok) return failed(id, query, figure.reason, source);
      let count: number | undefined;
      if (settings.countPath !== undefined) {
        const counted = numbersAt(document, renderTemplate(settings.countPath, values), endpointOf(url));
        if (!counted.ok) return failed(id, query, counted.reason, source);
        if (counted.values !== null && counted.values.length !== 1) return failed(id, query, `countPath ${settings.countPath} holds an array; it must hold one number`, source);
        count = counted.values?.[0];
      }
      if (figure.values === null) return measured(id, query, { samples: [], count: 0 }, source);
      return measured(id, query, { samples: figure.values, ...(figure.single ? { value: figure.values[0]! } : {}), ...(count !== undefined ? { count } : {}) }, source);
    },
  };
}

function placeholderValues(query: MetricQuery<HttpJsonMetricSettings>): Record<string, string> {
  const length = windowMs(query.window);
  return {
    service: query.service,
    variant: variantValue(query.variant, query.settings.variantValues),
    window: promDuration(length),
    windowSeconds: String(length / 1000),
    start: query.window.start,
    end: query.window.end,
  };
}

/** The number or numbers at `path`; null when the source says null (no figure yet). */
function numbersAt(document: unknown, path: string, endpoint: string): Figure {
  const parsed = parseJsonPath(path);
  if (!parsed.ok) return { ok: false, reason: `invalid JSON path ${path}: ${parsed.reason}` };
  const found = lookupJsonPath(document, parsed.steps);
  if (!found.found) return { ok: false, reason: `JSON path ${path} not found in the answer of ${endpoint} (nothing at ${found.missing})` };
  const value = found.value;
  if (value === null) return { ok: true, values: null, single: true };
  if (typeof value === 'number') return { ok: true, values: [value], single: true };
  if (Array.isArray(value) && value.every((item): item is number => typeof item === 'number')) return { ok: true, values: value, single: false };
  const kind = Array.isArray(value) ? 'an array that is not all numbers' : typeof value === 'object' ? 'an object' : `a ${typeof value} (${JSON.stringify(value).slice(0, 40)})`;
  return { ok: false, reason: `JSON path ${path} in the answer of ${endpoint} holds ${kind}, not a number` };
}
