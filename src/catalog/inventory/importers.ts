import type { InventoryFormat } from '../../core/inventory.js';
import { cycloneDxImporter } from './cyclonedx/index.js';
import { packageLockImporter } from './package-lock/index.js';
import { spdxImporter } from './spdx/index.js';
import type { InventoryImporter } from './types.js';

/**
 * Every inventory importer, by format. The order is the order detection asks them in: a file
 * that carries two formats' markers is read as the first.
 */
export const inventoryImporters = {
  cyclonedx: cycloneDxImporter,
  spdx: spdxImporter,
  'package-lock': packageLockImporter,
} as const satisfies Record<InventoryFormat, InventoryImporter>;
