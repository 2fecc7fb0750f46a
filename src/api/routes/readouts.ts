import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { buildReadout, readoutContext, readoutText, riskCalibration } from '../../app/readout.js';
import { roles } from '../../core/roles.js';
import { parsePeriod } from '../../core/period.js';
import { queryObject, queryText } from '../query.js';
import { errorResponse } from '../schemas.js';
import type { ServerDeps } from '../server.js';

const formatQuery = queryObject({ format: z.enum(['md', 'html', 'json'], { error: 'format must be md, html or json' }).default('md') });

/** The executive readouts and the risk calibration: read-only, every role. */
export function registerReadoutRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const context = () => readoutContext({ store: deps.store, loaded: deps.loaded ?? { config: deps.config, file: undefined, baseDir: '.' }, clock: deps.root?.clock ?? deps.store.clock });

  api.get(
    '/api/v1/readouts/upgrades/:id',
    {
      config: { roles },
      schema: {
        tags: ['readouts'],
        summary: 'the executive readout of an upgrade: what changed, why now, what risk reduced, what business metric improved (Markdown, HTML with inline SVG charts, or JSON)',
        params: z.object({ id: z.string() }),
        querystring: formatQuery,
        response: { 200: z.unknown(), 400: errorResponse, 404: errorResponse },
      },
    },
    async (request, reply) => {
      const readout = await buildReadout(context(), { upgradeId: request.params.id });
      const { format } = request.query;
      if (format === 'json') return readout;
      return reply.type(format === 'html' ? 'text/html; charset=utf-8' : 'text/markdown; charset=utf-8').send(readoutText(readout, format));
    },
  );

  api.get(
    '/api/v1/readouts/periods/:period',
    {
      config: { roles },
      schema: {
        tags: ['readouts'],
        summary: 'the executive readout of a period: 2026-Q4, 2026-11, 2026, or 2026-11-01..2026-11-30',
        params: z.object({ period: z.string() }),
        querystring: formatQuery,
        response: { 200: z.unknown(), 400: errorResponse },
      },
    },
    async (request, reply) => {
      const period = parsePeriod(request.params.period);
      const readout = await buildReadout(context(), { period });
      const { format } = request.query;
      if (format === 'json') return readout;
      return reply.type(format === 'html' ? 'text/html; charset=utf-8' : 'text/markdown; charset=utf-8').send(readoutText(readout, format));
    },
  );

  api.get(
    '/api/v1/risk/calibration',
    {
      config: { roles },
      schema: {
        tags: ['readouts'],
        summary: 'predicted risk against what happened (rollbacks, incidents), with suggested factor weights for factory.yaml',
        querystring: queryObject({ period: queryText('period').optional() }),
        response: { 200: z.unknown(), 400: errorResponse },
      },
    },
    async (request) => riskCalibration(context(), request.query.period),
  );
}
