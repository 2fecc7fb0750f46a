import { describe, expect, it } from 'vitest';
import { parseChangelog } from './index.js';

const lines = (...text: string[]): string => text.join('\n');

describe('Markdown changelog parser', () => {
  it('turns a release heading with an unreadable version into a warning and reads the rest', () => {
    const text = lines(
      '# Changelog',
      '## [2.0.0] - 2024-03-01',
      '### Removed',
      '- `legacy()`',
      '## [two-point-oh] - 2024-02-01',
      '- lost entry',
      '## 1.0.0 - 2024-01-01',
      '- Added things',
    );
    const notes = parseChangelog(text, 'CHANGELOG.md');
    expect(notes.releases.map((r) => [r.version, r.date, r.changes.length])).toEqual([
      ['2.0.0', '2024-03-01', 1],
      ['1.0.0', '2024-01-01', 1],
    ]);
    expect(notes.warnings).toHaveLength(1);
    expect(notes.warnings[0]).toMatchObject({ code: 'parse_error', location: { file: 'CHANGELOG.md', line: 5 } });
    expect(notes.warnings[0]?.describe()).toMatch(/^CHANGELOG\.md:5: release heading without a readable version/);
  });

  it('ignores code blocks, HTML comments, tables and link references, even ones that look like headings', () => {
    const text = lines(
      '## 1.1.0',
      '<!-- ## 9.9.9 a commented-out release -->',
      '* Added `run()`',
      '  ```sh',
      '  # 8.8.8 is not a release',
      '  - nor an entry',
      '  ```',
      '| version | note |',
      '|---|---|',
      '[1.1.0]:',
      '  https://example.com/compare/v1.0.0...v1.1.0',
      '## 1.0.0',
    );
    const notes = parseChangelog(text, 'c.md');
    expect(notes.releases.map((r) => r.version)).toEqual(['1.1.0', '1.0.0']);
    expect(notes.releases[0]?.changes.map((c) => c.text)).toEqual(['Added `run()`']);
  });

  it('joins continuation lines, lazy or indented after a blank line, to their item', () => {
    const text = lines('## 1.0.0', '- First line', 'lazy continuation', '', '    indented paragraph of the same item', '', 'A paragraph of its own.');
    expect(parseChangelog(text, 'c.md').releases[0]?.changes.map((c) => c.text)).toEqual([
      'First line lazy continuation indented paragraph of the same item',
    ]);
  });

  it('counts prose only when it needs attention, or opens a section that does', () => {
    const text = lines(
      '## 3.0.0',
      'This is the third major release.',
      '',
      'Support for Node 16 has been dropped; drop support for Node 16 applies to all packages.',
      '',
      '### Breaking changes',
      '',
      'The `foo` option is gone.',
      '',
      '- `bar()` now returns a promise',
      '',
      '**Full Changelog**: https://github.com/o/r/compare/v2.0.0...v3.0.0',
    );
    const changes = parseChangelog(text, 'c.md').releases[0]?.changes ?? [];
    expect(changes.map((c) => [c.kind, c.text])).toEqual([
      ['breaking', 'Support for Node 16 has been dropped; drop support for Node 16 applies to all packages.'],
      ['breaking', 'The `foo` option is gone.'],
      ['breaking', '`bar()` now returns a promise'],
    ]);
  });

  it('gives the sub-items of a label item ("* remove:") the label\'s kind, and only those', () => {
    const text = lines('5.0.0 / 2024-09-10', '===', '* remove:', '  - `app.del`', '* change:', '  - `req.query` is a getter', '* deps: qs@6.13.0');
    const notes = parseChangelog(text, 'History.md');
    expect(notes.format).toBe('history-md');
    expect(notes.releases[0]?.changes.map((c) => [c.kind, c.text])).toEqual([
      ['breaking', '`app.del`'],
      ['other', '`req.query` is a getter'],
      ['other', 'deps: qs@6.13.0'],
    ]);
  });

  it('merges several unreleased parts and keeps them out of the releases', () => {
    const text = lines('## [Unreleased]', '- a', '## main', '- b', '## 1.0.0', '- c');
    const notes = parseChangelog(text, 'c.md');
    expect(notes.unreleased?.changes.map((c) => c.text)).toEqual(['a', 'b']);
    expect(notes.releases.map((r) => r.version)).toEqual(['1.0.0']);
  });

  it('reads CRLF files and tabs like LF files and spaces', () => {
    const text = '## 1.0.0\r\n### Fixed\r\n-\tCrash on start\r\n\t- nested\r\n';
    expect(parseChangelog(text, 'c.md').releases[0]?.changes.map((c) => [c.kind, c.text])).toEqual([
      ['fix', 'Crash on start'],
      ['fix', 'nested'],
    ]);
  });

  it.each([
    [lines('## [1.0.0] - 2024-01-01', '### Added', '- x'), 'keep-a-changelog'],
    [lines('## [1.0.0](https://x/compare/v0...v1) (2024-01-01)', '### Bug Fixes', '* x'), 'conventional-changelog'],
    [lines('1.0.0 / 2024-01-01', '==================', '  * x'), 'history-md'],
    [lines('## 1.0.0', '### Patch Changes', '- x'), 'changesets'],
    [lines('## 1.0.0', '### Fixes', '- x'), 'markdown'],
  ])('names the style of %j', (text, format) => {
    expect(parseChangelog(text, 'c.md').format).toBe(format);
  });

  it('warns about a version listed twice and keeps both', () => {
    const notes = parseChangelog(lines('## 1.0.0', '- a', '## 1.0.0', '- b'), 'c.md');
    expect(notes.releases).toHaveLength(2);
    expect(notes.warnings.map((w) => w.describe())).toEqual(['c.md:3: version 1.0.0 appears again (first at line 1)']);
  });

  it('returns no releases for text without release headings', () => {
    expect(parseChangelog('# Changelog\n\nNothing yet.\n', 'c.md')).toEqual({ format: 'markdown', releases: [], warnings: [] });
  });
});
