import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLog } from '../src/store/repos/operation-log.js';
import { buildServer } from '../src/api/server.js';
import { createToken } from '../src/store/repos/tokens.js';
import { importCatalogFiles, importInventoryFiles } from '../src/app/import-files.js';
import { parseConfig, type LoadedConfig } from '../src/config/load.js';
import { runIntake } from '../src/app/intake.js';
import type { Store } from '../src/store/open.js';
import { latestAssessment } from '../src/intake/store/risk.js';
import { getUpgrade, listUpgrades } from '../src/store/repos/upgrades.js';
import { postgresSkipReason, storeTargets } from './helpers/stores.js';
import { cycloneDxBom as bom } from './helpers/fixtures.js';

const demo = join(process.cwd(), 'demo-data');

const catalog = (services: string[]) =>
  services
    .map((name) => `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\nspec: { type: service, lifecycle: production, owner: group:team }\n`)
    .join('---\n');


/** A synthetic OSV record naming each package with its own fixed version. */
function advisory(id: string, fixes: [string, string][]): string {
  return JSON.stringify({
    schema_version: '1.6.0',
    id,
    modified: '2026-10-01T00:00:00Z',
    published: '2026-10-01T00:00:00Z',
    aliases: [],
    summary: `synthetic ${id}`,
    affected: fixes.map(([name, fixed]) => ({ package: { ecosystem: 'npm', name }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }] })),
  });
}

