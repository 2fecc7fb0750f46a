/**
 * Ecosystem and package-name spellings, and the keys built from them. Records keep names as
 * written; these give the keys two spellings of one package share. The one place such keys are
 * spelled: maps and sets key packages with `packageKey`, messages name them with `packageLabel`.
 */

/** The ecosystem without its suffix: `Debian:11` → `Debian`, `Alpine:v3.18` → `Alpine`, `npm` → `npm`. */
export function ecosystemBase(ecosystem: string): string {
  const colon = ecosystem.indexOf(':');
  return colon < 0 ? ecosystem : ecosystem.slice(0, colon);
}

/**
 * The key two spellings of the same package share within an ecosystem:
 * - PyPI: PEP 503 (lower case, runs of `-`, `_`, `.` become one `-`): `Jinja2` = `jinja2`, `Django_X` = `django-x`;
 * - npm: lower case. New names on the registry are lower case, and GHSA spells `axios` as `Axios`
 *   in GHSA-8hc4-vh64-cxmj. A legacy mixed-case name (`JSONStream`) could meet a lower-case
 *   namesake; that rare false match is the price of not missing GHSA's spellings;
 * - NuGet: lower case (package ids are case-insensitive);
 * - everything else as written (Maven `group:artifact` and Go module paths are case-sensitive).
 */
export function normalizePackageName(ecosystem: string, name: string): string {
  switch (ecosystemBase(ecosystem)) {
    case 'PyPI':
      return name.toLowerCase().replace(/[-_.]+/g, '-');
    case 'npm':
    case 'NuGet':
      return name.toLowerCase();
    default:
      return name;
  }
}

/**
 * The key of a package in an ecosystem, for maps and sets: both parts joined by a NUL, which
 * neither holds, so `a:b` + `c` and `a` + `b:c` stay apart. The caller picks the spellings it joins:
 * as written, or `ecosystemBase` and `normalizePackageName` to join spellings of one package.
 */
export function packageKey(ecosystem: string, name: string): string {
  return `${ecosystem}\u0000${name}`;
}

/**
 * The key every spelling of one package shares: `packageKey` of the ecosystem without its suffix
 * and the normalised name, so `PyPI`/`Django_X` and `PyPI`/`django-x` meet, as do `Debian:11`/`curl`
 * and `Debian:12`/`curl`. What advisories are matched by.
 */
export function normalizedPackageKey(ecosystem: string, name: string): string {
  const base = ecosystemBase(ecosystem);
  return packageKey(base, normalizePackageName(base, name));
}

/** The key of one version of a package: `packageKey` and the version, joined the same way. */
export function packageVersionKey(ecosystem: string, name: string, version: string): string {
  return `${packageKey(ecosystem, name)}\u0000${version}`;
}

/** The ecosystem and name a `packageKey` was built from. */
export function splitPackageKey(key: string): [ecosystem: string, name: string] {
  const nul = key.indexOf('\u0000');
  return nul < 0 ? [key, ''] : [key.slice(0, nul), key.slice(nul + 1)];
}

/** How messages and tables name a package: `npm:lodash`, `Maven:org.apache.logging.log4j:log4j-core`. */
export function packageLabel(ecosystem: string, name: string): string {
  return `${ecosystem}:${name}`;
}
