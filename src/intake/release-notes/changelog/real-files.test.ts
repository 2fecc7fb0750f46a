import { describe, expect, it } from 'vitest';
import { changelogs, hasChangelogs, parseRealChangelog, readChangelog, releaseOf } from '../testing.js';
import type { Release, ReleaseNotes } from '../types.js';
import { parseChangelog } from './index.js';

const parse = parseRealChangelog;
const release = releaseOf;

const texts = (changes: Release['changes'], kind: string): string[] =>
  changes.filter((change) => change.kinds.includes(kind as never)).map((change) => change.text);

/** Versions whose section holds a line matching `marker`, found by a plain scan of the file. */
function versionsWith(text: string, marker: RegExp): Set<string> {
  const found = new Set<string>();
  let version: string | undefined;
  for (const line of text.split('\n')) {
    const heading = /^#+ \[?v?(\d+\.\d+\.\d+[^\]\s]*)/.exec(line);
    if (heading) version = heading[1];
    else if (version && marker.test(line)) found.add(version);
  }
  return found;
}

describe.skipIf(!hasChangelogs)(`real changelogs${changelogs.skipNote}`, () => {
  describe('keep-a-changelog test file', () => {
    const notes = parse('keep-a-changelog.test-changelog.md');

    it('finds its 13 releases, the Unreleased part and the yanked flags', () => {
      expect(notes.format).toBe('keep-a-changelog');
      expect(notes.releases.map((r) => r.version)).toEqual([
        '2.0.0', '1.0.0', '0.3.0', '0.2.0', '0.1.0', '0.0.8', '0.0.7', '0.0.6', '0.0.5', '0.0.4', '0.0.3', '0.0.2', '0.0.1',
      ]);
      expect(notes.unreleased).toMatchObject({ version: 'Unreleased', yanked: true, source: { line: 8 } });
      expect(notes.unreleased?.changes.map((c) => c.text)).toEqual(['Configuration is now done within the Web client, for authorized users.', 'Test']);
      expect(notes.releases.filter((r) => r.yanked).map((r) => r.version)).toEqual(['2.0.0', '0.0.6']);
      expect(notes.warnings).toEqual([]);
    });

    it('reads dates, including the heading without brackets, and none for "unreleased"', () => {
      expect(release(notes, '2.0.0').date).toBeUndefined();
      expect(release(notes, '1.0.0').date).toBe('2017-06-20');
      expect(release(notes, '0.0.6').date).toBe('2014-12-12');
      expect(release(notes, '0.0.1')).toMatchObject({ date: '2014-05-31', source: { line: 174 } });
    });

    it('counts entries per section and classifies Removed as breaking', () => {
      const v1 = release(notes, '1.0.0');
      expect(v1.changes).toHaveLength(19 + 13 + 1);
      expect(texts(v1.changes, 'breaking')).toEqual(['Section about "changelog" vs "CHANGELOG".']);
      expect(v1.changes.filter((c) => c.kind === 'feature')).toHaveLength(19);
      expect(release(notes, '0.0.8').changes.map((c) => c.kind)).toEqual(['other', 'other', 'fix', 'fix']);
    });

    it('treats nested items as entries and finds issue links but not #123b or package#2.0', () => {
      const v2 = release(notes, '2.0.0');
      expect(v2.changes).toHaveLength(7);
      expect(v2.changes.flatMap((c) => c.refs)).toEqual(['#1', '#4', '#3', '#2', '#10']);
      expect(v2.changes[4]?.text).toBe('Test with issue dot #2, #10.');
    });

    it('matches upstream\'s normalised version of the same file release by release', () => {
      const expected = parse('keep-a-changelog.test-changelog.expected.md');
      const shape = (n: ReleaseNotes) =>
        [...(n.unreleased ? [n.unreleased] : []), ...n.releases].map((r) => ({
          version: r.version,
          date: r.date,
          yanked: r.yanked,
          kinds: r.changes.map((c) => c.kinds),
          refs: r.changes.map((c) => c.refs),
        }));
      expect(expected.releases).toHaveLength(13);
      expect(shape(notes)).toEqual(shape(expected));
    });
  });

  describe('yargs (standard-version, older hand-written parts)', () => {
    const text = readChangelog('yargs.CHANGELOG.md');
    const notes = parseChangelog(text, 'yargs.CHANGELOG.md');

    it('finds 183 releases at heading levels 1 to 3 and warns about the "list" heading', () => {
      expect(notes.format).toBe('conventional-changelog');
      expect(notes.releases).toHaveLength(183);
      expect(notes.releases[0]).toMatchObject({ version: '18.1.0', date: '2026-07-26', source: { line: 5 } });
      expect(release(notes, '13.2.0').date).toBe('2019-02-15');
      expect(release(notes, '4.3.2').date).toBe('2016-03-20');
      expect(release(notes, '3.0.2').date).toBe('2015-02-13');
      expect(notes.warnings.map((w) => [w.code, w.location?.line])).toEqual([['parse_error', 1688]]);
      expect(notes.warnings[0]?.message).toContain('list (2014/08/30 18:41 +00:00)');
    });

    it('does not hand the unreadable heading\'s entries to the release above it', () => {
      expect(release(notes, '1.3.2').changes).toHaveLength(1);
    });

    it('reads 17.0.0\'s BREAKING CHANGES, nested items included', () => {
      const v17 = release(notes, '17.0.0');
      expect(v17.date).toBe('2021-05-02');
      const breaking = texts(v17.changes, 'breaking');
      expect(breaking).toEqual(expect.arrayContaining([
        '**node:** drop Node 10 (#1919)',
        'implicitly private methods are now actually private',
        'now returns a promise if handler is async.',
        'onFinishCommand removed, in favor of being able to await promise.',
      ]));
      expect(breaking.length).toBeGreaterThanOrEqual(12);
      expect(texts(release(notes, '18.0.0').changes, 'breaking')).toContain('yargs is now ESM first');
    });

    it('marks every release with a BREAKING CHANGES section as breaking', () => {
      const expected = versionsWith(text, /^#+ (?:⚠ )?BREAKING CHANGES/);
      expect(expected.size).toBeGreaterThanOrEqual(14);
      for (const version of expected) expect(texts(release(notes, version).changes, 'breaking'), version).not.toEqual([]);
    });

    it('flags the prototype pollution fix in 18.1.0 as security with its commit', () => {
      const fix = release(notes, '18.1.0').changes.find((c) => c.text.startsWith('local prototype pollution'));
      expect(fix).toMatchObject({ kind: 'security', kinds: ['security', 'fix'], refs: ['437f3a4e0f4166e1f1a3ce023b0331159582746d'] });
    });
  });

  describe('release-please', () => {
    const text = readChangelog('release-please.CHANGELOG.md');
    const notes = parseChangelog(text, 'release-please.CHANGELOG.md');

    it('finds 364 releases and warns about 13.16.3, which the file lists three times', () => {
      expect(notes.releases).toHaveLength(364);
      expect(notes.releases[0]).toMatchObject({ version: '17.11.1', date: '2026-07-31' });
      expect(notes.warnings.map((w) => [w.code, w.location?.line])).toEqual([['import_invalid', 1330], ['import_invalid', 1337]]);
    });

    it('marks each release with a "⚠ BREAKING CHANGES" section as breaking', () => {
      const expected = versionsWith(text, /^### ⚠ BREAKING CHANGES/);
      expect(expected.size).toBe(16);
      for (const version of expected) expect(texts(release(notes, version).changes, 'breaking'), version).not.toEqual([]);
    });
  });
});
