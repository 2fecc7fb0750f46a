import { kindUnionError } from '../issues.js';
import { z } from 'zod';
import { parseJsonPath } from '../../core/json-path.js';

/**
 * Where a rollout metric is read from: one entry names a provider `kind` and that provider's
 * settings. The schemas live here, below the stages, so that factory.yaml refuses a bad source when
 * it loads (file, line, key path); the providers (`src/rollout/analysis/providers/<kind>/`) import
 * their settings types from here, never the reverse. Secrets are never written here: a token is
 * named by the environment variable that holds it.
 */

/** The placeholders a PromQL template may use; anything else in `{{…}}` is refused at load. */
export const promqlPlaceholders = ['service', 'variant', 'window'] as const;

/**
 * The placeholders an HTTP JSON source's URL and path may use: `window` is a PromQL-style
 * duration (`5m`), `windowSeconds` a number, `start` and `end` ISO-8601 UTC instants.
 */
export const httpJsonPlaceholders = ['service', 'variant', 'window', 'windowSeconds', 'start', 'end'] as const;

const placeholderPattern = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The names of the `{{name}}` placeholders in `template`, in order of appearance. */
export function templatePlaceholders(template: string): string[] {
  return [...template.matchAll(placeholderPattern)].map((match) => match[1]!);
}

/** Why `template` is not a valid template over `allowed`, or undefined when it is. */
export function templateProblem(template: string, allowed: readonly string[]): string | undefined {
  const unknown = templatePlaceholders(template).find((name) => !allowed.includes(name));
  const expected = allowed.map((name) => `{{${name}}}`).join(', ');
  if (unknown !== undefined) return `unknown placeholder {{${unknown}}}: expected ${expected}`;
  if (template.replace(placeholderPattern, '').includes('{{')) return `an unclosed "{{" (placeholders are ${expected})`;
  return undefined;
}

function template(allowed: readonly string[]) {
  return z
    .string()
    .min(1)
    .superRefine((text, ctx) => {
      const problem = templateProblem(text, allowed);
      if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
    });
}

const usesVariant = (text: string) => templatePlaceholders(text).includes('variant');

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name, e.g. KPI_TOKEN');
const timeoutMs = z.number().int().positive().max(120_000).default(5_000).describe('longest wait for one answer, ms (5000 by default); past it the measurement is an error');
const tokenEnv = envName.optional().describe('environment variable holding the bearer token (never the token itself)');
const variantValues = z
  .object({ stable: z.string().min(1), canary: z.string().min(1), baseline: z.string().min(1) })
  .partial()
  .strict()
  .optional()
  .describe('what {{variant}} becomes for each variant when the source names the versions otherwise, e.g. { canary: v2 }');

/** The built-in router's own statistics (`GET /stats` of its admin API). */
export const builtinMetricStats = ['requests', 'error_rate', 'p50', 'p95', 'p99'] as const;
export type BuiltinMetricStat = (typeof builtinMetricStats)[number];

export const builtinMetricSettingsSchema = z
  .object({
    kind: z.literal('builtin'),
    adminUrl: z.url().describe('the router’s admin API, e.g. http://127.0.0.1:9901'),
    tokenEnv: tokenEnv.describe('environment variable holding the admin token (UF_ADMIN_TOKEN for the routers uf serve runs)'),
    stat: z.enum(builtinMetricStats).describe('requests (count), error_rate (5xx share, 0..1), or p50/p95/p99 latency in ms'),
    timeoutMs,
  })
  .strict();

export const prometheusMetricSettingsSchema = z
  .object({
    kind: z.literal('prometheus'),
    url: z.url().describe('the Prometheus server, e.g. http://127.0.0.1:9090'),
    query: template(promqlPlaceholders)
      .refine(usesVariant, 'the query must use {{variant}}: without it every variant measures the same, and the comparison passes whatever the canary does')
      .describe('PromQL with {{service}}, {{variant}} and {{window}} (a PromQL duration such as 5m) filled in; it must give one series'),
    mode: z
      .enum(['instant', 'range'])
      .default('instant')
      .describe('instant: one value over the window; range: also one sample per step ({{window}} = the step), for the statistical judge'),
    stepSeconds: z.number().int().positive().max(3_600).default(10).describe('range mode: seconds between samples (10 by default)'),
    tokenEnv,
    variantValues,
    timeoutMs,
  })
  .strict();

const metricName = z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, 'a Prometheus metric name');
const labelName = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'a Prometheus label name');
const labelMatchers = z.record(labelName, z.string()).default({}).describe('labels every counted series must have, with these exact values');

/**
 * How a Prometheus text source turns scrapes into a number over the window. The provider scrapes
 * when a window starts and when it is measured: `gauge` is the reading at the end (its samples:
 * the readings taken in the window); `increase` a counter's growth; `ratio` one counter's growth
 * over another's (an error rate); `quantile` a histogram's quantile from its buckets' growth.
 */
export const prometheusTextComputeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('gauge') }).strict(),
  z.object({ kind: z.literal('increase') }).strict(),
  z
    .object({
      kind: z.literal('ratio'),
      denominator: z
        .object({ metric: metricName.optional(), labels: labelMatchers })
        .strict()
        .describe('the counter below the line: the same metric by default, with these labels (the variant label is added)'),
    })
    .strict(),
  z
    .object({
      kind: z.literal('quantile'),
      quantile: z.number().gt(0).lt(1).describe('e.g. 0.95'),
    })
    .strict(),
]);

