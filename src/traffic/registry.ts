import { firstIssue } from '../config/issues.js';
import type { z } from 'zod';
import {
  builtinRouterSettingsSchema,
  haproxyRouterSettingsSchema,
  nginxRouterSettingsSchema,
  trafficRouterEntries,
  trafficRouterKinds,
  type TrafficConfig,
  type TrafficRouterEntry,
  type TrafficRouterKind,
} from '../config/sections/traffic.js';
import { UfError } from '../core/errors.js';
import { formatKeyPath } from '../core/key-path.js';
import type { RouterHandle } from '../proxy/worker/host.js';
import { createInProcessBuiltinRouter } from './routers/builtin/in-process.js';
import { createHaproxyRouter } from './routers/haproxy/index.js';
import type { RouterLogger } from './routers/haproxy/types.js';
import { createNginxRouter } from './routers/nginx/index.js';
import type { TrafficRouter } from './types.js';

/** What a router kind may need besides its settings, handed down by the composition root. */
export interface TrafficRouterDeps {
  logger?: RouterLogger;
  /**
   * The built-in routers `uf serve` runs in its worker thread (`startConfiguredProxies`), by
   * service: a router of kind builtin is driven through its handle.
   */
  builtinHandle?: (service: string) => RouterHandle | undefined;
}

/** One router kind: the schema its settings are validated by, and how to build it from them. */
export interface TrafficRouterKindEntry<Schema extends z.ZodType> {
  readonly settings: Schema;
  create(settings: z.output<Schema>, deps: TrafficRouterDeps): TrafficRouter;
}

/** A kind, plus `build`: validate raw settings with its schema, then create (one signature for every kind). */
function kind<Schema extends z.ZodType>(name: TrafficRouterKind, entry: TrafficRouterKindEntry<Schema>) {
  return {
    ...entry,
    build(settings: unknown, deps: TrafficRouterDeps): TrafficRouter {
      const parsed = entry.settings.safeParse(settings);
      if (!parsed.success) {
        const { path, message } = firstIssue(parsed.error);
        throw new UfError('config_invalid', `invalid ${name} router settings: ${message}`, { path: formatKeyPath(path) });
      }
      return entry.create(parsed.data, deps);
    },
  };
}

/** Every traffic router, by the `kind` that factory.yaml names it with (`traffic.routers`). */
export const trafficRouterRegistry = {
  builtin: kind('builtin', {
    settings: builtinRouterSettingsSchema,
    create(settings, deps) {
      const handle = deps.builtinHandle?.(settings.service);
      if (!handle) {
        throw new UfError('usage', `the built-in router for service '${settings.service}' is not running: uf serve runs the routers of kind builtin`, { path: 'service', record: settings.service });
      }
      return createInProcessBuiltinRouter(handle);
    },
  }),
  haproxy: kind('haproxy', {
    settings: haproxyRouterSettingsSchema,
    create({ service: _service, ...options }, deps) {
      return createHaproxyRouter({ ...options, ...(deps.logger ? { logger: deps.logger } : {}) });
    },
  }),
  nginx: kind('nginx', {
    settings: nginxRouterSettingsSchema,
    create({ service: _service, blockName, ...options }, deps) {
      return createNginxRouter({ ...options, service: blockName, ...(deps.logger ? { logger: deps.logger } : {}) });
    },
  }),
} satisfies Record<TrafficRouterKind, TrafficRouterKindEntry<z.ZodType>>;

const isKnownKind = (name: string): name is TrafficRouterKind => Object.hasOwn(trafficRouterRegistry, name);

/**
 * Builds the router of one `traffic.routers` entry: `kind` picks it from the registry, and the
 * rest is validated by that kind's settings schema. An unknown kind is refused with the known ones
 * listed; invalid settings name their key path (relative to the entry).
 */
export function createTrafficRouter(entry: { readonly kind: string } & Record<string, unknown>, deps: TrafficRouterDeps = {}): TrafficRouter {
  const { kind: name, ...settings } = entry;
  if (!isKnownKind(name)) {
    throw new UfError('config_invalid', `unknown traffic router kind ${JSON.stringify(name)}: expected ${trafficRouterKinds.join(', ')}`, { path: 'kind', record: name });
  }
  return trafficRouterRegistry[name].build(settings, deps);
}

/** A configured router, built, with the service it fronts and where factory.yaml declares it. */
export interface ConfiguredTrafficRouter {
  service: string;
  kind: TrafficRouterKind;
  path: TrafficRouterEntry['path'];
  router: TrafficRouter;
}

/**
 * Builds every router of the `traffic:` section (`traffic.routers`, then `traffic.proxies` as
 * builtin), or only the one in front of `service` (matched case-insensitively) when given.
 */
export function createConfiguredTrafficRouters(traffic: TrafficConfig, deps: TrafficRouterDeps = {}, service?: string): ConfiguredTrafficRouter[] {
  const entries = trafficRouterEntries(traffic).filter((e) => service === undefined || e.router.service.toLowerCase() === service.toLowerCase());
  return entries.map(({ router, path }) => {
    try {
      return { service: router.service, kind: router.kind, path, router: createTrafficRouter(router, deps) };
    } catch (error) {
      // Name the factory.yaml entry, not only the key inside it.
      if (!(error instanceof UfError)) throw error;
      const inside = error.location?.path;
      throw new UfError(error.code, error.message, { ...error.location, path: inside ? `${formatKeyPath(path)}.${inside}` : formatKeyPath(path) }, { cause: error });
    }
  });
}
