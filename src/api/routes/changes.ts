import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { UfError } from '../../core/errors.js';
import { roles, writingRoles, type Role } from '../../core/roles.js';
import { changeView, decideChange, editChange, openChange, reviewChange, viewOf, type ChangeDeps } from '../../governance/changes/service.js';
import { listChanges } from '../../governance/changes/store.js';
import { changeStatuses } from '../../governance/changes/types.js';
import { identityOf } from '../../store/repos/tokens.js';
import { tokenOf } from '../auth.js';
import { errorResponse } from '../schemas.js';
import type { ServerDeps } from '../server.js';

const approvalSchema = z.object({
  id: z.string(),
  changeId: z.string(),
  by: z.string(),
  role: z.string(),
  decision: z.enum(['approve', 'reject']),
  reason: z.string().nullable(),
  scopeDigest: z.string(),
  at: z.string(),
  voidedAt: z.string().nullable(),
  voidReason: z.string().nullable(),
});

export const changeViewSchema = z.object({
  id: z.string(),
  upgradeId: z.string(),
  changeClass: z.enum(['standard', 'normal', 'emergency']),
  status: z.enum(changeStatuses),
  fields: z.object({
    justification: z.string(),
    implementationPlan: z.string(),
    backoutPlan: z.string(),
    backoutTime: z.string(),
    backoutTimeSource: z.string(),
    testPlan: z.string(),
    risk: z.object({ score: z.number(), decision: z.string(), summary: z.string() }).nullable(),
    services: z.array(z.string()),
    affectedServices: z.array(z.string()),
    targetVersion: z.string(),
  }),
  plannedStart: z.string(),
  plannedEnd: z.string(),
  requestedBy: z.string(),
  implementer: z.string(),
  templateId: z.string().nullable(),
  scopeDigest: z.string().describe('send it back with an approval: if the scope changed meanwhile, the approval is refused'),
  reviewDueAt: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  reviewedBy: z.string().nullable(),
  reviewNotes: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number(),
  approvals: z.array(approvalSchema),
  rule: z.object({ count: z.number(), board: z.boolean(), why: z.string() }),
  approvalsGiven: z.number(),
  reviewRequired: z.boolean(),
  reviewOverdue: z.boolean(),
});

const params = z.object({ id: z.string() });
const answers = { 200: changeViewSchema, 400: errorResponse, 403: errorResponse, 404: errorResponse, 409: errorResponse };

/**
 * Change records. Who acts is the token's person, never a body field: the bodies are strict, so
 * a request naming an approver is refused, not obeyed. Which roles approve is `changes.approverRoles`.
 */
export function registerChangeRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const events = deps.root?.events;
  const changes: ChangeDeps = { store: deps.store, policy: deps.config.changes, ...(events ? { announce: (event) => events.publish({ type: 'change.updated', ...event }) } : {}) };
  const held = (role: Role): readonly Role[] => (role === 'admin' ? roles : [role]);

  api.get(
    '/api/v1/changes',
    {
      schema: {
        tags: ['changes'],
        summary: 'Change records whose planned interval overlaps [from, to), earliest first',
        querystring: z.object({ from: z.string().optional(), to: z.string().optional(), overdue: z.enum(['true', 'false']).optional().describe('true: only emergency changes whose post-hoc review is overdue') }),
        response: { 200: z.object({ items: z.array(changeViewSchema) }) },
      },
    },
    async (request) => {
      const items = await Promise.all((await listChanges(deps.store.db, { ...(request.query.from ? { from: request.query.from } : {}), ...(request.query.to ? { to: request.query.to } : {}) })).map((c) => viewOf(changes, c)));
      return { items: request.query.overdue === 'true' ? items.filter((c) => c.reviewOverdue) : items };
    },
  );

  api.get('/api/v1/changes/:id', { schema: { tags: ['changes'], summary: 'One change record (by change id or upgrade id) with its approvals', params, response: { 200: changeViewSchema, 404: errorResponse } } }, async (request) =>
    changeView(changes, request.params.id),
  );

  api.post(
    '/api/v1/changes',
    {
      config: { roles: ['operator', 'service-owner', 'security', 'admin'] },
      schema: { tags: ['changes'], summary: 'Open the change record of an upgrade in compat (done when it enters compat; this is for older ones)', body: z.object({ upgradeId: z.string().min(1) }).strict(), response: { 201: changeViewSchema, 404: errorResponse, 409: errorResponse } },
    },
    async (request, reply) => reply.code(201).send(await openChange(changes, request.body.upgradeId, identityOf(tokenOf(request)))),
  );

  for (const decision of ['approve', 'reject'] as const) {
    api.post(
      `/api/v1/changes/:id/${decision}`,
      {
        config: { roles: writingRoles },
        schema: {
          tags: ['changes'],
          summary: `${decision === 'approve' ? 'Approve' : 'Reject'} a change as the token's person (never its requester or implementer; the board when its risk needs it)`,
          params,
          body: z.object({ reason: z.string().min(1).max(2000).optional(), scopeDigest: z.string().regex(/^[0-9a-f]{64}$/).optional() }).strict(),
          response: answers,
        },
      },
      async (request) => {
        const token = tokenOf(request);
        return decideChange(changes, request.params.id, { by: identityOf(token), roles: held(token.role), decision, ...request.body });
      },
    );
  }

  api.post(
    '/api/v1/changes/:id/edit',
    {
      config: { roles: ['operator', 'service-owner', 'security', 'admin'] },
      schema: {
        tags: ['changes'],
        summary: 'Edit a change (its requester, implementer or an admin); editing its scope voids its approvals',
        params,
        body: z
          .object({
            justification: z.string().min(1).max(20_000),
            implementationPlan: z.string().min(1).max(20_000),
            backoutPlan: z.string().min(1).max(20_000),
            backoutTime: z.string().min(1).max(40),
            testPlan: z.string().min(1).max(20_000),
            affectedServices: z.array(z.string().min(1)).min(1).max(1000),
            plannedStart: z.string(),
            plannedEnd: z.string(),
            implementer: z.string().min(1).max(200),
          })
          .partial()
          .strict(),
        response: answers,
      },
    },
    async (request) => {
      const token = tokenOf(request);
      const actor = identityOf(token);
      const current = await changeView(changes, request.params.id);
      if (token.role !== 'admin' && actor !== current.requestedBy && actor !== current.implementer) {
        throw new UfError('forbidden', `change ${current.id} is edited by its requester (${current.requestedBy}), its implementer (${current.implementer}) or an admin, not ${actor}`, { record: current.id });
      }
      return editChange(changes, request.params.id, request.body, actor);
    },
  );

  api.post(
    '/api/v1/changes/:id/review',
    {
      config: { roles: ['approver', 'security', 'admin'] },
      schema: { tags: ['changes'], summary: "An emergency change's post-hoc review (not by its requester or implementer)", params, body: z.object({ notes: z.string().min(1).max(20_000) }).strict(), response: answers },
    },
    async (request) => reviewChange(changes, request.params.id, { by: identityOf(tokenOf(request)), notes: request.body.notes }),
  );
}
