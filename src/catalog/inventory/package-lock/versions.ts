import type { DependencyScope } from '../../../core/inventory.js';

const semver = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/**
 * Why a lockfile `version` cannot be matched against advisories, or undefined when it can. Reasons
 * never repeat the value: git and tarball URLs may carry access tokens.
 */
export function unmatchableVersion(version: string | undefined): string | undefined {
  if (version === undefined || version === '') return 'no version';
  if (semver.test(version)) return undefined;
  if (/^file:/.test(version)) return 'local file: dependency, not from a registry';
  if (/^(?:git\+|git:|github:|gitlab:|bitbucket:|gist:)/.test(version) || /\.git#/.test(version)) {
    return 'installed from git; the lockfile has no registry version for it';
  }
  if (/^https?:/.test(version)) return 'installed from a tarball URL; no registry version';
  return 'version is not a semantic version';
}

/** `npm:real-name@1.2.3` (an aliased install) → the real name and version. */
export function resolveAlias(name: string, version: string | undefined): { name: string; version: string | undefined } {
  if (version === undefined || !version.startsWith('npm:')) return { name, version };
  const target = version.slice('npm:'.length);
  const at = target.lastIndexOf('@');
  if (at <= 0) return { name: target, version: undefined };
  return { name: target.slice(0, at), version: target.slice(at + 1) };
}

interface NpmFlags {
  dev?: boolean | undefined;
  optional?: boolean | undefined;
  devOptional?: boolean | undefined;
}

/**
 * npm's flags: `dev` alone, or with `optional` (an optional dependency of a dev dependency), is
 * never installed with `--omit=dev`. `devOptional` means dev *and* an optional dependency of a
 * production package: npm still installs it for production, so it counts as optional, not dev.
 */
export function scopeOfFlags(flags: NpmFlags): DependencyScope {
  if (flags.dev) return 'dev';
  if (flags.optional || flags.devOptional) return 'optional';
  return 'runtime';
}
