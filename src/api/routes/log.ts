import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { readLog, verifyLog } from '../../audit/log.js';
import { logEntrySchema, verifySchema } from '../schemas.js';
import type { ServerDeps } from '../server.js';

export function registerLogRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/api/v1/log',
    {
      schema: {
        tags: ['log'],
        summary: 'Operation-log entries in order, a page at a time',
        querystring: z.object({
          after: z.coerce.number().int().min(0).default(0).describe('return entries with seq greater than this'),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
          subject: z.string().optional(),
        }),
        response: { 200: z.object({ entries: z.array(logEntrySchema), next: z.number().nullable() }) },
      },
    },
    async (request) => {
      const { after, limit, subject } = request.query;
      const entries = [];
      for await (const entry of readLog(deps.store.db, { ...(subject !== undefined ? { subject } : {}), pageSize: limit + 1 })) {
        if (entry.seq <= after) continue;
        entries.push(entry);
        if (entries.length > limit) break;
      }
      const more = entries.length > limit;
      const page = entries.slice(0, limit);
      return { entries: page, next: more ? page.at(-1)!.seq : null };
    },
  );

  api.get('/api/v1/log/verify', { schema: { tags: ['log'], summary: 'Check the hash chain', response: { 200: verifySchema } } }, async () => verifyLog(deps.store.db));
}
