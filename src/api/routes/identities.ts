import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { UfError } from '../../core/errors.js';
import { roles } from '../../core/roles.js';
import { listTeams } from '../../governance/identities/teams.js';
import { rotationGrace, tokenExpiry } from '../../governance/identities/token-expiry.js';
import { createToken, identityOf, listTokens, revokeToken, rotateToken, type ApiToken } from '../../store/repos/tokens.js';
import { addUser, disableUser, getUser, listUsers } from '../../store/repos/users.js';
import { tokenOf } from '../auth.js';
import { errorResponse } from '../schemas.js';
import type { ServerDeps } from '../server.js';

const tokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(roles),
  user: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  revokedBy: z.string().nullable(),
  revokeReason: z.string().nullable(),
  replacedBy: z.string().nullable(),
});
const userSchema = z.object({ name: z.string(), displayName: z.string().nullable(), email: z.string().nullable(), teams: z.array(z.string()), createdAt: z.string(), createdBy: z.string(), disabledAt: z.string().nullable() });
const withSecret = z.object({ token: tokenSchema, secret: z.string().describe('shown once; only its hash is stored') });
const idParams = z.object({ id: z.string() });

/** Never the hash: a token as the API shows it. */
function shown(token: ApiToken): z.infer<typeof tokenSchema> {
  return token;
}

/**
 * People, teams and tokens. Admins manage them; anyone may rotate or revoke their own token
 * (a leaked token's holder should not wait for an admin), and read who they are.
 */
export function registerIdentityRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const ownOrAdmin = (caller: ApiToken, id: string): void => {
    if (caller.role !== 'admin' && caller.id !== id) throw new UfError('forbidden', `only an admin may rotate or revoke another token than the caller's own (${caller.id})`, { record: id });
  };

  api.get(
    '/api/v1/whoami',
    { schema: { tags: ['identities'], summary: 'The caller: token, role, person and teams', response: { 200: z.object({ identity: z.string(), token: tokenSchema, teams: z.array(z.string()) }) } } },
    async (request) => {
      const token = tokenOf(request);
      const user = token.user ? await getUser(deps.store.db, token.user) : undefined;
      return { identity: identityOf(token), token: shown(token), teams: user?.teams ?? [] };
    },
  );

  api.get('/api/v1/users', { schema: { tags: ['identities'], summary: 'Registered people and their teams', response: { 200: z.array(userSchema) } } }, async () => listUsers(deps.store.db));

  api.get(
    '/api/v1/teams',
    { schema: { tags: ['identities'], summary: 'Teams: owners in the service map and the teams people are in, with services and members', response: { 200: z.array(z.object({ ref: z.string(), services: z.array(z.string()), members: z.array(z.string()) })) } } },
    async () => listTeams(deps.store.db),
  );

  api.post(
    '/api/v1/users',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['identities'],
        summary: 'Register a person (admin)',
        body: z.object({ name: z.string().min(1).max(128), displayName: z.string().max(200).optional(), email: z.string().max(320).optional(), teams: z.array(z.string().min(1).max(200)).max(100).default([]) }).strict(),
        response: { 201: userSchema, 400: errorResponse, 409: errorResponse },
      },
    },
    async (request, reply) => reply.code(201).send(await addUser(deps.store, { ...request.body, actor: identityOf(tokenOf(request)) })),
  );

  api.post(
    '/api/v1/users/:name/disable',
    {
      config: { roles: ['admin'] },
      schema: { tags: ['identities'], summary: "Disable a person: their tokens are refused from now on (admin)", params: z.object({ name: z.string() }), body: z.object({ reason: z.string().min(1).max(2000) }).strict(), response: { 200: userSchema, 404: errorResponse, 409: errorResponse } },
    },
    async (request) => disableUser(deps.store, { name: request.params.name, actor: identityOf(tokenOf(request)), reason: request.body.reason }),
  );

  api.get(
    '/api/v1/tokens',
    { config: { roles: ['admin', 'auditor', 'security'] }, schema: { tags: ['identities'], summary: 'Tokens, never their secrets (admin, auditor, security)', response: { 200: z.array(tokenSchema) } } },
    async () => (await listTokens(deps.store.db)).map(shown),
  );

  api.post(
    '/api/v1/tokens',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['identities'],
        summary: 'Create a token; its secret is in this answer only (admin)',
        body: z.object({ name: z.string().min(1).max(200), role: z.enum(roles), user: z.string().min(1).max(128).optional(), expiresIn: z.string().optional().describe('a duration such as 30d, or never; tokens.defaultExpiry when absent') }).strict(),
        response: { 201: withSecret, 400: errorResponse },
      },
    },
    async (request, reply) => {
      const { expiresIn, user, ...rest } = request.body;
      const expiresAt = tokenExpiry(deps.config.tokens, expiresIn, deps.store.clock.now(), 'expiresIn');
      const created = await createToken(deps.store, { ...rest, ...(user ? { user } : {}), expiresAt, actor: identityOf(tokenOf(request)) });
      return reply.code(201).send({ token: shown(created.token), secret: created.secret });
    },
  );

  api.post(
    '/api/v1/tokens/:id/rotate',
    {
      config: { roles },
      schema: {
        tags: ['identities'],
        summary: "Replace a token by a new secret; the old one stops now or after the grace (one's own token, or any as admin)",
        params: idParams,
        body: z.object({ grace: z.string().optional(), expiresIn: z.string().optional() }).strict().default({}),
        response: { 201: withSecret.extend({ replaced: tokenSchema }), 403: errorResponse, 404: errorResponse, 409: errorResponse },
      },
    },
    async (request, reply) => {
      const caller = tokenOf(request);
      ownOrAdmin(caller, request.params.id);
      const now = deps.store.clock.now();
      const graceMs = rotationGrace(deps.config.tokens, request.body.grace, 'grace');
      const expiresAt = tokenExpiry(deps.config.tokens, request.body.expiresIn, now, 'expiresIn');
      const rotated = await rotateToken(deps.store, { id: request.params.id, actor: identityOf(caller), graceMs, expiresAt });
      return reply.code(201).send({ token: shown(rotated.token), secret: rotated.secret, replaced: shown(rotated.old) });
    },
  );

  api.post(
    '/api/v1/tokens/:id/revoke',
    {
      config: { roles },
      schema: { tags: ['identities'], summary: "Revoke a token for good (one's own, or any as admin)", params: idParams, body: z.object({ reason: z.string().min(1).max(2000) }).strict(), response: { 200: tokenSchema, 403: errorResponse, 404: errorResponse, 409: errorResponse } },
    },
    async (request) => {
      const caller = tokenOf(request);
      ownOrAdmin(caller, request.params.id);
      return shown(await revokeToken(deps.store, { id: request.params.id, actor: identityOf(caller), reason: request.body.reason }));
    },
  );
}
