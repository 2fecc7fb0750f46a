import type { InventoryFormat } from '../../core/inventory.js';

/**
 * Which importer reads this JSON: by the markers each format requires (`bomFormat`,
 * `spdxVersion`, `lockfileVersion`), then by the conventional file name.
 */
export function detectInventoryFormat(json: unknown, fileName: string): InventoryFormat | undefined {
  if (isObject(json)) {
    if (json.bomFormat === 'CycloneDX') return 'cyclonedx';
    if (typeof json.spdxVersion === 'string' && json.spdxVersion.startsWith('SPDX-')) return 'spdx';
    if (typeof json.lockfileVersion === 'number') return 'package-lock';
  }
  const base = fileName.split(/[\\/]/).pop()?.toLowerCase() ?? '';
  if (base === 'package-lock.json' || base === 'npm-shrinkwrap.json') return 'package-lock';
  if (base.endsWith('.cdx.json') || base === 'bom.json' || base.endsWith('.bom.json')) return 'cyclonedx';
  if (base.endsWith('.spdx.json')) return 'spdx';
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
