import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { roles as allRoles, type Role } from '../core/roles.js';
import { UfError } from '../core/errors.js';
import type { Store } from '../store/open.js';
import { checkBearer, identityOf, touchToken, type ApiToken } from '../store/repos/tokens.js';
import { RefusalRecorder } from './refusals.js';

declare module 'fastify' {
  interface FastifyRequest {
    token?: ApiToken;
  }
  interface FastifyContextConfig {
    /** Served without a token. Set only through `publicRoutes`, so the list of open routes is in one place. */
    public?: boolean;
    /**
     * The roles that may call the route. A route that changes state must name them (registering it
     * without fails at startup); a read route without them is open to every role.
     */
    roles?: readonly Role[];
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
  // The dashboard's page and assets: they hold no data; its API calls carry the user's token.
  'GET /',
  'GET /assets/:file',
  // A CD system's answer to a webhook deployer: authenticated by the HMAC signature over its body.
  'POST /api/v1/deployers/:service/callback',
]);

/** A route as registered, with whether it is served without a token; the route table for tests. */
export interface RegisteredRoute {
  method: string;
  url: string;
  public: boolean;
  /** Who may call it (empty for public routes). */
  roles: readonly Role[];
}

const readMethods = new Set(['GET', 'HEAD']);

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
  const refusals = new RefusalRecorder(store);
  app.decorate('routeTable', table);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    // HEAD routes Fastify derives from GET routes share the GET route's standing.
    const open = methods.every((m) => publicRoutes.has(`${m === 'HEAD' ? 'GET' : m} ${route.url}`));
    const declared = (route.config as { roles?: readonly Role[] } | undefined)?.roles;
    if (!open && !declared && !methods.every((m) => readMethods.has(m))) {
      throw new Error(`route ${methods.join(',')} ${route.url} changes state but declares no roles (config.roles)`);
    }
    const roles = open ? [] : (declared ?? allRoles);
    route.config = { ...route.config, public: open, roles };
    for (const method of methods) table.push({ method, url: route.url, public: open, roles });
  });
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.is404) return;
    if (request.routeOptions.config.public === true) return;
    const route = `${request.method} ${request.routeOptions.url ?? ''}`;
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const now = store.clock.now();
    const checked = match ? await checkBearer(store.db, match[1]!, now) : undefined;
    if (!checked || !('token' in checked)) {
      const message = checked ? checked.message : 'an Authorization: Bearer <token> header is required (create one with uf token create)';
      if (checked) refusals.record({ actor: checked.tokenId ? `token:${checked.tokenId}` : 'anonymous', kind: checked.problem, route, detail: message, from: request.ip });
      await reply.code(401).header('www-authenticate', 'Bearer realm="upgrade-factory"').send({ code: 'unauthorized', message });
      return reply;
    }
    const token = checked.token;
    const allowed = request.routeOptions.config.roles ?? allRoles;
    if (!allowed.includes(token.role)) {
      const message = `${route} needs one of the roles ${allowed.join(', ')}; the token has ${token.role}`;
      refusals.record({ actor: identityOf(token), kind: 'role', route, detail: message, from: request.ip });
      await reply.code(403).send({ code: 'forbidden', message });
      return reply;
    }
    request.token = token;
    void touchToken(store.db, token.id, now).catch((error: unknown) => request.log.warn({ err: error }, 'token last-use update failed'));
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
