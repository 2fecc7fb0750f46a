import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { UfError } from '../core/errors.js';
import { routeBody, weightsBody } from './admin-schema.js';
import { statsMaxSeconds } from './variant-meter.js';
import type { ProxyControl } from './control.js';

const maxBodyBytes = 64 * 1024;

type MaybeAsync<F> = F extends (...args: infer A) => infer R ? (...args: A) => Awaited<R> | Promise<Awaited<R>> : never;

/**
 * What the admin API drives: a proxy's `ProxyControl`, or the cluster primary's control
 * (`uf proxy --workers N`), whose changes answer only once every worker took them.
 */
export type AdminControl = { [K in keyof ProxyControl]: MaybeAsync<ProxyControl[K]> };

/**
 * The admin API of the built-in proxy, on its own address: the control plane sets weights and
 * routes here, and Prometheus and the factory read measurements. The data plane never waits on
 * it; if nobody calls, the proxy keeps the last weights it was given.
 *
 * GET /healthz (open) · GET /metrics · GET /stats · GET|PUT /weights · PUT|DELETE /route ·
 * POST /reset. All but /healthz need `Authorization: Bearer <token>` when a token is set.
 * `PUT /weights {"canary": 5, "baseline": 5}` sets both in one swap; `{"canary": N}` alone sets the
 * baseline to 0. A baseline weight on a proxy without a baseline upstream is refused with 400.
 */
export function adminHandler(control: AdminControl, token: string | undefined, logger: Logger) {
  const expected = token === undefined || token === '' ? undefined : digest(token);
  return (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path === '/healthz' && req.method === 'GET') return sendText(res, 200, 'ok\n');
    if (expected !== undefined && !authorised(req, expected)) {
      res.setHeader('www-authenticate', 'Bearer realm="uf-proxy"');
      return sendJson(res, 401, { code: 'unauthorized', message: 'an Authorization: Bearer <token> header with the UF_ADMIN_TOKEN value is required' });
    }
    route(control, req, res, path, logger).catch((error: unknown) => {
      logger.error({ err: error, path }, 'admin request failed');
      if (!res.headersSent) sendJson(res, 500, { code: 'internal', message: 'internal error; see the proxy log' });
      else res.destroy();
    });
  };
}

async function route(control: AdminControl, req: IncomingMessage, res: ServerResponse, path: string, logger: Logger): Promise<void> {
  const method = req.method ?? 'GET';
  switch (`${method} ${path}`) {
    case 'GET /metrics': {
      const metrics = await control.metrics();
      res.writeHead(200, { 'content-type': metrics.contentType });
      res.end(metrics.text);
      return;
    }
    case 'GET /stats': {
      // ?seconds=N adds a summary of the last N seconds (1 to 60) to the 10 s and 60 s ones.
      const text = new URL(req.url ?? '/', 'http://admin').searchParams.get('seconds');
      if (text === null) return sendJson(res, 200, await control.stats());
      const seconds = /^[0-9]{1,2}$/.test(text) ? Number(text) : Number.NaN;
      if (!(seconds >= 1 && seconds <= statsMaxSeconds)) return sendJson(res, 400, { code: 'usage', message: `seconds must be a whole number from 1 to ${statsMaxSeconds}` });
      return sendJson(res, 200, await control.stats(seconds));
    }
    case 'GET /weights':
      return sendJson(res, 200, await control.weights());
    case 'PUT /weights': {
      const body = await readBody(req, res, weightsBody);
      if (body === undefined) return;
      const previous = await control.weights();
      const view = await refusedAsBadRequest(res, () => control.setWeights(body));
      if (view === undefined) return;
      logger.info({ canary: view.canary, baseline: view.baseline ?? null, previous: previous.canary, previousBaseline: previous.baseline ?? null }, 'canary weight changed');
      return sendJson(res, 200, view);
    }
    case 'PUT /route': {
      const body = await readBody(req, res, routeBody);
      if (body === undefined) return;
      const view = await refusedAsBadRequest(res, () => control.setRoute(body));
      if (view === undefined) return;
      logger.info({ route: body }, 'override route set');
      return sendJson(res, 200, view);
    }
    case 'DELETE /route':
      logger.info({}, 'override route removed');
      return sendJson(res, 200, await control.setRoute(undefined));
    case 'POST /reset': {
      req.resume();
      const result = await control.reset();
      logger.info({ drained: result.drained, canaryInFlight: result.canaryInFlight }, 'routing reset to stable');
      return sendJson(res, 200, result);
    }
    default: {
      req.resume();
      const known = ['/metrics', '/stats', '/weights', '/route', '/reset'].includes(path);
      return sendJson(res, known ? 405 : 404, { code: known ? 'method_not_allowed' : 'not_found', message: `${method} ${path} is not part of the admin API` });
    }
  }
}

/** Runs a change; a usage error (e.g. a baseline weight on a proxy without a baseline) answers 400 and gives undefined. */
async function refusedAsBadRequest<T>(res: ServerResponse, change: () => T | Promise<T>): Promise<T | undefined> {
  try {
    return await change();
  } catch (error) {
    if (!(error instanceof UfError) || error.code !== 'usage') throw error;
    sendJson(res, 400, { code: 'bad_request', message: error.message });
    return undefined;
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function authorised(req: IncomingMessage, expected: Buffer): boolean {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return match !== null && timingSafeEqual(digest(match[1]!), expected);
}

/** Reads and parses a JSON body; answers 400 or 413 itself and returns undefined when it is bad. */
async function readBody<T extends z.ZodType>(req: IncomingMessage, res: ServerResponse, schema: T): Promise<z.infer<T> | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBodyBytes) {
      sendJson(res, 413, { code: 'bad_request', message: `body larger than ${maxBodyBytes} bytes` });
      return undefined;
    }
    chunks.push(chunk);
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    sendJson(res, 400, { code: 'bad_request', message: 'body is not JSON' });
    return undefined;
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    sendJson(res, 400, { code: 'bad_request', message: `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}` });
    return undefined;
  }
  return parsed.data;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
