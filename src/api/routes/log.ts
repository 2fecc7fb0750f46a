import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { readLog, verifyLog } from '../../store/repos/operation-log.js';
import { defaultPageSize, pageLimit, queryInteger, queryObject, queryText } from '../query.js';
import { errorResponse, logEntrySchema, verifySchema } from '../schemas.js';
import type { ServerDeps } from '../server.js';

export function registerLogRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/api/v1/log',
    {
      schema: {
        tags: ['log'],
        summary: 'Operation-log entries in order, a page at a time',
        querystring: queryObject({
          after: queryInteger('after', { min: 0, max: Number.MAX_SAFE_INTEGER }).optional().describe('return entries with seq greater than this (the next value of the previous page)'),
          limit: pageLimit,
          subject: queryText('subject').optional(),
        }),
        response: { 200: z.object({ entries: z.array(logEntrySchema), next: z.number().nullable().describe('after value of the next page; null on the last page') }), 400: errorResponse },
      },
    },
    async (request) => {
      const { after, limit = defaultPageSize, subject } = request.query;
      // One range query on the primary key (or (subject, seq)) from `after`: a deep page costs what the first one does.
      const entries = [];
      for await (const entry of readLog(deps.store.db, { ...(subject !== undefined ? { subject } : {}), after: after ?? 0, pageSize: limit + 1 })) {
        entries.push(entry);
        if (entries.length > limit) break;
      }
      const page = entries.slice(0, limit);
      return { entries: page, next: entries.length > limit ? page.at(-1)!.seq : null };
    },
  );

  api.get('/api/v1/log/verify', { schema: { tags: ['log'], summary: 'Check the hash chain', response: { 200: verifySchema } } }, async () => verifyLog(deps.store.db));
}
