import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { UfError } from '../../core/errors.js';
import { stages } from '../../core/upgrade/index.js';
import { getUpgrade, listUpgrades } from '../../store/repos/upgrades.js';
import { latestAssessment } from '../../store/repos/risk.js';
import { listFindings } from '../../store/repos/findings.js';
import type { RiskAssessment } from '../../risk/index.js';
import { errorResponse, findingSchema, riskSchema, upgradeSchema } from '../schemas.js';
import type { ServerDeps } from '../server.js';

const stateSchema = z.enum([...stages, 'rejected', 'superseded', 'rolled_back']);

export function registerUpgradeRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/api/v1/upgrades',
    {
      schema: {
        tags: ['upgrades'],
        summary: 'Upgrades, optionally by state or service',
        querystring: z.object({ state: stateSchema.optional(), service: z.string().optional() }),
        response: { 200: z.array(upgradeSchema) },
      },
    },
    async (request) =>
      listUpgrades(deps.store.db, { ...(request.query.state ? { state: request.query.state } : {}), ...(request.query.service ? { service: request.query.service } : {}) }),
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
      const upgrade = await getUpgrade(deps.store.db, request.params.id);
      if (!upgrade) throw new UfError('not_found', `no upgrade ${request.params.id}`, { record: request.params.id });
      const stored = await latestAssessment(deps.store.db, upgrade.id);
      const risk = stored
        ? { assessedAt: stored.createdAt, ...pick(stored.assessment), explanation: stored.candidate.explanation }
        : null;
      return { ...upgrade, risk };
    },
  );
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
        summary: 'Findings: an advisory affecting a component a service runs in an environment',
        querystring: z.object({ status: z.enum(['open', 'retired']).default('open'), service: z.string().optional() }),
        response: { 200: z.array(findingSchema) },
      },
    },
    async (request) => listFindings(deps.store.db, { status: request.query.status, ...(request.query.service ? { service: request.query.service } : {}) }),
  );
}
