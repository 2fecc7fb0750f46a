import { composerJsonSchema, composerLockSchema, readJson, type ComposerPackage } from './schema.js';
import { JsonLines, type JsonAnchor } from './text.js';
import type { DeclaredConstraint, LockedPackage, ManifestDeclarations } from './types.js';

/**
 * A Composer platform package (`php`, `php-64bit`, `ext-intl`, `lib-icu`, `composer-plugin-api`):
 * no vendor prefix, so it names a runtime rather than a Packagist package.
 */
const isPlatform = (name: string): boolean => !name.includes('/');

/** `require` (must hold) and `conflict` (must not hold) of one composer.json-shaped object. */
function composerConstraints(pkg: ComposerPackage, declaredBy: string, file: string, lines: JsonLines, anchors: readonly JsonAnchor[]): DeclaredConstraint[] {
  const found: DeclaredConstraint[] = [];
  for (const [section, family] of [['require', 'require'], ['conflict', 'conflict']] as const) {
    const entries = Object.entries(pkg[section] ?? {});
    const at = lines.keyLines([...anchors, section], entries.map(([on]) => on));
    for (const [index, [on, range]] of entries.entries()) {
      const line = at[index];
      found.push({ family, on, range, syntax: 'Packagist', platform: isPlatform(on), declaredBy, file, ...(line === undefined ? {} : { line }) });
    }
  }
  return found;
}

/** Rows a locked package becomes, by its Composer `type`. */
export function composerKind(type: string | undefined): LockedPackage['kind'] {
  switch (type) {
    case 'drupal-module':
    case 'drupal-custom-module':
      return 'module';
    case 'drupal-theme':
    case 'drupal-custom-theme':
    case 'wordpress-theme':
      return 'theme';
    case 'wordpress-plugin':
    case 'wordpress-muplugin':
    case 'drupal-profile':
      return 'plugin';
    default:
      return 'package';
  }
}

/** composer.json: its `require` and `conflict` (require-dev is the project's tooling, not its runtime). */
export function readComposerJson(text: string, file: string): ManifestDeclarations {
  const pkg = readJson(composerJsonSchema, text, file, 'a composer.json object whose "require" maps package names to constraints');
  const declaredBy = pkg.name ?? 'composer.json';
  return {
    format: 'composer.json',
    file,
    ...(pkg.name === undefined ? {} : { name: pkg.name }),
    ...(pkg.version === undefined ? {} : { version: pkg.version }),
    root: composerConstraints(pkg, declaredBy, file, new JsonLines(text), []),
    packages: [],
  };
}

/** composer.lock: every locked package (`packages` and `packages-dev`) with its own require and conflict. */
export function readComposerLock(text: string, file: string): ManifestDeclarations {
  const lock = readJson(composerLockSchema, text, file, 'a composer.lock with a "packages" array of {name, version, require}');
  const lines = new JsonLines(text);
  const packages = [...lock.packages, ...(lock['packages-dev'] ?? [])].map(
    (pkg): LockedPackage => ({
      name: pkg.name,
      ...(pkg.version === undefined ? {} : { version: pkg.version }),
      kind: composerKind(pkg.type),
      constraints: composerConstraints(pkg, pkg.name, file, lines, [{ key: 'name', value: pkg.name }]),
    }),
  );
  return { format: 'composer.lock', file, root: [], packages };
}
