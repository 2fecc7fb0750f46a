import type { Logger } from 'pino';
import type { FactoryConfig } from '../config/schema.js';
import { trafficRouterEntries } from '../config/sections/traffic.js';
import { assertAdminExposure, parseHostPort } from './options.js';
import { parseStickySource } from './sticky.js';
import { startRouterHost, type RouterHost } from './worker/host.js';
import type { RouterSpec } from './worker/protocol.js';

/**
 * The built-in routers factory.yaml lists (`traffic.routers` of kind builtin, and
 * `traffic.proxies`), checked and ready for the worker: bad addresses and an admin API beyond
 * loopback without a token are refused here, before `uf serve` opens anything.
 */
export function configuredRouterSpecs(config: FactoryConfig, adminToken: string | undefined): RouterSpec[] {
  return trafficRouterEntries(config.traffic).flatMap(({ router: p, path: [, list, index] }) => {
    if (p.kind !== 'builtin') return [];
    const where = `traffic.${list}[${index}] (${p.service})`;
    const admin = p.admin ? parseHostPort(p.admin, `${where}.admin`) : undefined;
    assertAdminExposure(admin, adminToken, `${where}.admin`);
    const spec: RouterSpec = {
      service: p.service,
      listen: parseHostPort(p.listen, `${where}.listen`),
      stable: p.stable,
      canary: p.canary,
      ...(p.baseline !== undefined ? { baseline: p.baseline } : {}),
      canaryWeight: p.canaryWeight,
      ...(p.sticky ? { sticky: parseStickySource(p.sticky) } : {}),
      ...(p.deadlineMs !== undefined ? { timeouts: { deadlineMs: p.deadlineMs } } : {}),
      ...(admin ? { admin, ...(adminToken ? { adminToken } : {}) } : {}),
    };
    return [spec];
  });
}

/**
 * Starts the built-in routers factory.yaml lists, inside `uf serve` but in a worker thread of
 * their own: a blocked main thread (a heavy API request, a store that hangs) never delays a
 * proxied request, and the routers keep serving their last weights whatever the control plane
 * does. Undefined when none are configured. They stop when the server stops.
 */
/** Starts the routers of `specs` (from `configuredRouterSpecs`) in their worker thread; none: undefined. */
export async function startConfiguredProxies(specs: RouterSpec[], logger: Logger): Promise<RouterHost | undefined> {
  if (specs.length === 0) return undefined;
  const host = await startRouterHost(specs, { logger });
  for (const router of host.routers) {
    const spec = specs.find((s) => s.service === router.service)!;
    logger.info({ service: router.service, url: router.url, admin: router.adminUrl ?? null, canaryWeight: spec.canaryWeight, baseline: spec.baseline ?? null, threadId: host.worker.threadId }, 'built-in router serving');
  }
  return host;
}
