import type { InventoryFormat, ParsedInventory } from '../../core/inventory.js';
import type { ImportContext } from './import-context.js';

/**
 * An inventory importer reads one file format (an SBOM or a lockfile) into the components a
 * service runs. Each lives in `<id>/`, is registered in `importers.ts`, and passes the shared
 * contract suite in `inventory-importer.contract.ts` (it ships `<id>/fixtures/sample.json` for it).
 *
 * Detection has two strengths, so that a file whose content says one format is never taken for
 * another because of its name: every importer's `detect` is asked first, and only when none
 * recognises the content is the file name asked (`matchesFileName`).
 */
export interface InventoryImporter {
  /** The format it reads; also its folder and the `--format` value of `uf inventory import`. */
  readonly id: InventoryFormat;
  /** True when the parsed JSON carries the marker this format requires (e.g. `bomFormat`). Never throws. */
  detect(json: unknown): boolean;
  /** True when `fileName` (a path or a base name) is this format's conventional name, e.g. `bom.json`. */
  matchesFileName(fileName: string): boolean;
  /**
   * Reads the parsed JSON. Components are one per entry, in file order (the caller merges
   * duplicates); entries that cannot become a component go to `skipped` with why. JSON that is
   * not the format's shape throws `UfError('import_invalid')` located at its key path, and at its
   * line when `context.text` is given. The same input always gives the same output.
   */
  parse(json: unknown, context: ImportContext): ParsedInventory;
}

/** An object, as JSON markers are looked for in (not an array, not null). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The lower-case last segment of a path, for matching conventional file names. */
export function baseNameOf(fileName: string): string {
  return fileName.split(/[\\/]/).pop()?.toLowerCase() ?? '';
}
