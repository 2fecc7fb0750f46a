import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { importCatalogFiles, importInventoryFiles } from '../src/app/import-files.js';
import { parseConfig, type LoadedConfig } from '../src/config/load.js';
import { runIntake } from '../src/app/intake.js';
import type { Store } from '../src/store/open.js';
import { listUpgrades } from '../src/store/repos/upgrades.js';
import { storeTargets } from './helpers/stores.js';

// Planning lodash fails the way an oversized alias group once did; the other component must not care.
vi.mock('../src/intake/pipeline/plan.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../src/intake/pipeline/plan.js')>();
  return {
    ...actual,
    planUpgrade: async (...args: Parameters<typeof actual.planUpgrade>) => {
      if (args[1].name === 'lodash') throw new RangeError('Invalid string length');
      return actual.planUpgrade(...args);
    },
  };
});

describe('intake when planning one component fails', () => {
  let dir: string;
  let store: Store;
  let cleanup: () => Promise<void>;
  let loaded: LoadedConfig;

  beforeAll(async () => {
    ({ store, cleanup } = await storeTargets[0]!.open());
    dir = mkdtempSync(join(tmpdir(), 'uf-plan-fail-'));
    cpSync(join(process.cwd(), 'demo-data', 'advisories'), join(dir, 'advisories'), { recursive: true });
    writeFileSync(join(dir, 'catalog.yaml'), 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: { name: api }\nspec: { type: service, lifecycle: production, owner: group:api }\n');
    const components = [
      ['org.apache.logging.log4j:log4j-core', '2.14.1', 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1'],
      ['lodash', '4.17.15', 'pkg:npm/lodash@4.17.15'],
    ].map(([name, version, purl]) => ({ 'bom-ref': purl, type: 'library', name, version, purl }));
    writeFileSync(join(dir, 'api.cdx.json'), JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.5', components }));
    loaded = { config: parseConfig('version: 1\nintake:\n  advisories: [advisories]\n', join(dir, 'factory.yaml')), file: join(dir, 'factory.yaml'), baseDir: dir };
    await importCatalogFiles(store, [join(dir, 'catalog.yaml')], 'test');
    await importInventoryFiles(store, [{ service: 'api', environment: 'production', file: join(dir, 'api.cdx.json') }], { environments: ['staging', 'production'], actor: 'test' });
  });
  afterAll(async () => {
    await cleanup?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports that component as a problem and plans the others', async () => {
    const summary = await runIntake(store, loaded, { now: new Date('2026-11-02T03:00:00Z') });
    expect(summary.status).toBe('completed');
    expect(summary.problems).toEqual([{ source: 'planning npm:lodash', message: 'could not plan the upgrade: Invalid string length' }]);
    expect((await listUpgrades(store.db)).map((u) => u.name)).toEqual(['org.apache.logging.log4j:log4j-core']);
  });
});
