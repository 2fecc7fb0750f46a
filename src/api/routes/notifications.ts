import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { maintenanceFeed, noteTemplates } from '../../app/notifications.js';
import { defaultConfig, type LoadedConfig } from '../../config/load.js';
import { roles } from '../../core/roles.js';
import { maintenanceNote } from '../../governance/maintenance/note.js';
import { renderHtml, renderMarkdown } from '../../governance/maintenance/render.js';
import { listAttempts } from '../../governance/notifiers/store.js';
import { errorResponse } from '../schemas.js';
import type { ServerDeps } from '../server.js';

const attemptSchema = z.object({
  id: z.string(),
  deliveryId: z.string(),
  eventId: z.string(),
  eventType: z.string(),
  target: z.string(),
  attempt: z.number(),
  outcome: z.enum(['delivered', 'retry', 'failed', 'refused']),
  statusCode: z.number().nullable(),
  error: z.string().nullable(),
  durationMs: z.number(),
  nextAttemptAt: z.string().nullable(),
  at: z.string(),
});

/**
 * The webhook delivery log and the maintenance notes. Both are reads, open to every role: the log
 * holds no URL, secret or payload; the feed is what customers are meant to read. The feed still
 * needs a token (a status page fetches it with a viewer token, or a proxy republishes it), so that
 * no route of this server is open without one unless listed in `publicRoutes`.
 */
export function registerNotificationRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const loaded: LoadedConfig = deps.loaded ?? { ...defaultConfig(process.cwd()), config: deps.config };
  const root = { store: deps.store, clock: deps.root?.clock ?? deps.store.clock, loaded };
  // Read once, when the server starts: a broken template file stops it there, not at a customer's first read.
  const templates = noteTemplates(loaded);

  api.get(
    '/api/v1/notifications/deliveries',
    {
      config: { roles },
      schema: {
        tags: ['notifications'],
        summary: 'the webhook delivery log: every attempt, newest first',
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100), target: z.string().min(1).optional() }).strict(),
        response: { 200: z.object({ items: z.array(attemptSchema) }), 400: errorResponse },
      },
    },
    async (request) => ({ items: await listAttempts(deps.store.db, { limit: request.query.limit, ...(request.query.target ? { target: request.query.target } : {}) }) }),
  );

  api.get(
    '/api/v1/maintenance/feed.atom',
    { config: { roles }, schema: { tags: ['maintenance'], summary: 'Atom 1.0 feed of maintenance on customer-facing services', response: { 200: z.string() } } },
    async (_request, reply) => reply.type('application/atom+xml; charset=utf-8').send(await maintenanceFeed(root, undefined, templates)),
  );

  api.get(
    '/api/v1/maintenance/notes/:id',
    {
      config: { roles },
      schema: {
        tags: ['maintenance'],
        summary: "the maintenance note of an upgrade's change (Markdown or HTML)",
        params: z.object({ id: z.string() }),
        querystring: z.object({ format: z.enum(['md', 'html']).default('md') }).strict(),
        response: { 200: z.string(), 404: errorResponse },
      },
    },
    async (request, reply) => {
      const note = await maintenanceNote(deps.store.db, deps.config.maintenance, request.params.id);
      if (request.query.format === 'html') return reply.type('text/html; charset=utf-8').send(renderHtml(note, templates));
      return reply.type('text/markdown; charset=utf-8').send(renderMarkdown(note, templates));
    },
  );
}
