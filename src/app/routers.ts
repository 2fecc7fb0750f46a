import type { RouterHost } from '../proxy/worker/host.js';
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
