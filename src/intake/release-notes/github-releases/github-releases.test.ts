import { describe, expect, it } from 'vitest';
import { UfError } from '../../../core/errors.js';
import { catchUfError } from '../../../../test/helpers/errors.js';
import { readFixture } from '../testing.js';
import { parseReleaseNotes } from '../index.js';
import { parseGithubReleases, versionFromTag } from './index.js';

describe('GitHub "list releases" JSON', () => {
  const notes = parseGithubReleases(readFixture('github-releases/fixtures/releases.json'), 'releases.json');

  it('reads published releases with versions from their tags, drafts left out', () => {
    expect(notes.format).toBe('github-releases');
    expect(notes.releases.map((r) => [r.version, r.date, r.source.line])).toEqual([
      ['3.0.0', '2024-05-03', 34],
      ['3.0.0-rc.1', '2024-04-20', 66],
      ['2.4.1', '2024-03-14', 98],
      ['2.4.0', '2024-02-01', 130],
      ['1.2.0', '2024-02-01', 162],
    ]);
  });

  it('warns about a tag without a version, naming its line and key path', () => {
    expect(notes.warnings.map((w) => [w.code, w.describe()])).toEqual([
      ['parse_error', 'releases.json:194: [6].tag_name: tag "nightly" holds no version; release skipped'],
    ]);
  });

  it('classifies the body\'s bullets by section and wording; credits and the "Full Changelog" line are not changes', () => {
    const major = notes.releases[0]?.changes ?? [];
    expect(major.map((c) => c.kind)).toEqual(['breaking', 'breaking', 'feature', 'fix', 'migration']);
    expect(major[4]?.text).toBe('The configuration file format changed: run the migration with `npx widgets migrate-config` before deploying.');
    expect(major.map((c) => c.refs)).toEqual([['#412'], ['#409'], ['#405'], ['#411'], []]);
    expect(notes.releases[2]?.changes).toEqual([
      {
        kind: 'security',
        kinds: ['security'],
        text: 'Fix prototype pollution in `mergeOptions()` ([GHSA-4w2v-q235-vp99](https://github.com/acme/widgets/security/advisories/GHSA-4w2v-q235-vp99), CVE-2024-12345)',
        refs: ['CVE-2024-12345', 'GHSA-4w2v-q235-vp99'],
      },
    ]);
    expect(notes.releases[3]?.changes.map((c) => c.kind)).toEqual(['deprecation', 'feature']);
  });

  it('reads a file that starts with a byte-order mark, with the same releases and lines', () => {
    const text = `\uFEFF${readFixture('github-releases/fixtures/releases.json')}`;
    for (const read of [parseGithubReleases(text, 'releases.json'), parseReleaseNotes(text, 'releases.json')]) {
      expect(read.format).toBe('github-releases');
      expect(read.releases).toEqual(notes.releases);
      expect(read.warnings.map((w) => w.describe())).toEqual(notes.warnings.map((w) => w.describe()));
    }
  });

  it('throws parse_error with file and line for malformed JSON', () => {
    const error = catchUfError(() => parseGithubReleases('[\n  {"tag_name": "v1.0.0",\n   "body": "x",\n  }\n]', 'releases.json'));
    expect(error).toBeInstanceOf(UfError);
    expect(error).toMatchObject({ code: 'parse_error', location: { file: 'releases.json', line: 4, column: 3 } });
  });

  it('throws import_invalid for JSON that is not a list, and warns about elements that are not releases', () => {
    expect(catchUfError(() => parseGithubReleases('{"message": "Not Found"}', 'r.json'))).toMatchObject({ code: 'import_invalid', location: { file: 'r.json' } });
    const mixed = parseGithubReleases('[\n  {"tag_name": "v1.0.0", "body": null, "published_at": null},\n  {"name": "no tag"},\n  42\n]', 'r.json');
    expect(mixed.releases).toEqual([{ version: '1.0.0', yanked: false, changes: [], source: { file: 'r.json', line: 2 } }]);
    expect(mixed.warnings.map((w) => [w.code, w.location?.line, w.location?.path])).toEqual([
      ['import_invalid', 3, '[1].tag_name'],
      ['import_invalid', 4, '[2]'],
    ]);
  });

  it.each([
    ['v1.2.3', '1.2.3'],
    ['1.2.3', '1.2.3'],
    ['@scope/pkg@1.2.3', '1.2.3'],
    ['pkg@v2.0.0-beta.1', '2.0.0-beta.1'],
    ['widgets-v4.1.0', '4.1.0'],
    ['release/5.0', '5.0'],
    ['v2', '2'],
    ['nightly', undefined],
    ['build-42', undefined],
  ])('tag %j → %s', (tag, version) => {
    expect(versionFromTag(tag)).toBe(version);
  });
});
