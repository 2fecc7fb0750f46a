import type { InventoryFormat } from '../../core/inventory.js';
import { inventoryImporters } from './importers.js';

/**
 * Which importer reads this JSON: the first whose format marker the content carries (each
 * importer's `detect`), else the first whose conventional file name it has (`matchesFileName`).
 */
export function detectInventoryFormat(json: unknown, fileName: string): InventoryFormat | undefined {
  const importers = Object.values(inventoryImporters);
  return (importers.find((importer) => importer.detect(json)) ?? importers.find((importer) => importer.matchesFileName(fileName)))?.id;
}
