import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { viewUpgrade } from '../../app/upgrade-view.js';
import { upgradeStates } from '../../core/upgrade/index.js';
import { listUpgrades } from '../../store/repos/upgrades.js';
import { findingKey, listFindings } from '../../intake/store/findings.js';
import { findingStatuses } from '../../store/schema.js';
import type { RiskAssessment } from '../../risk/index.js';
import { latestAssessment, type StoredAssessment } from '../../intake/store/risk.js';
import { cursorParam, decodeCursor, encodeCursor, keysetPage, pageSchema } from '../paging.js';
import { pageLimit, queryObject, queryText } from '../query.js';
import { errorResponse, findingSchema, riskSchema, upgradeSchema } from '../schemas.js';
import { requireKnownService } from '../known.js';
import type { ServerDeps } from '../server.js';

const stateSchema = z.enum(upgradeStates, { error: `state must be one of ${upgradeStates.join(', ')}` });

export function registerUpgradeRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/api/v1/upgrades',
    {
      schema: {
        tags: ['upgrades'],
        summary: 'Upgrades by creation time, optionally by state or service, a page at a time',
        querystring: queryObject({ state: stateSchema.optional(), service: queryText('service').optional(), limit: pageLimit, cursor: cursorParam }),
        response: { 200: pageSchema(upgradeSchema.extend({ risk: riskSummarySchema.nullable() })), 400: errorResponse, 404: errorResponse },
      },
    },
    async (request) => {
      const { state, service, limit, cursor } = request.query;
      await requireKnownService(deps.store.db, service);
      const after = cursor === undefined ? undefined : decodeCursor('upgrades', cursor, 2);
      const page = await keysetPage(
        limit,
        (rows) =>
          listUpgrades(deps.store.db, {
            ...(state ? { state } : {}),
            ...(service !== undefined ? { service } : {}),
            ...(after ? { after: { createdAt: after[0]!, id: after[1]! } } : {}),
            limit: rows,
          }),
        (u) => encodeCursor('upgrades', [u.createdAt, u.id]),
      );
      // Each with its latest score, SSVC decision and KEV flag, so a board can sort and filter by them.
      const items = await Promise.all(page.items.map(async (u) => ({ ...u, risk: riskSummary(await latestAssessment(deps.store.db, u.id)) })));
      return { ...page, items };
    },
  );

  api.get(
    '/api/v1/upgrades/:id',
    {
      schema: {
        tags: ['upgrades'],
        summary: 'One upgrade with its evidence and latest risk assessment',
        params: z.object({ id: z.string() }),
        response: { 200: upgradeSchema.extend({ risk: riskSchema.nullable() }), 404: errorResponse },
      },
    },
    async (request) => {
      const { upgrade, assessment: stored } = await viewUpgrade(deps.store, request.params.id);
      const risk = stored
        ? { assessedAt: stored.createdAt, ...pick(stored.assessment), explanation: stored.candidate.explanation }
        : null;
      return { ...upgrade, risk };
    },
  );
}

const riskSummarySchema = z.object({
  score: z.number(),
  decision: z.enum(['track', 'track*', 'attend', 'act']),
  kev: z.boolean().describe('a fixed advisory is in CISA KEV'),
});

function riskSummary(stored: StoredAssessment | undefined): z.infer<typeof riskSummarySchema> | null {
  if (!stored) return null;
  const { score, decision, factors } = stored.assessment;
  return { score, decision, kev: factors.some((f) => f.name === 'kev' && f.value === true) };
}

function pick(a: RiskAssessment) {
  return {
    score: a.score,
    decision: a.decision,
    changeClass: a.changeClass,
    summary: a.summary,
    decisionReason: a.decisionReason,
    changeClassReason: a.changeClassReason,
    factors: a.factors.map((f) => ({ name: f.name, group: f.group, value: f.value, weight: f.weight, contribution: f.contribution, reason: f.reason })),
  };
}

export function registerFindingRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/v1/findings',
    {
      schema: {
        tags: ['intake'],
        summary: 'Findings: an advisory affecting a component a service runs in an environment; by service, environment, package, advisory; a page at a time',
        querystring: queryObject({
          status: z.enum(findingStatuses, { error: `status must be ${findingStatuses.join(' or ')}` }).default('open'),
          service: queryText('service').optional(),
          limit: pageLimit,
          cursor: cursorParam,
        }),
        response: { 200: pageSchema(findingSchema), 400: errorResponse, 404: errorResponse },
      },
    },
    async (request) => {
      const { status, service, limit, cursor } = request.query;
      await requireKnownService(deps.store.db, service);
      const after = cursor === undefined ? undefined : decodeCursor('findings', cursor, 5);
      return keysetPage(
        limit,
        (rows) =>
          listFindings(deps.store.db, {
            status,
            ...(service !== undefined ? { service } : {}),
            ...(after ? { after: { service: after[0]!, environment: after[1]!, name: after[2]!, advisoryId: after[3]!, id: after[4]! } } : {}),
            limit: rows,
          }),
        (f) => {
          const key = findingKey(f);
          return encodeCursor('findings', [key.service, key.environment, key.name, key.advisoryId, key.id]);
        },
      );
    },
  );
}
