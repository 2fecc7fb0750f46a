import { UfError } from '../../../core/errors.js';
import { JsonLines, type JsonAnchor } from './text.js';
import { packageJsonSchema, packageLockSchema, readJson, type PackageJson } from './schema.js';
import type { ConstraintFamily, DeclaredConstraint, LockedPackage, ManifestDeclarations } from './types.js';

/** package.json sections read, with the family each one's entries belong to. npm `engines` name runtimes. */
const sections = [
  ['peerDependencies', 'peer-range'],
  ['engines', 'engine-range'],
  ['dependencies', 'dependency-range'],
  ['optionalDependencies', 'dependency-range'],
] as const satisfies readonly (readonly [keyof PackageJson, ConstraintFamily])[];

/** The constraints of one package.json-shaped object (a package.json, a lock entry, a packument version). */
export function npmConstraints(
  pkg: PackageJson,
  declaredBy: string,
  file: string,
  lines: JsonLines | undefined,
  only: readonly ConstraintFamily[] = ['peer-range', 'engine-range', 'dependency-range'],
  anchors: readonly JsonAnchor[] = [],
): DeclaredConstraint[] {
  const found: DeclaredConstraint[] = [];
  for (const [section, family] of sections) {
    if (!only.includes(family)) continue;
    const entries = Object.entries(pkg[section] ?? {});
    const at = lines?.keyLines([...anchors, section], entries.map(([on]) => on)) ?? [];
    for (const [index, [on, range]] of entries.entries()) {
      const line = at[index];
      found.push({ family, on, range, syntax: 'npm', platform: family === 'engine-range', declaredBy, file, ...(line === undefined ? {} : { line }) });
    }
  }
  return found;
}

export function readPackageJson(text: string, file: string): ManifestDeclarations {
  const pkg = readJson(packageJsonSchema, text, file, 'a package.json object whose dependency sections map names to ranges');
  const declaredBy = pkg.name ?? 'package.json';
  return { format: 'package.json', file, ...named(pkg), root: npmConstraints(pkg, declaredBy, file, new JsonLines(text)), packages: [] };
}

/** The package name a lockfile `packages` key stands for: the part after its last `node_modules/`. */
export function lockKeyName(key: string): string | undefined {
  const at = key.lastIndexOf('node_modules/');
  return at < 0 ? undefined : key.slice(at + 'node_modules/'.length);
}

/**
 * package-lock.json v2/v3 (and npm-shrinkwrap.json): the root entry `""` is the project's own
 * package.json; every other entry a locked package with its `peerDependencies` and `engines`
 * (its plain dependencies are installed nested when they disagree, so they constrain nothing).
 */
export function readPackageLock(text: string, file: string): ManifestDeclarations {
  const lock = readJson(packageLockSchema, text, file, 'a package-lock.json of lockfileVersion 2 or 3 with a "packages" object');
  if (lock.lockfileVersion < 2 || lock.packages === undefined) {
    throw new UfError('parse_error', `lockfileVersion ${lock.lockfileVersion} without "packages": expected a package-lock.json of lockfileVersion 2 or 3 (npm 7 or later)`, { file, path: 'lockfileVersion' });
  }
  const root = lock.packages[''] ?? {};
  const lines = new JsonLines(text);
  const packages: LockedPackage[] = [];
  for (const [key, entry] of Object.entries(lock.packages)) {
    const name = entry.name ?? lockKeyName(key);
    if (key === '' || name === undefined) continue;
    const constraints = npmConstraints(entry, name, file, lines, ['peer-range', 'engine-range'], [key]);
    packages.push({ name, ...(entry.version === undefined ? {} : { version: entry.version }), kind: 'package', constraints });
  }
  return { format: 'package-lock.json', file, ...named(root), root: npmConstraints(root, root.name ?? 'package-lock.json', file, lines, undefined, ['']), packages };
}

function named(pkg: PackageJson): { name?: string; version?: string } {
  return { ...(pkg.name === undefined ? {} : { name: pkg.name }), ...(pkg.version === undefined ? {} : { version: pkg.version }) };
}
