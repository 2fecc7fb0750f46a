import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Role } from '../../core/roles.js';
import { identityOf } from '../../store/repos/tokens.js';
import { receiveWebhook } from '../../verify/incidents/service.js';
import { listIncidents } from '../../verify/incidents/store.js';
import { linkKinds, severities } from '../../verify/incidents/types.js';
import { parseWebhook } from '../../verify/incidents/webhook.js';
import { tokenOf } from '../auth.js';
import { errorResponse } from '../schemas.js';
import type { ServerDeps } from '../server.js';

export const incidentSchema = z.object({
  id: z.string(),
  source: z.string(),
  externalId: z.string(),
  title: z.string(),
  service: z.string().nullable(),
  serviceKnown: z.boolean().describe('false: the service is not in the service map (stored as given)'),
  severity: z.enum(severities),
  startedAt: z.string(),
  resolvedAt: z.string().nullable(),
  changeRef: z.string().nullable(),
  link: z.object({ upgradeId: z.string(), kind: z.enum(linkKinds), reason: z.string() }).nullable(),
  unlinkedReason: z.string().nullable(),
  receivedAt: z.string(),
  updatedAt: z.string(),
});

/**
 * Who may push incidents: the webhook's token is kept in PagerDuty or Opsgenie (both send custom
 * headers), so it should be a token made for that alone. Operators and admins only: the roles
 * that already run the factory's integrations; approvers and service owners never need to.
 */
export const incidentIngestRoles: readonly Role[] = ['operator', 'admin'];

export function registerIncidentRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const incidents = { store: deps.store, settings: deps.config.incidents };

  api.get(
    '/api/v1/incidents',
    {
      schema: {
        tags: ['incidents'],
        summary: 'Incidents by start time, with the change each is linked to',
        querystring: z.object({ service: z.string().optional(), upgrade: z.string().optional(), from: z.string().optional(), to: z.string().optional() }),
        response: { 200: z.object({ items: z.array(incidentSchema) }) },
      },
    },
    async (request) => {
      const q = request.query;
      return { items: await listIncidents(deps.store.db, { ...(q.service ? { service: q.service } : {}), ...(q.upgrade ? { upgradeId: q.upgrade } : {}), ...(q.from ? { from: q.from } : {}), ...(q.to ? { to: q.to } : {}) }) };
    },
  );

  api.post(
    '/api/v1/incidents/webhook',
    {
      config: { roles: incidentIngestRoles },
      schema: {
        tags: ['incidents'],
        summary: 'Receive a PagerDuty V3 webhook (incident.triggered / incident.resolved) or an Opsgenie webhook (Create / Close); other events are acknowledged and ignored',
        body: z.unknown(),
        response: { 200: z.object({ outcome: z.enum(['created', 'updated', 'ignored']), reason: z.string().optional(), incident: incidentSchema.optional() }), 422: errorResponse },
      },
    },
    async (request) => receiveWebhook(incidents, parseWebhook(request.body, deps.store.clock.now()), identityOf(tokenOf(request))),
  );
}
