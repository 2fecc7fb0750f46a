import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../src/api/server.js';
import { parseConfig } from '../src/config/load.js';
import type { Store } from '../src/store/open.js';
import { importCatalog } from '../src/store/repos/catalog.js';
import { importInventory } from '../src/store/repos/inventory.js';
import { createToken } from '../src/store/repos/tokens.js';
import { createUpgrade } from '../src/store/repos/upgrades.js';
import { component, inventory, npm } from './helpers/fixtures.js';
import { storeTargets } from './helpers/stores.js';

describe('REST API', () => {
  let app: FastifyInstance;
  let store: Store;
  let cleanup: () => Promise<void>;
  let auth: { authorization: string };
  let upgradeId: string;
  let operator: { authorization: string };

  beforeAll(async () => {
    ({ store, cleanup } = await storeTargets[0]!.open());
    await importCatalog(store, { files: ['a.yaml'], entities: [component('gateway', ['checkout']), component('checkout', ['payments']), component('payments')], actor: 'alice' });
    await importInventory(store, { service: 'payments', environment: 'production', file: 'p', sha256: '1', parsed: inventory([npm('lodash', '4.17.15')]), actor: 'alice' });
    await importInventory(store, { service: 'payments', environment: 'staging', file: 's', sha256: '2', parsed: inventory([npm('lodash', '4.17.21')]), actor: 'alice' });
    upgradeId = (await createUpgrade(store, { ecosystem: 'npm', name: 'lodash', purl: 'pkg:npm/lodash', fromVersions: ['4.17.15'], targetVersion: '4.17.21', services: ['payments'], changeClass: 'normal', createdBy: 'alice', reason: 'test' })).id;
    const { secret } = await createToken(store, { name: 'test', role: 'viewer', actor: 'alice' });
    auth = { authorization: `Bearer ${secret}` };
    const advisories = join(process.cwd(), 'demo-data', 'advisories');
    const config = parseConfig(`version: 1\nname: test-factory\nintake:\n  advisories: [${JSON.stringify(advisories)}]\n`, 'f.yaml');
    app = await buildServer({ store, config, loaded: { config, file: undefined, baseDir: process.cwd() } });
    operator = { authorization: `Bearer ${(await createToken(store, { name: 'ops', role: 'operator', actor: 'alice' })).secret}` };
  });
  afterAll(async () => {
    await app?.close();
    await cleanup?.();
  });

  it('answers health and readiness without a token', async () => {
    expect((await app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await app.inject({ url: '/readyz' })).json()).toEqual({ status: 'ready', store: 'sqlite' });
  });

  it('publishes an OpenAPI 3.1 document describing the API and its bearer auth', async () => {
    const doc = (await app.inject({ url: '/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/services', '/api/v1/upgrades', '/api/v1/upgrades/{id}', '/api/v1/log', '/api/v1/log/verify', '/api/v1/inventory/drift']),
    );
    expect(doc.components.securitySchemes.bearer).toEqual({ type: 'http', scheme: 'bearer' });
    const page = doc.paths['/api/v1/upgrades'].get.responses['200'].content['application/json'].schema;
    expect(page.properties.items.items.properties.state).toBeDefined();
    expect(page.required).toEqual(expect.arrayContaining(['items', 'next']));
    expect(doc.paths['/api/v1/upgrades'].get.parameters.map((p: { name: string }) => p.name)).toEqual(['state', 'service', 'limit', 'cursor']);
  });

  it('refuses API calls without a valid bearer token', async () => {
    const none = await app.inject({ url: '/api/v1/services' });
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toContain('Bearer');
    expect((await app.inject({ url: '/api/v1/services', headers: { authorization: 'Bearer uf_wrong' } })).statusCode).toBe(401);
  });

  it('lists services with their inventory sizes, dependents and drift', async () => {
    const services = (await app.inject({ url: '/api/v1/services', headers: auth })).json().items;
    expect(services.map((s: { name: string }) => s.name)).toEqual(['checkout', 'gateway', 'payments']);
    expect(services[2].components).toEqual({ production: 1, staging: 1 });
    const dependents = (await app.inject({ url: '/api/v1/entities/payments/dependents', headers: auth })).json();
    expect(dependents.transitive.map((d: { ref: string; depth: number }) => [d.ref, d.depth])).toEqual([
      ['component:default/checkout', 1],
      ['component:default/gateway', 2],
    ]);
    expect((await app.inject({ url: '/api/v1/entities/nope/dependents', headers: auth })).statusCode).toBe(404);
    const drift = (await app.inject({ url: '/api/v1/inventory/drift', headers: auth })).json();
    expect(drift.next).toBeNull();
    expect(drift.items).toEqual([{ service: 'payments', ecosystem: 'npm', name: 'lodash', versions: { staging: ['4.17.21'], production: ['4.17.15'] } }]);
  });

  it('serves upgrades and validates query parameters', async () => {
    const list = (await app.inject({ url: '/api/v1/upgrades?state=intake', headers: auth })).json().items;
    expect(list.map((u: { id: string }) => u.id)).toEqual([upgradeId]);
    expect((await app.inject({ url: `/api/v1/upgrades/${upgradeId}`, headers: auth })).json()).toMatchObject({ state: 'intake', targetVersion: '4.17.21' });
    expect((await app.inject({ url: '/api/v1/upgrades/upg_missing', headers: auth })).statusCode).toBe(404);
    const bad = await app.inject({ url: '/api/v1/upgrades?state=flying', headers: auth });
    expect(bad.statusCode).toBe(400);
  });

  it('runs intake on demand for operators only, then serves findings and risk', async () => {
    expect((await app.inject({ method: 'POST', url: '/api/v1/intake/run', headers: auth })).statusCode).toBe(403);
    const run = await app.inject({ method: 'POST', url: '/api/v1/intake/run', headers: operator });
    expect(run.statusCode).toBe(200);
    expect(run.json()).toMatchObject({ status: 'completed', findings: { open: 2 } });
    // Nothing changed since: force=false must not force a run (it did when the flag was coerced with Boolean()).
    const again = await app.inject({ method: 'POST', url: '/api/v1/intake/run?force=false', headers: operator });
    expect(again.json()).toMatchObject({ status: 'unchanged' });
    for (const loose of ['0', 'no', '', 'FALSE', 'yes']) {
      const refused = await app.inject({ method: 'POST', url: `/api/v1/intake/run?force=${loose}`, headers: operator });
      expect(refused.statusCode, loose).toBe(400);
      expect(refused.json().message).toContain('force must be true or false');
    }
    const findings = (await app.inject({ url: '/api/v1/findings?service=payments', headers: auth })).json().items;
    expect(findings.map((f: { advisoryId: string }) => f.advisoryId).sort()).toEqual(['GHSA-35jh-r3h4-6jhm', 'GHSA-p6mc-m468-83gw']);
    // An unknown service is not an empty list: 404 naming the close known names.
    for (const url of ['/api/v1/findings?service=paymnts', '/api/v1/upgrades?service=paymnts', '/api/v1/inventory/drift?service=paymnts']) {
      const unknown = await app.inject({ url, headers: auth });
      expect(unknown.statusCode, url).toBe(404);
      expect(unknown.json().message, url).toContain("unknown service 'paymnts'; did you mean 'payments'");
    }
    // The hand-made lodash upgrade already covered the component: intake rescored it instead of adding another.
    const upgrade = (await app.inject({ url: `/api/v1/upgrades/${upgradeId}`, headers: auth })).json();
    expect(upgrade.risk).toMatchObject({ decision: expect.any(String), factors: expect.any(Array) });
    expect(upgrade.risk.factors).toHaveLength(19);
  });

  it('pages through the operation log and verifies it', async () => {
    const first = (await app.inject({ url: '/api/v1/log?limit=2', headers: auth })).json();
    expect(first.entries.map((e: { seq: number }) => e.seq)).toEqual([1, 2]);
    expect(first.next).toBe(2);
    const rest = (await app.inject({ url: `/api/v1/log?after=${first.next}&limit=100`, headers: auth })).json();
    expect(rest.next).toBeNull();
    expect(rest.entries.slice(0, 4).map((e: { action: string }) => e.action)).toEqual(['inventory.import', 'upgrade.create', 'token.create', 'token.create']);
    expect(rest.entries.at(-1).action).toBe('intake.run');
    expect((await app.inject({ url: '/api/v1/log/verify', headers: auth })).json()).toMatchObject({ ok: true, entries: rest.entries.length + 2 });
  });
});
