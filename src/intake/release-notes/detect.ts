import { stripBom } from '../../core/json-text.js';
import type { ChangelogFormat, ReleaseNotesFormat } from './types.js';

export type SourceFormat = Exclude<ReleaseNotesFormat, ChangelogFormat>;

/**
 * Which source a text is, by its shape: JSON (an array is GitHub's release list, an object a
 * packument), a git log, or else a Markdown changelog (whose style the changelog parser names).
 * Undefined means Markdown.
 */
export function detectSource(text: string): SourceFormat | undefined {
  const start = stripBom(text).trimStart();
  if (start.startsWith('{')) return 'npm-packument';
  // `[{` or `[]` opens a JSON array; `[Unreleased]` or `[1.0.0]: url` opens Markdown.
  if (/^\[\s*(?:[{\]]|$)/.test(start)) return 'github-releases';
  const lines = start.split(/\r\n|\r|\n/);
  const first = lines[0] ?? '';
  if (lines.some((line) => /^--END--\s*$/.test(line))) return 'conventional-commits';
  if (/^commit [0-9a-f]{7,40}\b/i.test(first) || /^[0-9a-f]{7,40}\s*$/i.test(first)) return 'conventional-commits';
  const content = lines.filter((line) => line.trim() !== '');
  if (content.some((line) => /^ {0,3}#{1,6}\s|^ {0,3}=+\s*$/.test(line))) return undefined;
  const commitLike = content.filter((line) => /^(?:[0-9a-f]{7,40}\s+(?:\([^)]*\)\s+)?)?[a-z]+(?:\([^)]*\))?!?: \S/i.test(line));
  return content.length > 0 && commitLike.length * 2 >= content.length ? 'conventional-commits' : undefined;
}
