import type { RouterHost } from '../proxy/worker/host.js';
import type { ConfiguredTrafficRouter } from '../traffic/registry.js';
import type { TrafficRouter } from '../traffic/types.js';
import type { RouterSpec } from '../proxy/worker/protocol.js';
import type { RootParts } from './root.js';

export type ConfiguredRouters = RouterSpec[];

/**
 * The routers factory.yaml asks for, checked (addresses, an admin API beyond loopback without
 * UF_ADMIN_TOKEN): throws before the caller has opened anything.
 */
export function checkConfiguredRouters(root: Pick<RootParts, 'adapters' | 'loaded'>): ConfiguredRouters {
  return root.adapters.routers.configured(root.loaded.config);
}

/**
 * Starts the checked routers inside `uf serve`, in a worker thread of their own: a blocked main
 * thread never delays a proxied request. Undefined when none are configured; `close()` stops them.
 */
export async function startConfiguredRouters(root: Pick<RootParts, 'adapters' | 'logger'>, routers: ConfiguredRouters): Promise<RouterHost | undefined> {
  return root.adapters.routers.create(routers, root.logger);
}

/**
 * The `TrafficRouter` of every service factory.yaml puts a router in front of (`traffic.routers`,
 * and `traffic.proxies` as kind builtin), for whatever sets weights and routes (the rollout engine).
 * Built-in ones are driven through `host`, the routers `startConfiguredRouters` started.
 */
export function configuredTrafficRouters(root: Pick<RootParts, 'adapters' | 'loaded' | 'logger'>, host: RouterHost | undefined): ConfiguredTrafficRouter[] {
  return root.adapters.routers.traffic(root.loaded.config, host, root.logger);
}

/**
 * The router in front of one service, built on first use (so a command that touches one service
 * does not need every router): undefined when factory.yaml puts none in front of it. A built-in
 * router that is not running in this process is refused with the reason (uf serve runs them).
 */
export function trafficRouterLookup(root: Pick<RootParts, 'adapters' | 'loaded' | 'logger'>, host: RouterHost | undefined): (service: string) => TrafficRouter | undefined {
  const built = new Map<string, TrafficRouter>();
  return (service) => {
    const key = service.toLowerCase();
    const cached = built.get(key);
    if (cached) return cached;
    const router = root.adapters.routers.traffic(root.loaded.config, host, root.logger, service)[0]?.router;
    if (router) built.set(key, router);
    return router;
  };
}
