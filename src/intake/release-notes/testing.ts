import { readFileSync } from 'node:fs';
import { sharedData } from '../../../test/helpers/shared-data.js';
import { resolve } from 'node:path';
import { parseChangelog } from './changelog/index.js';
import type { Release, ReleaseNotes } from './types.js';

/**
 * Test helpers: the real changelogs in the shared data set (../shared/data/changelogs, see its
 * README section 7), next to the repository. Suites skip with this reason when it is absent.
 */
export const changelogs = sharedData('changelogs');
export const changelogDir = changelogs.dir;
export const hasChangelogs = changelogs.available;

export const realChangelogs = [
  'keep-a-changelog.test-changelog.md',
  'keep-a-changelog.test-changelog.expected.md',
  'yargs.CHANGELOG.md',
  'release-please.CHANGELOG.md',
  'node-semver.CHANGELOG.md',
  'express.History.md',
  'jest.CHANGELOG.md',
  'changesets-changelog-github.CHANGELOG.md',
] as const;

export function readChangelog(name: string): string {
  // Suites skipped for want of the data still run their describe bodies: give them nothing to read.
  if (!hasChangelogs) return '';
  return readFileSync(resolve(changelogDir, name), 'utf8');
}

/** A fixture file next to a test, by its path relative to this folder. */
export function readFixture(path: string): string {
  return readFileSync(new URL(path, import.meta.url), 'utf8');
}

/**
 * Orders dotted numeric versions with an optional `-pre.release`, enough for these tests and
 * standing in for an ecosystem's VersionScheme.compare. Throws on anything else, as schemes do.
 */
export function compareSemverLike(a: string, b: string): -1 | 0 | 1 {
  const parse = (version: string): { core: number[]; pre: string[] } => {
    const match = /^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?$/.exec(version);
    if (!match) throw new Error(`not a version: ${version}`);
    return { core: [Number(match[1]), Number(match[2]), Number(match[3])], pre: match[4] ? match[4].split('.') : [] };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i += 1) {
    const d = (x.core[i] ?? 0) - (y.core[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  if (x.pre.length === 0 || y.pre.length === 0) return x.pre.length === y.pre.length ? 0 : x.pre.length === 0 ? 1 : -1;
  for (let i = 0; i < Math.max(x.pre.length, y.pre.length); i += 1) {
    const p = x.pre[i];
    const q = y.pre[i];
    if (p === undefined || q === undefined) return p === undefined ? -1 : 1;
    if (p === q) continue;
    const pn = /^\d+$/.test(p);
    const qn = /^\d+$/.test(q);
    if (pn && qn) return Number(p) < Number(q) ? -1 : 1;
    if (pn !== qn) return pn ? -1 : 1;
    return p < q ? -1 : 1;
  }
  return 0;
}

/** A real changelog from the shared data, parsed as a Markdown changelog. */
export function parseRealChangelog(name: string): ReleaseNotes {
  return parseChangelog(readChangelog(name), name);
}

/** The release with this version, or a test failure naming it. */
export function releaseOf(notes: ReleaseNotes, version: string): Release {
  const found = notes.releases.find((candidate) => candidate.version === version);
  if (!found) throw new Error(`no release ${version}`);
  return found;
}
