import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { drillRouters, runServiceDrill, type DrillRoot } from '../../app/drills.js';
import { acknowledgeNotes, upgradeNotes, type GuardRoot } from '../../app/guards.js';
import { roles } from '../../core/roles.js';
import { listDrills } from '../../governance/drills/store.js';
import { identityOf } from '../../store/repos/tokens.js';
import { tokenOf } from '../auth.js';
import { errorResponse } from '../schemas.js';
import type { ServerDeps } from '../server.js';

const phaseSchema = z.object({ name: z.enum(['before', 'canary', 'after-rollback']), weight: z.number(), requests: z.number(), answers: z.record(z.string(), z.number()) });
const drillSchema = z.object({
  id: z.string(),
  service: z.string(),
  router: z.string(),
  outcome: z.enum(['pass', 'fail']),
  rollbackMs: z.number().nullable().describe('from weight 0 sent to the router reporting it and stable answering'),
  report: z.object({ stableVersion: z.string(), canaryVersion: z.string(), canaryWeight: z.number(), phases: z.array(phaseSchema), rollbackMs: z.number().optional(), failures: z.array(z.string()) }),
  summary: z.string(),
  actor: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
});
const changeSchema = z.object({ version: z.string(), kind: z.string(), text: z.string(), refs: z.array(z.string()) });
const changes = z.array(changeSchema).nullable().describe('null: unknown (no notes), not none');
const notesSchema = z.object({
  upgradeId: z.string(),
  component: z.string(),
  fromVersions: z.array(z.string()),
  targetVersion: z.string(),
  status: z.enum(['known', 'partial', 'unknown']),
  unknownBecause: z.string().nullable(),
  breaking: changes,
  migrations: changes,
  deprecations: changes,
  securityFixes: changes,
  releases: z.number().nullable(),
  yanked: z.array(z.string()).nullable(),
  digest: z.string(),
  acknowledged: z.object({ id: z.string(), upgradeId: z.string(), actor: z.string(), standing: z.string(), notesDigest: z.string(), at: z.string(), current: z.boolean() }).nullable(),
});
const params = z.object({ id: z.string() });

/** Rollback drills and release-notes acknowledgments: what the rollbackDrill and releaseNotes guards ask for. */
export function registerGuardRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const root: GuardRoot = { store: deps.store, clock: deps.root?.clock ?? deps.store.clock, loaded: { config: deps.config } };
  // A drill through the configured router builds it with the root's adapters (and logs where the server logs).
  const drillRoot: DrillRoot = { ...root, ...(deps.root ? { adapters: deps.root.adapters } : {}), ...(deps.logger ? { logger: deps.logger } : {}) };

  api.get(
    '/api/v1/drills',
    { schema: { tags: ['guards'], summary: 'Rollback drills, newest first', querystring: z.object({ service: z.string().optional() }), response: { 200: z.object({ items: z.array(drillSchema) }) } } },
    async (request) => ({ items: await listDrills(deps.store.db, request.query.service !== undefined ? { service: request.query.service } : {}) }),
  );

  api.post(
    '/api/v1/drills',
    {
      config: { roles: ['operator', 'service-owner', 'admin'] },
      schema: {
        tags: ['guards'],
        summary: 'Run a real rollback drill of a service in staging, through a built-in router stood up for it or the router factory.yaml puts in front of the service; recorded whether it passes or fails',
        body: z
          .object({
            service: z.string().min(1).max(200),
            router: z.enum(drillRouters).optional(),
            stable: z.url({ protocol: /^https?$/ }).optional(),
            canary: z.url({ protocol: /^https?$/ }).optional(),
            through: z.url({ protocol: /^https?$/ }).optional().describe("router configured: where the service's traffic enters its router"),
            weight: z.number().int().min(1).max(100).optional(),
            requests: z.number().int().min(1).max(10_000).optional(),
          })
          .strict(),
        response: { 201: drillSchema, 400: errorResponse, 404: errorResponse },
      },
    },
    async (request, reply) => {
      const { requests, ...body } = request.body;
      const drill = await runServiceDrill(drillRoot, { ...body, ...(requests !== undefined ? { verifyRequests: requests } : {}), actor: identityOf(tokenOf(request)) });
      return reply.code(201).send(drill);
    },
  );

  api.get('/api/v1/upgrades/:id/notes', { schema: { tags: ['guards'], summary: "An upgrade's parsed release notes, breaking changes and migrations first, with its acknowledgment", params, response: { 200: notesSchema, 404: errorResponse } } }, async (request) =>
    upgradeNotes(root, request.params.id),
  );

  api.post(
    '/api/v1/upgrades/:id/notes/ack',
    {
      config: { roles: ['service-owner', 'admin'] },
      schema: { tags: ['guards'], summary: "Acknowledge an upgrade's release notes as the token's person (an owner of one of its services, or an admin)", params, body: z.object({}).strict().optional(), response: { 200: notesSchema, 403: errorResponse, 404: errorResponse, 409: errorResponse } },
    },
    async (request) => {
      const token = tokenOf(request);
      return acknowledgeNotes(root, request.params.id, { actor: identityOf(token), roles: token.role === 'admin' ? roles : [token.role] });
    },
  );
}
