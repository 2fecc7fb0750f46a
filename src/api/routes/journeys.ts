import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { systemClock } from '../../core/clock.js';
import { isUfError } from '../../core/errors.js';
import { createJourneyProbes, findJourney, type JourneyProbes } from '../../verify/probes/index.js';
import { errorResponse } from '../schemas.js';
import type { ServerDeps } from '../server.js';

const checkSchema = z.object({ check: z.string(), ok: z.boolean(), expected: z.string(), actual: z.string() });
const stepSchema = z.object({
  index: z.number(),
  name: z.string(),
  kind: z.enum(['http', 'browser']),
  request: z.string(),
  status: z.number().optional(),
  latencyMs: z.number(),
  tries: z.number(),
  ok: z.boolean(),
  checks: z.array(checkSchema),
  captures: z.record(z.string(), z.string()).describe('secrets (token, secret, password, key, session…) shown as [redacted]'),
});
const resultSchema = z.object({
  journey: z.string(),
  service: z.string(),
  target: z.string(),
  via: z.string().describe('how the target reaches the variant: pinned through the router, or the upstream directly'),
  state: z.enum(['passing', 'degraded', 'failing']).describe('only passing counts as a pass'),
  reasons: z.array(z.string()),
  startedAt: z.string(),
  finishedAt: z.string(),
  iterations: z.array(z.object({ iteration: z.number(), ok: z.boolean(), durationMs: z.number(), steps: z.array(stepSchema) })),
  metrics: z.record(z.string(), z.record(z.string(), z.number())),
  thresholds: z.array(z.object({ metric: z.string(), threshold: z.string(), abortOnFail: z.boolean(), ok: z.boolean(), observed: z.number() })),
});
const journeySummary = z.object({
  name: z.string(),
  service: z.string(),
  steps: z.number(),
  kinds: z.array(z.enum(['http', 'browser'])),
  iterations: z.number(),
  thresholds: z.record(z.string(), z.array(z.object({ threshold: z.string(), abortOnFail: z.boolean() }))),
});

/** Journey probes of factory.yaml: list them, and run one against a service's canary, stable, or a given URL. */
export function registerJourneyRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const probes: JourneyProbes = deps.root?.adapters.probes ?? createJourneyProbes(deps.config, { clock: deps.root?.clock ?? systemClock, adminToken: undefined });

  api.get(
    '/api/v1/journeys',
    { schema: { tags: ['journeys'], summary: 'The journey probes of factory.yaml', response: { 200: z.object({ items: z.array(journeySummary) }) } } },
    () => ({
      items: deps.config.journeys.map((j) => ({
        name: j.name,
        service: j.service,
        steps: j.steps.length,
        kinds: [...new Set(j.steps.map((s) => s.kind))],
        iterations: j.iterations,
        thresholds: Object.fromEntries(Object.entries(j.thresholds).map(([metric, entries]) => [metric, entries ?? []])),
      })),
    }),
  );

  api.post(
    '/api/v1/journeys/:name/run',
    {
      // Runs requests against a service (production included): operators and admins only.
      config: { roles: ['operator', 'admin'] },
      schema: {
        tags: ['journeys'],
        summary: 'Run one journey; the result says passing, degraded or failing, with each step’s checks',
        params: z.object({ name: z.string() }),
        body: z
          .object({
            target: z.url().optional().describe('a base URL to run against'),
            variant: z.enum(['canary', 'stable']).optional().describe('the canary or stable of the journey’s service, through its built-in router'),
            iterations: z.number().int().min(1).max(100).optional(),
          })
          .strict()
          .prefault({}),
        response: { 200: resultSchema, 400: errorResponse, 404: errorResponse, 503: errorResponse },
      },
    },
    async (request, reply) => {
      if (!deps.config.journeys.some((j) => j.name === request.params.name)) {
        return reply.code(404).send({ code: 'not_found', message: `no journey named '${request.params.name}' under journeys: in factory.yaml` });
      }
      const journey = findJourney(deps.config, request.params.name);
      const { target: url, variant, iterations } = request.body;
      let target: Awaited<ReturnType<JourneyProbes['target']>>;
      try {
        target = await probes.target(journey, { ...(url !== undefined ? { target: url } : {}), ...(variant !== undefined ? { variant } : {}) });
      } catch (error) {
        // The router's admin API, read for the override route, did not answer: try again later.
        if (isUfError(error) && error.code === 'source_unavailable') return reply.code(503).send({ code: error.code, message: error.describe() });
        throw error;
      }
      const result = await probes.run(journey, target, iterations !== undefined ? { iterations } : {});
      return { ...result, via: target.via };
    },
  );
}
