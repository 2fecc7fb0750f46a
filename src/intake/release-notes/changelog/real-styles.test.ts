import { describe, expect, it } from 'vitest';
import { changelogs, hasChangelogs, parseRealChangelog, readChangelog, releaseOf } from '../testing.js';
import type { Release } from '../types.js';

const parse = parseRealChangelog;
const release = releaseOf;

const withKind = (r: Release, kind: string): string[] => r.changes.filter((c) => c.kinds.includes(kind as never)).map((c) => c.text);

describe.skipIf(!hasChangelogs)(`real changelogs in other styles${changelogs.skipNote}`, () => {
  describe('node-semver (npm CLI template, older hand-written part)', () => {
    const notes = parse('node-semver.CHANGELOG.md');

    it('finds 46 releases, two-part versions like 6.0 included, dated only where the heading has a date', () => {
      expect(notes.format).toBe('conventional-changelog');
      expect(notes.releases).toHaveLength(46);
      expect(notes.releases[0]).toMatchObject({ version: '7.8.5', date: '2026-06-19' });
      expect(release(notes, '7.3.7').date).toBe('2022-04-11');
      expect(release(notes, '6.0').date).toBeUndefined();
      expect(notes.releases.at(-1)?.version).toBe('5.0');
    });

    it('reads commit-hash and PR references of the template\'s bullets', () => {
      expect(release(notes, '7.8.5').changes[0]?.refs).toEqual(['#878', '9c8692ae05416e9dbe88d95ffe2b80e6964550fe']);
    });

    it('finds the breaking changes of 7.0.0 and 6.0 in prose', () => {
      expect(withKind(release(notes, '7.0.0'), 'breaking')).toEqual([
        'Drop support for very old node versions, use const/let, `=>` functions, and classes.',
      ]);
      // "…it is marked as a major version increment", in the item's continuation paragraph.
      expect(withKind(release(notes, '6.0'), 'breaking')).toHaveLength(1);
    });
  });

  describe('express History.md', () => {
    const notes = parse('express.History.md');

    it('reads 298 setext releases with odd versions (3.0.0rc5, 2.4.2., 2.5.9/)', () => {
      expect(notes.format).toBe('history-md');
      expect(notes.releases).toHaveLength(298);
      expect(notes.releases[0]).toMatchObject({ version: '5.2.1', date: '2025-12-01', source: { line: 51 } });
      expect(release(notes, '3.0.0rc5').date).toBe('2012-09-18');
      expect(release(notes, '2.4.2').date).toBe('2011-07-06');
      expect(release(notes, '2.5.9').date).toBe('2012-04-02');
      expect(release(notes, '0.0.1').changes.map((c) => c.text)).toEqual(['Initial release']);
      expect(notes.warnings).toEqual([]);
    });

    it('keeps the emoji-headed "Unreleased Changes" part apart', () => {
      expect(notes.unreleased?.version).toBe('Unreleased Changes');
      expect(notes.unreleased?.changes.map((c) => c.kind)).toEqual(['fix', 'feature', 'feature', 'feature', 'feature', 'feature', 'feature', 'other']);
    });

    it('lists 5.0.0\'s breaking items, taking "* remove:" and "* breaking:" as labels for their sub-items', () => {
      const v5 = release(notes, '5.0.0');
      expect(v5.date).toBe('2024-09-10');
      expect(withKind(v5, 'breaking')).toEqual([
        '`path-is-absolute` dependency - use `path.isAbsolute` instead',
        '`res.status()` accepts only integers, and input must be greater than 99 and less than 1000',
        'will throw a `RangeError: Invalid status code: ${code}. Status code must be greater than 99 and less than 1000.` for inputs outside this range',
        'will throw a `TypeError: Invalid status code: ${code}. Status code must be an integer.` for non integer inputs',
        'deps: send@1.0.0',
        "`res.redirect('back')` and `res.location('back')` is no longer a supported magic string, explicitly use `req.get('Referrer') || '/'`.",
      ]);
      expect(v5.changes.find((c) => c.text.startsWith('`res.clearCookie`'))?.kind).toBe('other');
      // 6 breaking, 1 under "change:", 13 deps bumps and the mime-types bump's sub-item.
      expect(v5.changes).toHaveLength(6 + 1 + 13 + 1);
    });

    it('finds the advisories of 5.2.0 and the deprecation warning it added', () => {
      const v520 = release(notes, '5.2.0');
      expect(v520.changes[0]).toMatchObject({ kind: 'security', refs: ['CVE-2024-51999', 'GHSA-pj86-cfqh-vqx6'] });
      expect(withKind(v520, 'deprecation')).toHaveLength(1);
      expect(withKind(release(notes, '4.0.0'), 'breaking').length).toBeGreaterThanOrEqual(10);
    });
  });

  describe('jest', () => {
    const notes = parse('jest.CHANGELOG.md');

    it('reads 15 undated releases and "## main" as unreleased', () => {
      expect(notes.format).toBe('markdown');
      expect(notes.releases.map((r) => r.version).slice(0, 3)).toEqual(['30.4.2', '30.4.1', '30.4.0']);
      expect(notes.releases).toHaveLength(15);
      expect(notes.releases.every((r) => r.date === undefined)).toBe(true);
      expect(notes.unreleased?.version).toBe('main');
    });

    it('takes "## Features" and "# Chore" as sections, not releases', () => {
      expect(release(notes, '30.2.0').changes.map((c) => c.kind)).toEqual(['other', 'other', 'feature', 'fix', 'fix', 'fix']);
      expect(release(notes, '30.1.0').changes.at(-1)?.text).toContain('Update docblock for `toContain()`');
    });

    it('marks every [**BREAKING**] entry of 30.0.0 as breaking', () => {
      const text = readChangelog('jest.CHANGELOG.md');
      const section = text.slice(text.indexOf('## 30.0.0'), text.indexOf('## Older Changelog Entries'));
      const marked = section.split('\n').filter((line) => line.includes('[**BREAKING**]')).length;
      const v30 = release(notes, '30.0.0');
      expect(marked).toBe(30);
      expect(v30.changes.filter((c) => c.text.includes('[**BREAKING**]') && c.kind === 'breaking')).toHaveLength(marked);
    });
  });

  describe('changesets', () => {
    const notes = parse('changesets-changelog-github.CHANGELOG.md');

    it('reads 37 releases with Major/Minor/Patch sections', () => {
      expect(notes.format).toBe('changesets');
      expect(notes.releases).toHaveLength(37);
      expect(notes.releases[0]?.version).toBe('1.0.0');
      expect(release(notes, '1.0.0-next.9').changes.map((c) => c.text)).toEqual([
        'Updated dependencies [[`96b65ee`](https://github.com/changesets/changesets/commit/96b65eec4af2c58301a11cd7dff42a6bde9c9f8a)]:',
        '@changesets/types@7.0.0-next.9',
      ]);
    });

    it('classifies Major Changes as breaking and sees the announced removal as a deprecation', () => {
      const v1 = release(notes, '1.0.0');
      expect(withKind(v1, 'breaking')).toHaveLength(2);
      expect(withKind(v1, 'breaking')[0]).toContain('Bumped supported Node versions');
      expect(withKind(v1, 'deprecation')[0]).toContain('slated for removal in the next major release');
      // Three Patch Changes entries, "Updated dependencies" and its two sub-items.
      expect(v1.changes.filter((c) => c.kind === 'fix')).toHaveLength(6);
    });
  });
});
