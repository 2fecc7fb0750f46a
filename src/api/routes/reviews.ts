import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Role } from '../../core/roles.js';
import { identityOf } from '../../store/repos/tokens.js';
import { reviewPatch } from '../../verify/reviews/checks.js';
import { actionInputSchema, addAction, completeAction, lessonsFor, openReview, reviewTextSchema, showReview } from '../../verify/reviews/service.js';
import { actionKinds, actionStatuses, type Review } from '../../verify/reviews/types.js';
import { tokenOf } from '../auth.js';
import { errorResponse } from '../schemas.js';
import type { ServerDeps } from '../server.js';

const actionSchema = z.object({
  id: z.string(),
  reviewId: z.string(),
  kind: z.enum(actionKinds),
  service: z.string(),
  title: z.string(),
  owner: z.string(),
  due: z.string(),
  detail: z.record(z.string(), z.unknown()),
  status: z.enum(actionStatuses),
  createdBy: z.string(),
  createdAt: z.string(),
  doneBy: z.string().nullable(),
  doneAt: z.string().nullable(),
  doneNote: z.string().nullable(),
  patch: z.string().nullable().describe('the factory.yaml edit this action stands for, when it has one'),
});
const reviewSchema = z.object({ id: z.string(), upgradeId: z.string(), wentWell: z.string(), wentBadly: z.string(), openedBy: z.string(), openedAt: z.string(), updatedAt: z.string(), actions: z.array(actionSchema) });
const params = z.object({ id: z.string() });

/** Who writes reviews and their actions: the people who run, own and approve changes. */
export const reviewRoles: readonly Role[] = ['operator', 'service-owner', 'approver', 'security', 'admin'];

const present = (review: Review) => ({ ...review, actions: review.actions.map((a) => ({ ...a, patch: reviewPatch(a) })) });

export function registerReviewRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const configChecks = deps.config.compat.checks.map((c) => c.id);

  api.get('/api/v1/reviews/:id', { schema: { tags: ['reviews'], summary: 'A post-implementation review (by review id or upgrade id) with its actions', params, response: { 200: reviewSchema, 404: errorResponse } } }, async (request) =>
    present(await showReview(deps.store, request.params.id)),
  );

  api.post(
    '/api/v1/reviews',
    {
      config: { roles: reviewRoles },
      schema: { tags: ['reviews'], summary: 'Open (or rewrite the text of) the review of an upgrade that reached production', body: reviewTextSchema.extend({ upgradeId: z.string().min(1) }).strict(), response: { 200: reviewSchema, 404: errorResponse, 409: errorResponse } },
    },
    async (request) => {
      const { upgradeId, ...text } = request.body;
      return present(await openReview(deps.store, upgradeId, text, identityOf(tokenOf(request))));
    },
  );

  api.post(
    '/api/v1/reviews/:id/actions',
    {
      config: { roles: reviewRoles },
      schema: { tags: ['reviews'], summary: 'Add an action (compat-check, threshold or checklist) with its owner and due date', params, body: actionInputSchema, response: { 201: actionSchema, 404: errorResponse, 409: errorResponse, 422: errorResponse } },
    },
    async (request, reply) => {
      const action = await addAction(deps.store, request.params.id, request.body, identityOf(tokenOf(request)), configChecks);
      return reply.code(201).send({ ...action, patch: reviewPatch(action) });
    },
  );

  api.post(
    '/api/v1/review-actions/:id/done',
    {
      config: { roles: reviewRoles },
      schema: { tags: ['reviews'], summary: 'Mark an action done (its owner, or an admin)', params, body: z.object({ note: z.string().min(1).max(2000).optional() }).strict(), response: { 200: actionSchema, 403: errorResponse, 404: errorResponse, 409: errorResponse } },
    },
    async (request) => {
      const token = tokenOf(request);
      const action = await completeAction(deps.store, request.params.id, { actor: identityOf(token), admin: token.role === 'admin' }, request.body.note ?? null);
      return { ...action, patch: reviewPatch(action) };
    },
  );

  api.get(
    '/api/v1/upgrades/:id/lessons',
    {
      schema: {
        tags: ['reviews'],
        summary: "What earlier reviews hand to this upgrade: open checklist and threshold actions on its services, and the compat checks they added",
        params,
        response: { 200: z.object({ items: z.array(z.object({ action: actionSchema, fromUpgrade: z.string(), reviewId: z.string(), overdue: z.boolean() })) }), 404: errorResponse },
      },
    },
    async (request) => ({ items: (await lessonsFor(deps.store, request.params.id)).map((l) => ({ ...l, action: { ...l.action, patch: reviewPatch(l.action) } })) }),
  );
}
