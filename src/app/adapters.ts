import type { Logger } from 'pino';
import { parseInventory } from '../catalog/inventory/index.js';
import type { FactoryConfig } from '../config/schema.js';
import type { IntakeSources } from '../intake/pipeline/read-sources.js';
import type { ScanAdapters } from '../intake/scan/index.js';
import { advisorySourceFor, loadEpss, loadKev } from '../intake/sources/index.js';
import { versionSchemes, type VersionScheme } from '../ecosystems/index.js';
import { configuredRouterSpecs, startConfiguredProxies } from '../proxy/in-process.js';
import type { RouterHost } from '../proxy/worker/host.js';
import type { RouterSpec } from '../proxy/worker/protocol.js';
import { createConfiguredTrafficRouters, type ConfiguredTrafficRouter } from '../traffic/registry.js';
import type { Clock } from '../core/clock.js';
import { createJudge } from '../rollout/analysis/judges/registry.js';
import { createJourneyProbes, runJourney, type JourneyProbes } from '../verify/probes/index.js';
import { createMetricProviders, type MetricProviders } from '../rollout/analysis/providers/registry.js';
import { createDeployer, type DeployerDeps } from '../rollout/deployers/registry.js';
import type { Deployer } from '../rollout/deployers/types.js';
import type { InventoryReader } from './import-files.js';
import { createCheckRunners, discoverExtensions, upgradeComponents } from '../compat/checks/registry.js';
import type { CheckRunner } from '../compat/types.js';
import type { DiscoverExtensions } from './compat.js';

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
  /** Measures a metric from its configured source (builtin, prometheus, prometheus-text, http-json, journey); never decides. */
  metricProviders: MetricProviders;
  /** Builds the judge a policy names (threshold, statistical) from its validated settings. */
  judges: typeof createJudge;
  /** The deployer of each service listed under `deployers:` (command, webhook, sample), built on first use. */
  deployerFor(service: string): Deployer | undefined;
  /** The check runners of the compatibility matrix, by check kind (`compat/checks/registry.ts`). */
  checkRunners: Readonly<Record<string, CheckRunner>>;
  /** Finds the extensions (modules, plugins, gems) a service's lockfiles declare, as matrix rows. */
  discoverExtensions: DiscoverExtensions;
  /** Journey probes of `journeys:`: where one runs (reading a built-in router's override route with UF_ADMIN_TOKEN) and running it. */
  probes: JourneyProbes;
  /** Stops what the adapters started (the sample deployer's services, webhook waits): the root's close calls it. */
  close(): Promise<void>;
}

/**
 * The traffic routers of a configuration: the built-in data planes `uf serve` runs (`traffic.proxies`
 * and `traffic.routers` of kind builtin), and the `TrafficRouter` of every configured service, built
 * by the traffic-router registry (`src/traffic/registry.ts`: builtin, haproxy, nginx).
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
  /**
   * The `TrafficRouter` in front of each configured service, each kind's settings validated by its
   * schema; a builtin one is driven through `host`, the routers `create` started.
   */
  traffic(config: FactoryConfig, host: RouterHost | undefined, logger: Logger, service?: string): ConfiguredTrafficRouter[];
}

/** Where intake reads each kind of input; the OSV adapter is chosen by the spec (file, folder, zip, URL). */
export const advisorySources = {
  osv: advisorySourceFor,
  kev: loadKev,
  epss: loadEpss,
} satisfies IntakeSources;

/** What `uf scan` reads through: the same OSV and KEV sources, and the inventory importers. */
export const scanAdapters: ScanAdapters = { osv: advisorySourceFor, kev: loadKev, readInventory: parseInventory };

/** The built-in routers; `adminToken` (UF_ADMIN_TOKEN) guards their admin APIs. */
export function builtinRouters(adminToken: string | undefined): RouterRegistry {
  return {
    configured: (config) => configuredRouterSpecs(config, adminToken),
    create: (specs, logger) => startConfiguredProxies(specs, logger),
    traffic: (config, host, logger, service) => createConfiguredTrafficRouters(config.traffic, { logger, builtinHandle: (name) => host?.routers.find((r) => r.service === name) }, service),
  };
}

export interface AdapterOptions {
  adminToken: string | undefined;
  config: FactoryConfig;
  clock: Clock;
  env: Readonly<Record<string, string | undefined>>;
  /** The config file's directory: relative paths in deployer settings resolve against it. */
  baseDir: string;
  callbackUrl?: DeployerDeps['callbackUrl'];
}

export function buildAdapters(options: AdapterOptions): Adapters {
  const { config, clock, env, baseDir } = options;
  const deployers = new Map<string, Deployer>();
  const deployerDeps: DeployerDeps = { clock, env, baseDir, ...(options.callbackUrl ? { callbackUrl: options.callbackUrl } : {}) };
  return {
    advisorySources,
    inventoryImporters: parseInventory,
    versionSchemes,
    routers: builtinRouters(options.adminToken),
    metricProviders: createMetricProviders({ clock, env: (name) => env[name], journeys: config.journeys, runJourney: (journey, target, options) => runJourney(journey, target, { clock }, options) }),
    judges: createJudge,
    probes: createJourneyProbes(config, { clock, adminToken: options.adminToken }),
    checkRunners: createCheckRunners({ env, clock }),
    discoverExtensions: (service, files, upgrade) => discoverExtensions(service, files, upgradeComponents(upgrade)),
    deployerFor(service) {
      const built = deployers.get(service);
      if (built) return built;
      const entry = config.deployers.find((d) => d.service === service);
      if (!entry) return undefined;
      const deployer = createDeployer(entry, deployerDeps);
      deployers.set(service, deployer);
      return deployer;
    },
    async close() {
      const built = [...deployers.values()];
      deployers.clear();
      await Promise.all(built.map((d) => d.close()));
    },
  };
}
