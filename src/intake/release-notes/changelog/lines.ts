/**
 * Markdown as far as release notes need it: headings (ATX and setext), list items with their
 * indentation, other text, blank lines and thematic breaks. Fenced code, HTML comments, tables and
 * link reference definitions are dropped, so a `# comment` in a code block is never a heading.
 */
export type MarkdownToken =
  | { type: 'heading'; level: number; text: string; line: number; setext: boolean }
  | { type: 'bullet'; indent: number; text: string; line: number }
  | { type: 'text'; indent: number; text: string; line: number }
  | { type: 'blank'; line: number }
  | { type: 'break'; line: number };

const atxHeading = /^ {0,3}(#{1,6})(?:[ \t]+(.*))?$/;
const bulletItem = /^([ \t]*)(?:[-*+]|\d{1,9}[.)])[ \t]+(.*)$/;
const thematicBreak = /^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$/;
const fence = /^ {0,3}(`{3,}|~{3,})/;
const linkReference = /^ {0,3}\[[^\]]+\]:/;

export function tokenize(text: string, firstLine = 1): MarkdownToken[] {
  const tokens: MarkdownToken[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  let openFence: string | undefined;
  let inComment = false;
  let afterReference = false;
  lines.forEach((raw, index) => {
    const line = firstLine + index;
    if (openFence !== undefined) {
      if (raw.trimStart().startsWith(openFence)) openFence = undefined;
      return;
    }
    if (inComment) {
      if (raw.includes('-->')) inComment = false;
      return;
    }
    const fenceMatch = fence.exec(raw);
    if (fenceMatch) {
      openFence = fenceMatch[1];
      return;
    }
    const uncommented = withoutComments(raw);
    inComment = uncommented.open;
    const content = uncommented.text.replace(/^(?: {0,3}>[ \t]?)+/, '');
    if (content.trim() === '') {
      tokens.push({ type: 'blank', line });
      afterReference = false;
      return;
    }
    // `[1.0.0]:` followed by the URL on an indented line of its own, as Keep a Changelog tools write.
    if (linkReference.test(content) || (afterReference && /^\s+\S+$/.test(content))) {
      afterReference = linkReference.test(content);
      return;
    }
    afterReference = false;
    // Tables, and lines that are nothing but HTML tags (`<a name="8.0.2"></a>` anchors).
    if (/^ {0,3}\|/.test(content) || /^\s*(?:<[^<>]*>\s*)+$/.test(content)) return;
    if (/^ {0,3}(?:=+|-+)[ \t]*$/.test(content) && setextTarget(tokens)) {
      const previous = tokens.pop();
      if (previous?.type === 'text') {
        tokens.push({ type: 'heading', level: content.includes('=') ? 1 : 2, text: previous.text, line: previous.line, setext: true });
      }
      return;
    }
    if (thematicBreak.test(content)) {
      tokens.push({ type: 'break', line });
      return;
    }
    const heading = atxHeading.exec(content);
    if (heading) {
      tokens.push({ type: 'heading', level: heading[1]?.length ?? 1, text: withoutClosingHashes(heading[2] ?? ''), line, setext: false });
      return;
    }
    const bullet = bulletItem.exec(content);
    if (bullet) {
      tokens.push({ type: 'bullet', indent: indentWidth(bullet[1] ?? ''), text: (bullet[2] ?? '').trim(), line });
      return;
    }
    const indent = indentWidth(/^[ \t]*/.exec(content)?.[0] ?? '');
    tokens.push({ type: 'text', indent, text: content.trim(), line });
  });
  return tokens;
}

/** The line without `<!-- … -->` comments; `open` when a comment starts and does not end on it. */
function withoutComments(line: string): { text: string; open: boolean } {
  let text = '';
  let from = 0;
  for (;;) {
    const start = line.indexOf('<!--', from);
    if (start < 0) return { text: text + line.slice(from), open: false };
    text += line.slice(from, start);
    const end = line.indexOf('-->', start + 4);
    if (end < 0) return { text, open: true };
    from = end + 3;
  }
}

/** `## 1.0.0 ##` → `1.0.0`; by hand, since a pattern for it backtracks on long runs of spaces. */
function withoutClosingHashes(text: string): string {
  const trimmed = text.trim();
  let end = trimmed.length;
  while (end > 0 && trimmed[end - 1] === '#') end -= 1;
  if (end === trimmed.length) return trimmed;
  if (end === 0) return '';
  return /[ \t]/.test(trimmed.charAt(end - 1)) ? trimmed.slice(0, end).trim() : trimmed;
}

/** A setext underline turns the line above into a heading only if that line is a paragraph of its own. */
function setextTarget(tokens: readonly MarkdownToken[]): boolean {
  const previous = tokens[tokens.length - 1];
  if (previous?.type !== 'text' || previous.indent > 3) return false;
  const before = tokens[tokens.length - 2];
  return before === undefined || before.type === 'blank' || before.type === 'heading' || before.type === 'break';
}

function indentWidth(whitespace: string): number {
  let width = 0;
  for (const ch of whitespace) width += ch === '\t' ? 4 - (width % 4) : 1;
  return width;
}
