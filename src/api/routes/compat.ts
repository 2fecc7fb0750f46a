import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { compatMatrix, startCompatRun, waiveCell, type CompatRoot } from '../../app/compat.js';
import { cellStatuses, consumerKinds } from '../../compat/types.js';
import { writingRoles, type Role } from '../../core/roles.js';
import { identityOf } from '../../store/repos/tokens.js';
import { tokenOf } from '../auth.js';
import { errorResponse } from '../schemas.js';

/** Who may queue a matrix run; waivers need a role from `compat.waiverRoles`, checked by the use case. */
const runners: readonly Role[] = ['operator', 'service-owner', 'admin'];

const finding = z.object({ ruleId: z.string(), level: z.enum(['error', 'warning', 'info']), text: z.string(), location: z.string().optional() });
const waiver = z.object({ id: z.string(), runId: z.string(), consumerId: z.string(), checkId: z.string(), role: z.string(), reason: z.string(), actor: z.string(), createdAt: z.string() });
const storedCell = z.object({
  runId: z.string(),
  consumerId: z.string(),
  checkId: z.string(),
  status: z.enum(cellStatuses),
  required: z.boolean(),
  summary: z.string(),
  ruleId: z.string().nullable(),
  exitCode: z.number().nullable(),
  durationMs: z.number(),
  attempts: z.number(),
  evidence: z.object({ findings: z.array(finding), stdout: z.string().optional(), stderr: z.string().optional(), details: z.record(z.string(), z.unknown()).optional() }),
  worker: z.string(),
  finishedAt: z.string(),
});
const cellView = z.union([
  z.object({ state: z.literal('result'), status: z.enum(cellStatuses), waiver: waiver.optional(), cell: storedCell }),
  z.object({ state: z.enum(['queued', 'running']), attempts: z.number(), holder: z.string().nullable() }),
]);

export const matrixViewSchema = z.object({
  runId: z.string(),
  upgradeId: z.string(),
  runStatus: z.enum(['running', 'complete', 'cancelled']),
  createdBy: z.string(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  rows: z.array(z.object({ id: z.string(), kind: z.enum(consumerKinds), service: z.string(), name: z.string(), manifests: z.array(z.string()), source: z.string() })),
  columns: z.array(z.object({ id: z.string(), kind: z.string(), required: z.boolean(), tags: z.array(z.string()), phase: z.number() })),
  cells: z.record(z.string(), z.record(z.string(), cellView)).describe('consumer id -> check id -> cell; a check that does not apply to a row has no cell'),
  counts: z.record(z.string(), z.number()),
  verdict: z.enum(['pass', 'fail', 'pending']).describe('pass opens the compat gate: every required cell passed or was waived'),
  blocking: z.array(z.object({ consumerId: z.string(), checkId: z.string(), status: z.string(), summary: z.string() })),
  waivers: z.array(waiver),
});

/** The compatibility matrix of an upgrade: read it, queue a run, waive a cell. */
export function registerCompatRoutes(app: FastifyInstance, root: CompatRoot): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const params = z.object({ id: z.string() });

  api.get(
    '/api/v1/upgrades/:id/compat',
    {
      schema: {
        tags: ['compat'],
        summary: 'The upgrade’s latest compatibility matrix (or the run given), each cell with its evidence',
        params,
        querystring: z.object({ run: z.string().optional() }),
        response: { 200: matrixViewSchema, 404: errorResponse },
      },
    },
    async (request) => compatMatrix(root, request.params.id, request.query.run),
  );

  api.post(
    '/api/v1/upgrades/:id/compat/runs',
    {
      config: { roles: runners },
      schema: {
        tags: ['compat'],
        summary: 'Plan and queue a run of the matrix (workers run it); a newer run replaces a running one',
        params,
        response: { 201: z.object({ runId: z.string(), cells: z.number(), problems: z.array(z.string()) }), 400: errorResponse, 403: errorResponse, 404: errorResponse, 409: errorResponse },
      },
    },
    async (request, reply) => {
      const { run, problems } = await startCompatRun(root, request.params.id, identityOf(tokenOf(request)));
      reply.code(201);
      return { runId: run.id, cells: run.plan.cells.length, problems };
    },
  );

  api.post(
    '/api/v1/upgrades/:id/compat/waivers',
    {
      // Who may waive is compat.waiverRoles, checked by the use case; read-only roles never reach it.
      config: { roles: writingRoles },
      schema: {
        tags: ['compat'],
        summary: 'Waive a failed cell of the latest matrix: the token’s role must be in compat.waiverRoles; the reason is logged',
        params,
        body: z.object({ consumer: z.string().min(1), check: z.string().min(1), reason: z.string().min(1).max(2000) }),
        response: { 201: z.object({ waiver, matrix: matrixViewSchema }), 400: errorResponse, 403: errorResponse, 404: errorResponse, 409: errorResponse },
      },
    },
    async (request, reply) => {
      const token = tokenOf(request);
      const result = await waiveCell(root, {
        upgradeId: request.params.id,
        consumerId: request.body.consumer,
        checkId: request.body.check,
        role: token.role,
        reason: request.body.reason,
        actor: identityOf(token),
      });
      reply.code(201);
      return result;
    },
  );
}
