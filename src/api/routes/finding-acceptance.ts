import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { systemClock } from '../../core/clock.js';
import { acceptFindings } from '../../intake/findings/accept.js';
import { identityOf } from '../../store/repos/tokens.js';
import { tokenOf } from '../auth.js';
import { errorResponse } from '../schemas.js';
import type { ServerDeps } from '../server.js';

const acceptanceSchema = z.object({
  id: z.string(),
  advisoryId: z.string(),
  service: z.string(),
  findingId: z.string().nullable(),
  reason: z.string(),
  owner: z.string(),
  expiresAt: z.string(),
  acceptedBy: z.string(),
  acceptedAt: z.string(),
});

/** Risk acceptance over the API, so the operation log records the token's identity as the actor. */
export function registerFindingAcceptanceRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/api/v1/findings/:id/acceptances',
    {
      config: { roles: ['security', 'service-owner', 'admin'] },
      schema: {
        tags: ['intake'],
        summary: 'Accept the risk of a finding until a date (roles: security, service-owner, admin); logged',
        params: z.object({ id: z.string() }),
        body: z.object({ reason: z.string(), owner: z.string(), expires: z.string().describe('YYYY-MM-DD, in the future, at most 365 days away') }),
        response: { 201: acceptanceSchema, 400: errorResponse, 403: errorResponse, 404: errorResponse },
      },
    },
    async (request, reply) => {
      const [accepted] = await acceptFindings(deps.store, { finding: request.params.id, ...request.body, actor: identityOf(tokenOf(request)), now: systemClock.now() });
      const { revokedAt: _r, revokedBy: _b, expiryLoggedAt: _e, ...shown } = accepted!;
      return reply.code(201).send(shown);
    },
  );
}
