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
