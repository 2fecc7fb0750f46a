import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCatalogFiles, importInventoryFiles } from '../src/app/import-files.js';
import { parseConfig, type LoadedConfig } from '../src/config/load.js';
import { runIntake } from '../src/app/intake.js';
import type { Store } from '../src/store/open.js';
import { latestAssessment, maxStoredAssessmentChars } from '../src/intake/store/risk.js';
import { listUpgrades } from '../src/store/repos/upgrades.js';
import { writeAliasFlood } from './helpers/alias-flood.js';
import { storeTargets } from './helpers/stores.js';

const demo = join(process.cwd(), 'demo-data');
const records = 8000;

// SQLite only: the point is the pipeline's growth with one huge alias group, not the dialect.
describe(`intake with ${records} OSV records sharing one alias (a hostile feed)`, () => {
  let dir: string;
  let store: Store;
  let cleanup: () => Promise<void>;
  let loaded: LoadedConfig;
  const t0 = new Date('2026-11-02T03:00:00Z');

  beforeAll(async () => {
    ({ store, cleanup } = await storeTargets[0]!.open());
    dir = mkdtempSync(join(tmpdir(), 'uf-alias-flood-'));
    writeAliasFlood(join(dir, 'flood.json'), records);
    cpSync(join(demo, 'kev', 'known_exploited_vulnerabilities.json'), join(dir, 'kev.json'));
    writeFileSync(join(dir, 'catalog.yaml'), 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: { name: api, annotations: { upgrade-factory.io/tier: critical } }\nspec: { type: service, lifecycle: production, owner: group:api }\n');
    const purl = 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1';
    writeFileSync(
      join(dir, 'api.cdx.json'),
      JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.5', components: [{ 'bom-ref': purl, type: 'library', name: 'org.apache.logging.log4j:log4j-core', version: '2.14.1', purl }] }),
    );
    const config = parseConfig('version: 1\nintake:\n  advisories: [flood.json]\n  kev: kev.json\n', join(dir, 'factory.yaml'));
    loaded = { config, file: join(dir, 'factory.yaml'), baseDir: dir };
    await importCatalogFiles(store, [join(dir, 'catalog.yaml')], 'test');
    await importInventoryFiles(store, [{ service: 'api', environment: 'production', file: join(dir, 'api.cdx.json') }], { environments: ['staging', 'production'], actor: 'test' });
  }, 120_000);
  afterAll(async () => {
    await cleanup?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it('completes, stores one bounded assessment for one vulnerability, and a later run works too', async () => {
    const first = await runIntake(store, loaded, { now: t0 });
    expect(first.problems).toEqual([]);
    expect(first.advisories).toMatchObject({ read: records, stored: records });
    const [upgrade] = await listUpgrades(store.db);
    expect(upgrade).toMatchObject({ name: 'org.apache.logging.log4j:log4j-core', changeClass: 'emergency', state: 'triaged' });
    const row = await store.db.selectFrom('risk_assessments').select('body').where('upgrade_id', '=', upgrade!.id).executeTakeFirstOrThrow();
    expect(row.body.length).toBeLessThan(maxStoredAssessmentChars);
    const stored = await latestAssessment(store.db, upgrade!.id);
    // One vulnerability, named once: the 8,000 records are one alias group.
    expect(stored?.candidate.advisories).toHaveLength(1);
    expect(stored?.input.advisories).toHaveLength(1);
    expect(stored?.assessment.decision).toBe('act');

    // The records stay stored after the feed is gone; every later run reads them again.
    rmSync(join(dir, 'flood.json'));
    writeFileSync(join(dir, 'flood.json'), '[]');
    const later = await runIntake(store, loaded, { now: new Date(t0.getTime() + 86_400_000), force: true });
    expect(later.status).toBe('completed');
    expect(later.advisories.stored).toBe(records);
    expect(later.upgrades.unchanged).toEqual([upgrade!.id]);
  }, 300_000);
});
