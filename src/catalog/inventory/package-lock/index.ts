import type { ParsedInventory } from '../../../core/inventory.js';
import { npmComponent } from '../component.js';
import { parseWithSchema, type ImportContext } from '../import-context.js';
import { readPackages } from './packages.js';
import { packageLockSchema, type PackageLock } from './schema.js';
import { readDependencyTree } from './tree.js';
import { baseNameOf, isJsonObject, type InventoryImporter } from '../types.js';

/**
 * Reads package-lock.json or npm-shrinkwrap.json (same format). v2 and v3 files are read from
 * `packages`; the `dependencies` tree, which v2 keeps only for old npm versions, is read when
 * `packages` is absent (v1, and v2 files some tools write without it).
 */
export function importPackageLock(json: unknown, context: ImportContext): ParsedInventory {
  const lock = parseWithSchema(packageLockSchema, json, context, 'npm lockfile');
  const { components, skipped } = lock.packages
    ? readPackages(lock.packages)
    : readDependencyTree(lock.dependencies ?? {});
  const result: ParsedInventory = {
    format: 'package-lock',
    formatVersion: String(lock.lockfileVersion),
    components,
    skipped,
  };
  const subject = subjectOf(lock);
  if (subject) result.subject = subject;
  return result;
}

function subjectOf(lock: PackageLock): ParsedInventory['subject'] {
  const root = lock.packages?.[''];
  const name = root?.name ?? lock.name;
  if (name === undefined || name === '') return undefined;
  const version = root?.version ?? lock.version;
  if (version === undefined) return { name };
  const outcome = npmComponent(name, version, { direct: true, scope: 'runtime' });
  return 'component' in outcome ? { name, version, purl: outcome.component.purl } : { name, version };
}

/** npm lockfiles: a numeric `lockfileVersion`; by name, `package-lock.json` and `npm-shrinkwrap.json`. */
export const packageLockImporter: InventoryImporter = {
  id: 'package-lock',
  detect: (json) => isJsonObject(json) && typeof json.lockfileVersion === 'number',
  matchesFileName(fileName) {
    const base = baseNameOf(fileName);
    return base === 'package-lock.json' || base === 'npm-shrinkwrap.json';
  },
  parse: importPackageLock,
};
