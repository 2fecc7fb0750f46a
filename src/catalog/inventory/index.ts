import { UfError, isUfError } from '../../core/errors.js';
import type { InventoryFormat, ParsedInventory } from '../../core/inventory.js';
import { detectInventoryFormat } from './detect.js';
import { inventoryImporters } from './importers.js';
import { parseJsonText, stripBom } from '../../core/json-text.js';
import { mergeComponents } from './merge.js';

export { detectInventoryFormat } from './detect.js';

export { inventoryImporters } from './importers.js';
export type { InventoryImporter } from './types.js';

/**
 * Reads an inventory file's text: parses the JSON, tells the format (unless given), and returns its
 * components, one per purl. Throws only UfError: `parse_error` for text that is not JSON,
 * `import_invalid` for JSON that is not the format's shape, both with the file and the place.
 */
export function parseInventory(text: string, file: string, format?: InventoryFormat): ParsedInventory {
  const source = stripBom(text);
  const json = parseJsonText(source, { file });
  const chosen = format ?? detectInventoryFormat(json, file);
  if (chosen === undefined) {
    throw new UfError(
      'import_invalid',
      'not a recognised inventory: expected a CycloneDX BOM, an SPDX 2.x document or an npm lockfile',
      { file },
    );
  }
  let inventory: ParsedInventory;
  try {
    inventory = inventoryImporters[chosen].parse(json, { file, text: source });
  } catch (error) {
    if (isUfError(error)) throw error;
    // Pathologically deep nesting exhausts the stack in schema validation: bad input, not a bug.
    if (error instanceof RangeError) {
      throw new UfError('import_invalid', 'structure is nested too deeply to read', { file }, { cause: error });
    }
    throw error;
  }
  return { ...inventory, components: mergeComponents(inventory.components) };
}

