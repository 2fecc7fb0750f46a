import type { ChangelogFormat } from '../types.js';
import type { MarkdownToken } from './lines.js';

/**
 * Which Markdown style a changelog follows, by its headings. Only the label depends on it: one
 * parser reads them all.
 */
export function detectStyle(tokens: readonly MarkdownToken[], text: string): ChangelogFormat {
  let setextReleases = 0;
  let atxReleases = 0;
  let conventional = 0;
  let keepAChangelog = /keepachangelog\.com/i.test(text) ? 3 : 0;
  for (const token of tokens) {
    if (token.type !== 'heading') continue;
    const heading = token.text.trim();
    if (/^(?:major|minor|patch) changes$/i.test(heading)) return 'changesets';
    if (token.setext && /^v?\d+\.\d+\S*\s*\/\s*\d{4}-/.test(heading)) setextReleases += 1;
    else if (/^\[?v?\d+\.\d+/.test(heading)) atxReleases += 1;
    if (/^\[[^\]]+\]\([^)]*\)\s*\(\d{4}-\d{2}-\d{2}\)/.test(heading)) conventional += 1;
    if (/^(?:⚠\S*\s*)?(?:bug fixes|breaking changes|performance improvements)$/i.test(heading)) conventional += 1;
    if (/^\[[^\]]+\]\s+-\s/.test(heading) || /^v?\d+\.\d+\S*\s+-\s+\d{4}-/.test(heading)) keepAChangelog += 1;
    if (/^(?:added|changed|deprecated|removed|fixed|security)$/i.test(heading)) keepAChangelog += 1;
  }
  if (setextReleases > 0 && setextReleases >= atxReleases) return 'history-md';
  if (conventional === 0 && keepAChangelog === 0) return 'markdown';
  return conventional > keepAChangelog ? 'conventional-changelog' : 'keep-a-changelog';
}
