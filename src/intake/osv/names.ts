/**
 * Ecosystem and package-name spellings for matching. Records keep names as written; these give
 * the keys two spellings of one package share.
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
