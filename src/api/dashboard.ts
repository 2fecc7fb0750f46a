import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

/**
 * The dashboard (web/, built by `npm run build` into dist/web): `GET /` answers its page and
 * `GET /assets/:file` its hashed, immutable assets. Both are public, like the OpenAPI document: the
 * page holds no data, and every API call it makes carries the user's token. Files are read once at
 * start-up; only names in that listing are served, so a request can never reach another path.
 */
export function registerDashboardRoutes(app: FastifyInstance, dir = builtDashboardDir()): void {
  const index = dir && existsSync(join(dir, 'index.html')) ? readFileSync(join(dir, 'index.html')) : undefined;
  const assetsDir = dir ? join(dir, 'assets') : undefined;
  const assets = new Map<string, Buffer>();
  if (index && assetsDir && existsSync(assetsDir)) for (const name of readdirSync(assetsDir)) assets.set(name, readFileSync(join(assetsDir, name)));

  app.get('/', { schema: { hide: true } }, async (_request, reply) => {
    if (!index) return reply.code(404).type('text/plain; charset=utf-8').send('The dashboard is not built in this installation: run `npm run build` (it writes dist/web). The API is at /api/v1 and described at /openapi.json.\n');
    return reply
      .headers({
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-cache',
        // The page runs only its own scripts; inline style attributes draw the bar charts.
        'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
      })
      .send(index);
  });
  app.get<{ Params: { file: string } }>('/assets/:file', { schema: { hide: true } }, async (request, reply) => {
    const body = assets.get(request.params.file);
    if (!body) return reply.code(404).send({ code: 'not_found', message: 'no such asset' });
    return reply
      .headers({ 'content-type': contentTypes[extname(request.params.file)] ?? 'application/octet-stream', 'cache-control': 'public, max-age=31536000, immutable', 'x-content-type-options': 'nosniff' })
      .send(body);
  });
}

const contentTypes: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** dist/web of the package this module belongs to (running from dist/ or from src/ under tests). */
function builtDashboardDir(): string | undefined {
  let here = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(here, 'package.json'))) return join(here, 'dist', 'web');
    here = dirname(here);
  }
  return undefined;
}
