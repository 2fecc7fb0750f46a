import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runServiceDrill } from '../../src/app/drills.js';
import { buildRoot, type AppRoot } from '../../src/app/root.js';
import { loadConfig } from '../../src/config/load.js';
import { UfError } from '../../src/core/errors.js';
import { listDrills } from '../../src/governance/drills/store.js';
import { findBinary, missingBinaryReason } from '../traffic/support/binaries.js';
import { startNginxHarness, type NginxHarness } from '../traffic/support/nginx.js';

const binary = findBinary('nginx');
const skip = missingBinaryReason('nginx', binary);

describe.skipIf(skip !== undefined)(`a rollback drill through the service's configured nginx${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let harness: NginxHarness;
  let dir: string;
  let root: AppRoot;

  beforeAll(async () => {
    harness = await startNginxHarness(binary!);
    dir = mkdtempSync(join(tmpdir(), 'uf-drill-nginx-'));
    const { service, ...nginx } = harness.options;
    writeFileSync(join(dir, 'factory.yaml'), stringify({ version: 1, traffic: { routers: [{ kind: 'nginx', service: 'shop', blockName: service, ...nginx }] } }));
    root = await buildRoot(loadConfig(join(dir, 'factory.yaml')), { logger: pino({ level: 'silent' }), env: {} });
  }, 60_000);
  afterAll(async () => {
    await root?.close();
    await harness?.teardown();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('sends a canary share through nginx, rolls back with a reload, times it, and finds stable answering every request after', async () => {
    const drill = await runServiceDrill(root, {
      service: 'shop',
      router: 'configured',
      through: harness.url,
      stable: `http://${harness.options.stable}`,
      canary: `http://${harness.options.canary}`,
      weight: 40,
      verifyRequests: 40,
      actor: 'user:carol',
    });
    expect(drill.outcome, drill.summary).toBe('pass');
    expect(drill.router).toBe('nginx (configured, traffic.routers.0)');
    const [before, canary, after] = drill.report.phases;
    expect(before!.answers).toEqual({ stable: 20 });
    expect(canary!.weight).toBe(40);
    expect(canary!.answers.canary).toBeGreaterThan(0);
    expect(after!.answers).toEqual({ stable: 40 });
    expect(drill.rollbackMs).toBeGreaterThanOrEqual(0);
    expect(await harness.router.verifyWeight()).toEqual({ canary: 0, stable: 100 });
    expect((await listDrills(root.store.db, { service: 'shop' }))[0]!.id).toBe(drill.id);
  }, 60_000);

  it('refuses a configured drill without the entry URL or staging endpoints, and a service with no router', async () => {
    const refused = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as UfError);
    expect((await refused(runServiceDrill(root, { service: 'shop', router: 'configured', stable: 'http://127.0.0.1:1', canary: 'http://127.0.0.1:2', actor: 'user:carol' })))?.message).toMatch(/needs --through URL/);
    expect((await refused(runServiceDrill(root, { service: 'shop', router: 'configured', through: harness.url, actor: 'user:carol' })))?.message).toMatch(/needs --stable URL and --canary URL/);
    expect((await refused(runServiceDrill(root, { service: 'nowhere', router: 'configured', through: harness.url, stable: 'http://127.0.0.1:1', canary: 'http://127.0.0.1:2', actor: 'user:carol' })))?.message).toMatch(/no service nowhere/);
  });
});
