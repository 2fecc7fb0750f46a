import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCatalogFiles, importInventoryFiles } from '../src/app/import-files.js';
import { parseConfig, type LoadedConfig } from '../src/config/load.js';
import { runIntake } from '../src/app/intake.js';
import type { Store } from '../src/store/open.js';
import { loadEpss } from '../src/intake/store/advisories.js';
import { latestAssessment } from '../src/intake/store/risk.js';
import { listUpgrades } from '../src/store/repos/upgrades.js';
import { postgresSkipReason, storeTargets } from './helpers/stores.js';
import { sharedData } from './helpers/shared-data.js';

const kev = sharedData('kev');
const sharedKev = kev.path('known_exploited_vulnerabilities.json');
const demo = join(process.cwd(), 'demo-data');
const epssSample = join(process.cwd(), 'src', 'intake', 'sources', 'epss', 'fixtures', 'epss-sample.csv');

const catalog = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: api
  annotations:
    upgrade-factory.io/tier: critical
    upgrade-factory.io/critical-paths: payment
spec: { type: service, lifecycle: production, owner: group:api }
`;

for (const target of storeTargets) {
  const skip = target.skip || !kev.available;
  const why = target.skip ? ` (${postgresSkipReason})` : kev.skipNote;
  describe.skipIf(skip)(`a broken feed keeps what was known, on ${target.dialect}${why}`, () => {
    let dir: string;
    let store: Store;
    let cleanup: () => Promise<void>;
    let loaded: LoadedConfig;
    let day = 0;
    const run = (force = true) => runIntake(store, loaded, { now: new Date(Date.UTC(2026, 10, 2 + day++, 3)), force });
    const log4j = async () => {
      const upgrade = (await listUpgrades(store.db)).find((u) => u.name === 'org.apache.logging.log4j:log4j-core' && u.state === 'triaged')!;
      const risk = await latestAssessment(store.db, upgrade.id);
      return { id: upgrade.id, changeClass: upgrade.changeClass, score: risk?.assessment.score, decision: risk?.assessment.decision, epss: risk?.input.advisories.find((a) => a.id === 'GHSA-jfh8-c2jp-5v3q')?.epss };
    };
    const kevCount = async () => Number((await store.db.selectFrom('kev_entries').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

    beforeAll(async () => {
      ({ store, cleanup } = await target.open());
      dir = mkdtempSync(join(tmpdir(), 'uf-source-health-'));
      cpSync(join(demo, 'advisories'), join(dir, 'advisories'), { recursive: true });
      cpSync(sharedKev, join(dir, 'kev.json'));
      cpSync(epssSample, join(dir, 'epss.csv'));
      writeFileSync(join(dir, 'catalog.yaml'), catalog);
      const purl = 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1';
      writeFileSync(join(dir, 'api.cdx.json'), JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.5', components: [{ 'bom-ref': purl, type: 'library', name: 'org.apache.logging.log4j:log4j-core', version: '2.14.1', purl }] }));
      const config = parseConfig('version: 1\nintake:\n  advisories: [advisories]\n  kev: kev.json\n  epss: epss.csv\n', join(dir, 'factory.yaml'));
      loaded = { config, file: join(dir, 'factory.yaml'), baseDir: dir };
      await importCatalogFiles(store, [join(dir, 'catalog.yaml')], 'test');
      await importInventoryFiles(store, [{ service: 'api', environment: 'production', file: join(dir, 'api.cdx.json') }], { environments: ['staging', 'production'], actor: 'test' });
    });
    afterAll(async () => {
      await cleanup?.();
      rmSync(dir, { recursive: true, force: true });
    });

    it('starts from a healthy run: Log4Shell is an emergency, every source accepted', async () => {
      const summary = await run();
      expect(summary.degraded).toBe(false);
      expect(summary.failedSources).toEqual([]);
      expect(summary.sources.map((s) => [s.kind, s.status, s.valid, s.invalid])).toEqual([
        ['advisories', 'ok', 41, 0],
        ['kev', 'ok', 1404, 0],
        ['epss', 'ok', 12, 0],
      ]);
      expect(await log4j()).toMatchObject({ changeClass: 'emergency', decision: 'act', epss: { score: 0.94358 } });
    });

    it('refuses a KEV catalog whose dateAdded was renamed in every entry: the table and the emergency stay', async () => {
      const before = await log4j();
      const kev = JSON.parse(readFileSync(sharedKev, 'utf8')) as { vulnerabilities: Record<string, unknown>[] };
      for (const entry of kev.vulnerabilities) {
        entry['date_added'] = entry['dateAdded'];
        delete entry['dateAdded'];
      }
      writeFileSync(join(dir, 'kev.json'), JSON.stringify(kev));
      const summary = await run();
      expect(summary.degraded).toBe(true);
      expect(summary.kev).toBeUndefined();
      expect(summary.failedSources).toEqual([expect.objectContaining({ source: 'kev.json', kind: 'kev', status: 'failed', valid: 0, invalid: 1404, previous: 1404 })]);
      // Named first, before the 1,404 entry problems, so the first line a user reads says what failed.
      expect(summary.problems[0]?.message).toBe('kev.json: source failed, what it stored before is kept: it yielded no valid entries (1404 invalid)');
      expect(summary.problems[1]?.message).toMatch(/kev\.json:\d+:\d+: CVE-\d+-\d+: vulnerabilities\[0\]\.dateAdded: not a valid KEV entry/);
      expect(await kevCount()).toBe(1404);
      expect(await log4j()).toEqual(before);
      expect(before.changeClass).toBe('emergency');
    });

    it('says so again on an unchanged re-run instead of reporting all clear', async () => {
      const again = await run(false);
      expect(again.status).toBe('unchanged');
      expect(again.degraded).toBe(true);
      expect(again.failedSources.map((s) => s.kind)).toEqual(['kev']);
    });

    it('refuses an EPSS file with only its header: the stored scores stay', async () => {
      cpSync(sharedKev, join(dir, 'kev.json'));
      writeFileSync(join(dir, 'epss.csv'), 'cve,epss,percentile\n');
      const summary = await run();
      expect(summary.failedSources).toEqual([expect.objectContaining({ source: 'epss.csv', kind: 'epss', status: 'failed', valid: 0, invalid: 0, previous: 12 })]);
      expect((await loadEpss(store.db, ['CVE-2021-44228'])).get('CVE-2021-44228')).toEqual({ score: 0.94358, percentile: 0.99957 });
      expect((await log4j()).epss).toEqual({ score: 0.94358, percentile: 0.99957 });
    });

    it('refuses an EPSS file whose rows are mostly out of range, and accepts one with a few bad rows', async () => {
      const sample = readFileSync(epssSample, 'utf8').split('\n');
      const broken = sample.map((line, i) => (i > 1 && i % 2 === 0 ? line.replace(/,0\.\d+,/, ',7.5,') : line)).join('\n');
      writeFileSync(join(dir, 'epss.csv'), broken);
      const refused = await run();
      expect(refused.failedSources[0]).toMatchObject({ kind: 'epss', valid: 6, invalid: 6, reason: expect.stringContaining('maxInvalidRatio 0.1') });
      expect(refused.problems.some((p) => /epss\.csv:3: CVE-2020-7598: epss: expected a value from 0 to 1/.test(p.message))).toBe(true);

      // Tolerated up to the configured share: one bad row in twelve with maxInvalidRatio 0.2.
      writeFileSync(join(dir, 'epss.csv'), sample.map((line, i) => (i === 3 ? line.replace(/,0\.\d+,/, ',abc,') : line)).join('\n'));
      loaded = { ...loaded, config: { ...loaded.config, intake: { ...loaded.config.intake, sourceHealth: { maxInvalidRatio: 0.2, minRetainedRatio: 0.5 } } } };
      const accepted = await run();
      expect(accepted.failedSources).toEqual([]);
      expect(accepted.epss).toBe(11);
      expect(accepted.degraded).toBe(true); // the bad row is still a problem
    });

    it('refuses an advisory source that shrank below half of its last accepted read, keeping its records', async () => {
      cpSync(epssSample, join(dir, 'epss.csv'));
      for (const file of ['GHSA-jfh8-c2jp-5v3q.json', 'GHSA-7rjr-3q55-vv33.json', 'GHSA-p6xc-xr62-6r2g.json']) cpSync(join(dir, 'advisories', file), join(dir, file));
      rmSync(join(dir, 'advisories'), { recursive: true });
      mkdirSync(join(dir, 'advisories'));
      for (const file of ['GHSA-jfh8-c2jp-5v3q.json', 'GHSA-7rjr-3q55-vv33.json', 'GHSA-p6xc-xr62-6r2g.json']) cpSync(join(dir, file), join(dir, 'advisories', file));
      const before = await log4j();
      const summary = await run();
      expect(summary.failedSources).toEqual([expect.objectContaining({ kind: 'advisories', valid: 3, previous: 41, reason: expect.stringContaining('minRetainedRatio 0.5') })]);
      expect(summary.advisories.stored).toBe(41);
      expect(await log4j()).toEqual(before);
    });
  });
}

describe('an OSV record naming a version its ecosystem cannot read', () => {
  let dir: string;
  let store: Store;
  let cleanup: () => Promise<void>;
  let loaded: LoadedConfig;

  beforeAll(async () => {
    ({ store, cleanup } = await storeTargets[0]!.open());
    dir = mkdtempSync(join(tmpdir(), 'uf-banana-'));
    cpSync(join(demo, 'advisories'), join(dir, 'advisories'), { recursive: true });
    const lodash = JSON.parse(readFileSync(join(dir, 'advisories', 'GHSA-35jh-r3h4-6jhm.json'), 'utf8'));
    const banana = {
      ...lodash,
      id: 'GHSA-bana-nana-bana',
      aliases: [],
      affected: [{ package: { ecosystem: 'npm', name: 'left-pad' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: 'banana' }, { fixed: '1.3.1' }] }] }],
    };
    writeFileSync(join(dir, 'advisories', 'GHSA-bana-nana-bana.json'), JSON.stringify(banana, null, 2));
    writeFileSync(join(dir, 'catalog.yaml'), catalog);
    writeFileSync(join(dir, 'api.cdx.json'), JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.5', components: [{ 'bom-ref': 'pkg:npm/left-pad@1.3.0', type: 'library', name: 'left-pad', version: '1.3.0', purl: 'pkg:npm/left-pad@1.3.0' }] }));
    loaded = { config: parseConfig('version: 1\nintake:\n  advisories: [advisories]\n', join(dir, 'factory.yaml')), file: join(dir, 'factory.yaml'), baseDir: dir };
    await importCatalogFiles(store, [join(dir, 'catalog.yaml')], 'test');
    await importInventoryFiles(store, [{ service: 'api', environment: 'production', file: join(dir, 'api.cdx.json') }], { environments: ['staging', 'production'], actor: 'test' });
  });
  afterAll(async () => {
    await cleanup?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is reported with source, record id and field, counted invalid, and still matches below its fix', async () => {
    const summary = await runIntake(store, loaded, { now: new Date('2026-11-02T03:00:00Z') });
    expect(summary.problems).toEqual([
      {
        source: `osv-folder:${join(dir, 'advisories')}`,
        message: expect.stringMatching(/GHSA-bana-nana-bana\.json:\d+:\d+: GHSA-bana-nana-bana: affected\[0\]\.ranges\[0\]\.events\[0\]\.introduced: not a valid npm version: "banana"/),
      },
    ]);
    expect(summary.advisories).toMatchObject({ read: 42, invalid: 1 });
    expect(summary.sources[0]).toMatchObject({ status: 'ok', valid: 41, invalid: 1 });
    expect(summary.degraded).toBe(true);
    // Kept, and erring toward a finding: the unreadable introduced counts as 0, so 1.3.0 < 1.3.1 is affected.
    const [upgrade] = await listUpgrades(store.db);
    expect(upgrade).toMatchObject({ name: 'left-pad', targetVersion: '1.3.1' });
  });
});
