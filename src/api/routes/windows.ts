import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { systemClock } from '../../core/clock.js';
import { UfError } from '../../core/errors.js';
import { roles, type Role } from '../../core/roles.js';
import { maxOccurrenceDays, windowOccurrences } from '../../governance/windows/occurrences.js';
import { checkService, findConflicts, listWindows, type WindowsDeps } from '../../governance/windows/service.js';
import { windowOverrideRoles } from '../../rollout/engine/index.js';
import { identityOf } from '../../store/repos/tokens.js';
import { tokenOf } from '../auth.js';
import { submitOutcomeSchema } from '../rollout-schemas.js';
import { errorResponse } from '../schemas.js';
import type { ServerDeps } from '../server.js';

const selectSchema = z.object({ services: z.array(z.string()), tiers: z.array(z.string()), tags: z.array(z.string()) });
const hitSchema = z.object({ kind: z.enum(['allow', 'deny', 'blackout']), name: z.string(), from: z.string(), until: z.string(), reason: z.string().optional() });
const verdictSchema = z.object({
  service: z.string(),
  at: z.string(),
  open: z.boolean(),
  reason: z.string(),
  hits: z.array(hitSchema),
  nextOpenAt: z.string().nullable().optional(),
  closesAt: z.string().nullable().optional(),
  tier: z.string().nullable(),
  tags: z.array(z.string()),
});
const listingSchema = z.object({
  defaultAllow: z.boolean(),
  windows: z.array(z.object({ kind: z.enum(['allow', 'deny']), name: z.string(), cron: z.string(), duration: z.string(), timeZone: z.string(), select: selectSchema, reason: z.string().nullable(), nextStarts: z.array(z.string()) })),
  blackouts: z.array(z.object({ name: z.string(), from: z.string(), to: z.string(), timeZone: z.string(), select: selectSchema, reason: z.string().nullable(), active: z.boolean() })),
});
const occurrencesSchema = z.object({
  from: z.string(),
  to: z.string(),
  items: z.array(z.object({ kind: z.enum(['allow', 'deny']), name: z.string(), start: z.string(), end: z.string(), timeZone: z.string() })),
});
const conflictsSchema = z.object({
  from: z.string(),
  to: z.string(),
  changes: z.array(z.object({ ref: z.string(), upgradeId: z.string(), services: z.array(z.string()), start: z.string(), end: z.string(), source: z.enum(['change', 'rollout']) })),
  conflicts: z.array(
    z.object({ kind: z.enum(['same-service', 'dependency', 'outside-window', 'inside-blackout']), changes: z.array(z.string()), services: z.array(z.string()), from: z.string(), to: z.string(), window: z.string().optional(), text: z.string() }),
  ),
});

const isoText = (field: string) =>
  z
    .string()
    .refine((t) => /^\d{4}-\d{2}-\d{2}(T|$)/.test(t) && !Number.isNaN(Date.parse(t)), { message: `${field}: an ISO-8601 instant such as 2026-12-05T22:00:00Z` })
    .optional();

/** Change windows, freezes and conflicts (read by every role), and the override of a closed window. */
export function registerWindowRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const windows: WindowsDeps = { db: deps.store.db, section: deps.config.windows };
  const clock = deps.root?.clock ?? systemClock;

  api.get('/api/v1/windows', { schema: { tags: ['windows'], summary: 'The allow and deny windows with their next starts, and the blackouts', response: { 200: listingSchema } } }, async () =>
    listWindows(deps.config.windows, clock.now()),
  );

  api.get(
    '/api/v1/windows/occurrences',
    {
      schema: {
        tags: ['windows'],
        summary: `Each opening of the allow and deny windows overlapping [from, to) (default: the next 7 days; at most ${maxOccurrenceDays} days), computed from their cron in their zone`,
        querystring: z.object({ from: isoText('from'), to: isoText('to') }),
        response: { 200: occurrencesSchema, 400: errorResponse },
      },
    },
    async (request) => {
      const from = request.query.from ? new Date(request.query.from) : clock.now();
      const to = request.query.to ? new Date(request.query.to) : new Date(from.getTime() + 7 * 86_400_000);
      return { from: from.toISOString(), to: to.toISOString(), items: windowOccurrences(deps.config.windows, { from, to }) };
    },
  );

  api.get(
    '/api/v1/windows/services/:service',
    {
      schema: {
        tags: ['windows'],
        summary: 'Whether a service may change at an instant (now by default), which windows say so, and when that changes',
        params: z.object({ service: z.string().min(1) }),
        querystring: z.object({ at: isoText('at') }),
        response: { 200: verdictSchema, 400: errorResponse, 404: errorResponse },
      },
    },
    async (request) => checkService(windows, request.params.service, request.query.at ? new Date(request.query.at) : clock.now()),
  );

  api.get(
    '/api/v1/windows/conflicts',
    {
      schema: {
        tags: ['windows'],
        summary: 'Conflicts among planned changes and running rollouts in [from, to) (default: the next 30 days)',
        querystring: z.object({ from: isoText('from'), to: isoText('to') }),
        response: { 200: conflictsSchema, 400: errorResponse },
      },
    },
    async (request) => {
      const now = clock.now();
      const from = request.query.from ? new Date(request.query.from) : now;
      const to = request.query.to ? new Date(request.query.to) : new Date(from.getTime() + 30 * 86_400_000);
      return findConflicts(windows, { from, to }, now);
    },
  );

  const rollouts = deps.rollouts;
  if (!rollouts) return;
  api.post(
    '/api/v1/rollouts/:id/override-window',
    {
      config: { roles: [...windowOverrideRoles] },
      schema: {
        tags: ['rollouts', 'windows'],
        summary: 'Let the promotion a closed change window holds back go ahead (approver or admin, not the initiator; a reason is required and logged)',
        params: z.object({ id: z.string() }),
        body: z.object({ reason: z.string().trim().min(1).max(2000).describe('why the window is overridden; recorded in the operation log') }).strict(),
        response: { 200: submitOutcomeSchema, 202: submitOutcomeSchema, 400: errorResponse, 403: errorResponse, 404: errorResponse, 409: errorResponse },
      },
    },
    async (request, reply) => {
      const token = tokenOf(request);
      const held: readonly Role[] = token.role === 'admin' ? roles : [token.role];
      const outcome = await rollouts.submit(request.params.id, { type: 'window-override', by: identityOf(token), roles: held, reason: request.body.reason });
      if (outcome.status === 'refused') throw new UfError(outcome.refusedAs === 'forbidden' ? 'forbidden' : 'conflict', `refused: ${outcome.refusal ?? 'no reason given'}`, { record: outcome.rollout.id });
      reply.code(outcome.status === 'queued' ? 202 : 200);
      return outcome;
    },
  );
}
