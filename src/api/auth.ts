import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Role } from '../core/roles.js';
import { UfError } from '../core/errors.js';
import type { Store } from '../store/open.js';
import { authenticate, touchToken, type ApiToken } from '../store/repos/tokens.js';

declare module 'fastify' {
  interface FastifyRequest {
    token?: ApiToken;
  }
  interface FastifyContextConfig {
    /** Served without a token. Set only through `publicRoutes`, so the list of open routes is in one place. */
    public?: boolean;
  }
  interface FastifyInstance {
    /** Every route registered after `registerAuth`, with its standing; tests walk it. */
    routeTable: RegisteredRoute[];
  }
}

/**
 * The routes served without a token: probes and client generators expect health, readiness and
 * the OpenAPI document to be open. Keys are route patterns (as registered), never request URLs.
 */
export const publicRoutes: ReadonlySet<string> = new Set([
  'GET /healthz',
  'GET /readyz',
  'GET /openapi.json',
  // A CD system's answer to a webhook deployer: authenticated by the HMAC signature over its body.
  'POST /api/v1/deployers/:service/callback',
]);

/** A route as registered, with whether it is served without a token; the route table for tests. */
export interface RegisteredRoute {
  method: string;
  url: string;
  public: boolean;
}

/**
 * Bearer-token authentication as a property of the route, decided after routing from the route
 * that matched: every route needs a token unless it is in `publicRoutes`. Deciding from the raw
 * URL went wrong once (`/%61pi/v1/upgrades` routes to /api/v1/upgrades but does not start with
 * `/api/`), so no decision here looks at the URL. A request that matches no route gets the
 * not-found answer, which carries no data. Tokens are looked up by the SHA-256 of the secret.
 * Call before registering routes.
 */
export function registerAuth(app: FastifyInstance, store: Store): void {
  const table: RegisteredRoute[] = [];
  app.decorate('routeTable', table);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    // HEAD routes Fastify derives from GET routes share the GET route's standing.
    const open = methods.every((m) => publicRoutes.has(`${m === 'HEAD' ? 'GET' : m} ${route.url}`));
    route.config = { ...route.config, public: open };
    for (const method of methods) table.push({ method, url: route.url, public: open });
  });
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.is404) return;
    if (request.routeOptions.config.public === true) return;
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const token = match ? await authenticate(store.db, match[1]!) : undefined;
    if (!token) {
      await reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="upgrade-factory"')
        .send({ code: 'unauthorized', message: match ? 'the bearer token is unknown or revoked' : 'an Authorization: Bearer <token> header is required (create one with uf token create)' });
      return reply;
    }
    request.token = token;
    void touchToken(store.db, token.id, store.clock.now()).catch((error: unknown) => request.log.warn({ err: error }, 'token last-use update failed'));
  });
}

/** The request's token; a route that reaches here without one is refused rather than answered with a 500. */
export function tokenOf(request: FastifyRequest): ApiToken {
  if (!request.token) throw new UfError('unauthorized', 'an Authorization: Bearer <token> header is required (create one with uf token create)');
  return request.token;
}

/** Refuses the request unless its token holds one of `roles` (read endpoints accept every role). */
export function requireRole(request: FastifyRequest, roles: readonly Role[]): void {
  const role = request.token?.role;
  if (!role || !roles.includes(role)) {
    throw new UfError('forbidden', `this needs one of the roles ${roles.join(', ')}; the token has ${role ?? 'none'}`);
  }
}
