import { describe, expect, it } from 'vitest';
import { classifyChange, sectionKind, textKinds } from './classify.js';
import { readHeading } from './headings.js';
import { extractRefs } from './refs.js';

describe('section headings', () => {
  it.each([
    ['Added', 'feature'],
    ['Changed', 'other'],
    ['Deprecated', 'deprecation'],
    ['Removed', 'breaking'],
    ['Fixed', 'fix'],
    ['Security', 'security'],
    ['Features', 'feature'],
    ['Bug Fixes', 'fix'],
    ['⚠ BREAKING CHANGES', 'breaking'],
    ['Major Changes', 'breaking'],
    ['Minor Changes', 'feature'],
    ['Patch Changes', 'fix'],
    ['Chore & Maintenance', 'other'],
    ['🐞 Bug fixes', 'fix'],
    ['🚀 Improvements', 'feature'],
    ['Performance Improvements', 'other'],
    ['Security Fixes', 'security'],
    ['Non-breaking changes', 'other'],
    ['Migration guide', 'migration'],
  ])('%s → %s', (heading, kind) => {
    expect(sectionKind(heading)).toBe(kind);
  });

  it('does not know headings that name no kind of change', () => {
    expect(sectionKind('Older Changelog Entries')).toBeUndefined();
    expect(sectionKind('list (2014/08/30 18:41 +00:00)')).toBeUndefined();
  });
});

describe('entry wording raises the kind', () => {
  it.each([
    ['BREAKING: config keys are now camelCase', 'breaking'],
    ['This is a breaking change for plugin authors', 'breaking'],
    ['[**BREAKING**] Drop `--foo`', 'breaking'],
    ['feat!: new plugin API', 'breaking'],
    ['drop support for Node 14', 'breaking'],
    ['**node:** drop Node 10 (#1919)', 'breaking'],
    ['removed `app.del()`', 'breaking'],
    ['`onFinish` removed, in favor of awaiting the promise', 'breaking'],
    ['Deprecate `getCallsite` in favour of `SourceMapSupport#getCallsite`', 'deprecation'],
    ['`render()` is deprecated', 'deprecation'],
    ['The `default` export is slated for removal in the next major release', 'deprecation'],
    ['Fix CVE-2024-12345 in the parser', 'security'],
    ['see GHSA-4w2v-q235-vp99', 'security'],
    ['patch a security hole', 'security'],
    ['fix prototype pollution vulnerability', 'security'],
    ['Run the migration before starting', 'migration'],
    ['migrate stored sessions to the new table', 'migration'],
    ['schema change: add `owner` column', 'migration'],
    ['requires a database migration', 'migration'],
  ])('%s → %s', (text, kind) => {
    expect(textKinds(text)).toContain(kind);
  });

  it.each([
    'non-breaking change to logging',
    'stop parsing BREAKING CHANGE messages after two newlines',
    'Fix deprecated goo.gl snapshot guide link',
    'Remove exclusionary mentions of "open source"',
    'perf: remove argument reassignment',
    'Drop `walker` dependency',
  ])('%s is not breaking, deprecation or security', (text) => {
    expect(textKinds(text, ['other'])).toEqual([]);
  });

  it('infers feature and fix from the verb only where no section says what the entry is', () => {
    expect(textKinds('Added session support')).toEqual(['feature']);
    expect(textKinds('Fixed `make init`')).toEqual(['fix']);
    expect(textKinds('Fix typos in Czech translation', ['other'])).toEqual([]);
    expect(textKinds('feat: streaming renderer', ['other'])).toEqual(['feature']);
  });

  it('keeps the section kind, adds raised kinds and names the most severe as kind', () => {
    expect(classifyChange('**deps:** Update os-locale to avoid security vulnerability', ['fix'])).toMatchObject({
      kind: 'security',
      kinds: ['security', 'fix'],
    });
    expect(classifyChange('  Improve  phrasing\n in French  ', ['other'])).toMatchObject({ kind: 'other', kinds: ['other'], text: 'Improve phrasing in French' });
    expect(classifyChange('Remove `hidden` option', ['fix']).kinds).toEqual(['fix']);
  });
});

