import { describe, expect, it } from 'vitest';
import { changesBetween, parseReleaseNotes, summarize, type ReleaseNotes } from './index.js';
import { changelogs, compareSemverLike, hasChangelogs, readChangelog, readFixture } from './testing.js';

describe('parseReleaseNotes detects the format', () => {
  it.each([
    ['github-releases/fixtures/releases.json', 'github-releases'],
    ['npm-packument/fixtures/packument.json', 'npm-packument'],
    ['conventional-commits/fixtures/git-log.txt', 'conventional-commits'],
  ])('%s → %s', (path, format) => {
    expect(parseReleaseNotes(readFixture(path), path).format).toBe(format);
  });

  it('tells commit subjects from Markdown, and `[Unreleased]` from a JSON array', () => {
    expect(parseReleaseNotes('feat: a\nfix(x): b\nchore(release): 1.0.0\n', 'log').format).toBe('conventional-commits');
    expect(parseReleaseNotes('a1b2c3d4 fix: x\n', 'log').format).toBe('conventional-commits');
    expect(parseReleaseNotes('[Unreleased]: https://x\n## [1.0.0] - 2024-01-01\n', 'c.md').format).toBe('keep-a-changelog');
    expect(parseReleaseNotes('[]', 'r.json')).toEqual({ format: 'github-releases', releases: [], warnings: [] });
  });

  it('uses the format it is given', () => {
    const notes = parseReleaseNotes('## 1.0.0\n- Added x\n', 'c.md', 'keep-a-changelog');
    expect(notes.format).toBe('keep-a-changelog');
    expect(parseReleaseNotes('feat: x\n', 'c.md', 'markdown').releases).toEqual([]);
  });

  it.skipIf(!hasChangelogs)(`detects the style of each real changelog${changelogs.skipNote}`, () => {
    const formats = Object.fromEntries(
      ['keep-a-changelog.test-changelog.md', 'yargs.CHANGELOG.md', 'release-please.CHANGELOG.md', 'node-semver.CHANGELOG.md', 'express.History.md', 'jest.CHANGELOG.md', 'changesets-changelog-github.CHANGELOG.md'].map(
        (name) => [name, parseReleaseNotes(readChangelog(name), name).format],
      ),
    );
    expect(formats).toEqual({
      'keep-a-changelog.test-changelog.md': 'keep-a-changelog',
      'yargs.CHANGELOG.md': 'conventional-changelog',
      'release-please.CHANGELOG.md': 'conventional-changelog',
      'node-semver.CHANGELOG.md': 'conventional-changelog',
      'express.History.md': 'history-md',
      'jest.CHANGELOG.md': 'markdown',
      'changesets-changelog-github.CHANGELOG.md': 'changesets',
    });
  });
});

describe('changesBetween', () => {
  const notes = parseReleaseNotes(readFixture('github-releases/fixtures/releases.json'), 'releases.json');

  it('returns current < version <= target by the given order, newest first, pre-releases included', () => {
    expect(changesBetween(notes, '2.4.0', '3.0.0', compareSemverLike).map((r) => r.version)).toEqual(['3.0.0', '3.0.0-rc.1', '2.4.1']);
    expect(changesBetween(notes, '2.4.1', '2.4.1', compareSemverLike)).toEqual([]);
    expect(changesBetween(notes, '3.0.0', '2.0.0', compareSemverLike)).toEqual([]);
  });

  it('orders by the compare function, not by position in the file', () => {
    const shuffled: ReleaseNotes = { ...notes, releases: [...notes.releases].reverse() };
    expect(changesBetween(shuffled, '2.4.0', '3.0.0', compareSemverLike).map((r) => r.version)).toEqual(['3.0.0', '3.0.0-rc.1', '2.4.1']);
  });

  it('pads short versions the compare function rejects, skips what it still rejects, and lets bad bounds throw', () => {
    const text = '## 7.0.0\n- Drop support for old node versions\n## 6.0\n- Fix `intersects` logic\n## next-gen\n## 5.7\n- Add `minVersion`\n';
    const semver = parseReleaseNotes(text, 'c.md');
    expect(changesBetween(semver, '5.7.0', '7.0.0', compareSemverLike).map((r) => r.version)).toEqual(['7.0.0', '6.0']);
    expect(() => changesBetween(semver, 'latest', '7.0.0', compareSemverLike)).toThrow('not a version: latest');
  });
});

describe('summarize', () => {
  it('counts kinds and lists what risk scoring needs, with the release each item came from', () => {
    const notes = parseReleaseNotes(readFixture('github-releases/fixtures/releases.json'), 'releases.json');
    const summary = summarize(changesBetween(notes, '2.4.0', '3.0.0', compareSemverLike));
    expect(summary).toMatchObject({
      releases: 3,
      counts: { breaking: 3, security: 1, migration: 1, deprecation: 0, feature: 2, fix: 1, other: 0 },
      hasBreaking: true,
      hasMigration: true,
      yanked: [],
      advisories: ['CVE-2024-12345', 'GHSA-4w2v-q235-vp99'],
    });
    expect(summary.breaking.map((item) => [item.version, item.text.slice(0, 26), item.source.line])).toEqual([
      ['3.0.0', 'Drop support for Node 16 b', 34],
      ['3.0.0', 'Remove `Widget.legacyRende', 34],
      ['3.0.0-rc.1', 'Drop support for Node 16 b', 66],
    ]);
    expect(summary.securityFixes.map((item) => item.version)).toEqual(['2.4.1']);
    expect(summary.migrations.map((item) => item.version)).toEqual(['3.0.0']);
  });

  it('lists deprecations by kinds, even where a more severe kind leads', () => {
    const notes = parseReleaseNotes(readFixture('npm-packument/fixtures/packument.json'), 'packument.json');
    const summary = summarize(notes.releases);
    expect(summary.deprecations.map((item) => [item.version, item.kind])).toEqual([
      ['1.1.0', 'security'],
      ['1.0.0', 'deprecation'],
    ]);
    expect(summary.yanked).toEqual(['1.2.0']);
    expect(summary).toMatchObject({ hasBreaking: false, hasMigration: false, releases: 8 });
  });

  it.skipIf(!hasChangelogs)(`summarises an express 4 → 5 upgrade from its History.md${changelogs.skipNote}`, () => {
    const notes = parseReleaseNotes(readChangelog('express.History.md'), 'express.History.md');
    const releases = changesBetween(notes, '4.21.2', '5.0.0', compareSemverLike);
    expect(releases.map((r) => r.version)).toEqual([
      '5.0.0', '5.0.0-beta.3', '5.0.0-beta.2', '5.0.0-beta.1', '5.0.0-alpha.8', '5.0.0-alpha.7', '5.0.0-alpha.6',
      '5.0.0-alpha.5', '5.0.0-alpha.4', '5.0.0-alpha.3', '5.0.0-alpha.2', '5.0.0-alpha.1',
    ]);
    const summary = summarize(releases);
    expect(summary.hasBreaking).toBe(true);
    expect(summary.breaking.some((item) => item.version === '5.0.0-alpha.1' && item.text.startsWith('`app.del`'))).toBe(true);
  });
});
