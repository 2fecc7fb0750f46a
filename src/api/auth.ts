import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Role } from '../config/schema.js';
import { UfError } from '../core/errors.js';
import type { Store } from '../store/open.js';
import { authenticate, touchToken, type ApiToken } from '../store/repos/tokens.js';

declare module 'fastify' {
  interface FastifyRequest {
    token?: ApiToken;
  }
}

/**
 * Bearer-token authentication for everything under /api. Tokens are looked up by the SHA-256 of
 * the presented secret. Health, readiness and the OpenAPI document stay open, as probes and
 * client generators expect.
 */
export function registerAuth(app: FastifyInstance, store: Store): void {
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!request.url.startsWith('/api/')) return;
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
    void touchToken(store.db, token.id).catch((error: unknown) => request.log.warn({ err: error }, 'token last-use update failed'));
  });
}

/** Refuses the request unless its token holds one of `roles` (read endpoints accept every role). */
export function requireRole(request: FastifyRequest, roles: readonly Role[]): void {
  const role = request.token?.role;
  if (!role || !roles.includes(role)) {
    throw new UfError('forbidden', `this needs one of the roles ${roles.join(', ')}; the token has ${role ?? 'none'}`);
  }
}
