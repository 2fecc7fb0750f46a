import { UfError } from '../../../core/errors.js';
import type { ChangelogFormat, Release, ReleaseNotes } from '../types.js';
import { changesOf } from './body.js';
import { sectionKind } from './classify.js';
import { readHeading } from './headings.js';
import { tokenize, type MarkdownToken } from './lines.js';
import { detectStyle } from './style.js';

export { changesOf } from './body.js';
export { classifyChange, sectionKind, textKinds } from './classify.js';
export { extractRefs } from './refs.js';
export { tokenize } from './lines.js';

interface OpenRelease {
  release: Release | undefined;
  unreleased: boolean;
  tokens: MarkdownToken[];
}

/**
 * Reads a Markdown changelog in any of the styles listed in `ChangelogFormat`. Releases are found by
 * their headings at any level (`#`, `##`, `###` and setext underlines all occur, even in one
 * file); every other heading is a section of the release above it. Text before the first release
 * heading is the preamble and ignored. A heading shaped like a release with no readable version
 * becomes a warning naming its line, and its entries are left out rather than given to a neighbour.
 */
export function parseChangelog(text: string, file: string, format?: ChangelogFormat): ReleaseNotes {
  const tokens = tokenize(text);
  const releases: Release[] = [];
  const warnings: UfError[] = [];
  const seen = new Map<string, number>();
  let unreleased: Release | undefined;
  let open: OpenRelease | undefined;

  const close = (): void => {
    if (!open?.release) return;
    open.release.changes = changesOf(open.tokens);
    if (!open.unreleased) releases.push(open.release);
    else if (unreleased === undefined) unreleased = open.release;
    else unreleased.changes = unreleased.changes.concat(open.release.changes);
  };

  for (const token of tokens) {
    const meaning = token.type === 'heading' ? readHeading(token.text) : { type: 'body' as const };
    // An unreadable heading that names a known section ("Security fixes (2024-01-01)") is a section.
    const known = token.type === 'heading' && sectionKind(token.text) !== undefined;
    if (meaning.type === 'body' || meaning.type === 'section' || (meaning.type === 'unreadable' && known)) {
      open?.tokens.push(token);
      continue;
    }
    close();
    const source = { file, line: token.line };
    if (meaning.type === 'unreadable') {
      warnings.push(
        new UfError('parse_error', `release heading without a readable version: "${meaning.label}"; its entries are skipped`, source),
      );
      open = { release: undefined, unreleased: false, tokens: [] };
    } else if (meaning.type === 'unreleased') {
      open = { release: { version: meaning.label, yanked: meaning.yanked, changes: [], source }, unreleased: true, tokens: [] };
    } else {
      const first = seen.get(meaning.version);
      if (first !== undefined) {
        warnings.push(new UfError('import_invalid', `version ${meaning.version} appears again (first at line ${first})`, source));
      } else {
        seen.set(meaning.version, token.line);
      }
      const { version, date, yanked } = meaning;
      open = { release: { version, ...(date ? { date } : {}), yanked, changes: [], source }, unreleased: false, tokens: [] };
    }
  }
  close();
  return {
    format: format ?? detectStyle(tokens, text),
    releases,
    ...(unreleased ? { unreleased } : {}),
    warnings,
  };
}
