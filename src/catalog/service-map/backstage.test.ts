import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCatalogFile } from './backstage.js';

function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
}

describe('parseCatalogFile on a whole catalog-info.yaml', () => {
  const result = parseCatalogFile(fixture('catalog-info.yaml'), 'catalog-info.yaml');
  const byRef = new Map(result.entities.map((entity) => [entity.ref, entity]));

  it('reads every document of every built-in kind, in file order', () => {
    expect(result.errors).toEqual([]);
    expect(result.entities.map((entity) => entity.kind)).toEqual([
      'Domain',
      'System',
      'Group',
      'User',
      'Component',
      'API',
      'Resource',
      'Component',
      'Component',
      'Component',
    ]);
    expect(result.entities.map((entity) => entity.source.document)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('skips kinds it does not model, without an error', () => {
    expect(result.skipped).toEqual([{ document: 11, apiVersion: 'backstage.io/v1alpha1', kind: 'Location', name: 'shop-extras' }]);
  });

  it('maps a component with its metadata, spec refs and factory annotations', () => {
    expect(byRef.get('component:default/payments')).toEqual({
      ref: 'component:default/payments',
      kind: 'Component',
      namespace: 'default',
      name: 'payments',
      title: 'Payments',
      description: 'Takes card and wallet payments.',
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/checkout-team',
      system: 'system:default/checkout',
      dependsOn: ['resource:default/payments-db', 'component:finance/ledger'],
      providesApis: ['api:default/payments-api'],
      consumesApis: [],
      factory: { tier: 'critical', criticalPaths: ['auth', 'payment'], trafficShare: 0.35, downtimeCostPerHour: 12000 },
      annotations: {
        'github.com/project-slug': 'shop/payments',
        'upgrade-factory.io/tier': 'critical',
        'upgrade-factory.io/critical-paths': 'payment, auth',
        'upgrade-factory.io/traffic-share': '35%',
        'upgrade-factory.io/downtime-cost-per-hour': '12000',
      },
      source: { file: 'catalog-info.yaml', document: 5 },
    });
  });

  it('normalises refs however they are written', () => {
    const storefront = byRef.get('component:default/storefront');
    expect(storefront?.name).toBe('Storefront');
    expect(storefront?.dependsOn).toEqual(['component:default/search']); // written `Component:Search`
    expect(storefront?.consumesApis).toEqual(['api:default/payments-api']); // written `api:payments-api`
    expect(storefront?.system).toBe('system:default/checkout'); // written in full
    expect(byRef.get('component:default/search')?.owner).toBe('user:default/jane-doe');
    expect(byRef.get('resource:default/payments-db')?.owner).toBe('group:default/checkout-team');
  });

  it("resolves bare refs in the entity's own namespace", () => {
    const ledger = byRef.get('component:finance/ledger');
    expect(ledger?.namespace).toBe('finance');
    expect(ledger?.owner).toBe('group:finance/finance-team');
    expect(ledger?.dependsOn).toEqual(['resource:finance/ledger-db']);
  });

  it('gives entities without factory annotations an empty factory record', () => {
    expect(byRef.get('api:default/payments-api')?.factory).toEqual({ criticalPaths: [] });
    expect(byRef.get('resource:default/payments-db')?.type).toBe('database');
  });
});

describe('parseCatalogFile on bad input', () => {
  it('reports a YAML syntax error in one document and still reads the others', () => {
    const result = parseCatalogFile(fixture('broken-middle.yaml'), 'broken-middle.yaml');
    expect(result.entities.map((entity) => entity.ref)).toEqual(['component:default/cart', 'component:default/reviews']);
    expect(result.errors).toHaveLength(1);
    const [error] = result.errors;
    expect(error?.code).toBe('parse_error');
    expect(error?.location).toMatchObject({ file: 'broken-middle.yaml', line: 17 });
    expect(error?.location?.column).toBeGreaterThan(0);
    expect(error?.message).toContain('document 2');
  });

  it('names file, line, entity, annotation and what was expected for a bad annotation', () => {
    const result = parseCatalogFile(fixture('bad-annotations.yaml'), 'bad-annotations.yaml');
    expect(result.entities.map((entity) => entity.ref)).toEqual(['component:default/newsletter']);
    expect(result.errors.map((error) => error.code)).toEqual(Array(5).fill('import_invalid'));
    expect(result.errors[0]?.describe()).toBe(
      'bad-annotations.yaml:6:5: component:default/recommendations: metadata.annotations["upgrade-factory.io/tier"]: ' +
        'expected one of critical, high, medium, low, got "urgent"',
    );
    expect(result.errors.map((error) => error.location?.line)).toEqual([6, 7, 8, 9, 32]);
    // Backstage refuses non-string annotation values, so an unquoted number is refused here too.
    expect(result.errors[4]?.message).toContain('quote the value');
  });

  it('warns about an unknown factory annotation without refusing the entity', () => {
    const result = parseCatalogFile(fixture('bad-annotations.yaml'), 'bad-annotations.yaml');
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]?.location).toMatchObject({ line: 20, path: 'metadata.annotations["upgrade-factory.io/teir"]' });
    expect(result.entities[0]?.factory.trafficShare).toBe(0.02);
  });

  it('reports each invalid entity at the offending key and keeps the valid ones', () => {
    const result = parseCatalogFile(fixture('invalid-entities.yaml'), 'invalid-entities.yaml');
    expect(result.entities.map((entity) => entity.ref)).toEqual(['component:default/orders-v2']);
    const found = result.errors.map((error) => ({
      code: error.code,
      line: error.location?.line,
      path: error.location?.path,
      record: error.location?.record,
    }));
    expect(found).toEqual([
      { code: 'import_invalid', line: 5, path: 'spec.owner', record: 'component:default/orders' },
      { code: 'import_invalid', line: 9, path: 'apiVersion', record: 'component:default/invoices' },
      { code: 'import_invalid', line: 26, path: 'spec.dependsOn', record: 'component:default/shipping' },
      { code: 'import_invalid', line: 38, path: 'spec.dependsOn[1]', record: 'component:default/returns' },
      { code: 'import_invalid', line: 43, path: 'metadata.name', record: 'document 5' },
      { code: 'import_invalid', line: 49, path: '', record: 'document 6' },
    ]);
    expect(result.errors[0]?.message).toBe('required key is missing (expected string)');
    expect(result.errors[1]?.message).toContain('backstage.io/v1alpha1');
  });

  it('refuses the second of two documents defining the same entity', () => {
    const doc = (title: string) =>
      `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: Cart\n  title: ${title}\n` +
      'spec:\n  type: service\n  lifecycle: production\n  owner: checkout-team\n';
    const result = parseCatalogFile(`${doc('first')}---\n${doc('second')}`, 'dup.yaml');
    expect(result.entities.map((entity) => entity.title)).toEqual(['first']);
    expect(result.errors[0]?.location).toMatchObject({ line: 14, path: 'metadata.name', record: 'component:default/cart' });
  });

  it('treats empty documents and comments as nothing, and unresolved aliases as a parse error', () => {
    expect(parseCatalogFile('', 'f.yaml')).toEqual({ entities: [], errors: [], warnings: [], skipped: [] });
    expect(parseCatalogFile('# nothing yet\n---\n---\n', 'f.yaml').errors).toEqual([]);
    // Anchors do not cross `---`: the second document names one it cannot see.
    const aliased = parseCatalogFile('apiVersion: example.com/v1\nkind: &k Thing\n---\nkind: *k\n', 'f.yaml');
    expect(aliased.skipped.map((skipped) => skipped.kind)).toEqual(['Thing']);
    expect(aliased.errors.map((error) => [error.code, error.location?.line])).toEqual([['parse_error', 4]]);
  });

  it('refuses an alias bomb instead of expanding it', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdefghij'.split('').map((name, index) => {
      const previous = 'abcdefghij'[index] ?? 'a';
      return `${name}: &${name} [${Array(10).fill(`*${previous}`).join(', ')}]`;
    })].join('\n');
    const result = parseCatalogFile(bomb, 'bomb.yaml');
    expect(result.errors.map((error) => error.code)).toEqual(['parse_error']);
  });
});

describe('parseCatalogFile: metadata.tags', () => {
  const doc = (tags: string) => `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: web\n  tags: ${tags}\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n`;

  it('keeps the tags, once each, and refuses one Backstage would refuse, naming it', () => {
    expect(parseCatalogFile(doc('[pci, customer-facing, pci]'), 'c.yaml').entities[0]?.tags).toEqual(['pci', 'customer-facing']);
    const bad = parseCatalogFile(doc('[PCI]'), 'c.yaml');
    expect(bad.entities).toEqual([]);
    expect(bad.errors[0]?.message).toContain('a tag is lowercase');
    expect(JSON.stringify(bad.errors[0])).toContain('metadata.tags');
  });
});
