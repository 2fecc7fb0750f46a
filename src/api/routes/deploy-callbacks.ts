import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Deployer } from '../../rollout/deployers/types.js';
import type { WebhookDeployer } from '../../rollout/deployers/webhook/index.js';

/** Largest callback body taken: a CD system's answer carries a status, a digest and a few URLs. */
const maxCallbackBytes = 64 * 1024;

/**
 * `POST /api/v1/deployers/:service/callback`: where a CD system answers a webhook deployer's
 * request. It carries no bearer token (the CD system has none); the body's HMAC signature, checked
 * over the raw bytes with the deployer's secret, is its authentication. The body is read as bytes
 * in this route's own scope, so the signature is checked over exactly what was sent.
 */
export async function registerDeployCallbackRoutes(app: FastifyInstance, deployerFor: (service: string) => Deployer | undefined): Promise<void> {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: maxCallbackBytes }, (_request, body, done) => done(null, body));
    scope.post(
      '/api/v1/deployers/:service/callback',
      {
        schema: {
          tags: ['rollouts'],
          summary: "A CD system's signed answer to a webhook deployer's request (X-UF-Signature: sha256=HMAC of the raw body); no bearer token",
          params: z.object({ service: z.string() }),
          security: [],
        },
      },
      async (request, reply) => {
        const { service } = request.params as { service: string };
        const deployer = deployerFor(service) as Partial<WebhookDeployer> | undefined;
        if (!deployer?.acceptCallback) return reply.code(404).send({ code: 'not_found', message: `service ${service} has no webhook deployer here` });
        const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const outcome = deployer.acceptCallback(body, request.headers);
        if (!outcome.accepted) return reply.code(outcome.status).send({ code: outcome.status === 401 ? 'unauthorized' : outcome.status === 409 ? 'conflict' : 'bad_request', message: outcome.reason });
        return reply.code(202).send({ accepted: true, requestId: outcome.requestId });
      },
    );
  });
}
