import { randomBytes } from 'node:crypto';
import { trafficRouterEntries } from '../config/sections/traffic.js';
import { UfError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { drillSummary, runDrill } from '../governance/drills/run.js';
import { saveDrill } from '../governance/drills/store.js';
import type { StoredDrill } from '../governance/drills/types.js';
import { startProxy } from '../proxy/server.js';
import { startSampleService, type SampleService } from '../proxy/sample-service.js';
import { findService } from '../store/repos/catalog.js';
import { createBuiltinRouter } from '../traffic/routers/builtin/index.js';
import type { TrafficRouter } from '../traffic/types.js';
import type { GuardRoot } from './guards.js';
import type { AppRoot } from './root.js';

/**
 * `builtin`: a built-in router stood up for the drill; `configured`: the router factory.yaml puts in
 * front of the service (HAProxy, nginx, or a built-in one this process runs), driven where it runs.
 */
export const drillRouters = ['builtin', 'configured'] as const;

/** What a drill runs with: the guard root, and the adapters that build the service's configured router. */
export type DrillRoot = GuardRoot & Partial<Pick<AppRoot, 'adapters' | 'logger'>>;

export interface DrillRequest {
  service: string;
  /** `builtin` (the default) or `configured`. */
  router?: string;
  /** Staging endpoints of the service's stable and canary versions; two local backends when absent (builtin only). */
  stable?: string;
  canary?: string;
  /** With `configured`: where the service's traffic enters its router (requests go there). */
  through?: string;
  /** Canary weight before the rollback; 50 by default. */
  weight?: number;
  /** Requests stable must answer after the rollback; 50 by default. */
  verifyRequests?: number;
  actor: string;
}

/**
 * A real rollback drill in a staging set-up: a built-in router (the proxy, driven through its
 * admin API like any running one) in front of the service's stable and canary (its staging
 * endpoints when given, else two local backends answering their version), traffic to the canary,
 * a rollback to weight 0 timed until stable answers, and every request after it checked. The
 * result and the measured rollback time are stored (rollback_drills) and logged (`drill.pass` or
 * `drill.fail`). A drill that fails is still recorded: that is what it found.
 */
export async function runServiceDrill(root: DrillRoot, request: DrillRequest): Promise<StoredDrill> {
  const router = request.router ?? 'builtin';
  if (!(drillRouters as readonly string[]).includes(router)) throw new UfError('usage', `--router ${router} is not one of ${drillRouters.join(', ')}`, { path: 'router' });
  if ((request.stable === undefined) !== (request.canary === undefined)) throw new UfError('usage', 'staging endpoints come in pairs: give both --stable URL and --canary URL, or neither', { path: request.stable === undefined ? 'stable' : 'canary' });
  if (router === 'configured') return configuredDrill(root, request);
  if (request.through !== undefined) throw new UfError('usage', '--through is for --router configured: a built-in drill router is stood up and entered directly', { path: 'through' });
  const { weight, verifyRequests } = drillSettings(request);
  const service = await knownService(root, request.service);

  const started: { close(): Promise<void> }[] = [];
  const startedAt = root.clock.now().toISOString();
  try {
    let stable = request.stable;
    let canary = request.canary;
    if (stable === undefined || canary === undefined) {
      const backends: SampleService[] = await Promise.all([startSampleService({ version: `${service}-stable` }), startSampleService({ version: `${service}-canary` })]);
      started.push(...backends);
      [stable, canary] = backends.map((b) => b.url) as [string, string];
    }
    const [stableVersion, canaryVersion] = await Promise.all([versionAt(stable, 'stable'), versionAt(canary, 'canary')]);
    const adminToken = randomBytes(24).toString('hex');
    const proxy = await startProxy({ listen: { host: '127.0.0.1', port: 0 }, admin: { host: '127.0.0.1', port: 0 }, adminToken, stable, canary });
    started.unshift(proxy);
    const traffic = createBuiltinRouter({ adminUrl: proxy.adminUrl!, token: adminToken });
    const routerName = `builtin (staging, ${request.stable ? 'staging endpoints' : 'local backends'})`;
    return await drillAndRecord(root, { service, routerName, traffic, through: proxy.url, stableVersion, canaryVersion, weight, verifyRequests, actor: request.actor, startedAt });
  } finally {
    for (const closing of started) await closing.close().catch(() => undefined);
  }
}

/**
 * The drill through the router factory.yaml puts in front of the service (run with the staging
 * environment's factory.yaml): its weights are set where it runs (HAProxy's runtime API, nginx's
 * include file and reload, a built-in router's admin API), requests enter at `through`, and the
 * staging endpoints tell which version is which. The weight is left at 0 afterwards.
 */
async function configuredDrill(root: DrillRoot, request: DrillRequest): Promise<StoredDrill> {
  const { weight, verifyRequests } = drillSettings(request);
  if (request.through === undefined) throw new UfError('usage', "--router configured needs --through URL: where the service's traffic enters its router", { path: 'through' });
  if (request.stable === undefined || request.canary === undefined) throw new UfError('usage', "--router configured needs --stable URL and --canary URL: the staging endpoints that tell each version's name", { path: 'stable' });
  const service = await knownService(root, request.service);
  const entry = trafficRouterEntries(root.loaded.config.traffic).find((e) => e.router.service.toLowerCase() === service.toLowerCase());
  if (!entry) throw new UfError('not_found', `factory.yaml puts no router in front of ${service} (traffic.routers): use --router builtin to stand one up for the drill`, { record: service });
  if (!root.adapters || !root.logger) throw new UfError('usage', 'a drill through the configured router needs the composition root', { path: 'router' });
  let traffic: TrafficRouter | undefined;
  try {
    traffic = root.adapters.routers.traffic(root.loaded.config, undefined, root.logger, service)[0]?.router;
  } catch (error) {
    throw new UfError('usage', `the router in front of ${service} cannot be driven from here: ${(error as Error).message}`, { record: service });
  }
  if (!traffic) throw new UfError('not_found', `no router could be built for ${service}`, { record: service });
  const startedAt = root.clock.now().toISOString();
  const [stableVersion, canaryVersion] = await Promise.all([versionAt(request.stable, 'stable'), versionAt(request.canary, 'canary')]);
  return drillAndRecord(root, { service, routerName: `${entry.router.kind} (configured, ${entry.path.join('.')})`, traffic, through: request.through, stableVersion, canaryVersion, weight, verifyRequests, actor: request.actor, startedAt });
}

function drillSettings(request: DrillRequest): { weight: number; verifyRequests: number } {
  const weight = request.weight ?? 50;
  if (!Number.isInteger(weight) || weight < 1 || weight > 100) throw new UfError('usage', `the drill's canary weight must be a whole percentage 1..100, not ${weight}`, { path: 'weight' });
  const verifyRequests = request.verifyRequests ?? 50;
  if (!Number.isInteger(verifyRequests) || verifyRequests < 1 || verifyRequests > 10_000) throw new UfError('usage', `the requests checked after the rollback must be 1..10000, not ${verifyRequests}`, { path: 'requests' });
  return { weight, verifyRequests };
}

async function drillAndRecord(
  root: DrillRoot,
  drill: { service: string; routerName: string; traffic: TrafficRouter; through: string; stableVersion: string; canaryVersion: string; weight: number; verifyRequests: number; actor: string; startedAt: string },
): Promise<StoredDrill> {
  const report = await runDrill(
    { router: drill.traffic, stableVersion: drill.stableVersion, canaryVersion: drill.canaryVersion, send: () => versionAt(drill.through, 'the router') },
    { canaryWeight: drill.weight, verifyRequests: drill.verifyRequests, elapsed: () => performance.now() },
  );
  return saveDrill(root.store, {
    id: newId('drl'),
    service: drill.service,
    router: drill.routerName,
    outcome: report.failures.length === 0 ? 'pass' : 'fail',
    rollbackMs: report.rollbackMs ?? null,
    report,
    summary: drillSummary(drill.service, drill.routerName, report),
    actor: drill.actor,
    startedAt: drill.startedAt,
    finishedAt: root.clock.now().toISOString(),
  });
}

/** The service's name as the catalog or the traffic section spells it. */
async function knownService(root: GuardRoot, name: string): Promise<string> {
  const entity = await findService(root.store.db, name);
  if (entity) return entity.name;
  const routed = trafficRouterEntries(root.loaded.config.traffic).find((e) => e.router.service.toLowerCase() === name.toLowerCase());
  if (routed) return routed.router.service;
  throw new UfError('not_found', `no service ${name} in the catalog or under traffic.routers`, { record: name });
}

/** The version that answers at `url`: its `x-version` header, else a JSON body's `version`. */
async function versionAt(url: string, what: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(`${url.replace(/\/+$/, '')}/drill`, { signal: AbortSignal.timeout(5_000) });
  } catch (error) {
    throw new UfError('source_unavailable', `${what} at ${url} is unreachable: ${error instanceof Error ? error.message : String(error)}`, { record: url });
  }
  const text = await response.text();
  const header = response.headers.get('x-version');
  if (header) return header;
  try {
    const version = (JSON.parse(text) as { version?: unknown }).version;
    if (typeof version === 'string' && version !== '') return version;
  } catch {
    // Not JSON: no version to read.
  }
  throw new UfError('source_unavailable', `${what} at ${url} answered ${response.status} without an x-version header or a JSON version field; a drill needs each version to say which it is`, { record: url });
}
