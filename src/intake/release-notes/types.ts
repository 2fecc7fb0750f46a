import type { UfError } from '../../core/errors.js';

/** What a change means for someone upgrading, from most to least severe (see `kinds.ts`). */
export type ChangeKind = 'breaking' | 'deprecation' | 'security' | 'migration' | 'feature' | 'fix' | 'other';

export interface ReleaseChange {
  /** The most severe of `kinds`. */
  kind: ChangeKind;
  /** The entry as written (Markdown kept, whitespace collapsed). */
  text: string;
  /** Every kind that applies, most severe first; `['other']` when nothing more specific does. */
  kinds: ChangeKind[];
  /** CVE / GHSA ids, `#123` issue or pull request numbers and commit hashes found in the entry. */
  refs: string[];
}

export interface ReleaseSource {
  file: string;
  /** 1-based line of the release heading, JSON object or release commit. */
  line: number;
}

export interface Release {
  /** As published, without a leading `v` or `pkg@` prefix. */
  version: string;
  /** YYYY-MM-DD. Dates written in a heading are kept as written; API timestamps are read in UTC. */
  date?: string;
  /** Marked `[YANKED]` in a changelog, or published and then unpublished from a registry. */
  yanked: boolean;
  changes: ReleaseChange[];
  source: ReleaseSource;
}

export const releaseNotesFormats = [
  'keep-a-changelog',
  'conventional-changelog',
  'conventional-commits',
  'github-releases',
  'npm-packument',
  'history-md',
  'changesets',
  // A Markdown changelog with version headings in none of the named styles (jest's, for one).
  'markdown',
] as const;
export type ReleaseNotesFormat = (typeof releaseNotesFormats)[number];

/** The Markdown styles; all of them are read by the one changelog parser. */
export type ChangelogFormat = Extract<
  ReleaseNotesFormat,
  'keep-a-changelog' | 'conventional-changelog' | 'history-md' | 'changesets' | 'markdown'
>;

export interface ReleaseNotes {
  format: ReleaseNotesFormat;
  /** In the order of the source: newest first for every format read here. */
  releases: Release[];
  /**
   * Changes not yet in a release (`## [Unreleased]`, jest's `## main`, commits after the last
   * release commit). Kept apart because no version can be compared with them.
   */
  unreleased?: Release;
  /** Problems that did not stop the parse, each naming its file and line. */
  warnings: UfError[];
}
