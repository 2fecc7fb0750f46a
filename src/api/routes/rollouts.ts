import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { PersonInput, Rollouts, SubmitOutcome } from '../../app/rollouts.js';
import { UfError } from '../../core/errors.js';
import { roles, writingRoles, type Role } from '../../core/roles.js';
import { rolloutCommands, type RolloutCommand } from '../../rollout/engine/index.js';
import { identityOf } from '../../store/repos/tokens.js';
import { tokenOf } from '../auth.js';
import { rolloutViewSchema, submitOutcomeSchema } from '../rollout-schemas.js';
import { errorResponse } from '../schemas.js';

/** Who may start a rollout and send it commands; approvals need the gate's role, which the engine checks. */
const operators: readonly Role[] = ['operator', 'service-owner', 'admin'];

const reasonBody = z.object({ reason: z.string().min(1).max(2000).optional().describe('why; recorded in the operation log') });

/**
 * The rollout routes. Who acts is the token's person (`identityOf`), never a field of the body: a
 * body that names someone else is ignored, so self-approval is refused whatever it says.
 */
export function registerRolloutRoutes(app: FastifyInstance, rollouts: Rollouts): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const submitted = { 200: submitOutcomeSchema, 202: submitOutcomeSchema, 400: errorResponse, 403: errorResponse, 404: errorResponse, 409: errorResponse };
  const answer = (reply: { code(n: number): unknown }, outcome: SubmitOutcome) => {
    // A refusal by the engine is answered in its words, and stays in the operation log.
    if (outcome.status === 'refused') return refused(outcome);
    reply.code(outcome.status === 'queued' ? 202 : 200);
    return outcome;
  };

  api.get(
    '/api/v1/rollouts',
    {
      schema: {
        tags: ['rollouts'],
        summary: 'Rollouts, newest first, optionally of one upgrade',
        querystring: z.object({ upgrade: z.string().optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }),
        response: { 200: z.object({ items: z.array(rolloutViewSchema) }), 400: errorResponse },
      },
    },
    async (request) => ({ items: await rollouts.list({ ...(request.query.upgrade ? { upgradeId: request.query.upgrade } : {}), limit: request.query.limit }) }),
  );

  api.get(
    '/api/v1/rollouts/:id',
    {
      schema: {
        tags: ['rollouts'],
        summary: 'One rollout: step, weights, every verdict with its evidence, approvals and its decisions from the operation log',
        params: z.object({ id: z.string() }),
        response: { 200: rolloutViewSchema, 404: errorResponse },
      },
    },
    async (request) => rollouts.get(request.params.id, { withDecisions: true }),
  );

  api.post(
    '/api/v1/rollouts',
    {
      config: { roles: operators },
      schema: {
        tags: ['rollouts'],
        summary: 'Start the rollout of an upgrade in compat; the caller is its initiator and cannot approve its gates',
        body: z.object({ upgradeId: z.string().min(1), service: z.string().min(1).optional(), baseline: z.boolean().optional() }),
        response: { 201: rolloutViewSchema, 400: errorResponse, 403: errorResponse, 404: errorResponse, 409: errorResponse },
      },
    },
    async (request, reply) => {
      const { upgradeId, service, baseline } = request.body;
      const view = await rollouts.start({ upgradeId, actor: identityOf(tokenOf(request)), ...(service ? { service } : {}), ...(baseline ? { baseline } : {}) });
      reply.code(201);
      return view;
    },
  );

  for (const decision of ['approve', 'reject'] as const) {
    api.post(
      `/api/v1/rollouts/:id/${decision}`,
      {
        // Which role a gate needs is the rollout policy's, checked by the engine; read-only roles never reach it.
        config: { roles: writingRoles },
        schema: {
          tags: ['rollouts'],
          summary: `${decision === 'approve' ? 'Approve' : 'Reject'} the step the rollout waits at, as the token's person with the token's role (never its initiator)`,
          params: z.object({ id: z.string() }),
          body: decision === 'reject' ? z.object({ reason: z.string().min(1).max(2000).describe('why; a rejection needs one') }) : reasonBody,
          response: submitted,
        },
      },
      async (request, reply) => {
        const token = tokenOf(request);
        const held: readonly Role[] = token.role === 'admin' ? roles : [token.role];
        const reason = (request.body as { reason?: string }).reason;
        const input: PersonInput = { type: 'approval', by: identityOf(token), roles: held, decision, ...(reason ? { reason } : {}) };
        return answer(reply, await rollouts.submit(request.params.id, input));
      },
    );
  }

  for (const command of rolloutCommands) {
    api.post(
      `/api/v1/rollouts/:id/${command}`,
      {
        config: { roles: operators },
        schema: { tags: ['rollouts'], summary: commandSummaries[command], params: z.object({ id: z.string() }), body: reasonBody.optional(), response: submitted },
      },
      async (request, reply) => {
        const reason = request.body?.reason;
        return answer(reply, await rollouts.submit(request.params.id, { type: 'command', command, actor: identityOf(tokenOf(request)), ...(reason ? { reason } : {}) }));
      },
    );
  }
}

const commandSummaries: Record<RolloutCommand, string> = {
  promote: "Skip the rest of the current step's wait after a passing analysis (never its gate)",
  pause: 'Hold the rollout at its step',
  resume: 'Go on from a pause',
  abort: 'Traffic off; the attempt ends and the upgrade is rolled back',
  retry: "A new attempt after a rollback or an abort, keeping the earlier attempts' history",
};

/** The engine refused: 403 when this person may never do it, 409 when the rollout's phase does not allow it now. */
function refused(outcome: SubmitOutcome): never {
  throw new UfError(outcome.refusedAs === 'forbidden' ? 'forbidden' : 'conflict', `refused: ${outcome.refusal ?? 'no reason given'}`, { record: outcome.rollout.id });
}
