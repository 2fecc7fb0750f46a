import { cratesIoScheme } from './crates-io/index.js';
import { debianScheme } from './debian/index.js';
import { goScheme } from './go/index.js';
import { mavenScheme } from './maven/index.js';
import { npmScheme } from './npm/index.js';
import { nugetScheme } from './nuget/index.js';
import { packagistScheme } from './packagist/index.js';
import { pypiScheme } from './pypi/index.js';
import { ecosystemBase } from './names.js';
import { rubygemsScheme } from './rubygems/index.js';
import type { VersionScheme } from './types.js';

export type { VersionScheme } from './types.js';

/** Every version scheme, keyed by OSV ecosystem name. Add a scheme here and nowhere else. */
export const versionSchemes: Record<string, VersionScheme> = {
  npm: npmScheme,
  PyPI: pypiScheme,
  Maven: mavenScheme,
  NuGet: nugetScheme,
  RubyGems: rubygemsScheme,
  Go: goScheme,
  'crates.io': cratesIoScheme,
  Packagist: packagistScheme,
  Debian: debianScheme,
};

/**
 * The scheme for an OSV ecosystem string. OSV scopes some ecosystems with a suffix after a colon
 * (`Debian:11`, `Maven:https://maven.google.com`, `Packagist:https://packages.drupal.org/8`); the
 * part before the first colon picks the scheme. Names match exactly first, then ignoring case, so
 * `uf versions compare --ecosystem pypi` works too.
 */
export function versionSchemeFor(ecosystem: string): VersionScheme | undefined {
  const base = ecosystemBase(ecosystem.trim());
  const exact = Object.hasOwn(versionSchemes, base) ? versionSchemes[base] : undefined;
  if (exact !== undefined) return exact;
  const folded = base.toLowerCase();
  return Object.entries(versionSchemes).find(([key]) => key.toLowerCase() === folded)?.[1];
}

/**
 * Whether two versions share a major in the scheme's eyes: both valid, both majors known and equal.
 * A version the scheme cannot read or gives no major counts as another major, so a policy that
 * stays within a major never moves onto it and a move onto it counts as a major change.
 */
export function sameMajor(scheme: VersionScheme, a: string, b: string): boolean {
  if (!scheme.isValid(a) || !scheme.isValid(b)) return false;
  const major = scheme.major(a);
  return major !== undefined && major === scheme.major(b);
}
