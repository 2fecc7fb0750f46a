import { UfError } from '../../../core/errors.js';
import type { HeaderRoute, TrafficRouter, TrafficWeights, WeightState } from '../../types.js';
import { assertHeaderRoute, assertTrafficWeights } from '../../validate.js';
import { errorResponse, weightsResponse, type WeightsResponse } from './schema.js';

export interface BuiltinRouterOptions {
  /** The proxy's admin address, e.g. `http://127.0.0.1:9901` (`uf proxy --admin`). */
  adminUrl: string;
  /** The proxy's UF_ADMIN_TOKEN, when it has one. */
  token?: string;
  /** Per call to the admin API; 5 s by default. */
  timeoutMs?: number;
  /** Whether the proxy has a baseline upstream (`uf proxy --baseline`); false by default. */
  baseline?: boolean;
}

/**
 * Drives a running built-in proxy (`uf proxy`, or the one inside `uf serve`) through its admin API.
 * The proxy keeps the last weights it was given, so a failed call here leaves traffic as it was.
 * Canary and baseline weights travel in one `PUT /weights` and change in one swap of the proxy's
 * routing table: no request sees the new canary share with the old baseline share.
 */
export function createBuiltinRouter(options: BuiltinRouterOptions): TrafficRouter {
  const base = options.adminUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 5_000;
  const baselineConfigured = options.baseline ?? false;

  const call = async (method: string, path: string, body?: unknown): Promise<WeightsResponse> => {
    const headers: Record<string, string> = {};
    if (options.token !== undefined && options.token !== '') headers.authorization = `Bearer ${options.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      throw new UfError('source_unavailable', `built-in proxy admin API at ${base} is unreachable: ${describe(error)}`, { record: `${method} ${path}` }, { cause: error });
    }
    const text = await response.text();
    if (!response.ok) throw failure(response.status, text, base, `${method} ${path}`);
    const parsed = weightsResponse.safeParse(safeJson(text));
    if (!parsed.success) throw new UfError('source_unavailable', `built-in proxy admin API at ${base} sent an unexpected answer: ${parsed.error.issues[0]?.message ?? 'invalid'}`, { record: `${method} ${path}` });
    return parsed.data;
  };

  const setWeights = async (weights: TrafficWeights): Promise<void> => {
    const checked = assertTrafficWeights(weights, baselineConfigured);
    // A proxy without a baseline upstream may predate the field: send it only when it is configured.
    await call('PUT', '/weights', baselineConfigured ? checked : { canary: checked.canary });
  };

  return {
    name: `builtin:${base}`,
    baselineConfigured,
    setWeight: (canary) => setWeights({ canary }),
    setWeights,
    async verifyWeight() {
      return toWeightState(await call('GET', '/weights'));
    },
    async setHeaderRoute(route) {
      if (route === undefined) {
        await call('DELETE', '/route');
        return;
      }
      assertHeaderRoute(route);
      await call('PUT', '/route', { kind: route.kind, name: route.name, value: route.value, variant: 'canary' });
    },
    async reset() {
      await call('POST', '/reset');
    },
  };
}

function toWeightState(answer: WeightsResponse): WeightState {
  const state: WeightState = { canary: answer.canary, stable: answer.stable, ...(answer.baseline !== undefined ? { baseline: answer.baseline } : {}) };
  const route = answer.route;
  if (route && route.variant === 'canary') state.headerRoute = { kind: route.kind, name: route.name, value: route.value } satisfies HeaderRoute;
  return state;
}

function failure(status: number, text: string, base: string, record: string): UfError {
  const body = errorResponse.safeParse(safeJson(text));
  const message = body.success ? body.data.message : text.slice(0, 200);
  if (status === 401) return new UfError('unauthorized', `built-in proxy admin API at ${base} refused the token: ${message}`, { record });
  if (status === 400) return new UfError('usage', `built-in proxy admin API at ${base} refused the request: ${message}`, { record });
  return new UfError('source_unavailable', `built-in proxy admin API at ${base} answered ${status}: ${message}`, { record });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
