import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import { fixedClock } from '../core/clock.js';
import { intakeActor } from '../intake/pipeline/plan.js';
import { countServices } from '../store/repos/catalog.js';
import { createUpgrade } from '../store/repos/upgrades.js';
import type { AppEvent } from './events.js';
import { importCatalogFiles, importInventoryFiles } from './import-files.js';
import { intakeParts, runIntake } from './intake.js';
import { buildRoot, composeRoot, configuredStoreOptions, withRoot } from './root.js';
import { checkConfiguredRouters } from './routers.js';
import { listScoredUpgrades, viewUpgrade } from './upgrade-view.js';

const component = (name: string) => `---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: { name: ${name} }\nspec: { type: service, lifecycle: production, owner: group:shop }\n`;
const bom = JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.5', components: [{ type: 'library', name: 'lodash', version: '4.17.15', purl: 'pkg:npm/lodash@4.17.15' }] });

describe('composition root', () => {
  let dir: string;
  let loaded: LoadedConfig;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'uf-root-'));
    writeFileSync(join(dir, 'factory.yaml'), 'version: 1\nname: root-test\nstore: { path: .uf/factory.db }\nenvironments: [staging, production]\ncatalog: [catalog.yaml]\n');
    writeFileSync(join(dir, 'catalog.yaml'), ['cart', 'orders', 'payments', 'search'].map(component).join(''));
    writeFileSync(join(dir, 'cart.cdx.json'), bom);
    loaded = loadConfig(join(dir, 'factory.yaml'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('builds the store as a SQLite file beside factory.yaml, with the injected clock and every adapter family', async () => {
    const clock = fixedClock('2026-03-01T12:00:00Z');
    const root = await buildRoot(loaded, { env: {}, clock, logger: pino({ level: 'silent' }) });
    try {
      expect(root.store.dialect).toBe('sqlite');
      expect(existsSync(join(dir, '.uf', 'factory.db'))).toBe(true);
      expect(root.clock.now().toISOString()).toBe('2026-03-01T12:00:00.000Z');
      expect(Object.keys(root.adapters.versionSchemes)).toContain('npm');
      expect(root.adapters.versionSchemes.npm!.compare('1.10.0', '1.9.0')).toBeGreaterThan(0);
      expect(root.adapters.inventoryImporters(bom, 'cart.cdx.json').components.map((c) => c.name)).toEqual(['lodash']);
      expect(checkConfiguredRouters(root)).toEqual([]);
    } finally {
      await root.close();
    }
  });

  it('takes UF_DATABASE_URL over the config, and opens a read-only store for read access', async () => {
    expect(configuredStoreOptions(loaded, { UF_DATABASE_URL: 'postgres://db.example/uf' }).url).toBe('postgres://db.example/uf');
    expect(configuredStoreOptions(loaded, {}).sqlitePath).toBe(join(dir, '.uf', 'factory.db'));
    await withRoot(loaded, { env: {} }, async () => {});
    const count = await withRoot(loaded, { env: {}, access: 'read' }, (root) => countServices(root.store.db));
    expect(count).toBe(0);
  });

  it('refuses a router admin API beyond loopback without a token before any store is opened', () => {
    writeFileSync(join(dir, 'factory.yaml'), 'version: 1\nstore: { path: .uf/factory.db }\ntraffic:\n  proxies:\n    - { service: cart, listen: 127.0.0.1:0, stable: http://127.0.0.1:1, canary: http://127.0.0.1:2, admin: 0.0.0.0:9000 }\n');
    const parts = composeRoot(loadConfig(join(dir, 'factory.yaml')), { env: {}, logger: pino({ level: 'silent' }) });
    expect(() => checkConfiguredRouters(parts)).toThrow(/admin/);
    expect(existsSync(join(dir, '.uf'))).toBe(false);
  });

  it('publishes import, transition and intake events only after their transactions committed, in order', async () => {
    const root = await buildRoot(loaded, { env: {}, clock: fixedClock('2026-03-01T12:00:00Z'), logger: pino({ level: 'silent' }) });
    try {
      const { store, events, clock } = root;
      const seen: AppEvent[] = [];
      events.subscribe((event) => void seen.push(event));
      const catalog = join(dir, 'catalog.yaml');
      await importCatalogFiles(store, [catalog], 'user:test', () => {}, { events, clock });
      await importInventoryFiles(store, [{ service: 'cart', environment: 'staging', file: join(dir, 'cart.cdx.json') }], { environments: loaded.config.environments, actor: 'user:test', events, clock });
      // Dropping three of four services is refused inside the transaction, which rolls back: no event.
      writeFileSync(catalog, component('cart'));
      const refused = await importCatalogFiles(store, [catalog], 'user:test', () => {}, { events, clock });
      expect(refused[0]!.errors[0]!.message).toMatch(/would remove 3 of 4/);
      // Neither does a file with errors, which never reaches the store.
      writeFileSync(catalog, 'kind: [');
      await importCatalogFiles(store, [catalog], 'user:test', () => {}, { events, clock });
      // An upgrade intake opened whose finding is gone: the run closes it.
      const stale = await createUpgrade(store, { ecosystem: 'npm', name: 'lodash', purl: 'pkg:npm/lodash', fromVersions: ['4.17.15'], targetVersion: '4.17.21', services: ['cart'], changeClass: 'normal', createdBy: intakeActor, reason: 'test' });
      await runIntake(store, root.loaded, { ...intakeParts(root), actor: 'user:test', now: clock.now() });

      const brief = (e: AppEvent) => [e.type, e.type === 'import.completed' ? e.kind : e.type === 'intake.completed' ? e.status : e.type === 'upgrade.transitioned' ? `${e.upgradeId} ${e.to}` : e.type === 'compat.updated' ? e.runId : e.type === 'change.updated' ? e.action : e.service];
      expect(seen.map(brief)).toEqual([
        ['import.completed', 'catalog'],
        ['import.completed', 'inventory'],
        ['upgrade.transitioned', `${stale.id} rejected`],
        ['intake.completed', 'completed'],
      ]);
      expect(seen[3]).toMatchObject({ upgrades: { closed: [stale.id] }, actor: 'user:test' });
      expect(seen[1]).toMatchObject({ service: 'cart', environment: 'staging', actor: 'user:test', at: '2026-03-01T12:00:00.000Z' });
      expect(await countServices(store.db)).toBe(4);
    } finally {
      await root.close();
    }
  });

  it('logs a throwing subscriber and still completes the use case and feeds the other subscribers', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => void (lines.push(chunk.toString()), done()) });
    const root = await buildRoot(loaded, { env: {}, logger: pino({ level: 'error' }, sink) });
    try {
      root.events.subscribe(() => {
        throw new Error('subscriber bug');
      });
      const seen: string[] = [];
      root.events.subscribe((event) => void seen.push(event.type));
      const outcomes = await importCatalogFiles(root.store, [join(dir, 'catalog.yaml')], 'user:test', () => {}, { events: root.events });
      expect(outcomes[0]!.errors).toEqual([]);
      expect(seen).toEqual(['import.completed']);
      expect(lines.join('')).toMatch(/"msg":"event subscriber failed"/);
      expect(lines.join('')).toMatch(/subscriber bug/);
    } finally {
      await root.close();
    }
  });

  it('gives the CLI, the API and the demo one upgrade view: not_found for an unknown id, nothing listed on an empty store', async () => {
    await withRoot(loaded, { env: {}, logger: pino({ level: 'silent' }) }, async ({ store }) => {
      await expect(viewUpgrade(store, 'upg_missing')).rejects.toMatchObject({ code: 'not_found', message: 'no upgrade upg_missing' });
      expect(await listScoredUpgrades(store)).toEqual([]);
    });
  });

  it('builds the rollout families: a deployer per configured service, metric providers, judges', async () => {
    const deployer = ['deployers:', '  - kind: command', '    service: cart', '    deployCanary: [deploy, "{{service}}"]', '    promote: [promote]', '    removeCanary: [remove]', ''].join('\n');
    writeFileSync(join(dir, 'factory.yaml'), `version: 1\nstore: { path: .uf/factory.db }\n${deployer}`);
    const root = composeRoot(loadConfig(join(dir, 'factory.yaml')), { env: {}, logger: pino({ level: 'silent' }) });
    const cart = root.adapters.deployerFor('cart');
    expect(cart).toBeDefined();
    expect(root.adapters.deployerFor('cart')).toBe(cart);
    expect(root.adapters.deployerFor('orders')).toBeUndefined();
    expect(root.adapters.judges({ kind: 'threshold', checks: [{ metric: 'p95_latency', max: 250 }], minSamples: 1, failureLimit: 0 } as Parameters<typeof root.adapters.judges>[0]).id).toBe('threshold');
    const unreachable = await root.adapters.metricProviders.measure({
      metric: 'conversion',
      service: 'cart',
      variant: 'canary',
      window: { start: '2026-03-01T12:00:00.000Z', end: '2026-03-01T12:01:00.000Z' },
      settings: { kind: 'http-json', url: 'http://127.0.0.1:1/kpi?variant={{variant}}', path: '$.conversion' },
    } as Parameters<typeof root.adapters.metricProviders.measure>[0]);
    expect(unreachable.ok).toBe(false);
  });
});
