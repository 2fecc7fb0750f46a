import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importCatalogFiles, importInventoryFiles } from '../../src/app/import-files.js';
import { runIntake } from '../../src/app/intake.js';
import { loadConfig, type LoadedConfig } from '../../src/config/load.js';
import { fixedClock } from '../../src/core/clock.js';
import type { Store } from '../../src/store/open.js';
import { openStore } from '../../src/store/open.js';
import { addEvidence, applyTransition, getUpgrade, listUpgrades } from '../../src/store/repos/upgrades.js';
import type { EvidenceKind, UpgradeEvent } from '../../src/core/upgrade/index.js';
import { authorizedChange, recordPassingDrill } from '../helpers/upgrades.js';

/**
 * An estate that went through intake for real: `shop` runs jsonwebtoken 0.4.0 (two advisories
 * from demo-data, one KEV-listed here, both with EPSS scores dated 2026-11-30), `web` depends on
 * shop, `admin` is not annotated with a cost. Catalog annotations give shop and web a downtime cost.
 */
export interface SeededEstate {
  dir: string;
  store: Store;
  loaded: LoadedConfig;
  clock: ReturnType<typeof fixedClock>;
  upgradeId: string;
}

export async function seedEstate(options: { costs?: boolean } = {}): Promise<SeededEstate> {
  const dir = mkdtempSync(join(tmpdir(), 'uf-readout-'));
  cpSync(join(process.cwd(), 'demo-data', 'advisories'), join(dir, 'advisories'), { recursive: true });
  const cost = (value: string) => (options.costs === false ? [] : [`    upgrade-factory.io/downtime-cost-per-hour: "${value}"`]);
  writeFileSync(
    join(dir, 'catalog.yaml'),
    [
      'apiVersion: backstage.io/v1alpha1',
      'kind: Component',
      'metadata:',
      '  name: shop',
      '  annotations:',
      '    upgrade-factory.io/tier: critical',
      ...cost('12000'),
      'spec: { type: service, lifecycle: production, owner: group:team }',
      '---',
      'apiVersion: backstage.io/v1alpha1',
      'kind: Component',
      'metadata:',
      '  name: web',
      '  annotations:',
      ...cost('3000'),
      '    upgrade-factory.io/tier: high',
      'spec: { type: website, lifecycle: production, owner: group:team, dependsOn: [component:shop] }',
    ].join('\n'),
  );
  writeInventory(dir, '0.4.0');
  writeFileSync(
    join(dir, 'kev.json'),
    JSON.stringify({
      catalogVersion: '2026.11.30',
      dateReleased: '2026-11-30T00:00:00Z',
      count: 1,
      vulnerabilities: [
        { cveID: 'CVE-2022-23529', vendorProject: 'Auth0', product: 'jsonwebtoken', vulnerabilityName: 'test entry', dateAdded: '2026-11-01', shortDescription: 'test', requiredAction: 'update', dueDate: '2026-11-22' },
      ],
    }),
  );
  writeFileSync(join(dir, 'epss.csv'), ['#model_version:v2025.03.14,score_date:2026-11-30T00:00:00Z', 'cve,epss,percentile', 'CVE-2022-23529,0.31,0.97', 'CVE-2022-23539,0.02,0.81', ''].join('\n'));
  writeFileSync(
    join(dir, 'factory.yaml'),
    ['version: 1', 'catalog: [catalog.yaml]', 'inventories: [{ service: shop, environment: production, file: shop.cdx.json }]', 'intake:', '  advisories: [advisories]', '  kev: kev.json', '  epss: epss.csv'].join('\n'),
  );
  const loaded = loadConfig(join(dir, 'factory.yaml'));
  const clock = fixedClock('2026-12-01T09:00:00Z');
  const store = await openStore({ sqlitePath: join(dir, '.uf', 'factory.db'), clock });
  const catalog = await importCatalogFiles(store, [join(dir, 'catalog.yaml')], 'user:test');
  if (catalog.some((o) => o.errors.length > 0)) throw new Error(catalog.flatMap((o) => o.errors.map((e) => e.describe())).join('; '));
  await importInventoryFiles(store, [{ service: 'shop', environment: 'production', file: join(dir, 'shop.cdx.json') }], { environments: loaded.config.environments, actor: 'user:test' });
  await runIntake(store, loaded, { clock, actor: 'user:test' });
  const upgrade = (await listUpgrades(store.db)).find((u) => u.name === 'jsonwebtoken');
  if (!upgrade) throw new Error('intake made no jsonwebtoken upgrade');
  return { dir, store, loaded, clock, upgradeId: upgrade.id };
}

/** Takes an upgrade through every gate to done, a day per step, then retires its findings as intake would. */
export async function completeUpgrade(estate: SeededEstate): Promise<void> {
  const { store, clock, upgradeId } = estate;
  const actor = 'user:carol';
  const at = () => clock.now().toISOString();
  const load = async () => (await getUpgrade(store.db, upgradeId))!;
  const add = async (kind: EvidenceKind) => {
    const u = await load();
    await addEvidence(store, upgradeId, u.version, { kind, outcome: 'pass', ref: `ref:${kind}`, summary: kind, recordedBy: actor, recordedAt: at() });
  };
  const go = async (event: UpgradeEvent) => {
    clock.advance(86_400_000);
    const u = await load();
    await applyTransition(store, upgradeId, u.version, { event, actor, reason: 'readout test', at: at() }, { rollbackDrillMaxAgeDays: 30 });
  };
  if ((await load()).state === 'intake') {
    await add('risk_score');
    await go('triage');
  }
  await add('release_notes_ack');
  await go('start_compat');
  await add('compat_matrix');
  await add('rollback_drill');
  await recordPassingDrill(store, 'shop', clock, actor);
  await authorizedChange(store, upgradeId, actor);
  await go('start_canary');
  while ((await load()).weight < 100) {
    await add('analysis');
    await add('approval');
    await go('promote');
  }
  await add('analysis');
  await go('start_verification');
  await add('verification');
  await go('complete');
  // shop now runs the target version: the next inventory import and intake run retire the findings.
  const target = (await load()).targetVersion;
  writeInventory(estate.dir, target);
  await importInventoryFiles(store, [{ service: 'shop', environment: 'production', file: join(estate.dir, 'shop.cdx.json') }], { environments: estate.loaded.config.environments, actor: 'user:test' });
  await runIntake(store, estate.loaded, { clock, actor: 'user:test' });
}

function writeInventory(dir: string, version: string): void {
  writeFileSync(
    join(dir, 'shop.cdx.json'),
    JSON.stringify({
      bomFormat: 'CycloneDX',
      specVersion: '1.5',
      metadata: { component: { 'bom-ref': 'root', type: 'application', name: 'shop' } },
      components: [{ 'bom-ref': 'jwt', type: 'library', name: 'jsonwebtoken', version, purl: `pkg:npm/jsonwebtoken@${version}` }],
    }),
  );
}
