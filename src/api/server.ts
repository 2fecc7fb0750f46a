import type { CompatRoot } from '../app/compat.js';
import { registerCompatRoutes } from './routes/compat.js';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { pino, type Logger } from 'pino';
import { z } from 'zod';
import type { RootParts } from '../app/root.js';
import type { Rollouts } from '../app/rollouts.js';
import type { LoadedConfig } from '../config/load.js';
import type { FactoryConfig } from '../config/schema.js';
import { isUfError, type ErrorCode } from '../core/errors.js';
import { pingStore, type Store } from '../store/open.js';
import { registerAuth, tokenOf } from './auth.js';
import { formatValidationErrors } from './query.js';
import { registerCatalogRoutes } from './routes/catalog.js';
import { registerDashboardRoutes } from './dashboard.js';
import { registerEventRoutes, type EventStreamOptions } from './routes/events.js';
import { registerFindingAcceptanceRoutes } from './routes/finding-acceptance.js';
import { registerIntakeRoutes } from './routes/intake.js';
import { registerChangeRoutes } from './routes/changes.js';
import { registerNotificationRoutes } from './routes/notifications.js';
import { registerGuardRoutes } from './routes/drills.js';
import { registerJourneyRoutes } from './routes/journeys.js';
import { registerIdentityRoutes } from './routes/identities.js';
import { registerLogRoutes } from './routes/log.js';
import { registerDeployCallbackRoutes } from './routes/deploy-callbacks.js';
import { registerRolloutRoutes } from './routes/rollouts.js';
import { registerWindowRoutes } from './routes/windows.js';
import { registerIncidentRoutes } from './routes/incidents.js';
import { registerDoraRoutes } from './routes/dora.js';
import { registerReviewRoutes } from './routes/reviews.js';
import { registerReadoutRoutes } from './routes/readouts.js';
import { registerFindingRoutes, registerUpgradeRoutes } from './routes/upgrades.js';

export interface ServerDeps {
  store: Store;
  config: FactoryConfig;
  /** The loaded config with its base directory, needed to run intake on demand. */
  loaded?: LoadedConfig;
  /** Structured request and error logs; silent when absent. */
  logger?: Logger;
  version?: string;
  /**
   * The composition root's adapters, event bus and clock, which the use cases behind the routes
   * run with; without it they use the standard adapters and announce nothing.
   */
  root?: Pick<RootParts, 'adapters' | 'events' | 'clock'>;
  /** Heartbeat, replay and slow-client bounds of `GET /api/v1/events`; the defaults suit production. */
  eventStream?: EventStreamOptions;
  /**
   * The rollout use cases, with the routers of the process that serves (uf serve, uf demo):
   * without them the rollout routes are not served.
   */
  rollouts?: Rollouts;
  /** The compatibility-matrix use cases' root: without it the matrix routes are not served. */
  compat?: CompatRoot;
  /** The built dashboard (index.html and assets/); dist/web of this package when absent. */
  dashboardDir?: string;
}

const statusOf: Partial<Record<ErrorCode, number>> = {
  usage: 400,
  config_invalid: 400,
  parse_error: 400,
  import_invalid: 422,
  input_too_large: 413,
  not_found: 404,
  conflict: 409,
  gate_refused: 409,
  guard_refused: 409,
  illegal_transition: 409,
  unauthorized: 401,
  forbidden: 403,
  // The store is down, full or read-only: a client may retry later; the message says which.
  store_error: 503,
};

/**
 * Stops the server: in-flight requests get `graceMs` to finish, then every connection left is cut.
 * Without the cut, a connection that never sent a request (a browser's speculative preconnect) kept
 * `close` waiting for Node's 60 s headers timeout.
 */
export async function closeServer(app: FastifyInstance, graceMs = 5_000): Promise<void> {
  const cut = setTimeout(() => app.server.closeAllConnections(), graceMs);
  try {
    await app.close();
  } finally {
    clearTimeout(cut);
  }
}

export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const loggerInstance: FastifyBaseLogger = deps.logger ?? pino({ level: 'silent' });
  const app = Fastify({ loggerInstance, schemaErrorFormatter: formatValidationErrors }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler((error, request, reply) => {
    if (isUfError(error)) return reply.code(statusOf[error.code] ?? 500).send({ code: error.code, message: error.describe() });
    const status = (error as { statusCode?: number }).statusCode;
    if (status !== undefined && status < 500) return reply.code(status).send({ code: 'bad_request', message: (error as Error).message });
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).send({ code: 'internal', message: 'internal error; see the server log' });
  });
  // No route matched: the same answer with or without a token, and nothing from the request echoed.
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ code: 'not_found', message: 'no such route; see /openapi.json' }));

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Upgrade Factory API', version: deps.version ?? '0.1.0', description: `Factory ${deps.config.name}` },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  registerAuth(app, deps.store);

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    try {
      await pingStore(deps.store.db);
      return { status: 'ready', store: deps.store.dialect };
    } catch (error) {
      // The store's own one-line reason (it names the store and what failed); the pool reconnects
      // on the next query, so readiness returns by itself once the database answers again.
      const reason = isUfError(error) ? error.message : `store ${deps.store.location} unreachable: ${(error as Error).message}`;
      return reply.code(503).send({ status: 'unavailable', store: deps.store.dialect, reason });
    }
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/api/v1/info', { schema: { response: { 200: z.object({ name: z.string(), store: z.string(), environments: z.array(z.string()), token: z.object({ id: z.string(), role: z.string() }) }) } } }, async (request) => {
    const token = tokenOf(request);
    return { name: deps.config.name, store: deps.store.dialect, environments: deps.config.environments, token: { id: token.id, role: token.role } };
  });

  registerDashboardRoutes(app, deps.dashboardDir);
  registerCatalogRoutes(app, deps);
  registerUpgradeRoutes(app, deps);
  registerFindingRoutes(app, deps);
  registerLogRoutes(app, deps);
  registerIntakeRoutes(app, deps);
  registerFindingAcceptanceRoutes(app, deps);
  registerEventRoutes(app, deps);
  registerIdentityRoutes(app, deps);
  registerChangeRoutes(app, deps);
  registerNotificationRoutes(app, deps);
  registerGuardRoutes(app, deps);
  registerJourneyRoutes(app, deps);
  if (deps.rollouts) registerRolloutRoutes(app, deps.rollouts);
  registerWindowRoutes(app, deps);
  registerIncidentRoutes(app, deps);
  registerDoraRoutes(app, deps);
  registerReviewRoutes(app, deps);
  registerReadoutRoutes(app, deps);
  if (deps.compat) registerCompatRoutes(app, deps.compat);
  const deployerFor = deps.root?.adapters.deployerFor;
  if (deployerFor) await registerDeployCallbackRoutes(app, (service) => deployerFor(service));
  await app.ready();
  return app;
}
