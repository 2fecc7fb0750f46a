import type { Logger } from 'pino';
import { parseInventory } from '../catalog/inventory/index.js';
import type { FactoryConfig } from '../config/schema.js';
import type { IntakeSources } from '../intake/pipeline/read-sources.js';
import { advisorySourceFor, loadEpss, loadKev } from '../intake/sources/index.js';
import { versionSchemes, type VersionScheme } from '../intake/versions/index.js';
import { configuredRouterSpecs, startConfiguredProxies } from '../proxy/in-process.js';
import type { RouterHost } from '../proxy/worker/host.js';
import type { RouterSpec } from '../proxy/worker/protocol.js';
import type { InventoryReader } from './import-files.js';

/**
 * Every adapter family the factory drives, each one explicit map or reader built here and handed
 * down: nothing deeper picks its own adapters. Later families (metric providers, judges, check
 * runners, notifiers) join this object.
 */
export interface Adapters {
  /** What intake reads advisories, KEV and EPSS through. */
  advisorySources: IntakeSources;
  /** Reads an inventory file of any supported format (CycloneDX, SPDX, npm lockfile), telling the format itself. */
  inventoryImporters: InventoryReader;
  /** Version schemes by OSV ecosystem name. */
  versionSchemes: Readonly<Record<string, VersionScheme>>;
  /** The traffic routers `uf serve` starts. */
  routers: RouterRegistry;
}

/**
 * The traffic routers of a configuration. Today the built-in router only (`traffic.proxies`); the
 * traffic-router registry (builtin, haproxy, nginx) takes this slot.
 */
export interface RouterRegistry {
  /**
   * The routers the configuration asks for, checked: a bad address, or an admin API beyond
   * loopback without a token, throws a `UfError` here, before anything is opened or started.
   */
  configured(config: FactoryConfig): RouterSpec[];
  /**
   * Starts the routers of `specs` (from `configured`); undefined when there are none. All built-in
   * routers share one worker thread, so they are created together rather than one by one.
   */
  create(specs: RouterSpec[], logger: Logger): Promise<RouterHost | undefined>;
}

/** Where intake reads each kind of input; the OSV adapter is chosen by the spec (file, folder, zip, URL). */
export const advisorySources = {
  osv: advisorySourceFor,
  kev: loadKev,
  epss: loadEpss,
} satisfies IntakeSources;

/** The built-in routers; `adminToken` (UF_ADMIN_TOKEN) guards their admin APIs. */
export function builtinRouters(adminToken: string | undefined): RouterRegistry {
  return {
    configured: (config) => configuredRouterSpecs(config, adminToken),
    create: (specs, logger) => startConfiguredProxies(specs, logger),
  };
}

export function buildAdapters(options: { adminToken: string | undefined }): Adapters {
  return {
    advisorySources,
    inventoryImporters: parseInventory,
    versionSchemes,
    routers: builtinRouters(options.adminToken),
  };
}
