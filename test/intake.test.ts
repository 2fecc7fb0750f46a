import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLog, verifyLog } from '../src/store/repos/operation-log.js';
import { importCatalogFiles, importInventoryFiles } from '../src/app/import-files.js';
import { parseConfig, type LoadedConfig } from '../src/config/load.js';
import { runIntake } from '../src/app/intake.js';
import type { Store } from '../src/store/open.js';
import { listFindings } from '../src/intake/store/findings.js';
import { latestAssessment } from '../src/intake/store/risk.js';
import { getUpgrade, listUpgrades } from '../src/store/repos/upgrades.js';
import { postgresSkipReason, storeTargets } from './helpers/stores.js';
import { cycloneDxBom as bom } from './helpers/fixtures.js';

const demo = join(process.cwd(), 'demo-data');

const catalog = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: web
  annotations:
    upgrade-factory.io/tier: critical
    upgrade-factory.io/critical-paths: payment
    upgrade-factory.io/traffic-share: "0.8"
spec: { type: website, lifecycle: production, owner: group:web, dependsOn: [component:api] }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: api
  annotations:
    upgrade-factory.io/tier: high
spec: { type: service, lifecycle: production, owner: group:api }
`;


for (const target of storeTargets) {
  describe.skipIf(target.skip)(`intake on ${target.dialect}${target.skip ? ` (${postgresSkipReason})` : ''}`, () => {
    let dir: string;
    let store: Store;
    let cleanup: () => Promise<void>;
    let loaded: LoadedConfig;
    const t0 = new Date('2026-11-02T03:00:00Z');
    const run = (extra: { force?: boolean; now?: Date } = {}) => runIntake(store, loaded, { now: extra.now ?? t0, ...(extra.force ? { force: true } : {}) });
    const logCount = async () => {
      let n = 0;
      for await (const _ of readLog(store.db)) n++;
      return n;
    };
    const byName = async () => new Map((await listUpgrades(store.db)).filter((u) => u.state !== 'superseded').map((u) => [u.name, u]));
    const writeInventory = async (service: string, components: [string, string, string][]) => {
      writeFileSync(join(dir, `${service}.cdx.json`), bom(components));
      const [outcome] = await importInventoryFiles(store, [{ service, environment: 'production', file: join(dir, `${service}.cdx.json`) }], { environments: ['staging', 'production'], actor: 'test' });
      expect(outcome?.errors).toEqual([]);
    };

    beforeAll(async () => {
      ({ store, cleanup } = await target.open());
      dir = mkdtempSync(join(tmpdir(), 'uf-intake-'));
      cpSync(join(demo, 'advisories'), join(dir, 'advisories'), { recursive: true });
      mkdirSync(join(dir, 'kev'));
      cpSync(join(demo, 'kev'), join(dir, 'kev'), { recursive: true });
      writeFileSync(join(dir, 'catalog.yaml'), catalog);
      cpSync(join(demo, 'release-notes', 'express.History.md'), join(dir, 'express.History.md'));
      // A small endoflife.date-shaped file written for this test (not real log4j support dates).
      writeFileSync(join(dir, 'log4j-eol.json'), JSON.stringify([{ cycle: '2.14', eol: '2021-12-01' }, { cycle: '2.17', eol: '2026-12-01' }, { cycle: '2', eol: false }]));
      const config = parseConfig(
        [
          'version: 1',
          'intake:',
          '  advisories: [advisories]',
          '  kev: kev/known_exploited_vulnerabilities.json',
          '  releaseNotes: [{ ecosystem: npm, name: express, file: express.History.md }]',
          "  endOfLife: [{ ecosystem: Maven, name: 'org.apache.logging.log4j:log4j-core', product: log4j, file: log4j-eol.json }]",
        ].join('\n'),
        join(dir, 'factory.yaml'),
      );
      loaded = { config, file: join(dir, 'factory.yaml'), baseDir: dir };
      await importCatalogFiles(store, [join(dir, 'catalog.yaml')], 'test');
      await writeInventory('web', [['npm', 'lodash', '4.17.15'], ['npm', 'express', '4.18.2'], ['npm', 'request', '2.88.2'], ['npm', 'left-pad', '1.3.0']]);
      await writeInventory('api', [['maven', 'org.apache.logging.log4j:log4j-core', '2.14.1'], ['npm', 'lodash', '4.17.20']]);
    });
    afterAll(async () => {
      await cleanup?.();
      rmSync(dir, { recursive: true, force: true });
    });

    it('turns findings into one triaged, risk-scored upgrade per component', async () => {
      const summary = await run();
      expect(summary.status).toBe('completed');
      expect(summary.advisories).toMatchObject({ read: 41, new: 41, stored: 41 });
      expect(summary.kev).toBe(1404);
      const upgrades = await byName();
      expect([...upgrades.keys()].sort()).toEqual(['express', 'lodash', 'org.apache.logging.log4j:log4j-core']);
      expect(upgrades.get('lodash')).toMatchObject({ state: 'triaged', fromVersions: ['4.17.15', '4.17.20'], targetVersion: '4.17.21', services: ['api', 'web'] });
      const log4j = upgrades.get('org.apache.logging.log4j:log4j-core')!;
      expect(log4j).toMatchObject({ targetVersion: '2.17.0', changeClass: 'emergency', services: ['api'] });
      const risk = await latestAssessment(store.db, log4j.id);
      expect(risk?.assessment.decision).toBe('act');
      expect(risk?.assessment.factors.find((f) => f.name === 'kev')?.value).toBe(true);
      expect((await getUpgrade(store.db, log4j.id))?.evidence.map((e) => e.kind)).toEqual(['risk_score']);
      expect(risk?.assessment.factors.find((f) => f.name === 'endOfLife')?.contribution).toBeGreaterThan(0);
      expect(summary.endOfLife).toEqual([
        { component: 'Maven:org.apache.logging.log4j:log4j-core', version: '2.14.1', cycle: '2.14', eol: '2021-12-01', daysLeft: expect.any(Number), status: 'past', services: ['api'] },
      ]);
      const express = await latestAssessment(store.db, upgrades.get('express')!.id);
      expect(express?.releaseNotes?.releases).toBeGreaterThan(0);
      expect(express?.input.reversibility.breakingChanges).toBe(express?.releaseNotes?.breaking.length);
      expect(summary.unfixed).toEqual([{ component: 'npm:request', advisories: ['GHSA-p8p7-x288-28g6'], explanation: expect.stringContaining('no known version above 2.88.2') }]);
      const findings = await listFindings(store.db, { status: 'open' });
      expect(findings.filter((f) => f.name === 'lodash').map((f) => `${f.service} ${f.advisoryId}`).sort()).toEqual([
        'api GHSA-35jh-r3h4-6jhm',
        'web GHSA-35jh-r3h4-6jhm',
        'web GHSA-p6mc-m468-83gw',
      ]);
      expect((await verifyLog(store.db)).ok).toBe(true);
    });

    it('changes nothing on a re-run over unchanged input, forced or not', async () => {
      const before = await logCount();
      expect((await run()).status).toBe('unchanged');
      expect(await logCount()).toBe(before);
      const forced = await run({ force: true });
      expect(forced.upgrades.created).toEqual([]);
      expect(forced.upgrades.unchanged).toHaveLength(3);
      expect(forced.findings).toMatchObject({ opened: 0, retired: 0 });
      expect(await logCount()).toBe(before + 1); // only the intake.run entry
    });

    it('reports a malformed record with its file and ingests the rest', async () => {
      writeFileSync(join(dir, 'advisories', 'GHSA-bad0-bad0-bad0.json'), '{"id": "GHSA-bad0-bad0-bad0", "modified": ');
      const summary = await run();
      expect(summary.problems.map((p) => p.message)).toEqual([expect.stringMatching(/GHSA-bad0-bad0-bad0\.json:1:\d+: .*JSON/)]);
      expect(summary.advisories.read).toBe(41);
      rmSync(join(dir, 'advisories', 'GHSA-bad0-bad0-bad0.json'));
    });

    it('merges alias records: a CVE record naming the GHSA adds no second finding or upgrade', async () => {
      const ghsa = JSON.parse(readFileSync(join(dir, 'advisories', 'GHSA-p6mc-m468-83gw.json'), 'utf8'));
      writeFileSync(join(dir, 'advisories', 'CVE-2020-8203.json'), JSON.stringify({ ...ghsa, id: 'CVE-2020-8203', aliases: ['GHSA-p6mc-m468-83gw'] }));
      const summary = await run();
      expect(summary.upgrades.created).toEqual([]);
      const lodash = (await listFindings(store.db, { status: 'open' })).filter((f) => f.name === 'lodash' && f.service === 'web');
      expect(lodash.map((f) => f.advisoryId).sort()).toEqual(['GHSA-35jh-r3h4-6jhm', 'GHSA-p6mc-m468-83gw']);
      // Records are withdrawn, not deleted (a vanished file may just be an unreadable source).
      writeFileSync(join(dir, 'advisories', 'CVE-2020-8203.json'), JSON.stringify({ ...ghsa, id: 'CVE-2020-8203', aliases: ['GHSA-p6mc-m468-83gw'], modified: '2026-11-01T00:00:00Z', withdrawn: '2026-11-01T00:00:00Z' }));
    });

    it('retires the findings of a withdrawn advisory', async () => {
      const file = join(dir, 'advisories', 'GHSA-p6mc-m468-83gw.json');
      const record = JSON.parse(readFileSync(file, 'utf8'));
      writeFileSync(file, JSON.stringify({ ...record, modified: '2026-11-01T00:00:00Z', withdrawn: '2026-11-01T00:00:00Z' }));
      const summary = await run();
      expect(summary.advisories).toMatchObject({ updated: 2, withdrawn: 2 });
      expect(summary.findings.retired).toBe(1);
      const retired = await listFindings(store.db, { status: 'retired' });
      expect(retired.map((f) => `${f.service} ${f.advisoryId}`)).toContain('web GHSA-p6mc-m468-83gw');
    });

    it('supersedes an early upgrade when a changed record moves its target', async () => {
      const file = join(dir, 'advisories', 'GHSA-35jh-r3h4-6jhm.json');
      const record = JSON.parse(readFileSync(file, 'utf8'));
      const old = (await byName()).get('lodash')!;
      // Upstream now says the fix landed one release later.
      const text = JSON.stringify({ ...record, modified: '2026-11-03T00:00:00Z' }).replaceAll('"fixed":"4.17.21"', '"fixed":"4.17.22"');
      writeFileSync(file, text);
      const summary = await run();
      expect(summary.upgrades.superseded).toEqual([old.id]);
      expect((await getUpgrade(store.db, old.id))?.state).toBe('superseded');
      const replacement = (await byName()).get('lodash')!;
      expect(replacement).toMatchObject({ targetVersion: '4.17.22', state: 'triaged' });
      expect((await getUpgrade(store.db, old.id))?.evidence.at(-1)).toMatchObject({ kind: 'superseded_by', ref: `upgrade:${replacement.id}` });
    });

    it('does not retire findings when a source cannot be read, and says so', async () => {
      const open = (await listFindings(store.db, { status: 'open' })).length;
      const moved = join(dir, 'advisories-moved');
      cpSync(join(dir, 'advisories'), moved, { recursive: true });
      rmSync(join(dir, 'advisories'), { recursive: true });
      const summary = await run();
      expect(summary.problems[0]?.message).toMatch(/advisories/);
      expect(summary.findings.retired).toBe(0);
      expect((await listFindings(store.db, { status: 'open' })).length).toBe(open);
      cpSync(moved, join(dir, 'advisories'), { recursive: true });
    });

    it('closes the upgrade when every service has moved past the affected versions', async () => {
      await writeInventory('api', [['maven', 'org.apache.logging.log4j:log4j-core', '2.17.1']]);
      const log4j = (await byName()).get('org.apache.logging.log4j:log4j-core')!;
      const summary = await run();
      expect(summary.upgrades.closed).toEqual([log4j.id]);
      expect((await getUpgrade(store.db, log4j.id))?.state).toBe('rejected');
      expect((await verifyLog(store.db)).ok).toBe(true);
    });
  });
}
