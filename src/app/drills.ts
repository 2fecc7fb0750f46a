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
import type { GuardRoot } from './guards.js';

export const drillRouters = ['builtin'] as const;

export interface DrillRequest {
  service: string;
  /** Only the built-in router can be stood up for a drill. */
  router?: string;
  /** Staging endpoints of the service's stable and canary versions; two local backends when absent. */
  stable?: string;
  canary?: string;
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
export async function runServiceDrill(root: GuardRoot, request: DrillRequest): Promise<StoredDrill> {
  const router = request.router ?? 'builtin';
  if (!(drillRouters as readonly string[]).includes(router)) throw new UfError('usage', `a drill stands up the built-in router; --router ${router} is not one of ${drillRouters.join(', ')}`, { path: 'router' });
  if ((request.stable === undefined) !== (request.canary === undefined)) throw new UfError('usage', 'staging endpoints come in pairs: give both --stable URL and --canary URL, or neither', { path: request.stable === undefined ? 'stable' : 'canary' });
  const weight = request.weight ?? 50;
  if (!Number.isInteger(weight) || weight < 1 || weight > 100) throw new UfError('usage', `the drill's canary weight must be a whole percentage 1..100, not ${weight}`, { path: 'weight' });
  const verifyRequests = request.verifyRequests ?? 50;
  if (!Number.isInteger(verifyRequests) || verifyRequests < 1 || verifyRequests > 10_000) throw new UfError('usage', `the requests checked after the rollback must be 1..10000, not ${verifyRequests}`, { path: 'requests' });
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
    const report = await runDrill(
      { router: traffic, stableVersion, canaryVersion, send: () => versionAt(proxy.url, 'the router') },
      { canaryWeight: weight, verifyRequests, elapsed: () => performance.now() },
    );
    const routerName = `builtin (staging, ${request.stable ? 'staging endpoints' : 'local backends'})`;
    return await saveDrill(root.store, {
      id: newId('drl'),
      service,
      router: routerName,
      outcome: report.failures.length === 0 ? 'pass' : 'fail',
      rollbackMs: report.rollbackMs ?? null,
      report,
      summary: drillSummary(service, routerName, report),
      actor: request.actor,
      startedAt,
      finishedAt: root.clock.now().toISOString(),
    });
  } finally {
    for (const closing of started) await closing.close().catch(() => undefined);
  }
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
