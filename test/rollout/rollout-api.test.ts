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
import type { AppEvent } from '../../src/app/events.js';
import { buildRoot, type AppRoot } from '../../src/app/root.js';
import { createRollouts, type Rollouts, type RolloutView } from '../../src/app/rollouts.js';
import { loadConfig } from '../../src/config/load.js';
import { steppingClock } from '../../src/core/clock.js';
import type { SampleService } from '../../src/proxy/sample-service.js';
import { startRouterHost, type RouterHost } from '../../src/proxy/worker/host.js';
import { listActions } from '../../src/rollout/store/rollouts.js';
import { verifyLog } from '../../src/store/repos/operation-log.js';
import { createToken } from '../../src/store/repos/tokens.js';
import { createUpgrade, getUpgrade } from '../../src/store/repos/upgrades.js';
import type { Upstream } from '../../src/traffic/traffic-router.contract.js';
import { createInProcessBuiltinRouter } from '../../src/traffic/routers/builtin/in-process.js';
import { startVersions } from '../../src/traffic/routers/builtin/testing.js';
import { upgradeAtCompat } from '../helpers/upgrades.js';
import type { TrafficRouter } from '../../src/traffic/types.js';

/**
 * The rollout use cases through the REST API, on a real SQLite file, real sample services deployed
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

describe('rollout API', () => {
  let dir: string;
  let root: AppRoot;
  let app: FastifyInstance;
  let rollouts: Rollouts;
  let host: RouterHost;
  let versions: Record<Upstream, SampleService>;
  let router: TrafficRouter;
  let kpi: Awaited<ReturnType<typeof startKpiSource>>;
  let upgradeId: string;
  const events: AppEvent[] = [];
  const secrets: Record<string, string> = {};

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'uf-rollout-api-'));
    kpi = await startKpiSource();
    writeFileSync(
      join(dir, 'factory.yaml'),
      stringify({
        version: 1,
        name: 'rollout-api-test',
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
      }),
    );
    // Every clock read moves 10 s on: a step's minutes pass in a few calls.
    const clock = steppingClock(t0, 10_000);
    root = await buildRoot(loadConfig(join(dir, 'factory.yaml')), { clock, logger: pino({ level: 'silent' }), env: {} });
    root.events.subscribe((e) => void events.push(e));
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
    events.length = 0;
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

  it('starts as the token\'s person, refuses self-approval whatever the body says, and moves on an approval by another approver', async () => {
    const viewer = await call('vic', 'POST', '/api/v1/rollouts', { upgradeId });
    expect(viewer.statusCode).toBe(403);

    const started = await call('alice', 'POST', '/api/v1/rollouts', { upgradeId });
    expect(started.statusCode, started.body).toBe(201);
    const id = started.json<RolloutView>().id;
    expect(started.json<RolloutView>().state.initiator).toBe('user:alice');

    const again = await call('olga', 'POST', '/api/v1/rollouts', { upgradeId });
    expect(again.statusCode).toBe(409);
    expect(again.json<{ message: string }>().message).toContain(`already has rollout ${id}`);

    await until(id, 'awaiting-approval');
    expect((await getUpgrade(root.store.db, upgradeId))?.state).toBe('canary');

    // alice holds every role (admin) and says she is bob: she started it, so it is refused, and logged.
    const self = await call('alice', 'POST', `/api/v1/rollouts/${id}/approve`, { reason: 'looks fine', by: 'user:bob' });
    expect(self.statusCode).toBe(403);
    expect(self.json<{ message: string }>().message).toContain('user:alice started this rollout and cannot approve its gates');
    // An operator does not hold the approver role.
    const operator = await call('olga', 'POST', `/api/v1/rollouts/${id}/approve`, {});
    expect(operator.statusCode).toBe(403);
    expect(operator.json<{ message: string }>().message).toContain('does not hold the role approver');

    const approved = await call('bob', 'POST', `/api/v1/rollouts/${id}/approve`, { reason: 'p95 within budget' });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json<{ status: string }>().status).toBe('accepted');
    expect(approved.json<{ rollout: RolloutView }>().rollout.state.approvals).toHaveLength(1);
    const after = await rollouts.get(id);
    expect(after.state.approvals).toMatchObject([{ by: 'user:bob', role: 'approver', decision: 'approve', step: 0 }]);
    expect(after.state.step).toBe(1);

    const detail = await call('vic', 'GET', `/api/v1/rollouts/${id}`);
    expect(detail.statusCode).toBe(200);
    const body = detail.json<RolloutView>();
    expect(body.state.verdicts[0]!.verdict.evidence[0]).toMatchObject({ metric: 'p95_latency', values: { canary: { count: 500, value: 120 }, stable: { count: 500, value: 110 } } });
    // Each weight change the router confirmed, with when: 5% canary beside a 5% baseline.
    expect(body.weights).toContainEqual(expect.objectContaining({ canary: 5, at: expect.any(String) }));
    const texts = body.decisions!.map((d) => `${d.actor}: ${d.reason}`);
    expect(texts).toContainEqual(expect.stringContaining('user:alice: approve by user:alice refused: user:alice started this rollout'));
    expect(texts).toContainEqual(expect.stringContaining('user:bob: user:bob (approver) approved step 1 at 5%'));
    expect(events.filter((e) => e.type === 'rollout.updated').length).toBeGreaterThan(3);
    // The rollout's own moves of the upgrade are announced too (the board follows them).
    expect(events).toContainEqual(expect.objectContaining({ type: 'upgrade.transitioned', upgradeId, to: 'canary' }));
    expect((await verifyLog(root.store.db)).ok).toBe(true);
  }, 60_000);

  it('rolls back on a failed analysis, refuses commands the phase does not allow, and retries as a new attempt', async () => {
    const id = (await rollouts.start({ upgradeId, actor: 'user:olga' })).id;
    kpi.setCanary(400);
    const back = await until(id, 'rolled-back');
    expect(back.state.weights).toEqual({ canary: 0, baseline: 0 });
    expect((await getUpgrade(root.store.db, upgradeId))?.state).toBe('rolled_back');
    expect(events.some((e) => e.type === 'rollout.notification' && e.text.includes('failed at 5%'))).toBe(true);

    const resume = await call('olga', 'POST', `/api/v1/rollouts/${id}/resume`, {});
    expect(resume.statusCode).toBe(409);
    expect(resume.json<{ message: string }>().message).toContain('is rolled-back, not paused');

    kpi.setCanary(130);
    const retried = await call('olga', 'POST', `/api/v1/rollouts/${id}/retry`, { reason: 'fixed the N+1 query' });
    expect(retried.statusCode, retried.body).toBe(200);
    // Decided at once; the driver (here: the test's reconcile calls) moves the upgrade back to compat and on.
    expect((await rollouts.get(id)).state).toMatchObject({ attempt: 2, phase: 'deploying' });
    await until(id, 'awaiting-approval');
    const view = await rollouts.get(id);
    // The failed attempt's verdicts stay beside the new attempt's.
    expect(view.state.verdicts.map((v) => [v.attempt, v.verdict.outcome])).toEqual(expect.arrayContaining([[1, 'fail'], [2, 'pass']]));
    expect((await getUpgrade(root.store.db, upgradeId))?.state).toBe('canary');
    expect((await listActions(root.store.db, id)).some((a) => a.action.kind === 'transition-upgrade' && a.action.event === 'retry')).toBe(true);

    const aborted = await call('olga', 'POST', `/api/v1/rollouts/${id}/abort`, { reason: 'release freeze' });
    expect(aborted.statusCode).toBe(200);
    expect((await rollouts.get(id)).state.phase).toBe('aborted');
    expect((await verifyLog(root.store.db)).ok).toBe(true);
  }, 60_000);

  it('refuses to start an upgrade that is not in compat, or a service without a router', async () => {
    const u = await createUpgrade(root.store, { ecosystem: 'npm', name: 'left-pad', purl: 'pkg:npm/left-pad', fromVersions: ['1.0.0'], targetVersion: '1.3.0', services: ['cart'], changeClass: 'normal', createdBy: 'system:intake', reason: 'test' });
    const early = await call('olga', 'POST', '/api/v1/rollouts', { upgradeId: u.id });
    expect(early.statusCode).toBe(409);
    expect(early.json<{ message: string }>().message).toContain('a rollout starts from compat');
    const missing = await call('olga', 'POST', '/api/v1/rollouts', { upgradeId: 'upg_nope' });
    expect(missing.statusCode).toBe(404);
  });
});

