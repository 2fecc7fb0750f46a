import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { doraReport } from '../../verify/dora/load.js';
import { errorResponse } from '../schemas.js';
import type { ServerDeps } from '../server.js';

const recordSchema = z.object({ deployment: z.string(), upgradeId: z.string(), at: z.string(), detail: z.string() });
const ratioSchema = z.object({ value: z.number().nullable(), numerator: z.number(), denominator: z.number(), records: z.array(recordSchema) });
const sampleSchema = z.object({ deployment: z.string(), upgradeId: z.string(), from: z.string(), to: z.string(), hours: z.number(), detail: z.string() });
const medianSchema = z.object({ medianHours: z.number().nullable(), numerator: z.number(), denominator: z.number(), samples: z.array(sampleSchema) });

export const doraReportSchema = z.object({
  period: z.object({ label: z.string(), from: z.string(), to: z.string(), days: z.number() }),
  scope: z.object({ service: z.string().optional(), team: z.string().optional(), services: z.array(z.string()).optional() }),
  deploymentFrequency: z.object({ deployments: z.number(), days: z.number(), perDay: z.number(), perWeek: z.number(), numerator: z.number(), denominator: z.number(), reachedFullTraffic: z.number(), records: z.array(recordSchema) }),
  changeLeadTime: z.object({ headline: z.enum(['upstream', 'change-created']).nullable(), medianHours: z.number().nullable(), fromUpstream: medianSchema, fromChangeCreated: medianSchema }),
  changeFailRate: ratioSchema,
  failedDeploymentRecoveryTime: medianSchema.extend({ unrecovered: z.array(recordSchema) }),
  deploymentReworkRate: ratioSchema,
});

export function registerDoraRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/v1/dora',
    {
      schema: {
        tags: ['dora'],
        summary: "DORA's five delivery metrics from the factory's records, each with its numerator, denominator and records",
        querystring: z.object({
          period: z.string().optional().describe('2026-Q4, 2026-11 or 2026; the current quarter when absent'),
          from: z.string().optional(),
          to: z.string().optional(),
          service: z.string().optional(),
          team: z.string().optional().describe('owner in the service map'),
        }),
        response: { 200: doraReportSchema, 400: errorResponse, 404: errorResponse },
      },
    },
    async (request) => {
      const q = request.query;
      return doraReport(deps.store, { ...(q.period ? { period: q.period } : {}), ...(q.from ? { from: q.from } : {}), ...(q.to ? { to: q.to } : {}), ...(q.service ? { service: q.service } : {}), ...(q.team ? { team: q.team } : {}) });
    },
  );
}
