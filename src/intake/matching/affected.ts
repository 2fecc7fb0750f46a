import type { Affected, AffectedRange, RangeEvent } from '../osv/types.js';
import type { VersionScheme } from '../../ecosystems/types.js';

/**
 * OSV's evaluation algorithm (osv-schema docs/schema.md, "Evaluation"), for one affected entry:
 * a version is affected when it is listed in `versions`, or when a SEMVER or ECOSYSTEM range
 * includes it. GIT ranges need the repository's commit graph and are not evaluated here; records
 * that only have GIT ranges still match through their `versions` list, as the spec intends.
 */
export interface RangeSchemes {
  /** The package's ecosystem ordering, for ECOSYSTEM ranges and the `versions` list. */
  ecosystem: VersionScheme;
  /** SemVer 2.0 ordering, for SEMVER ranges. */
  semver: VersionScheme;
}

export function isAffected(version: string, affected: Affected, schemes: RangeSchemes): boolean {
  if (includedInVersions(version, affected.versions, schemes.ecosystem)) return true;
  return affected.ranges.some((range) => includedInRange(version, range, schemes));
}

function includedInVersions(version: string, versions: string[], scheme: VersionScheme): boolean {
  for (const listed of versions) {
    if (listed === version) return true;
    if (scheme.isValid(listed) && scheme.isValid(version) && scheme.compare(listed, version) === 0) return true;
  }
  return false;
}

export function includedInRange(version: string, range: AffectedRange, schemes: RangeSchemes): boolean {
  if (range.type === 'GIT') return false;
  const scheme = range.type === 'SEMVER' ? schemes.semver : schemes.ecosystem;
  // SEMVER ranges carry no `v` prefix; Go module versions do.
  const v = range.type === 'SEMVER' ? version.replace(/^v/, '') : version;
  if (!scheme.isValid(v)) return false;
  const cmp = (a: string, b: string): number => scheme.compare(a, b);
  const events = sortEvents(range.events, scheme);
  if (!beforeLimits(v, events, cmp)) return false;
  let vulnerable = false;
  for (const event of events) {
    if ('introduced' in event) {
      if (event.introduced === '0' || cmp(v, event.introduced) >= 0) vulnerable = true;
    } else if ('fixed' in event) {
      if (cmp(v, event.fixed) >= 0) vulnerable = false;
    } else if ('last_affected' in event) {
      if (cmp(v, event.last_affected) > 0) vulnerable = false;
    }
  }
  return vulnerable;
}

function beforeLimits(v: string, events: RangeEvent[], cmp: (a: string, b: string) => number): boolean {
  const limits = events.flatMap((e) => ('limit' in e ? [e.limit] : []));
  if (limits.length === 0) return true;
  return limits.some((limit) => limit.includes('*') || cmp(v, limit) < 0);
}

export function eventVersion(event: RangeEvent): string {
  if ('introduced' in event) return event.introduced;
  if ('fixed' in event) return event.fixed;
  if ('last_affected' in event) return event.last_affected;
  return event.limit;
}

/**
 * Events in version order, `introduced: "0"` first; on equal versions the record's own order
 * decides. A bound the scheme cannot read never narrows a range (a security tool must err toward
 * a finding, and intake reports every such version as a problem): an unreadable `introduced`
 * counts as `0`, an unreadable `fixed`, `last_affected` or `limit` is left out, so the range
 * stays open.
 */
export function sortEvents(events: RangeEvent[], scheme: VersionScheme): RangeEvent[] {
  const readable = events.flatMap((e): RangeEvent[] => {
    const version = eventVersion(e);
    if (('introduced' in e && version === '0') || ('limit' in e && version.includes('*')) || scheme.isValid(version)) return [e];
    return 'introduced' in e ? [{ introduced: '0' }] : [];
  });
  return readable
    .map((event, index) => ({ event, index }))
    .sort((a, b) => compareEvents(a.event, b.event, scheme) || a.index - b.index)
    .map(({ event }) => event);
}

function compareEvents(a: RangeEvent, b: RangeEvent, scheme: VersionScheme): number {
  const av = eventVersion(a);
  const bv = eventVersion(b);
  const aMin = 'introduced' in a && av === '0';
  const bMin = 'introduced' in b && bv === '0';
  if (aMin || bMin) return aMin && bMin ? 0 : aMin ? -1 : 1;
  const aMax = 'limit' in a && av.includes('*');
  const bMax = 'limit' in b && bv.includes('*');
  if (aMax || bMax) return aMax && bMax ? 0 : aMax ? 1 : -1;
  return scheme.compare(av, bv);
}

/**
 * Versions that fix the record for this package: every `fixed` event, plus the first version
 * after a `last_affected`, which OSV cannot name (returned as `>last_affected`).
 */
export function fixedVersions(affected: Affected): { fixed: string[]; lastAffected: string[] } {
  const fixed: string[] = [];
  const lastAffected: string[] = [];
  for (const range of affected.ranges) {
    if (range.type === 'GIT') continue;
    for (const event of range.events) {
      if ('fixed' in event) fixed.push(event.fixed);
      if ('last_affected' in event) lastAffected.push(event.last_affected);
    }
  }
  return { fixed, lastAffected };
}
