import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { InventoryComponent, ParsedInventory } from '../../../core/inventory.js';
import { mergeComponents } from '../merge.js';
import { importCycloneDx } from './index.js';
import { catchUfError } from '../../../../test/helpers/errors.js';
import { sharedData } from '../../../../test/helpers/shared-data.js';

const sbom = sharedData('sbom');

function importFile(name: string): ParsedInventory {
  // Suites skipped for want of the data still run their describe bodies: give them an empty inventory.
  if (!sbom.available) return { format: 'cyclonedx', formatVersion: '', components: [], skipped: [] };
  const text = readFileSync(sbom.path('cyclonedx', name), 'utf8');
  const inventory = importCycloneDx(JSON.parse(text), { file: name, text });
  return { ...inventory, components: mergeComponents(inventory.components) };
}

function byPurl(inventory: ParsedInventory, purl: string): InventoryComponent | undefined {
  return inventory.components.find((component) => component.purl === purl);
}

const count = (inventory: ParsedInventory, test: (c: InventoryComponent) => boolean): number =>
  inventory.components.filter(test).length;

describe.skipIf(!sbom.available)(`CycloneDX 1.2, Maven (dropwizard 1.3.15)${sbom.skipNote}`, () => {
  const inventory = importFile('dropwizard-1.3.15.bom.json');

  it('reads all 167 components, 29 of them graph roots and so direct', () => {
    expect(inventory).toMatchObject({ format: 'cyclonedx', formatVersion: '1.2', skipped: [] });
    expect(inventory.components).toHaveLength(167);
    expect(count(inventory, (c) => c.direct)).toBe(29);
    expect(count(inventory, (c) => c.scope === 'runtime')).toBe(167);
  });

  it('names the subject and spells Maven names group:artifact', () => {
    expect(inventory.subject).toEqual({
      name: 'io.dropwizard:dropwizard-parent',
      version: '1.3.15',
      purl: 'pkg:maven/io.dropwizard/dropwizard-parent@1.3.15',
    });
    expect(byPurl(inventory, 'pkg:maven/com.google.guava/guava@24.1.1-jre')).toEqual({
      purl: 'pkg:maven/com.google.guava/guava@24.1.1-jre',
      ecosystem: 'Maven',
      name: 'com.google.guava:guava',
      version: '24.1.1-jre',
      direct: false,
      scope: 'runtime',
    });
    expect(byPurl(inventory, 'pkg:maven/org.eclipse.jetty/jetty-server@9.4.18.v20190429')?.version).toBe('9.4.18.v20190429');
    expect(byPurl(inventory, 'pkg:maven/junit/junit@4.12')?.direct).toBe(true);
    expect(byPurl(inventory, 'pkg:maven/org.hibernate/hibernate-validator@5.4.3.Final')?.direct).toBe(false);
  });
});

describe.skipIf(!sbom.available)(`CycloneDX 1.2, Maven (keycloak 10.0.2)${sbom.skipNote}`, () => {
  const inventory = importFile('keycloak-10.0.2.bom.json');

  it('reads 903 entries as 902 components: a jar and its test-jar share one purl once qualifiers go', () => {
    expect(inventory.components).toHaveLength(902);
    expect(count(inventory, (c) => c.direct)).toBe(174);
    expect(byPurl(inventory, 'pkg:maven/org.keycloak.testsuite/integration-arquillian-tests-base@10.0.2')?.direct).toBe(true);
  });

  it('spot-checks versions and direct flags', () => {
    expect(byPurl(inventory, 'pkg:maven/org.bouncycastle/bcprov-jdk15on@1.62')?.name).toBe('org.bouncycastle:bcprov-jdk15on');
    expect(byPurl(inventory, 'pkg:maven/org.jboss.logging/jboss-logging@3.4.1.Final')?.version).toBe('3.4.1.Final');
    expect(byPurl(inventory, 'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.1')?.direct).toBe(false);
    expect(byPurl(inventory, 'pkg:maven/log4j/log4j@1.2.17')?.direct).toBe(true);
    expect(inventory.subject?.purl).toBe('pkg:maven/org.keycloak/keycloak-parent@10.0.2');
  });
});

