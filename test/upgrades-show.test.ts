import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runUf } from './helpers/cli.js';

/** `uf upgrades show` as a user reads it: members of a release group, unknown where nothing is known. */
describe('uf upgrades show', () => {
  let dir: string;
  const uf = (...args: string[]) => runUf(['--config', join(dir, 'factory.yaml'), ...args], { cwd: dir });
  const components: [string, string, string][] = [
    ['npm', 'jsonwebtoken', '0.4.0'],
    ['maven', 'org.springframework:spring-beans', '5.0.9.RELEASE'],
    ['maven', 'org.springframework:spring-webmvc', '5.0.9.RELEASE'],
    ['maven', 'org.springframework.boot:spring-boot-starter-web', '2.0.5.RELEASE'],
  ];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'uf-show-'));
    cpSync(join(process.cwd(), 'demo-data', 'advisories'), join(dir, 'advisories'), { recursive: true });
    writeFileSync(
      join(dir, 'catalog.yaml'),
      [
        'apiVersion: backstage.io/v1alpha1',
        'kind: Component',
        'metadata:',
        '  name: shop',
        '  annotations:',
        '    upgrade-factory.io/internet-exposed: "true"',
        'spec: { type: service, lifecycle: production, owner: group:team }',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'shop.cdx.json'),
      JSON.stringify({
        bomFormat: 'CycloneDX',
        specVersion: '1.5',
        metadata: { component: { 'bom-ref': 'root', type: 'application', name: 'shop' } },
        components: components.map(([type, name, version]) => {
          const purl = type === 'maven' ? `pkg:maven/${name.replace(':', '/')}@${version}` : `pkg:npm/${name}@${version}`;
          return { 'bom-ref': purl, type: 'library', name, version, purl };
        }),
      }),
    );
    writeFileSync(
      join(dir, 'factory.yaml'),
      ['version: 1', 'catalog: [catalog.yaml]', 'inventories: [{ service: shop, environment: production, file: shop.cdx.json }]', 'intake:', '  advisories: [advisories]'].join('\n'),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists the members of a release group and says unknown, not "no breaking change", without release notes', async () => {
    for (const step of [['catalog', 'import'], ['inventory', 'import'], ['intake', 'run']]) {
      const result = await uf(...step);
      expect(result.code, result.stderr).toBe(0);
    }
    const list = JSON.parse((await uf('upgrades', 'list', '--json')).stdout) as { id: string; name: string; members: { name: string; targetVersion: string }[] }[];
    expect(list.map((u) => u.name).sort()).toEqual(['jsonwebtoken', 'spring-boot + spring-framework']);

    const jwt = await uf('upgrades', 'show', list.find((u) => u.name === 'jsonwebtoken')!.id);
    expect(jwt.stdout).toContain('breaking changes, migrations: unknown (no release notes for 0.4.0 → 9.0.0)');
    expect(jwt.stdout).toContain('reversibility.breakingChanges = unknown: Unknown (no release notes for 0.4.0 → 9.0.0)');
    expect(jwt.stdout).not.toMatch(/no breaking change|needs no schema or data migration/);
    expect(jwt.stdout).toContain('its breaking changes and migrations are unknown');
    // The annotation reaches the internet-exposure factor.
    expect(jwt.stdout).toContain('blast_radius.internetFacing = true: shop is reachable from the internet');

    const spring = list.find((u) => u.name === 'spring-boot + spring-framework')!;
    const shown = await uf('upgrades', 'show', spring.id);
    expect(shown.stdout).toContain('members (released together; ship as one change):');
    expect(shown.stdout).toContain('org.springframework:spring-webmvc 5.0.9.RELEASE -> 5.2.22.RELEASE  (spring-framework)');
    expect(shown.stdout).toContain('org.springframework.boot:spring-boot-starter-web 2.0.5.RELEASE -> 2.5.12  (spring-boot)');
    const json = JSON.parse((await uf('upgrades', 'show', spring.id, '--json')).stdout);
    expect(json.members).toHaveLength(3);
    expect(json.risk.releaseNotesUnknown).toContain('no release notes for 5.0.9.RELEASE → 5.2.22.RELEASE');
  }, 300_000);

  it('refuses an internet-exposed value other than "true" or "false", naming the annotation', async () => {
    writeFileSync(join(dir, 'bad.yaml'), ['apiVersion: backstage.io/v1alpha1', 'kind: Component', 'metadata:', '  name: other', '  annotations:', '    upgrade-factory.io/internet-exposed: "yes"', 'spec: { type: service, lifecycle: production, owner: group:team }'].join('\n'));
    const result = await uf('catalog', 'import', join(dir, 'bad.yaml'));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('upgrade-factory.io/internet-exposed');
    expect(result.stderr).toContain('expected "true" or "false", got "yes"');
  }, 120_000);
});
