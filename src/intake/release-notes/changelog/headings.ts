import { dateInText } from '../dates.js';

/**
 * What a heading says about releases. `[1.2.0](compare-url) (2024-01-01)`, `[1.2.0] - 2024-01-01`,
 * `v1.2.0 (2016/04/03 21:10 +07:00)`, `1.2.0 / 2024-01-01`, `@scope/pkg@1.2.0`, `Version 1.2.0`
 * are releases; `[Unreleased]`, `main` start the unreleased part; a heading shaped like a release
 * whose version cannot be read is `unreadable`; anything else (`### Added`) is a section.
 */
export type HeadingMeaning =
  | { type: 'release'; version: string; date?: string; yanked: boolean }
  | { type: 'unreleased'; label: string; yanked: boolean }
  | { type: 'unreadable'; label: string }
  | { type: 'section' };

// Digits with at least one dot, then an optional pre-release (`-beta.1`, `rc5`, `beta`) and build.
const versionAtStart = /^v?(\d+(?:\.\d+)+(?:-?[0-9A-Za-z]+(?:[.-][0-9A-Za-z]+)*)?(?:\+[0-9A-Za-z]+(?:[.-][0-9A-Za-z]+)*)?)/i;
const bracketed = /^\[([^\]]{0,200})\](\([^)]*\)|\[[^\]]*\])?/;
const unreleasedLabel = /^(?:unreleased(?: changes)?|upcoming(?: release)?|main|master|head|next release)$/i;

export function readHeading(heading: string): HeadingMeaning {
  const text = heading.replace(/\s+/g, ' ').trim();
  const link = bracketed.exec(text);
  const label = (link ? (link[1] ?? '') : text).trim();
  const rest = link ? text.slice(link[0].length) : text;
  const yanked = /\byanked\b/i.test(link ? rest : text);
  const unreleasedWord = (link ? label : text.replace(/\s*\[yanked\]\s*$/i, '')).trim();
  if (unreleasedLabel.test(unreleasedWord)) return { type: 'unreleased', label: unreleasedWord, yanked };

  const versionText = label.replace(/^(?:version|release|v\.)\s+/i, '').replace(/^[@\w./-]*@(?=v?\d)/, '');
  const version = versionAtStart.exec(versionText);
  const after = versionText.charAt(version?.[0].length ?? 0);
  if (version?.[1] && !/[\w]/.test(after)) {
    const date = dateInText(link ? rest : versionText.slice(version[0].length));
    return { type: 'release', version: version[1].replace(/\.$/, ''), ...(date ? { date } : {}), yanked };
  }
  const shapedLikeRelease = Boolean(link?.[2]) || /^v?\d/i.test(versionText) || dateInText(rest) !== undefined;
  return shapedLikeRelease ? { type: 'unreadable', label: text } : { type: 'section' };
}
