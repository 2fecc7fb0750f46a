import { z } from 'zod';
import { parseDuration, durationFormat } from '../../core/duration.js';
import { parseJsonPath } from '../../core/json-path.js';
import { parseThreshold, unsupportedAggregation, type MetricType } from '../../core/k6-thresholds.js';

/**
 * `journeys:` in factory.yaml: synthetic transactions (journey probes). Each journey is a list of
 * steps run in order against a target (a service's router, pinned to the canary or to stable, or
 * any base URL); a step's captures feed later steps through `${name}`. The probe runner lives in
 * `src/verify/probes/`; the schema lives here, below the stages, so a bad journey is refused when
 * factory.yaml loads, at its key path.
 */

/** k6's names for what a journey run measures, with their metric types (which aggregations apply). */
export const journeyMetricTypes = {
  http_req_duration: 'trend',
  http_req_failed: 'rate',
  http_reqs: 'counter',
  checks: 'rate',
  iteration_duration: 'trend',
} as const satisfies Record<string, MetricType>;
export type JourneyMetric = keyof typeof journeyMetricTypes;
const journeyMetrics = Object.keys(journeyMetricTypes) as [JourneyMetric, ...JourneyMetric[]];

const text = (what: string) => z.string({ error: `expected ${what} (a string)` }).min(1, `${what} must not be empty`);
const headerName = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'an HTTP header name');
const captureName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a capture name: letters, digits and "_", e.g. orderId');

const durationMs = z
  .union([z.number().int().positive(), z.string()])
  .transform((value, ctx) => {
    if (typeof value === 'number') return value;
    const ms = parseDuration(value);
    if (ms === undefined || ms <= 0) {
      ctx.addIssue({ code: 'custom', message: `expected ${durationFormat}, or a number of milliseconds` });
      return z.NEVER;
    }
    return ms;
  });

const jsonPath = z.string().superRefine((path, ctx) => {
  const parsed = parseJsonPath(path);
  if (!parsed.ok) ctx.addIssue({ code: 'custom', message: `invalid JSON path: ${parsed.reason}` });
});

/** Where a capture reads from: a JSON path into the response body (`$.order.id`) or a header (`header:location`). */
const captureSource = z.string().superRefine((source, ctx) => {
  if (source.startsWith('header:')) {
    if (!/^header:[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(source)) ctx.addIssue({ code: 'custom', message: `'${source}' is not header:NAME` });
    return;
  }
  const parsed = parseJsonPath(source);
  if (!parsed.ok) ctx.addIssue({ code: 'custom', message: `a capture is a JSON path ($.order.id) or header:NAME; ${parsed.reason}` });
});

const jsonCheckSchema = z
  .object({
    path: jsonPath.describe('where the value is: $.a.b[0].c'),
    equals: z.unknown().optional().describe('the value it must equal (compared as JSON)'),
    exists: z.boolean().optional().describe('true: the path must lead to a value; false: it must not'),
  })
  .strict()
  .refine((check) => check.equals !== undefined || check.exists !== undefined, 'a JSON check states equals or exists');

const oneOrMany = <T extends z.ZodType>(schema: T) => z.union([schema, z.array(schema).min(1)]).transform((value) => (Array.isArray(value) ? value : [value]) as z.output<T>[]);

/** What an HTTP step's answer must be; every one stated must hold. */
export const httpExpectSchema = z
  .object({
    status: oneOrMany(z.number().int().min(100).max(599)).optional().describe('the status, or the statuses any of which will do'),
    bodyContains: oneOrMany(z.string().min(1)).optional().describe('text the body must contain (each of them)'),
    json: z.array(jsonCheckSchema).default([]).describe('JSON path checks on the body'),
    maxLatency: durationMs.optional().describe('longest the step may take, e.g. 300ms'),
  })
  .strict();

export const httpStepSchema = z
  .object({
    kind: z.literal('http').default('http'),
    name: text('a step name').optional(),
    method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']).default('GET'),
    url: text('url').describe('relative to the target base URL (/cart) or absolute; ${capture} is filled in'),
    headers: z.record(headerName, z.string()).default({}).describe('request headers; ${capture} is filled in'),
    body: z.union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())]).optional().describe('a string, or JSON (sent as application/json); ${capture} is filled in'),
    capture: z.record(captureName, captureSource).default({}).describe('name -> JSON path into the body ($.order.id) or header:NAME'),
    expect: httpExpectSchema.prefault({}),
    timeout: durationMs.default(10_000).describe('longest wait for the whole answer (10s by default)'),
    retries: z.number().int().min(0).max(5).default(0).describe('tries again on a failed check or no answer; a journey that needed a retry is degraded'),
  })
  .strict();

