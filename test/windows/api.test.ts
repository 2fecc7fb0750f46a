import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { stringify } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/api/server.js';
import { buildRoot, type AppRoot } from '../../src/app/root.js';
import { createRollouts, type Rollouts, type RolloutView } from '../../src/app/rollouts.js';
import { loadConfig } from '../../src/config/load.js';
import { steppingClock } from '../../src/core/clock.js';
import type { SampleService } from '../../src/proxy/sample-service.js';
import { startRouterHost, type RouterHost } from '../../src/proxy/worker/host.js';
import { createToken } from '../../src/store/repos/tokens.js';
import type { Upstream } from '../../src/traffic/traffic-router.contract.js';
import { createInProcessBuiltinRouter } from '../../src/traffic/routers/builtin/in-process.js';
import { startVersions } from '../../src/traffic/routers/builtin/testing.js';
import { upgradeAtCompat } from '../helpers/upgrades.js';
import { component } from '../helpers/fixtures.js';
import { importCatalog } from '../../src/store/repos/catalog.js';
import type { TrafficRouter } from '../../src/traffic/types.js';

/**
 * Change windows through the REST API (and, before it, the same setup as the rollout API's test), on a real SQLite file, real sample services deployed
 * by the sample deployer, the built-in router, and an HTTP JSON metric source: who may start,
 * approve and command a rollout, and what each answer says.
 */

const t0 = '2026-12-01T09:00:00.000Z';

