import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { intakeParts, runIntake } from '../../app/intake.js';
import { identityOf } from '../../store/repos/tokens.js';
import { tokenOf } from '../auth.js';
import { queryBoolean, queryObject } from '../query.js';
import { errorResponse } from '../schemas.js';
import type { ServerDeps } from '../server.js';

/** Intake on demand (it also runs on `intake.schedule`). One run at a time per server. */
export function registerIntakeRoutes(app: FastifyInstance, deps: ServerDeps): void {
  let running: Promise<unknown> | undefined;
  app.withTypeProvider<ZodTypeProvider>().post(
    '/api/v1/intake/run',
    {
      config: { roles: ['operator', 'security', 'admin'] },
      schema: {
        tags: ['intake'],
        summary: 'Run intake now (roles: operator, security, admin); 409 while a run is in progress',
        querystring: queryObject({ force: queryBoolean('force').default(false).describe('true runs even when no input changed since the last run') }),
        response: { 200: z.record(z.string(), z.unknown()), 400: errorResponse, 403: errorResponse, 409: errorResponse },
      },
    },
    async (request, reply) => {
      if (!deps.loaded) return reply.code(409).send({ code: 'conflict', message: 'this server was started without a factory.yaml; intake has nothing to read' });
      if (running) return reply.code(409).send({ code: 'conflict', message: 'an intake run is already in progress' });
      // Another process's run (a CLI, another server) holds the lease: answer 409 at once, not after a wait.
      const run = runIntake(deps.store, deps.loaded, { ...(deps.root ? intakeParts(deps.root) : {}), actor: identityOf(tokenOf(request)), force: request.query.force, leaseWaitMs: 0 });
      running = run;
      try {
        return { ...(await run) };
      } finally {
        running = undefined;
      }
    },
  );
}