const selector = text('a CSS or Playwright selector');
const browserCommon = { kind: z.literal('browser'), name: text('a step name').optional(), timeout: durationMs.default(15_000) };

/** A browser step, driven by playwright-core with chromium: for flows an HTTP script cannot do. */
export const browserStepSchema = z.discriminatedUnion('action', [
  z.object({ ...browserCommon, action: z.literal('goto'), url: text('url').describe('relative to the target base URL or absolute') }).strict(),
  z.object({ ...browserCommon, action: z.literal('click'), selector }).strict(),
  z.object({ ...browserCommon, action: z.literal('fill'), selector, value: z.string() }).strict(),
  z.object({ ...browserCommon, action: z.literal('expectText'), text: text('the text to find'), selector: selector.optional().describe('where to look (the whole page by default)') }).strict(),
]);

// An HTTP step may leave `kind` out; the discriminated union then reports a bad step's own field, not a vague union error.
const stepSchema = z.preprocess(
  (step) => (step !== null && typeof step === 'object' && !Array.isArray(step) && !('kind' in step) ? { ...step, kind: 'http' } : step),
  z.discriminatedUnion('kind', [httpStepSchema.extend({ kind: z.literal('http') }), browserStepSchema], { error: 'a step has kind http (the default: method, url, expect…) or browser (action: goto | click | fill | expectText)' }),
);

/** `p(95)<200`, or k6's object form `{ threshold: 'p(95)<200', abortOnFail: true }` (a breach then fails the journey). */
const thresholdEntry = z
  .union([z.string(), z.object({ threshold: z.string(), abortOnFail: z.boolean().default(false) }).strict()])
  .transform((entry) => (typeof entry === 'string' ? { threshold: entry, abortOnFail: false } : entry));

export const journeySchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9-]*$/, 'a lower-case name like checkout-happy-path'),
    service: text('the catalog name of the service'),
    description: z.string().optional(),
    iterations: z.number().int().min(1).max(1_000).default(1).describe('how many times the journey runs per probe'),
    thresholds: z
      .partialRecord(z.enum(journeyMetrics), z.array(thresholdEntry).min(1))
      .default({})
      .describe('k6 metric name -> threshold expressions; a breach degrades the journey, or fails it with abortOnFail'),
    browser: z
      .object({ executablePath: text('a path').default('/usr/bin/chromium') })
      .strict()
      .prefault({})
      .describe('the chromium that browser steps drive'),
    steps: z.array(stepSchema).min(1, 'a journey has at least one step'),
  })
  .strict()
  .superRefine((journey, ctx) => {
    for (const [metric, entries] of Object.entries(journey.thresholds) as [JourneyMetric, { threshold: string }[]][]) {
      entries.forEach((entry, index) => {
        const parsed = parseThreshold(entry.threshold);
        const problem = parsed.ok ? unsupportedAggregation(metric, journeyMetricTypes[metric], parsed.threshold) : parsed.reason;
        if (problem !== undefined) ctx.addIssue({ code: 'custom', path: ['thresholds', metric, index], message: problem });
      });
    }
    const captured = new Set<string>();
    journey.steps.forEach((step, index) => {
      if (step.kind !== 'http') return;
      const fields: [PropertyKey[], string][] = [
        [['url'], step.url],
        ...Object.entries(step.headers).map(([name, value]): [PropertyKey[], string] => [['headers', name], value]),
        ...(step.body !== undefined ? [[['body'], typeof step.body === 'string' ? step.body : JSON.stringify(step.body)] as [PropertyKey[], string]] : []),
      ];
      for (const [path, value] of fields) {
        for (const match of value.matchAll(/\$\{([^}]*)\}/g)) {
          if (!captured.has(match[1]!)) ctx.addIssue({ code: 'custom', path: ['steps', index, ...path], message: `\${${match[1]}} is not captured by an earlier step (captured so far: ${[...captured].join(', ') || 'none'})` });
        }
      }
      for (const name of Object.keys(step.capture)) captured.add(name);
    });
  });

export const journeysSchema = z
  .array(journeySchema)
  .default([])
  .superRefine((journeys, ctx) => {
    const seen = new Set<string>();
    journeys.forEach((journey, index) => {
      if (seen.has(journey.name)) ctx.addIssue({ code: 'custom', path: [index, 'name'], message: `journey '${journey.name}' is defined twice` });
      seen.add(journey.name);
    });
  });

export type Journey = z.output<typeof journeySchema>;
export type JourneyStep = Journey['steps'][number];
export type HttpJourneyStep = z.output<typeof httpStepSchema>;
export type BrowserJourneyStep = z.output<typeof browserStepSchema>;
export type HttpExpect = z.output<typeof httpExpectSchema>;
