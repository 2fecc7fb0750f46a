import type { Logger } from 'pino';
import type { FactoryConfig } from '../config/schema.js';
import { parseHostPort } from './options.js';
import { startProxy, type RunningProxy } from './server.js';
import { parseStickySource } from './sticky.js';

/**
 * Starts the built-in routers `traffic.proxies` lists, inside `uf serve`. Each keeps serving with
 * its last weights whatever the control plane does; they stop when the server stops.
 */
export async function startConfiguredProxies(
  config: FactoryConfig,
  logger: Logger,
  adminToken: string | undefined,
): Promise<{ service: string; proxy: RunningProxy }[]> {
  const started: { service: string; proxy: RunningProxy }[] = [];
  try {
    for (const p of config.traffic.proxies) {
      const proxy = await startProxy({
        listen: parseHostPort(p.listen, `traffic.proxies[${p.service}].listen`),
        stable: p.stable,
        canary: p.canary,
        canaryWeight: p.canaryWeight,
        ...(p.sticky ? { sticky: parseStickySource(p.sticky) } : {}),
        ...(p.admin ? { admin: parseHostPort(p.admin, `traffic.proxies[${p.service}].admin`), ...(adminToken ? { adminToken } : {}) } : {}),
        logger: logger.child({ proxy: p.service }),
      });
      logger.info({ service: p.service, url: proxy.url, admin: proxy.adminUrl ?? null, canaryWeight: p.canaryWeight }, 'built-in router serving');
      started.push({ service: p.service, proxy });
    }
  } catch (error) {
    await Promise.all(started.map((s) => s.proxy.close()));
    throw error;
  }
  return started;
}
