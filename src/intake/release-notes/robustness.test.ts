import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UfError } from '../../core/errors.js';
import { classifyChange } from './changelog/classify.js';
import { readHeading } from './changelog/headings.js';
import { parseChangelog } from './changelog/index.js';
import { parseConventionalCommits } from './conventional-commits/index.js';
import { parseGithubReleases } from './github-releases/index.js';
import { parseReleaseNotes } from './index.js';
import { parseNpmPackument } from './npm-packument/index.js';
import { changelogs, hasChangelogs, readChangelog, readFixture, realChangelogs } from './testing.js';

const parsers: [string, (text: string, file: string) => unknown][] = [
  ['parseReleaseNotes', parseReleaseNotes],
  ['parseChangelog', parseChangelog],
  ['parseConventionalCommits', parseConventionalCommits],
  ['parseGithubReleases', parseGithubReleases],
  ['parseNpmPackument', parseNpmPackument],
];

/** Runs a parser; only a UfError that says where the problem is may escape. */
function survives(parse: (text: string, file: string) => unknown, text: string): void {
  try {
    parse(text, 'input');
  } catch (error) {
    if (!(error instanceof UfError)) throw error;
    expect(['parse_error', 'import_invalid']).toContain(error.code);
    expect(error.location?.file).toBe('input');
  }
}

// Pieces that make up release notes, so random text reaches deep into the parsers.
const piece = fc.constantFrom(
  '\n', '\r\n', ' ', '  ', '\t', '#', '## ', '### ', '[', ']', '(', ')', '1.2.3', 'v2.0.0-rc.1', '1.', '.', ' - ', ' / ',
  '2024-01-01', '2016/3/20', '* ', '- ', '1. ', '`', '```', '<!--', '-->', '<a name="x"></a>', '===', '---', '>', 'BREAKING CHANGE:',
  'feat', 'fix(x)!: ', 'chore(release): 1.0.0', '--END--', 'commit 0123456789abcdef0123456789abcdef01234567', 'Date: ', 'CVE-2024-1234',
  'GHSA-aaaa-bbbb-cccc', '#12', 'abcdef1', '[Unreleased]', 'remove:', 'removed `x`', 'deprecate', 'migration', '{', '}', '"', ':', ',',
  '"tag_name"', '"versions"', '"time"', 'null', '@', 'é', '⚠',
);
const releaseNotesText = fc.array(piece, { maxLength: 300 }).map((pieces) => pieces.join(''));

describe('every parser on hostile input', () => {
  it.each(parsers)('%s: random text', (_name, parse) => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 2000 }), (text) => survives(parse, text)), { numRuns: 200 });
  });

  it.each(parsers)('%s: random release-notes-shaped text', (_name, parse) => {
    fc.assert(fc.property(releaseNotesText, (text) => survives(parse, text)), { numRuns: 300 });
  });

  it.each(parsers)('%s: random JSON values', (_name, parse) => {
    fc.assert(fc.property(fc.json({ maxDepth: 4 }), (text) => survives(parse, text)), { numRuns: 200 });
  });

  it('headings and entries: long runs that could make a pattern backtrack', () => {
    const run = fc.tuple(fc.constantFrom('1.', '1.1', 'a-', '[', '(', ' ', '0', '-', '.', '#', '*', 'remove ', 'v'), fc.integer({ min: 1, max: 3000 }));
    fc.assert(
      fc.property(run, fc.string({ maxLength: 5 }), ([unit, times], tail) => {
        const text = unit.repeat(times) + tail;
        readHeading(text);
        classifyChange(text, []);
      }),
      { numRuns: 100 },
    );
  });
});

const fixtures = ['github-releases/fixtures/releases.json', 'npm-packument/fixtures/packument.json', 'conventional-commits/fixtures/git-log.txt'];

describe('truncated real input', () => {
  it.each(fixtures)('%s cut anywhere', (path) => {
    const text = readFixture(path);
    fc.assert(fc.property(fc.integer({ min: 0, max: text.length }), (end) => survives(parseReleaseNotes, text.slice(0, end))), { numRuns: 150 });
  });

  it.each(fixtures.slice(0, 2))('%s cut inside the JSON names the line where it ends', (path) => {
    const text = readFixture(path);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: text.length - 2 }), (end) => {
        const cut = text.slice(0, end);
        if (cut.trim() === '' || /^\s*\[\s*$/.test(cut)) return;
        const parse = path.includes('github') ? parseGithubReleases : parseNpmPackument;
        let error: unknown;
        try {
          parse(cut, 'input');
        } catch (caught) {
          error = caught;
        }
        expect(error).toBeInstanceOf(UfError);
        expect((error as UfError).code).toBe('parse_error');
        expect((error as UfError).location?.line).toBe(cut.split('\n').length);
      }),
      { numRuns: 100 },
    );
  });

  it.skipIf(!hasChangelogs)(`real changelogs cut anywhere and at every parser${changelogs.skipNote}`, () => {
    for (const name of realChangelogs) {
      const text = readChangelog(name);
      fc.assert(
        fc.property(fc.integer({ min: 0, max: text.length }), fc.integer({ min: 0, max: parsers.length - 1 }), (end, which) => {
          const [, parse] = parsers[which] ?? parsers[0]!;
          survives(parse, text.slice(0, end));
        }),
        { numRuns: 40 },
      );
    }
  });
});