describe('references', () => {
  it('finds advisory ids, issue and PR numbers and commit hashes once each', () => {
    const text =
      'Security fix for [CVE-2024-51999](https://www.cve.org/CVERecord?id=CVE-2024-51999) ([GHSA-PJ86-cfqh-vqx6](x)) ' +
      '([#2476](https://github.com/yargs/yargs/issues/2476)) ([971e351](https://github.com/yargs/yargs/commit/971e351705f0fbc5566c6ed1dfd707fa65e11c0d))';
    expect(extractRefs(text)).toEqual(['CVE-2024-51999', 'GHSA-pj86-cfqh-vqx6', '#2476', '971e351705f0fbc5566c6ed1dfd707fa65e11c0d']);
  });

  it('leaves look-alikes alone', () => {
    expect(extractRefs('Test with no issue link #123b, `package#2.0`, &#39;, deadbeefcafe, 20240101, v1.2.3')).toEqual([]);
    expect(extractRefs('by @alice in https://github.com/acme/widgets/pull/412')).toEqual(['#412']);
  });
});

describe('release headings', () => {
  it.each([
    ['[1.2.0] - 2024-01-01', { type: 'release', version: '1.2.0', date: '2024-01-01', yanked: false }],
    ['[0.0.6] - 2014-12-12 [YANKED]', { type: 'release', version: '0.0.6', date: '2014-12-12', yanked: true }],
    ['[2.0.0] - unreleased [Yanked]', { type: 'release', version: '2.0.0', yanked: true }],
    ['[17.0.0](https://github.com/yargs/yargs/compare/v16.2.0...v17.0.0) (2021-05-02)', { type: 'release', version: '17.0.0', date: '2021-05-02', yanked: false }],
    ['v4.3.2 (2016/3/20 15:07 +07:00)', { type: 'release', version: '4.3.2', date: '2016-03-20', yanked: false }],
    ['2.4.2. / 2011-07-06', { type: 'release', version: '2.4.2', date: '2011-07-06', yanked: false }],
    ['3.0.0rc5 / 2012-09-18', { type: 'release', version: '3.0.0rc5', date: '2012-09-18', yanked: false }],
    ['1.0.0-next.9', { type: 'release', version: '1.0.0-next.9', yanked: false }],
    ['@scope/pkg@1.2.3 (March 5, 2024)', { type: 'release', version: '1.2.3', date: '2024-03-05', yanked: false }],
    ['Version 6.0', { type: 'release', version: '6.0', yanked: false }],
    ['[Unreleased] [Yanked]', { type: 'unreleased', label: 'Unreleased', yanked: true }],
    ['main', { type: 'unreleased', label: 'main', yanked: false }],
    ['Unreleased Changes', { type: 'unreleased', label: 'Unreleased Changes', yanked: false }],
    ['list (2014/08/30 18:41 +00:00)', { type: 'unreadable', label: 'list (2014/08/30 18:41 +00:00)' }],
    ['[next](https://example.com/compare/v1...HEAD)', { type: 'unreadable', label: '[next](https://example.com/compare/v1...HEAD)' }],
    ['1.x', { type: 'unreadable', label: '1.x' }],
    ['Bug Fixes', { type: 'section' }],
    ['Changelog - demo', { type: 'section' }],
    ['@changesets/changelog-github', { type: 'section' }],
  ])('%s', (heading, meaning) => {
    expect(readHeading(heading)).toEqual(meaning);
  });

  it('rejects impossible dates rather than guess', () => {
    expect(readHeading('1.0.0 - 2024-02-30')).toEqual({ type: 'release', version: '1.0.0', yanked: false });
  });
});
