import { versionSchemeFor } from '../../ecosystems/index.js';
import type { Advisory } from './types.js';

/** One version string in a record that its ecosystem's scheme cannot read. */
export interface UnreadableVersion {
  /** Key path inside the record, e.g. `['affected', 0, 'ranges', 0, 'events', 1, 'introduced']`. */
  path: (string | number)[];
  value: string;
  /** The scheme that refused it: an ecosystem name, or `SemVer` for a SEMVER range. */
  scheme: string;
  /** What matching does with it instead, for the report. */
  consequence: string;
}

type VersionField = 'introduced' | 'fixed' | 'last_affected' | 'limit' | 'versions';

const consequences: Record<VersionField, string> = {
  introduced: 'matching counts this range as affected from the first version (introduced "0")',
  fixed: 'matching ignores this bound, so the range stays open',
  last_affected: 'matching ignores this bound, so the range stays open',
  limit: 'matching ignores this limit',
  versions: 'matching compares this entry as exact text only',
};

/**
 * Every range event and `versions` entry of a record that the package's version scheme cannot
 * read, as matching reads them: ECOSYSTEM ranges and `versions` with the ecosystem's scheme, SEMVER
 * ranges with SemVer, GIT ranges not at all (their events are commits, checked by the schema).
 * `introduced: "0"` and a `limit` holding `*` are OSV's own sentinels. Packages of an ecosystem the
 * factory has no scheme for are not checked here: matching skips them and reports them as unsupported.
 */
export function unreadableVersions(advisory: Advisory): UnreadableVersion[] {
  const found: UnreadableVersion[] = [];
  const semver = versionSchemeFor('npm')!;
  advisory.affected.forEach((affected, a) => {
    const scheme = affected.package ? versionSchemeFor(affected.package.ecosystem) : undefined;
    if (!affected.package || !scheme) return;
    affected.ranges.forEach((range, r) => {
      if (range.type === 'GIT') return;
      const rangeScheme = range.type === 'SEMVER' ? semver : scheme;
      range.events.forEach((event, e) => {
        const [kind, value] = Object.entries(event)[0] as [Exclude<VersionField, 'versions'>, string];
        if ((kind === 'introduced' && value === '0') || (kind === 'limit' && value.includes('*'))) return;
        if (rangeScheme.isValid(value)) return;
        found.push({ path: ['affected', a, 'ranges', r, 'events', e, kind], value, scheme: range.type === 'SEMVER' ? 'SemVer' : scheme.ecosystem, consequence: consequences[kind] });
      });
    });
    affected.versions.forEach((value, v) => {
      if (!scheme.isValid(value)) found.push({ path: ['affected', a, 'versions', v], value, scheme: scheme.ecosystem, consequence: consequences.versions });
    });
  });
  return found;
}
