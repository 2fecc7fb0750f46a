import { parseChangelog } from './changelog/index.js';
import { parseConventionalCommits } from './conventional-commits/index.js';
import { detectSource } from './detect.js';
import { parseGithubReleases } from './github-releases/index.js';
import { parseNpmPackument } from './npm-packument/index.js';
import type { ReleaseNotes, ReleaseNotesFormat } from './types.js';

export { changesBetween, summarize, uncoveredBecause, type NotableChange, type ReleaseNotesSummary } from './summary.js';
export { classifyChange, extractRefs, parseChangelog, sectionKind, textKinds } from './changelog/index.js';
export { parseConventionalCommits, releaseVersion } from './conventional-commits/index.js';
export { parseGithubReleases, versionFromTag } from './github-releases/index.js';
export { parseNpmPackument } from './npm-packument/index.js';
export { changeKinds } from './kinds.js';
export * from './types.js';

type Parser = (text: string, file: string) => ReleaseNotes;

/** One reader per format; every Markdown style goes through the same changelog parser. */
const parsers = {
  'keep-a-changelog': (text, file) => parseChangelog(text, file, 'keep-a-changelog'),
  'conventional-changelog': (text, file) => parseChangelog(text, file, 'conventional-changelog'),
  'history-md': (text, file) => parseChangelog(text, file, 'history-md'),
  changesets: (text, file) => parseChangelog(text, file, 'changesets'),
  markdown: (text, file) => parseChangelog(text, file, 'markdown'),
  'conventional-commits': parseConventionalCommits,
  'github-releases': parseGithubReleases,
  'npm-packument': parseNpmPackument,
} satisfies Record<ReleaseNotesFormat, Parser>;

/**
 * Reads release notes of any supported format, detected from the text unless `format` is given.
 * Malformed JSON throws UfError `parse_error` (file, line, column); JSON of the wrong shape throws
 * `import_invalid`. Problems with single releases are returned as `warnings`, never thrown.
 */
export function parseReleaseNotes(text: string, file: string, format?: ReleaseNotesFormat): ReleaseNotes {
  if (format !== undefined) return parsers[format](text, file);
  const source = detectSource(text);
  return source === undefined ? parseChangelog(text, file) : parsers[source](text, file);
}
