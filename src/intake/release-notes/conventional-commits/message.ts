/**
 * A commit message read by Conventional Commits 1.0.0: `type(scope)!: description`, an optional
 * body, and footers (`Token: value` or `Token #value`; `BREAKING CHANGE` and its synonym
 * `BREAKING-CHANGE` are the only tokens with a space). A message that does not follow the
 * convention keeps its subject as the description and no type.
 */
export interface CommitMessage {
  type?: string;
  scope?: string;
  /** `!` before the colon, or a BREAKING CHANGE footer. */
  breaking: boolean;
  description: string;
  body: string;
  footers: { token: string; value: string }[];
  /** Text of the BREAKING CHANGE footers. */
  breakingNotes: string[];
}

const header = /^([A-Za-z][\w-]*)(?:\(([^()\r\n]*)\))?(!)?:[ \t]*(\S.*)$/;
// `Token: value` or `Token #value`; the `#` stays in the value (`Closes #12` → `#12`).
const footerStart = /^(BREAKING[ -]CHANGE|[A-Za-z][\w-]*)(?::[ \t]|[ \t](?=#))(.*)$/;

export function parseCommitMessage(message: string): CommitMessage {
  const lines = message.split(/\r\n|\r|\n/);
  const subject = (lines[0] ?? '').trim();
  const match = header.exec(subject);
  const rest = lines.slice(1);
  // Footers begin at the first footer-shaped line after a blank line and run to the end.
  let footerIndex = rest.findIndex((line, i) => footerStart.test(line) && (i === 0 || (rest[i - 1] ?? '').trim() === ''));
  if (footerIndex < 0) footerIndex = rest.length;
  const footers: { token: string; value: string }[] = [];
  for (const line of rest.slice(footerIndex)) {
    const footer = footerStart.exec(line);
    const last = footers[footers.length - 1];
    if (footer) footers.push({ token: footer[1] ?? '', value: (footer[2] ?? '').trim() });
    else if (last && line.trim() !== '') last.value = `${last.value} ${line.trim()}`.trim();
  }
  const breakingNotes = footers.filter((footer) => /^BREAKING[ -]CHANGE$/.test(footer.token)).map((footer) => footer.value);
  // conventional-changelog also reads a BREAKING CHANGE paragraph inside the body.
  const body = rest.slice(0, footerIndex).join('\n').trim();
  for (const paragraph of body.split(/\n\s*\n/)) {
    const note = /^BREAKING[ -]CHANGE:\s*([\s\S]*)$/.exec(paragraph.trim());
    if (note) breakingNotes.push((note[1] ?? '').replace(/\s+/g, ' ').trim());
  }
  if (!match) return { breaking: breakingNotes.length > 0, description: subject, body, footers, breakingNotes };
  return {
    type: (match[1] ?? '').toLowerCase(),
    ...(match[2] ? { scope: match[2].trim() } : {}),
    breaking: match[3] === '!' || breakingNotes.length > 0,
    description: (match[4] ?? '').trim(),
    body,
    footers,
    breakingNotes,
  };
}
