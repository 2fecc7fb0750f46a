import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { UfError } from '../../core/errors.js';
import { stages } from '../../core/upgrade/index.js';
import { getUpgrade, listUpgrades } from '../../store/repos/upgrades.js';
import { errorResponse, upgradeSchema } from '../schemas.js';
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
    { schema: { tags: ['upgrades'], summary: 'One upgrade with its evidence', params: z.object({ id: z.string() }), response: { 200: upgradeSchema, 404: errorResponse } } },
    async (request) => {
      const upgrade = await getUpgrade(deps.store.db, request.params.id);
      if (!upgrade) throw new UfError('not_found', `no upgrade ${request.params.id}`, { record: request.params.id });
      return upgrade;
    },
  );
}
