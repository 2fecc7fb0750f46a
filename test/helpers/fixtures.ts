import type { InventoryComponent, ParsedInventory } from '../../src/core/inventory.js';
import type { CatalogEntity } from '../../src/core/service-map.js';

export function component(name: string, dependsOn: string[] = [], file = 'a.yaml'): CatalogEntity {
  return {
    ref: `component:default/${name}`,
    kind: 'Component',
    namespace: 'default',
    name,
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/team-a',
    dependsOn: dependsOn.map((d) => `component:default/${d}`),
    providesApis: [],
    consumesApis: [],
    factory: { tier: 'high', criticalPaths: [] },
    annotations: {},
    source: { file, document: 1 },
  };
}

export function npm(name: string, version: string, direct = true): InventoryComponent {
  return { purl: `pkg:npm/${name}@${version}`, ecosystem: 'npm', name, version, direct, scope: 'runtime' };
}

export function inventory(components: InventoryComponent[]): ParsedInventory {
  return { format: 'cyclonedx', formatVersion: '1.4', components, skipped: [] };
}

/**
 * A CycloneDX 1.5 document listing `[type, name, version]` components, `type` being `npm` or
 * `maven` (`group:artifact`); scoped npm names get `%40` in their PURL, as the PURL spec asks.
 */
export function cycloneDxBom(components: [string, string, string][]): string {
  return JSON.stringify({
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    metadata: { component: { 'bom-ref': 'root', type: 'application', name: 'svc' } },
    components: components.map(([type, name, version]) => {
      const purl = type === 'maven' ? `pkg:maven/${name.replace(':', '/')}@${version}` : `pkg:npm/${name.replace('@', '%40')}@${version}`;
      return { 'bom-ref': purl, type: 'library', name, version, purl };
    }),
  });
}
