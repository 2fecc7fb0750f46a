import { changeKinds } from './kinds.js';
import type { ChangeKind, Release, ReleaseNotes, ReleaseSource } from './types.js';

/**
 * Releases a move from `current` to `target` brings: current < version <= target, by the
 * ecosystem's own order (e.g. a VersionScheme's compare), newest first. Pre-releases in the range
 * count (5.0.0-alpha.1 sits between 4.21.0 and 5.0.0, and its removals are in 5.0.0). A heading
 * version the compare function rejects is retried padded to three parts (`6.0` → `6.0.0`), as
 * older changelogs shorten them; if it is still rejected the release is left out. Errors about
 * `current` or `target` themselves propagate.
 */
export function changesBetween(
  notes: ReleaseNotes,
  current: string,
  target: string,
  compare: (a: string, b: string) => number,
): Release[] {
  compare(current, target);
  const inRange = notes.releases
    .map((release) => ({ release, version: comparable(release.version, current, compare) }))
    .filter((entry): entry is { release: Release; version: string } => entry.version !== undefined)
    .filter(({ version }) => compare(current, version) < 0 && compare(version, target) <= 0);
  return inRange.sort((a, b) => compare(b.version, a.version)).map(({ release }) => release);
}

/**
 * Whether the notes can speak for the move from `current` to `target`: they must list a release at
 * or below `current` and one at or above `target` (a changelog that starts or stops inside the range
 * would silently report "no breaking change" for the releases it does not list), and they must be
 * notes at all: registry metadata lists versions and deprecations, not what changed. Returns why not,
 * or undefined when they cover it.
 */
export function uncoveredBecause(notes: ReleaseNotes, current: string, target: string, compare: (a: string, b: string) => number): string | undefined {
  const range = `${current} → ${target}`;
  if (notes.format === 'npm-packument') return `npm registry metadata for ${range} lists versions and deprecations, not changes`;
  const versions = notes.releases.map((release) => comparable(release.version, current, compare)).filter((version) => version !== undefined);
  if (versions.length === 0) return `the release notes list no version comparable with ${range}`;
  const sorted = versions.sort(compare);
  const oldest = sorted[0]!;
  const newest = sorted.at(-1)!;
  if (compare(newest, target) < 0) return `the release notes stop at ${newest}, before ${target}`;
  if (compare(oldest, current) > 0) return `the release notes start at ${oldest}, after ${current}`;
  return undefined;
}

function comparable(version: string, probe: string, compare: (a: string, b: string) => number): string | undefined {
  const candidates = [version];
  const numeric = /^(\d+(?:\.\d+)*)(.*)$/.exec(version);
  if (numeric && (numeric[1] ?? '').split('.').length < 3) {
    const parts = (numeric[1] ?? '').split('.');
    while (parts.length < 3) parts.push('0');
    candidates.push(`${parts.join('.')}${numeric[2] ?? ''}`);
  }
  for (const candidate of candidates) {
    try {
      compare(candidate, probe);
      return candidate;
    } catch {
      // Not a version this ecosystem orders; try the next spelling.
    }
  }
  return undefined;
}

/** A change that needs attention, with the release it came from. */
export interface NotableChange {
  version: string;
  kind: ChangeKind;
  text: string;
  refs: string[];
  source: ReleaseSource;
}

/** What risk scoring reads from release notes. */
export interface ReleaseNotesSummary {
  releases: number;
  /** Changes per primary kind. */
  counts: Record<ChangeKind, number>;
  hasBreaking: boolean;
  hasMigration: boolean;
  /** Versions marked yanked among the releases. */
  yanked: string[];
  /** Each list holds every change whose `kinds` include that kind. */
  breaking: NotableChange[];
  migrations: NotableChange[];
  deprecations: NotableChange[];
  securityFixes: NotableChange[];
  /** CVE and GHSA ids mentioned anywhere, to join with advisories. */
  advisories: string[];
}

export function summarize(releases: readonly Release[]): ReleaseNotesSummary {
  const counts = Object.fromEntries(changeKinds.map((kind) => [kind, 0])) as Record<ChangeKind, number>;
  const lists: Record<'breaking' | 'migration' | 'deprecation' | 'security', NotableChange[]> = {
    breaking: [],
    migration: [],
    deprecation: [],
    security: [],
  };
  const advisories = new Set<string>();
  for (const release of releases) {
    for (const change of release.changes) {
      counts[change.kind] += 1;
      const notable = { version: release.version, kind: change.kind, text: change.text, refs: change.refs, source: release.source };
      for (const kind of ['breaking', 'migration', 'deprecation', 'security'] as const) {
        if (change.kinds.includes(kind)) lists[kind].push(notable);
      }
      for (const ref of change.refs) if (/^(?:CVE|GHSA)-/.test(ref)) advisories.add(ref);
    }
  }
  return {
    releases: releases.length,
    counts,
    hasBreaking: lists.breaking.length > 0,
    hasMigration: lists.migration.length > 0,
    yanked: releases.filter((release) => release.yanked).map((release) => release.version),
    breaking: lists.breaking,
    migrations: lists.migration,
    deprecations: lists.deprecation,
    securityFixes: lists.security,
    advisories: [...advisories],
  };
}
