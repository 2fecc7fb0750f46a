import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { buildServiceGraph } from '../../catalog/service-map/index.js';
import { UfError } from '../../core/errors.js';
import { listEntities } from '../../store/repos/catalog.js';
import { inventoryDrift, listComponents } from '../../store/repos/inventory.js';
import { dependentSchema, driftSchema, errorResponse, serviceSchema } from '../schemas.js';
import type { ServerDeps } from '../server.js';

export function registerCatalogRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/api/v1/services', { schema: { tags: ['catalog'], summary: 'Services on the service map, with factory facts', response: { 200: z.array(serviceSchema) } } }, async () => {
    const entities = await listEntities(deps.store.db, { kind: 'Component' });
    const counts = new Map<string, Record<string, number>>();
    for (const c of await listComponents(deps.store.db)) {
      const perEnv = counts.get(c.service) ?? {};
      perEnv[c.environment] = (perEnv[c.environment] ?? 0) + 1;
      counts.set(c.service, perEnv);
    }
    return entities.map((e) => ({
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
    }));
  });

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
        summary: 'Components whose versions differ between environments of a service',
        querystring: z.object({ service: z.string().optional() }),
        response: { 200: z.array(driftSchema) },
      },
    },
    async (request) =>
      inventoryDrift(deps.store.db, { environments: deps.config.environments, ...(request.query.service ? { service: request.query.service } : {}) }),
  );
}