/** A KPI endpoint per variant: the canary's p95 is set by the test; every variant reports 500 requests. */
async function startKpiSource(): Promise<{ url: string; setCanary(p95: number): void; close(): Promise<void> }> {
  let canary = 120;
  const server = http.createServer((req, res) => {
    const variant = new URL(req.url ?? '/', 'http://x').pathname.split('/').at(-1);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ p95: variant === 'canary' ? canary : 110, requests: 500 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    setCanary: (p95) => (canary = p95),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('windows API', () => {
  let dir: string;
  let root: AppRoot;
  let app: FastifyInstance;
  let rollouts: Rollouts;
  let host: RouterHost;
  let versions: Record<Upstream, SampleService>;
  let router: TrafficRouter;
  let kpi: Awaited<ReturnType<typeof startKpiSource>>;
  let upgradeId: string;
  const secrets: Record<string, string> = {};

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'uf-windows-api-'));
    kpi = await startKpiSource();
    writeFileSync(
      join(dir, 'factory.yaml'),
      stringify({
        version: 1,
        name: 'windows-api-test',
        store: { path: 'factory.db' },
        deployers: [{ service: 'checkout', kind: 'sample', health: { intervalMs: 50, timeoutMs: 10_000 } }],
        rollout: {
          analyses: {
            slo: {
              interval: '1m',
              metrics: [{ name: 'p95_latency', source: { kind: 'http-json', url: `${kpi.url}/kpi/{{variant}}`, path: '$.p95', countPath: '$.requests' } }],
              judge: { kind: 'threshold', checks: [{ metric: 'p95_latency', max: 250, maxRatio: 1.5 }] },
            },
          },
          defaults: { analysis: 'slo', minDuration: '2m', maxDuration: '1h', minSamples: 100 },
        },
        windows: {
          blackouts: [{ name: 'release-freeze', from: '2026-12-01T09:00', to: '2026-12-08T09:00', timeZone: 'Europe/Berlin', select: { services: ['checkout'] }, reason: 'peak season' }],
        },
      }),
    );
    // Every clock read moves 10 s on: a step's minutes pass in a few calls.
    const clock = steppingClock(t0, 10_000);
    root = await buildRoot(loadConfig(join(dir, 'factory.yaml')), { clock, logger: pino({ level: 'silent' }), env: {} });
    versions = await startVersions();
    host = await startRouterHost(
      [{ service: 'checkout', listen: { host: '127.0.0.1', port: 0 }, stable: versions.stable.url, canary: versions.canary.url, baseline: versions.baseline.url, canaryWeight: 0 }],
      { logger: pino({ level: 'silent' }) },
    );
    router = createInProcessBuiltinRouter(host.routers[0]!);
    rollouts = createRollouts(root, { routerFor: (service) => (service === 'checkout' ? router : undefined) });
    app = await buildServer({ store: root.store, config: root.loaded.config, loaded: root.loaded, root, rollouts });
    for (const [user, role] of [['alice', 'admin'], ['bob', 'approver'], ['olga', 'operator'], ['vic', 'viewer']] as const) {
      secrets[user] = (await createToken(root.store, { name: user, role, actor: 'user:setup', user })).secret;
    }
    upgradeId = await upgradeAtCompat(root.store, { clock: root.clock });
  });

  afterEach(async () => {
    await app.close();
    await host.close();
    await Promise.all(Object.values(versions).map((v) => v.close()));
    await kpi.close();
    await root.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const call = (user: string, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${secrets[user]}` }, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });

  /** Reconciles until the rollout reaches `phase` (each call moves the stepping clock on). */
  async function until(id: string, phase: string): Promise<RolloutView> {
    for (let i = 0; i < 60; i++) {
      await rollouts.reconcile(id);
      const view = await rollouts.get(id);
      if (view.state.phase === phase) return view;
    }
    throw new Error(`rollout ${id} never reached ${phase}: ${(await rollouts.get(id)).state.phase}`);
  }


  it('serves the windows, a service\'s verdict and conflicts to every role', async () => {
    await importCatalog(root.store, { files: ['a.yaml'], entities: [component('checkout', ['payments']), component('payments')], actor: 'alice' });
    const listing = await call('vic', 'GET', '/api/v1/windows');
    expect(listing.statusCode, listing.body).toBe(200);
    expect(listing.json<{ blackouts: { name: string; from: string }[] }>().blackouts).toMatchObject([{ name: 'release-freeze', from: '2026-12-01T08:00:00.000Z' }]);
    const verdict = await call('vic', 'GET', '/api/v1/windows/services/checkout?at=2026-12-02T00:00:00Z');
    expect(verdict.statusCode, verdict.body).toBe(200);
    expect(verdict.json()).toMatchObject({ service: 'checkout', open: false, nextOpenAt: '2026-12-08T08:00:00.000Z' });
    const unknown = await call('vic', 'GET', '/api/v1/windows/services/nope');
    expect(unknown.statusCode).toBe(404);
    const badAt = await call('vic', 'GET', '/api/v1/windows/services/checkout?at=yesterday');
    expect(badAt.statusCode).toBe(400);
    const conflicts = await call('vic', 'GET', '/api/v1/windows/conflicts?from=2026-12-01T00:00:00Z&to=2026-12-31T00:00:00Z');
    expect(conflicts.statusCode, conflicts.body).toBe(200);
  }, 60_000);

  it('holds the canary in a freeze; an override needs approver or admin and a reason, never the initiator, and is logged', async () => {
    const id = (await rollouts.start({ upgradeId, actor: 'user:olga' })).id;
    const waiting = await until(id, 'awaiting-window');
    expect(waiting.state.weights.canary).toBe(0);
    expect(waiting.state.windowWait?.reason).toContain('blackout release-freeze');
    expect(waiting.state.windowWait?.nextOpenAt).toBe('2026-12-08T08:00:00.000Z');
    await rollouts.reconcile(id);
    expect((await rollouts.get(id)).state.phase).toBe('awaiting-window');

    const operator = await call('olga', 'POST', `/api/v1/rollouts/${id}/override-window`, { reason: 'hotfix' });
    expect(operator.statusCode).toBe(403);
    const noReason = await call('bob', 'POST', `/api/v1/rollouts/${id}/override-window`, {});
    expect(noReason.statusCode).toBe(400);
    const forged = await call('bob', 'POST', `/api/v1/rollouts/${id}/override-window`, { reason: 'hotfix', by: 'user:alice' });
    expect(forged.statusCode).toBe(400);

    const ok = await call('bob', 'POST', `/api/v1/rollouts/${id}/override-window`, { reason: 'INC-4711 fix before the peak' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json<{ status: string }>().status).toBe('accepted');
    const moved = await rollouts.get(id, { withDecisions: true });
    expect(moved.state.phase).toBe('promoting');
    expect(moved.state.windowOverrides).toMatchObject([{ by: 'user:bob', role: 'approver', reason: 'INC-4711 fix before the peak', step: 0 }]);
    expect(moved.decisions!.map((d) => `${d.actor}: ${d.reason}`)).toContainEqual(expect.stringContaining('user:bob: user:bob (approver) overrode the closed change window for step 1 at 5%'));
    // The override covered the canary's start: after the next gate's approval, the freeze holds again.
    await until(id, 'awaiting-approval');
    const approved = await call('bob', 'POST', `/api/v1/rollouts/${id}/approve`, { reason: 'p95 within budget' });
    expect(approved.statusCode, approved.body).toBe(200);
    expect((await rollouts.get(id)).state).toMatchObject({ phase: 'awaiting-window', weights: { canary: 5 }, windowWait: { step: 1 } });
  }, 60_000);
});