export const prometheusTextMetricSettingsSchema = z
  .object({
    kind: z.literal('prometheus-text'),
    url: z.url().describe('a Prometheus text endpoint, e.g. the built-in router’s http://127.0.0.1:9901/metrics'),
    metric: metricName.describe('the metric (for quantile: the histogram’s name, without _bucket)'),
    labels: labelMatchers,
    variantLabel: labelName.default('variant').describe('the label that tells the variants apart (variant by default)'),
    compute: prometheusTextComputeSchema.default({ kind: 'gauge' }),
    toleranceSeconds: z
      .number()
      .positive()
      .max(300)
      .default(10)
      .describe('how far the scrapes may lie outside the window and still measure it (10 s by default)'),
    tokenEnv,
    variantValues,
    timeoutMs,
  })
  .strict();

const httpHeaderName = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'an HTTP header name');

export const httpJsonMetricSettingsSchema = z
  .object({
    kind: z.literal('http-json'),
    url: template(httpJsonPlaceholders)
      .refine((text) => URL.canParse(text.replace(placeholderPattern, 'x')), 'an http:// or https:// URL (placeholders filled in)')
      .describe('the URL to GET, with {{variant}}, {{service}}, {{window}}, {{windowSeconds}}, {{start}}, {{end}} filled in (URL-encoded)'),
    path: template(httpJsonPlaceholders)
      .superRefine((text, ctx) => {
        const parsed = parseJsonPath(text.replace(placeholderPattern, 'x'));
        if (!parsed.ok) ctx.addIssue({ code: 'custom', message: `invalid JSON path: ${parsed.reason}` });
      })
      .describe('where the number (or array of numbers) is: $.a.b[0].c; may use {{variant}}'),
    countPath: z
      .string()
      .optional()
      .superRefine((text, ctx) => {
        if (text === undefined) return;
        const problem = templateProblem(text, httpJsonPlaceholders);
        const parsed = parseJsonPath(text.replace(placeholderPattern, 'x'));
        if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
        else if (!parsed.ok) ctx.addIssue({ code: 'custom', message: `invalid JSON path: ${parsed.reason}` });
      })
      .describe('where the number of events behind the value is (sessions, orders), for minimum-sample checks'),
    headers: z
      .record(httpHeaderName, z.string())
      .default({})
      .refine((headers) => !Object.keys(headers).some((name) => ['authorization', 'proxy-authorization', 'cookie'].includes(name.toLowerCase())), 'credentials do not belong in factory.yaml: name their environment variable in headersFromEnv')
      .describe('plain request headers'),
    headersFromEnv: z.record(httpHeaderName, envName).default({}).describe('request headers whose values come from environment variables, e.g. { Authorization: KPI_AUTHORIZATION }'),
    variantValues,
    timeoutMs,
  })
  .strict()
  .refine((source) => usesVariant(source.url) || usesVariant(source.path), {
    message: 'the URL or the path must use {{variant}}: without it every variant measures the same, and the comparison passes whatever the canary does',
    path: ['url'],
  });

/**
 * A journey probe (`journeys:` in factory.yaml) run against one variant: its measurement is 1
 * when the journey passes and 0 when it is degraded or failing, so `min: 1` in a threshold judge
 * fails the step when the canary's journey fails. The canary is reached through `url` (the
 * service's router) with `force`, the router's override route (its `PUT /route`), which pins the
 * request to the canary; the other variants through `urls.<variant>` when given, else through
 * `url` unforced (by weight).
 */
export const journeyMetricSettingsSchema = z
  .object({
    kind: z.literal('journey'),
    journey: z.string().min(1).describe('the name of a journey under journeys:'),
    url: z.url().describe('base URL the journey runs against, e.g. the router http://127.0.0.1:8080'),
    force: z
      .object({ kind: z.enum(['header', 'cookie']), name: httpHeaderName, value: z.string().min(1) })
      .strict()
      .optional()
      .describe('the header or cookie that pins a request to the canary (the router’s override route)'),
    urls: z.object({ stable: z.url(), canary: z.url(), baseline: z.url() }).partial().strict().default({}).describe('a base URL per variant, overriding url (e.g. the stable upstream)'),
    iterations: z.number().int().min(1).max(100).optional().describe('runs per measurement (the journey’s own by default)'),
    timeoutMs,
  })
  .strict();

/** Every metric source kind, with the schema its settings are validated by. */
const metricSourceSchemas = {
  builtin: builtinMetricSettingsSchema,
  prometheus: prometheusMetricSettingsSchema,
  'prometheus-text': prometheusTextMetricSettingsSchema,
  'http-json': httpJsonMetricSettingsSchema,
  journey: journeyMetricSettingsSchema,
} as const;

export type MetricSourceKind = keyof typeof metricSourceSchemas;
export const metricSourceKinds = Object.keys(metricSourceSchemas) as MetricSourceKind[];

/** Where one metric is read from: `kind` chooses the provider, and the rest is its settings. */
export const metricSourceSchema = z.discriminatedUnion('kind', [builtinMetricSettingsSchema, prometheusMetricSettingsSchema, prometheusTextMetricSettingsSchema, httpJsonMetricSettingsSchema, journeyMetricSettingsSchema], { error: kindUnionError('metric source', metricSourceKinds) });

export type MetricSource = z.output<typeof metricSourceSchema>;
export type BuiltinMetricSettings = z.output<typeof builtinMetricSettingsSchema>;
export type PrometheusMetricSettings = z.output<typeof prometheusMetricSettingsSchema>;
export type PrometheusTextMetricSettings = z.output<typeof prometheusTextMetricSettingsSchema>;
export type PrometheusTextCompute = z.output<typeof prometheusTextComputeSchema>;
export type HttpJsonMetricSettings = z.output<typeof httpJsonMetricSettingsSchema>;
export type JourneyMetricSettings = z.output<typeof journeyMetricSettingsSchema>;