describe.skipIf(!sbom.available)(`CycloneDX 1.4, npm (OWASP Juice Shop 14.1.1)${sbom.skipNote}`, () => {
  const inventory = importFile('juice-shop-14.1.1.npm-flat.bom.1.4.json');

  it('folds 1115 install instances into 978 packages; the 71 the subject depends on are direct', () => {
    expect(inventory.formatVersion).toBe('1.4');
    expect(inventory.components).toHaveLength(978);
    expect(count(inventory, (c) => c.direct)).toBe(71);
    expect(count(inventory, (c) => c.scope === 'optional')).toBe(57);
    expect(count(inventory, (c) => c.scope === 'runtime')).toBe(921);
  });

  it('gives the subject its purl without qualifiers, and npm names with their scope', () => {
    expect(inventory.subject).toEqual({ name: 'juice-shop', version: '14.1.1', purl: 'pkg:npm/juice-shop@14.1.1' });
    expect(byPurl(inventory, 'pkg:npm/%40babel/parser@7.21.2')).toMatchObject({ name: '@babel/parser', ecosystem: 'npm', direct: false });
    expect(byPurl(inventory, 'pkg:npm/express@4.18.2')).toMatchObject({ direct: true, scope: 'runtime' });
    expect(byPurl(inventory, 'pkg:npm/jsonwebtoken@0.4.0')?.direct).toBe(true);
    expect(byPurl(inventory, 'pkg:npm/jsonwebtoken@0.1.0')?.direct).toBe(false);
    expect(byPurl(inventory, 'pkg:npm/lodash@4.17.21')?.direct).toBe(false);
  });

  it('contains every package named in expected-juice-shop-npm-matches.json', () => {
    const expected = JSON.parse(readFileSync(sbom.path('expected-juice-shop-npm-matches.json'), 'utf8')) as {
      matches: { component: string; version: string; purl: string }[];
    };
    expect(new Set(expected.matches.map((match) => match.purl)).size).toBe(11);
    for (const match of expected.matches) {
      expect(byPurl(inventory, match.purl), match.purl).toMatchObject({ name: match.component, version: match.version });
    }
  });
});

describe('CycloneDX rules on small documents', () => {
  const bom = (extra: Record<string, unknown>) => ({ bomFormat: 'CycloneDX', specVersion: '1.6', ...extra });

  it('without a dependency graph: top-level components are direct, nested ones are not', () => {
    const inventory = importCycloneDx(
      bom({
        components: [
          { type: 'library', name: 'outer', version: '1.0.0', purl: 'pkg:npm/outer@1.0.0', scope: 'excluded',
            components: [{ type: 'library', name: 'inner', purl: 'pkg:npm/inner@2.0.0', scope: 'optional' }] },
        ],
      }),
      { file: 'bom.json' },
    );
    expect(inventory.components.map(({ name, direct, scope }) => ({ name, direct, scope }))).toEqual([
      { name: 'outer', direct: true, scope: 'dev' },
      { name: 'inner', direct: false, scope: 'optional' },
    ]);
  });

  it('takes the version from the component when the purl has none, and skips what cannot be matched', () => {
    const inventory = importCycloneDx(
      bom({
        components: [
          { name: 'a', version: '1.2.3', purl: 'pkg:pypi/a' },
          { name: 'b', version: '1.0', 'bom-ref': 'ref-b' },
          { name: 'c', purl: 'pkg:pypi/c' },
          { name: 'd', group: 'g', version: '1', purl: 'not a purl' },
        ],
      }),
      { file: 'bom.json' },
    );
    expect(inventory.components.map((c) => c.purl)).toEqual(['pkg:pypi/a@1.2.3']);
    expect(inventory.skipped).toEqual([
      { record: 'ref-b', reason: 'no purl' },
      { record: 'c', reason: 'no version in the purl or the entry' },
      { record: 'g/d@1', reason: 'invalid purl: does not start with "pkg:"' },
    ]);
  });

  it('reports a wrong shape with the key path and the line', () => {
    const text = '{\n  "bomFormat": "CycloneDX",\n  "specVersion": "1.5",\n  "components": [\n    {"name": "ok"},\n    {"version": "1"}\n  ]\n}';
    const error = catchUfError(() => importCycloneDx(JSON.parse(text), { file: 'b.json', text }));
    expect(error.code).toBe('import_invalid');
    expect(error.location).toMatchObject({ file: 'b.json', path: 'components[1].name', line: 6 });
  });

  it('refuses spec versions that have no JSON form', () => {
    const error = catchUfError(() => importCycloneDx(bom({ specVersion: '1.1' }), { file: 'b.json' }));
    expect(error.location?.path).toBe('specVersion');
    expect(error.message).toContain('1.2 or later');
  });
});