for (const target of storeTargets) {
  describe.skipIf(target.skip)(`release groups on ${target.dialect}${target.skip ? ` (${postgresSkipReason})` : ''}`, () => {
    let dir: string;
    let store: Store;
    let cleanup: () => Promise<void>;
    const t0 = new Date('2026-11-02T03:00:00Z');
    const load = (extra: string[] = []): LoadedConfig => {
      const file = join(dir, 'factory.yaml');
      const config = parseConfig(['version: 1', 'intake:', '  advisories: [advisories]', '  kev: kev/known_exploited_vulnerabilities.json', ...extra].join('\n'), file);
      return { config, file, baseDir: dir };
    };
    const open = async () => (await listUpgrades(store.db)).filter((u) => u.state === 'triaged' || u.state === 'intake');
    const byName = async () => new Map((await open()).map((u) => [u.name, u]));

    beforeAll(async () => {
      ({ store, cleanup } = await target.open());
      dir = mkdtempSync(join(tmpdir(), 'uf-groups-'));
      cpSync(join(demo, 'advisories'), join(dir, 'advisories'), { recursive: true });
      mkdirSync(join(dir, 'kev'));
      cpSync(join(demo, 'kev'), join(dir, 'kev'), { recursive: true });
      writeFileSync(join(dir, 'advisories', 'GHSA-2222-3333-4444.json'), advisory('GHSA-2222-3333-4444', [['@acme/a', '1.2.0'], ['@acme/b', '1.3.0']]));
      writeFileSync(join(dir, 'advisories', 'GHSA-2222-3333-5555.json'), advisory('GHSA-2222-3333-5555', [['foo-a', '1.2.0'], ['bar-b', '1.3.0']]));
      writeFileSync(join(dir, 'advisories', 'GHSA-2222-3333-6666.json'), advisory('GHSA-2222-3333-6666', [['x-core', '1.0.5']]));
      writeFileSync(join(dir, 'advisories', 'GHSA-2222-3333-7777.json'), advisory('GHSA-2222-3333-7777', [['x-cli', '1.0.7']]));
      writeFileSync(join(dir, 'catalog.yaml'), catalog(['orders', 'shop']));
      await importCatalogFiles(store, [join(dir, 'catalog.yaml')], 'test');
      const inventories: [string, [string, string, string][]][] = [
        [
          'orders',
          [
            ['maven', 'org.springframework:spring-beans', '5.0.9.RELEASE'],
            ['maven', 'org.springframework:spring-webmvc', '5.0.9.RELEASE'],
            ['maven', 'org.springframework:spring-core', '5.0.9.RELEASE'],
            ['maven', 'org.springframework.boot:spring-boot-starter-web', '2.0.5.RELEASE'],
            ['maven', 'com.fasterxml.jackson.core:jackson-databind', '2.10.1'],
          ],
        ],
        ['shop', [['npm', '@acme/a', '1.0.0'], ['npm', '@acme/b', '1.0.0'], ['npm', 'foo-a', '1.0.0'], ['npm', 'bar-b', '1.0.0'], ['npm', 'x-core', '1.0.0'], ['npm', 'x-cli', '1.0.0']]],
      ];
      for (const [service, components] of inventories) {
        writeFileSync(join(dir, `${service}.cdx.json`), bom(components));
        const [outcome] = await importInventoryFiles(store, [{ service, environment: 'production', file: join(dir, `${service}.cdx.json`) }], { environments: ['staging', 'production'], actor: 'test' });
        expect(outcome?.errors).toEqual([]);
      }
    });
    afterAll(async () => {
      await cleanup?.();
      rmSync(dir, { recursive: true, force: true });
    });

    it('plans Spring4Shell as one upgrade with targets aligned per release train, not three', async () => {
      const summary = await runIntake(store, load(), { now: t0 });
      expect(summary.problems).toEqual([]);
      const upgrades = await byName();
      for (const name of ['org.springframework:spring-beans', 'org.springframework:spring-webmvc', 'org.springframework.boot:spring-boot-starter-web']) expect(upgrades.has(name)).toBe(false);
      const spring = upgrades.get('spring-boot + spring-framework')!;
      expect(spring).toMatchObject({ ecosystem: 'Maven', purl: 'release-group:Maven/spring-boot+spring-framework', services: ['orders'] });
      expect(spring.targetVersion).toBe('spring-boot 2.5.12, spring-framework 5.2.22.RELEASE');
      expect(spring.members.map((m) => [m.name, m.fromVersions, m.targetVersion, m.releaseGroup])).toEqual([
        ['org.springframework.boot:spring-boot-starter-web', ['2.0.5.RELEASE'], '2.5.12', 'spring-boot'],
        // spring-webmvc alone would need 5.2.20.RELEASE; its train moves to the version spring-beans needs.
        ['org.springframework:spring-beans', ['5.0.9.RELEASE'], '5.2.22.RELEASE', 'spring-framework'],
        ['org.springframework:spring-webmvc', ['5.0.9.RELEASE'], '5.2.22.RELEASE', 'spring-framework'],
      ]);
      const risk = await latestAssessment(store.db, spring.id);
      expect(risk?.assessment.ssvcInputs.exploitation).toBe('active'); // Spring4Shell is in CISA KEV
      expect(risk?.input.reversibility.releaseNotesUnknown).toMatch(/no release notes for 2\.0\.5\.RELEASE → 2\.5\.12/);
      expect(risk?.candidate.advisories).toEqual(['GHSA-36p3-wjmg-h94x', 'GHSA-hh26-6xwr-ggv7']);
      expect(risk?.candidate.explanation).toContain('GHSA-36p3-wjmg-h94x names packages of spring-boot and spring-framework');
      // One package alone in its train stays a plain upgrade.
      expect(upgrades.get('com.fasterxml.jackson.core:jackson-databind')?.members).toHaveLength(1);
      expect((await getUpgrade(store.db, spring.id))?.members).toHaveLength(3);
    });

    it('shows the members in the API upgrade JSON', async () => {
      const spring = (await byName()).get('spring-boot + spring-framework')!;
      const loaded = load();
      const app = await buildServer({ store, config: loaded.config, loaded });
      try {
        const { secret } = await createToken(store, { name: 'groups', role: 'viewer', actor: 'test' });
        const body = (await app.inject({ url: `/api/v1/upgrades/${spring.id}`, headers: { authorization: `Bearer ${secret}` } })).json();
        expect(body.members.map((m: { name: string; targetVersion: string; releaseGroup: string }) => `${m.name} ${m.targetVersion} ${m.releaseGroup}`)).toEqual([
          'org.springframework.boot:spring-boot-starter-web 2.5.12 spring-boot',
          'org.springframework:spring-beans 5.2.22.RELEASE spring-framework',
          'org.springframework:spring-webmvc 5.2.22.RELEASE spring-framework',
        ]);
        const list = (await app.inject({ url: '/api/v1/upgrades', headers: { authorization: `Bearer ${secret}` } })).json().items;
        expect(list.find((u: { name: string }) => u.name === 'com.fasterxml.jackson.core:jackson-databind').members).toHaveLength(1);
      } finally {
        await app.close();
      }
    });

    it('bundles packages of one npm scope that one advisory names, and never unrelated ones', async () => {
      const upgrades = await byName();
      expect(upgrades.get('@acme')?.members.map((m) => [m.name, m.targetVersion])).toEqual([
        ['@acme/a', '1.3.0'],
        ['@acme/b', '1.3.0'],
      ]);
      // One advisory naming two unrelated packages, and two advisories naming one package each: separate upgrades.
      for (const name of ['foo-a', 'bar-b', 'x-core', 'x-cli']) expect(upgrades.get(name)?.members.map((m) => m.name)).toEqual([name]);
      expect(upgrades.get('foo-a')?.targetVersion).toBe('1.2.0');
      expect(upgrades.get('bar-b')?.targetVersion).toBe('1.3.0');
    });

    it('groups a configured release group, superseding the single-package upgrades it replaces', async () => {
      const before = await byName();
      const [core, cli] = [before.get('x-core')!, before.get('x-cli')!];
      const summary = await runIntake(store, load(['  releaseGroups: [{ name: x, ecosystem: npm, packages: [x-core, x-cli] }]']), { now: new Date(t0.getTime() + 3_600_000) });
      const x = (await byName()).get('x')!;
      expect(x.members.map((m) => [m.name, m.targetVersion])).toEqual([
        ['x-cli', '1.0.7'],
        ['x-core', '1.0.7'],
      ]);
      expect(summary.upgrades.created).toEqual([x.id]);
      expect(summary.upgrades.superseded.sort()).toEqual([core.id, cli.id].sort());
      for (const old of [core, cli]) {
        const now = await getUpgrade(store.db, old.id);
        expect(now?.state).toBe('superseded');
        expect(now?.evidence.at(-1)).toMatchObject({ kind: 'superseded_by', ref: `upgrade:${x.id}` });
      }
      expect((await byName()).has('x-core')).toBe(false);
      expect((await verifyLog(store.db)).ok).toBe(true);
    });

    it('supersedes the group upgrade when its packages leave the group', async () => {
      const x = (await byName()).get('x')!;
      const summary = await runIntake(store, load(), { now: new Date(t0.getTime() + 5_400_000) });
      const after = await byName();
      expect(after.has('x')).toBe(false);
      const [core, cli] = [after.get('x-core')!, after.get('x-cli')!];
      expect(summary.upgrades.created.sort()).toEqual([core.id, cli.id].sort());
      expect(summary.upgrades.superseded).toEqual([x.id]);
      expect((await getUpgrade(store.db, x.id))?.evidence.at(-1)).toMatchObject({ kind: 'superseded_by', summary: expect.stringMatching(/no longer moves with x|target moved/) });
    });

    it('never rescopes an open upgrade to no services: keeps them and reports a problem', async () => {
      const before = await byName();
      writeFileSync(join(dir, 'catalog.yaml'), catalog(['orders']));
      await importCatalogFiles(store, [join(dir, 'catalog.yaml')], 'test');
      const summary = await runIntake(store, load(), { now: new Date(t0.getTime() + 7_200_000) });
      const after = await byName();
      for (const name of ['@acme', 'foo-a', 'bar-b', 'x-core', 'x-cli']) {
        expect(after.get(name)?.id).toBe(before.get(name)?.id);
        expect(after.get(name)?.services).toEqual(['shop']);
      }
      expect(summary.upgrades.rescoped).toEqual([]);
      expect(summary.problems.map((p) => p.message)).toContainEqual(expect.stringMatching(/^npm:@acme: none of the services running it is in the catalog now; kept its services \(shop\)/));
      expect(summary.problems).toHaveLength(5);
    });
  });
}
