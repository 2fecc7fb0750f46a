import { describe, expect, it } from 'vitest';
import { readFixture } from '../testing.js';
import { parseConventionalCommits, releaseVersion } from './index.js';
import { parseCommitMessage } from './message.js';
import { splitCommits } from './records.js';

describe('git log with Conventional Commits', () => {
  const notes = parseConventionalCommits(readFixture('conventional-commits/fixtures/git-log.txt'), 'git-log.txt');

  it('splits releases at release commits, newest first, dated by the release commit in UTC', () => {
    expect(notes.format).toBe('conventional-commits');
    expect(notes.releases.map((r) => [r.version, r.date, r.source.line, r.changes.length])).toEqual([
      ['2.0.0', '2024-06-01', 7, 4],
      ['1.1.0', '2024-05-20', 43, 3],
      ['1.0.0', '2024-05-10', 59, 1],
    ]);
    expect(notes.unreleased?.changes.map((c) => [c.kind, c.text, c.refs])).toEqual([
      ['fix', 'render: clip overflowing children', ['7bfc2a38d431be2c950fe481e3dc038da165f960', '#431']],
    ]);
  });

  it('reads `!`, the BREAKING CHANGE footer, migrations in the body and advisories in the subject', () => {
    const [breaking, migration, security, chore] = notes.releases[0]?.changes ?? [];
    expect(breaking).toMatchObject({
      kind: 'breaking',
      kinds: ['breaking', 'feature'],
      text: 'api: rename `draw()` to `paint()` — BREAKING CHANGE: `Widget.draw()` is gone; call `Widget.paint()` instead.',
      refs: ['9e68654b8c5ce0898111fe1bc5fdc9989989f757', '#420'],
    });
    expect(migration).toMatchObject({ kind: 'migration', kinds: ['migration', 'feature'], text: 'store widget layouts in SQLite' });
    expect(security).toMatchObject({ kind: 'security', kinds: ['security', 'fix'], refs: ['16ac179f9c0580fa1ef71f36b82ec2ed16b5dae9', 'CVE-2024-23456'] });
    expect(chore).toMatchObject({ kind: 'other', text: 'deps: bump tslib from 2.6.1 to 2.6.2' });
  });

  it('takes the type over the verb: `docs: fix typo` is not a fix; `refactor: deprecate x` is a deprecation', () => {
    expect(notes.releases[1]?.changes.map((c) => c.kinds)).toEqual([['feature'], ['deprecation'], ['other']]);
  });
});

describe('git log layouts', () => {
  it('reads git\'s default layout with its Date header', () => {
    const log = [
      'commit 1111111111111111111111111111111111111111 (tag: v1.1.0)',
      'Author: A <a@example.com>',
      'Date:   Mon Jan 15 23:30:00 2024 -0500',
      '',
      '    feat: add x',
      '',
      '    BREAKING-CHANGE: x replaces y',
      '',
      'commit 2222222222222222222222222222222222222222',
      'Merge: 3333333 4444444',
      'Author: B <b@example.com>',
      'Date:   Sun Jan 14 10:00:00 2024 +0000',
      '',
      '    Merge branch \'feature\'',
    ].join('\n');
    const notes = parseConventionalCommits(log, 'log.txt');
    expect(notes.releases).toEqual([
      {
        version: '1.1.0',
        date: '2024-01-16',
        yanked: false,
        source: { file: 'log.txt', line: 1 },
        changes: [{ kind: 'breaking', kinds: ['breaking', 'feature'], text: 'add x — BREAKING CHANGE: x replaces y', refs: ['1111111111111111111111111111111111111111'] }],
      },
    ]);
  });

  it('reads one subject per line, with `--oneline --decorate` hashes and tags', () => {
    const log = ['a1b2c3d (HEAD -> main, tag: v2.0.0) feat!: drop the v1 API', 'b2c3d4e fix(cli): exit code on error', 'c3d4e5f (tag: v1.0.0) chore: initial commit', 'fix: untagged first commit'].join('\n');
    const notes = parseConventionalCommits(log, 'log.txt');
    expect(notes.releases.map((r) => [r.version, r.changes.map((c) => c.kind)])).toEqual([
      ['2.0.0', ['breaking', 'fix']],
      ['1.0.0', ['other', 'fix']],
    ]);
    expect(splitCommits('plain subject\n\nanother')).toEqual([
      { tags: [], message: 'plain subject', line: 1 },
      { tags: [], message: 'another', line: 3 },
    ]);
  });
});

describe('commit messages', () => {
  it('parses type, scope, `!`, body and footers per Conventional Commits 1.0', () => {
    const message = ['fix(parser)!: handle empty input', '', 'Body line one.', 'Body line two.', '', 'BREAKING CHANGE: empty input', ' now throws', 'Refs #133', 'Reviewed-by: Z'].join('\n');
    expect(parseCommitMessage(message)).toEqual({
      type: 'fix',
      scope: 'parser',
      breaking: true,
      description: 'handle empty input',
      body: 'Body line one.\nBody line two.',
      footers: [
        { token: 'BREAKING CHANGE', value: 'empty input now throws' },
        { token: 'Refs', value: '#133' },
        { token: 'Reviewed-by', value: 'Z' },
      ],
      breakingNotes: ['empty input now throws'],
    });
  });

  it('keeps a non-conventional subject as the description, without a type', () => {
    expect(parseCommitMessage('Update README')).toMatchObject({ description: 'Update README', breaking: false });
    expect(parseCommitMessage('Update README').type).toBeUndefined();
  });

  it.each([
    ['chore(release): 1.2.0', '1.2.0'],
    ['chore(release): v1.2.0 [skip ci]', '1.2.0'],
    ['chore(main): release 1.2.0', '1.2.0'],
    ['chore: release my-pkg 1.2.0-rc.1', '1.2.0-rc.1'],
    ['chore(main): release @scope/pkg@3.0.0', '3.0.0'],
    ['release: 2.0.0', '2.0.0'],
    ['Release 1.2.0', '1.2.0'],
    ['v1.2.0', '1.2.0'],
    ['1.2.0', '1.2.0'],
    ['chore(deps): bump lodash 4.17.21', undefined],
    ['chore(release): publish', undefined],
    ['fix: 1.2.0 regression', undefined],
    ['Upgrade to 1.2.3', undefined],
  ])('release commit %j → %s', (subject, version) => {
    expect(releaseVersion(subject)).toBe(version);
  });
});
