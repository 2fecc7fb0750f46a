import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import type { Browser } from 'playwright-core';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/api/server.js';
import { buildRoot, type AppRoot } from '../../src/app/root.js';
import { createRollouts, type Rollouts } from '../../src/app/rollouts.js';
import { loadConfig } from '../../src/config/load.js';
import { steppingClock } from '../../src/core/clock.js';
import type { SampleService } from '../../src/proxy/sample-service.js';
import { startRouterHost, type RouterHost } from '../../src/proxy/worker/host.js';
import { createToken } from '../../src/store/repos/tokens.js';
import { createInProcessBuiltinRouter } from '../../src/traffic/routers/builtin/in-process.js';
import { startVersions } from '../../src/traffic/routers/builtin/testing.js';
import type { Upstream } from '../../src/traffic/traffic-router.contract.js';
import { upgradeAtCompat } from '../helpers/upgrades.js';
import { browserSkipReason, launch, screenshotDir, signIn, signOut } from './browser.js';

/**
 * The approver's path through the dashboard in a real browser (Debian's chromium) against a real
 * server, store, built-in router and sample services: a rollout waits at its 5% gate; the person
 * who started it tries to approve it and sees the server's segregation-of-duties refusal word for
 * word; the approver persona approves it and the rollout moves on.
 */
describe.skipIf(browserSkipReason !== undefined)(`dashboard approvals in a browser${browserSkipReason ? `: ${browserSkipReason}` : ''}`, () => {
  let dir: string;
  let root: AppRoot;
  let app: FastifyInstance;
  let rollouts: Rollouts;
  let host: RouterHost;
  let versions: Record<Upstream, SampleService>;
  let kpi: http.Server;
  let browser: Browser;
  let base: string;
  let rolloutId: string;
  const secrets: Record<string, string> = {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'uf-web-approvals-'));
    kpi = http.createServer((_req, res) => res.setHeader('content-type', 'application/json').end(JSON.stringify({ p95: 110, requests: 500 })));
    await new Promise<void>((resolve) => kpi.listen(0, '127.0.0.1', resolve));
    const kpiUrl = `http://127.0.0.1:${(kpi.address() as AddressInfo).port}`;
    writeFileSync(
      join(dir, 'factory.yaml'),
      stringify({
        version: 1,
        name: 'web-approvals',
        store: { path: 'factory.db' },
        deployers: [{ service: 'checkout', kind: 'sample', health: { intervalMs: 50, timeoutMs: 10_000 } }],
        rollout: {
          analyses: {
            slo: {
              interval: '1m',
              metrics: [{ name: 'p95_latency', source: { kind: 'http-json', url: `${kpiUrl}/kpi/{{variant}}`, path: '$.p95', countPath: '$.requests' } }],
              judge: { kind: 'threshold', checks: [{ metric: 'p95_latency', max: 250, maxRatio: 1.5 }] },
            },
          },
          defaults: { analysis: 'slo', minDuration: '2m', maxDuration: '1h', minSamples: 100 },
        },
      }),
    );
    root = await buildRoot(loadConfig(join(dir, 'factory.yaml')), { clock: steppingClock('2026-12-01T09:00:00.000Z', 10_000), logger: pino({ level: 'silent' }), env: {} });
    versions = await startVersions();
    host = await startRouterHost(
      [{ service: 'checkout', listen: { host: '127.0.0.1', port: 0 }, stable: versions.stable.url, canary: versions.canary.url, baseline: versions.baseline.url, canaryWeight: 0 }],
      { logger: pino({ level: 'silent' }) },
    );
    const router = createInProcessBuiltinRouter(host.routers[0]!);
    rollouts = createRollouts(root, { routerFor: (service) => (service === 'checkout' ? router : undefined) });
    app = await buildServer({ store: root.store, config: root.loaded.config, loaded: root.loaded, root, rollouts });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    for (const [user, role] of [['alice', 'admin'], ['bob', 'approver']] as const) {
      secrets[user] = (await createToken(root.store, { name: user, role, actor: 'user:setup', user })).secret;
    }
    const upgradeId = await upgradeAtCompat(root.store, { clock: root.clock });
    rolloutId = (await rollouts.start({ upgradeId, actor: 'user:alice' })).id;
    for (let i = 0; i < 60 && (await rollouts.get(rolloutId)).state.phase !== 'awaiting-approval'; i++) await rollouts.reconcile(rolloutId);
    expect((await rollouts.get(rolloutId)).state.phase).toBe('awaiting-approval');
    browser = await launch();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await host?.close();
    await Promise.all(Object.values(versions ?? {}).map((v) => v.close()));
    await new Promise((resolve) => kpi?.close(resolve));
    await root?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the initiator the server\'s refusal of a self-approval, and lets the approver approve the step', async () => {
    const shots = screenshotDir(dir);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await signIn(page, base, secrets.alice!, '#/approvals');
      const approve = page.getByRole('button', { name: /approve rollout/i }).first();
      await approve.waitFor({ timeout: 15_000 });
      await page.getByRole('form', { name: /rollout/i }).getByLabel(/reason/i).fill('self-approval attempt');
      await approve.click();
      await page.getByRole('alert').filter({ hasText: 'user:alice started this rollout and cannot approve its gates' }).waitFor({ timeout: 10_000 });
      expect((await rollouts.get(rolloutId)).state.step).toBe(0);
      await page.screenshot({ path: join(shots, 'approvals-refused.png'), fullPage: true });

      await signOut(page);
      await signIn(page, base, secrets.bob!, '#/approvals');
      await page.getByRole('button', { name: /approve rollout/i }).first().waitFor({ timeout: 15_000 });
      await page.screenshot({ path: join(shots, 'approvals.png'), fullPage: true });
      await page.getByRole('form', { name: /rollout/i }).getByLabel(/reason/i).fill('p95 within budget');
      await page.getByRole('button', { name: /approve rollout/i }).first().click();
      await expect.poll(async () => (await rollouts.get(rolloutId)).state.step, { timeout: 10_000 }).toBe(1);
      expect((await rollouts.get(rolloutId)).state.approvals).toMatchObject([{ by: 'user:bob', role: 'approver', decision: 'approve', step: 0 }]);
      // The gate no longer waits: the inbox stops offering it.
      await expect.poll(() => page.getByRole('button', { name: /approve rollout/i }).count(), { timeout: 10_000 }).toBe(0);
    } finally {
      await page.close();
    }
  }, 120_000);
});

