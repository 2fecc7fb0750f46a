import { UfError, isUfError } from '../../core/errors.js';
import type { InventoryFormat, ParsedInventory } from '../../core/inventory.js';
import { detectInventoryFormat } from './detect.js';
import { inventoryImporters } from './importers.js';
import { lineColumnAt, scanJson } from '../../core/json-text.js';
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
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const json = parseJson(source, file);
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

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    const offset = offsetFromMessage(error.message) ?? scanJson(text).errorOffset ?? text.length;
    const { line, column } = lineColumnAt(text, offset);
    const message = `invalid JSON: ${firstLine(error.message)}`;
    throw new UfError('parse_error', message, { file, line, column }, { cause: error });
  }
}

/** V8 states the offset for some mistakes ("… in JSON at position 7") and none for others. */
function offsetFromMessage(message: string): number | undefined {
  if (message.startsWith('Unexpected end of JSON input')) return Number.MAX_SAFE_INTEGER;
  const match = /at position (\d+)/.exec(message);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** V8 quotes the surrounding text, which can run over several lines; the first says enough. */
function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
