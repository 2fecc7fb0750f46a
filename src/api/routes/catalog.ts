import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { buildServiceGraph } from '../../catalog/service-map/index.js';
import { UfError } from '../../core/errors.js';
import { lastEndOfLife } from '../../intake/store/intake-runs.js';
import { listEntities } from '../../store/repos/catalog.js';
import { countComponents, inventoryDrift } from '../../store/repos/inventory.js';
import { cursorParam, decodeCursor, encodeCursor, keysetPage, pageSchema } from '../paging.js';
import { pageLimit, queryObject, queryText } from '../query.js';
import { dependentSchema, driftSchema, endOfLifeSchema, errorResponse, serviceSchema } from '../schemas.js';
import { requireKnownService } from '../known.js';
import type { ServerDeps } from '../server.js';

export function registerCatalogRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/api/v1/services',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Services on the service map, with factory facts, by ref, a page at a time',
        querystring: queryObject({ limit: pageLimit, cursor: cursorParam }),
        response: { 200: pageSchema(serviceSchema), 400: errorResponse },
      },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      const after = cursor === undefined ? undefined : decodeCursor('services', cursor, 1)[0];
      const page = await keysetPage(
        limit,
        (rows) => listEntities(deps.store.db, { kind: 'Component', ...(after !== undefined ? { after } : {}), limit: rows }),
        (e) => encodeCursor('services', [e.ref]),
      );
      // Counted for this page's services only, by the primary key, not over the whole inventory.
      const counts = await countComponents(deps.store.db, page.items.map((e) => e.name));
      return {
        next: page.next,
        items: page.items.map((e) => ({
          ref: e.ref,
          name: e.name,
          title: e.title,
          owner: e.owner,
          system: e.system,
          lifecycle: e.lifecycle,
          tier: e.factory.tier,
          criticalPaths: e.factory.criticalPaths,
          trafficShare: e.factory.trafficShare,
          downtimeCostPerHour: e.factory.downtimeCostPerHour,
          dependsOn: e.dependsOn,
          components: counts.get(e.name) ?? {},
        })),
      };
    },
  );

  api.get(
    '/api/v1/entities/:ref/dependents',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Direct and transitive dependents of an entity (service, resource or API)',
        params: z.object({ ref: z.string().describe('entity ref such as component:default/payments, or a plain component name') }),
        response: { 200: z.object({ ref: z.string(), direct: z.array(dependentSchema), transitive: z.array(dependentSchema) }), 404: errorResponse },
      },
    },
    async (request) => {
      const graph = buildServiceGraph(await listEntities(deps.store.db));
      const ref = request.params.ref.includes(':') ? request.params.ref.toLowerCase() : `component:default/${request.params.ref.toLowerCase()}`;
      if (!graph.entity(ref)) throw new UfError('not_found', `no entity ${ref} in the service map`, { record: ref });
      const view = (hit: { ref: string; depth: number; path: string[] }) => ({ ref: hit.ref, depth: hit.depth, path: hit.path });
      return { ref, direct: graph.directDependents(ref).map(view), transitive: graph.transitiveDependents(ref).map(view) };
    },
  );

  api.get(
    '/api/v1/inventory/drift',
    {
      schema: {
        tags: ['inventory'],
        summary: 'Components whose versions differ between environments of a service, by service, ecosystem and name, a page at a time',
        querystring: queryObject({ service: queryText('service').optional(), limit: pageLimit, cursor: cursorParam }),
        response: { 200: pageSchema(driftSchema), 400: errorResponse, 404: errorResponse },
      },
    },
    async (request) => {
      const { service, limit, cursor } = request.query;
      await requireKnownService(deps.store.db, service);
      const after = cursor === undefined ? undefined : decodeCursor('drift', cursor, 3);
      return keysetPage(
        limit,
        (rows) =>
          inventoryDrift(deps.store.db, {
            environments: deps.config.environments,
            ...(service !== undefined ? { service } : {}),
            ...(after ? { after: { service: after[0]!, ecosystem: after[1]!, name: after[2]! } } : {}),
            limit: rows,
          }),
        (d) => encodeCursor('drift', [d.service, d.ecosystem, d.name]),
      );
    },
  );

  api.get(
    '/api/v1/inventory/end-of-life',
    {
      schema: {
        tags: ['inventory'],
        summary: 'Versions in use past or near their end of support, as the last intake run found them (risk.thresholds.eolHorizonDays), soonest first',
        response: { 200: endOfLifeSchema },
      },
    },
    async () => {
      // Read from the last run rather than recomputed: the endoflife.date files are intake's inputs, read on its schedule.
      const last = await lastEndOfLife(deps.store.db);
      return {
        sources: deps.config.intake.endOfLife.length,
        horizonDays: deps.config.risk.thresholds.eolHorizonDays,
        checkedAt: last?.checkedAt ?? null,
        items: last?.flags ?? [],
      };
    },
  );
}
