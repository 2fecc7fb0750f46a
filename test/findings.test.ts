import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLog, verifyLog } from '../src/store/repos/operation-log.js';
import { importCatalogFiles, importInventoryFiles } from '../src/app/import-files.js';
import { parseConfig, type LoadedConfig } from '../src/config/load.js';
import { acceptFindings, unacceptFindings } from '../src/intake/findings/accept.js';
import { viewFindings } from '../src/intake/findings/view.js';
import { runIntake } from '../src/app/intake.js';
import { importVex } from '../src/intake/vex/import.js';
import type { Store } from '../src/store/open.js';
import { postgresSkipReason, storeTargets } from './helpers/stores.js';
import { cycloneDxBom as bom } from './helpers/fixtures.js';
import { sharedData } from './helpers/shared-data.js';

const demo = resolve('demo-data');
const cisaVex = sharedData('sbom/cyclonedx-vex-cisa');
const cisa = cisaVex.dir;

const log4shell = 'GHSA-jfh8-c2jp-5v3q';
const day = 86_400_000;


for (const target of storeTargets) {
  describe.skipIf(target.skip)(`findings: acceptance and VEX on ${target.dialect}${target.skip ? ` (${postgresSkipReason})` : ''}`, () => {
    let dir: string;
    let store: Store;
    let cleanup: () => Promise<void>;
    let loaded: LoadedConfig;
    const t0 = new Date('2026-11-02T03:00:00Z');
    const state = async (service: string, advisory: string, now = t0) => (await viewFindings(store.db, { service, advisory }, now)).map((f) => f.state);
    const actions = async () => {
      const list: string[] = [];
      for await (const e of readLog(store.db)) list.push(e.action);
      return list;
    };

    beforeAll(async () => {
      ({ store, cleanup } = await target.open());
      dir = mkdtempSync(join(tmpdir(), 'uf-findings-'));
      cpSync(join(demo, 'advisories'), join(dir, 'advisories'), { recursive: true });
      loaded = { config: parseConfig('version: 1\nintake:\n  advisories: [advisories]\n', join(dir, 'factory.yaml')), file: join(dir, 'factory.yaml'), baseDir: dir };
      const services: Record<string, [string, string, string][]> = {
        abc: [['maven', 'org.apache.logging.log4j:log4j-core', '2.14.1']],
        def: [['maven', 'org.apache.logging.log4j:log4j-core', '2.14.1']],
        ghi: [['maven', 'org.apache.logging.log4j:log4j-core', '2.14.1']],
        web: [['npm', 'lodash', '4.17.15'], ['maven', 'org.apache.logging.log4j:log4j-core', '2.14.1']],
      };
      const catalog = Object.keys(services).map((name) => `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\nspec: { type: service, lifecycle: production, owner: group:team }\n`);
      writeFileSync(join(dir, 'catalog.yaml'), catalog.join('---\n'));
      await importCatalogFiles(store, [join(dir, 'catalog.yaml')], 'test');
      for (const [service, components] of Object.entries(services)) {
        writeFileSync(join(dir, `${service}.cdx.json`), bom(components));
        const [outcome] = await importInventoryFiles(store, [{ service, environment: 'production', file: join(dir, `${service}.cdx.json`) }], { environments: ['staging', 'production'], actor: 'test' });
        expect(outcome?.errors).toEqual([]);
      }
      await runIntake(store, loaded, { now: t0 });
    });
    afterAll(async () => {
      await cleanup?.();
      rmSync(dir, { recursive: true, force: true });
    });

    it('accepts an advisory (by its CVE alias) for a service with reason, owner and expiry, logged; refuses bad input', async () => {
      expect(await state('web', log4shell)).toEqual(['open']);
      const base = { advisory: 'CVE-2021-44228', service: 'web', reason: 'JNDI lookups disabled by flag', owner: 'team-web', actor: 'user:alice', now: t0 };
      await expect(acceptFindings(store, { ...base, reason: ' ', expires: '2026-12-01' })).rejects.toThrow(/--reason is required/);
      await expect(acceptFindings(store, { ...base, expires: '2026-11-01' })).rejects.toThrow(/not in the future/);
      await expect(acceptFindings(store, { ...base, expires: '2028-01-01' })).rejects.toThrow(/more than 365 days/);
      await expect(acceptFindings(store, { ...base, expires: '2026-02-30' })).rejects.toThrow(/YYYY-MM-DD/);
      await expect(acceptFindings(store, { ...base, service: 'nope', expires: '2026-12-01' })).rejects.toThrow(/no finding/);
      const [accepted] = await acceptFindings(store, { ...base, expires: '2026-12-01' });
      expect(accepted).toMatchObject({ advisoryId: log4shell, service: 'web', findingId: null, owner: 'team-web', expiresAt: '2026-12-01T00:00:00.000Z' });
      expect(await state('web', log4shell)).toEqual(['accepted']);
      expect(await state('abc', log4shell)).toEqual(['open']);
      const entries = [];
      for await (const e of readLog(store.db, { subject: `${log4shell}@web` })) entries.push(e);
      expect(entries).toMatchObject([{ actor: 'user:alice', action: 'finding.accept', reason: expect.stringContaining('owner team-web, until 2026-12-01: JNDI lookups disabled by flag') }]);
    });

    it('an expired acceptance reopens the finding on read, and the next intake run logs it once', async () => {
      const later = new Date(Date.parse('2026-12-01T00:00:00Z') + day);
      const [view] = await viewFindings(store.db, { service: 'web', advisory: log4shell }, later);
      expect(view).toMatchObject({ state: 'open', acceptance: { expired: true, owner: 'team-web' } });
      const before = (await actions()).filter((a) => a === 'finding.acceptance_expired').length;
      await runIntake(store, loaded, { now: later });
      await runIntake(store, loaded, { now: new Date(later.getTime() + day) });
      expect((await actions()).filter((a) => a === 'finding.acceptance_expired').length).toBe(before + 1);
      expect((await verifyLog(store.db)).ok).toBe(true);
    });

    it('unaccept revokes an active acceptance (logged)', async () => {
      const [f] = await viewFindings(store.db, { service: 'abc', advisory: log4shell }, t0);
      await acceptFindings(store, { finding: f!.id, reason: 'r', owner: 'o', expires: '2026-11-20', actor: 'user:bob', now: t0 });
      expect(await state('abc', log4shell)).toEqual(['accepted']);
      await unacceptFindings(store, { finding: f!.id, reason: 'flag turned back on', actor: 'user:bob', now: t0 });
      expect(await state('abc', log4shell)).toEqual(['open']);
      expect(await actions()).toContain('finding.unaccept');
    });

    it('CycloneDX VEX not_affected with a justification closes the finding for that product, and survives intake re-runs', async () => {
      const doc = {
        bomFormat: 'CycloneDX',
        specVersion: '1.4',
        metadata: { timestamp: '2026-10-01T00:00:00Z', component: { name: 'ghi', 'bom-ref': 'product-GHI', type: 'application' } },
        vulnerabilities: [
          { id: 'CVE-2021-44228', analysis: { state: 'not_affected', justification: 'code_not_present', detail: 'JndiLookup removed' }, affects: [{ ref: 'product-GHI' }] },
          { id: 'CVE-2021-45046', analysis: { state: 'not_affected' }, affects: [{ ref: 'product-GHI' }] },
        ],
      };
      const result = await importVex(store, { file: 'ghi.vex.json', text: JSON.stringify(doc), actor: 'user:sec', now: t0 });
      expect(result.refused).toEqual([{ path: 'vulnerabilities[1]', vulnerability: 'CVE-2021-45046', reason: expect.stringContaining('without a justification') }]);
      expect(result.applied).toEqual([expect.objectContaining({ service: 'ghi', advisory: log4shell, status: 'not_affected', justification: 'code_not_present' })]);
      expect(await state('ghi', log4shell)).toEqual(['not_affected']);
      expect(await state('abc', log4shell)).toEqual(['open']);
      await runIntake(store, loaded, { now: t0, force: true });
      expect(await state('ghi', log4shell)).toEqual(['not_affected']);
      const again = await importVex(store, { file: 'ghi.vex.json', text: JSON.stringify(doc), actor: 'user:sec', now: t0 });
      expect(again.unchanged).toBe(true);
      expect(await actions()).toContain('finding.vex_not_affected');
    });

    it('OpenVEX: a PURL product closes that package everywhere; affected is recorded and leaves the finding open', async () => {
      const doc = {
        '@context': 'https://openvex.dev/ns/v0.2.0',
        '@id': 'https://example.com/vex/1',
        author: 'sec',
        timestamp: '2026-10-02T00:00:00Z',
        version: 1,
        statements: [
          { vulnerability: { name: 'CVE-2020-8203' }, products: [{ '@id': 'pkg:npm/lodash' }], status: 'not_affected', justification: 'vulnerable_code_not_in_execute_path' },
          { vulnerability: { name: 'CVE-2021-44228' }, products: [{ '@id': 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1' }], status: 'affected' },
          { vulnerability: { name: 'CVE-2021-44228' }, products: [{ '@id': 'pkg:npm/x' }], status: 'bogus' },
        ],
      };
      const result = await importVex(store, { file: 'o.vex.json', text: JSON.stringify(doc), service: 'web', actor: 'user:sec', now: t0 });
      expect(result.refused).toHaveLength(1);
      const lodash = (await viewFindings(store.db, { service: 'web', advisory: 'CVE-2020-8203' }, t0))[0]!;
      expect(lodash).toMatchObject({ state: 'not_affected', vex: { justification: 'vulnerable_code_not_in_execute_path' } });
      // `affected` closes nothing: the finding keeps its acceptance, and shows the statement.
      expect((await viewFindings(store.db, { service: 'web', advisory: log4shell }, t0))[0]).toMatchObject({ state: 'accepted', vex: { status: 'affected' } });
      expect((await viewFindings(store.db, { states: ['not_affected'] }, t0)).map((f) => f.service).sort()).toEqual(['ghi', 'web']);
    });

    it('statements with product versions apply only to the version the service runs', async () => {
      const doc = JSON.parse(readFileSync(join(demo, '..', 'test', 'fixtures', 'vex', 'case-6.vex.json'), 'utf8')) as object;
      await importVex(store, { file: 'case-6.json', text: JSON.stringify(doc), service: 'def', productVersion: '2.6', actor: 'user:sec', now: t0 });
      expect((await viewFindings(store.db, { service: 'def', advisory: log4shell }, t0))[0]).toMatchObject({ state: 'open', vex: { status: 'affected' } });
      await importVex(store, { file: 'case-6.json', text: JSON.stringify(doc), service: 'def', productVersion: '4.2', actor: 'user:sec', now: new Date(t0.getTime() + 1000) });
      expect(await state('def', log4shell)).toEqual(['not_affected']);
    });

    it.skipIf(!cisaVex.available)(`imports every CISA VEX use-case example${cisaVex.skipNote}`, async () => {
      for (const folder of readdirSync(cisa).filter((f) => f.startsWith('Case-')).sort()) {
        for (const file of readdirSync(join(cisa, folder)).filter((f) => /^vex.*\.json$/.test(f))) {
          const path = join(cisa, folder, file);
          const result = await importVex(store, { file: path, text: readFileSync(path, 'utf8'), actor: 'user:sec', now: t0 });
          expect(result.refused, path).toEqual([]);
          expect(result.statements, path).toBeGreaterThan(0);
        }
      }
      // Case-1's product ABC, given as service abc, is not affected by Log4Shell: its finding closes.
      const notAffected = join(cisa, 'Case-1', 'vex-not_affected.json');
      const result = await importVex(store, { file: notAffected, text: readFileSync(notAffected, 'utf8'), service: 'abc', actor: 'user:sec', now: t0 });
      expect(result.applied).toEqual([expect.objectContaining({ service: 'abc', advisory: log4shell, status: 'not_affected', justification: 'code_not_present' })]);
      expect(await state('abc', log4shell)).toEqual(['not_affected']);
      expect((await verifyLog(store.db)).ok).toBe(true);
    });
  });
}
