import { request } from 'undici';
import type { TrafficRouterConfig } from '../../config/sections/traffic.js';
import { UfError } from '../../core/errors.js';
import { weightsView } from '../../proxy/admin-schema.js';
import { forcingHeaders } from '../../proxy/headers.js';
import type { OverrideRoute } from '../../proxy/types.js';
import type { ProbeTarget } from './types.js';

/** The headers that carry an override route (the built-in router's forcing header or cookie). */
export { forcingHeaders };

type BuiltinRouterSettings = Extract<TrafficRouterConfig, { kind: 'builtin' }>;

export type ProbeVariant = 'canary' | 'stable';

/** A target, and how it reaches the variant (for the result and the log). */
export interface VariantTarget extends ProbeTarget {
  via: string;
}

/**
 * Where to run a journey to reach one variant of a service behind a built-in router. The router
 * pins a request to a variant when it carries the override route's header or cookie (set with
 * `PUT /route` on its admin API, read back from `GET /weights`): when `route` pins the asked
 * variant, the journey goes through the router with that header or cookie, as real traffic does.
 * The router has one override route, so the other variant is reached at its upstream URL
 * directly: through the router unforced, a request goes wherever the weights send it.
 */
export function variantTarget(router: Pick<BuiltinRouterSettings, 'service' | 'listen' | 'stable' | 'canary'>, variant: ProbeVariant, route: OverrideRoute | undefined): VariantTarget {
  if (route !== undefined && route.variant === variant) {
    return { baseUrl: `http://${router.listen}`, headers: forcingHeaders(route), via: `the ${router.service} router at ${router.listen}, pinned to the ${variant} by ${route.kind} ${route.name}` };
  }
  const upstream = variant === 'canary' ? router.canary : router.stable;
  const why = route === undefined ? 'the router has no override route' : `the router's override route pins the ${route.variant}`;
  return { baseUrl: upstream, via: `the ${variant} upstream ${upstream} directly (${why})` };
}

/** The override route in force on a built-in router (`GET /weights` of its admin API), or undefined when it has none. */
export async function readOverrideRoute(adminUrl: string, token: string | undefined, timeoutMs = 5_000): Promise<OverrideRoute | undefined> {
  const url = `${adminUrl.replace(/\/+$/, '')}/weights`;
  let body: unknown;
  try {
    const response = await request(url, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: AbortSignal.timeout(timeoutMs) });
    if (response.statusCode !== 200) {
      await response.body.dump();
      throw new Error(`answered ${response.statusCode}`);
    }
    body = await response.body.json();
  } catch (error) {
    throw new UfError('source_unavailable', `router admin API ${url}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = weightsView.safeParse(body);
  if (!parsed.success) throw new UfError('source_unavailable', `router admin API ${url} answered something other than its weights`);
  return parsed.data.route ?? undefined;
}
