import type { FactoryConfig } from '../config/schema.js';
import type { MetricSource } from '../config/sections/metrics.js';
import { UfError } from '../core/errors.js';
import type { Upgrade } from '../core/upgrade/index.js';
import type { MetricProvider } from '../rollout/analysis/providers/types.js';
import type { Deployer } from '../rollout/deployers/types.js';
import { analysisRunner, type AnalysisSpec, type ReconcilerDeps } from '../rollout/reconciler/index.js';
import type { TrafficRouter } from '../traffic/types.js';
import type { Clock } from '../core/clock.js';
import type { Db } from '../store/db.js';
import { verificationRunners } from '../verify/verification.js';
import type { Adapters } from './adapters.js';

/**
 * What drives a rollout besides the store: the router in front of each service (the front end
 * that started the data plane knows it) and where owners' notifications go.
 */
export interface RolloutDrivers {
  /** The router in front of a service; undefined when none is configured (no rollout can run). */
  routerFor(service: string): TrafficRouter | undefined;
  /** Tells a service's owner; rejects when it could not. */
  notify(service: string, text: string): Promise<void>;
}

/** The analyses of `rollout.analyses`, each with its judge built and its metrics bound to their providers. */
export function analysisSpecs(config: FactoryConfig, adapters: Adapters): Record<string, AnalysisSpec> {
  const provider: MetricProvider<unknown> = {
    // Each measurement names the source kind that produced it; this only dispatches to it.
    id: 'configured-source',
    measure: (query) => adapters.metricProviders.measure({ ...query, settings: query.settings as MetricSource }),
    startWindow: (query) => adapters.metricProviders.startWindow({ ...query, settings: query.settings as MetricSource }),
  };
  return Object.fromEntries(
    Object.entries(config.rollout.analyses).map(([name, analysis]) => [
      name,
      { judge: adapters.judges(analysis.judge), metrics: analysis.metrics.map((m) => ({ metric: m.name, provider, settings: m.source })) },
    ]),
  );
}

/**
 * The reconciler's dependencies for one rollout of `upgrade` on `service`; refuses (usage) when
 * the service has no deployer or no router, naming what to configure.
 */
export function reconcilerDeps(
  input: { config: FactoryConfig; adapters: Adapters; drivers: RolloutDrivers; analyses: Record<string, AnalysisSpec>; db: Db; clock: Clock },
  upgrade: Upgrade,
  service: string,
): Omit<ReconcilerDeps, 'onDecided'> {
  const { config, adapters, drivers } = input;
  const deployer = requireDeployer(adapters, service);
  const router = requireRouter(drivers, service);
  return {
    deployer,
    router,
    analyse: analysisRunner(input.analyses),
    ...verificationRunners(input.analyses, { db: input.db, clock: input.clock, measure: (query) => adapters.metricProviders.measure(query), judges: adapters.judges }),
    notify: (s, text) => drivers.notify(s, text),
    versions: { fromVersion: upgrade.fromVersions[0] ?? 'unknown', toVersion: upgrade.targetVersion, environment: config.environments.at(-1)! },
    gatePolicy: config.policy,
  };
}

/** The service's deployer; refused (usage) when `deployers:` has none for it. */
export function requireDeployer(adapters: Adapters, service: string): Deployer {
  const deployer = adapters.deployerFor(service);
  if (!deployer) throw new UfError('usage', `service ${service} has no deployer: add one under deployers: in factory.yaml (kind command, webhook or sample)`, { path: 'deployers' });
  return deployer;
}

/** The router in front of the service; refused (usage) when none is configured, or the lookup's own refusal. */
export function requireRouter(drivers: Pick<RolloutDrivers, 'routerFor'>, service: string): TrafficRouter {
  const router = drivers.routerFor(service);
  if (!router) {
    throw new UfError('usage', `service ${service} has no traffic router: configure one under traffic.routers (builtin, haproxy or nginx)`, { path: 'traffic.routers' });
  }
  return router;
}
