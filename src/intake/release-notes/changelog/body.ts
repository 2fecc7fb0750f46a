import { attentionKinds, normalizeKinds } from '../kinds.js';
import type { ChangeKind, ReleaseChange } from '../types.js';
import { classifyChange, isCreditsSection, sectionKind, textKinds } from './classify.js';
import type { MarkdownToken } from './lines.js';

/**
 * The changes of one release body: every list item is one change (nested items too), its
 * continuation lines joined to it. A short item ending in a colon (`* remove:`, `* breaking:`, as
 * in express's History.md) is a label: its sub-items inherit what it says. Prose paragraphs become
 * changes only when they need attention (breaking, security, migration, deprecation): by their own
 * words, or by their section's when they open it (before its first item), so neither "This is the
 * fifth alpha release" nor a "**Full Changelog**: url" line under "### Security" counts.
 */
export function changesOf(tokens: readonly MarkdownToken[]): ReleaseChange[] {
  const changes: ReleaseChange[] = [];
  let section: ChangeKind[] = [];
  let sectionHasItems = false;
  let credits = false;
  let labels: { indent: number; kinds: ChangeKind[] }[] = [];
  let item: { indent: number; parts: string[]; context: ChangeKind[] } | undefined;
  let paragraph: string[] = [];
  let afterBlank = false;

  const flushItem = (): void => {
    if (item && !credits) changes.push(classifyChange(item.parts.join(' '), item.context));
    item = undefined;
  };
  const flushParagraph = (): void => {
    const text = paragraph.join(' ');
    paragraph = [];
    if (credits || text === '') return;
    const context = sectionHasItems ? [] : section;
    const attention = normalizeKinds([...context, ...textKinds(text, context)]).filter((kind) => attentionKinds.has(kind));
    if (attention.length > 0) changes.push(classifyChange(text, context));
  };

  for (const token of tokens) {
    if (token.type === 'heading') {
      flushItem();
      flushParagraph();
      const kind = sectionKind(token.text);
      section = kind ? [kind] : [];
      sectionHasItems = false;
      credits = isCreditsSection(token.text);
      labels = [];
    } else if (token.type === 'bullet') {
      flushItem();
      flushParagraph();
      sectionHasItems = true;
      labels = labels.filter((label) => label.indent < token.indent);
      const inherited = labels.flatMap((label) => label.kinds);
      if (isLabel(token.text)) {
        const kind = sectionKind(token.text);
        labels.push({ indent: token.indent, kinds: kind ? [kind] : [] });
      } else {
        item = { indent: token.indent, parts: [token.text], context: normalizeContext([...section, ...inherited]) };
      }
    } else if (token.type === 'text') {
      if (item && (!afterBlank || token.indent > item.indent)) {
        item.parts.push(token.text);
      } else {
        flushItem();
        if (afterBlank) flushParagraph();
        paragraph.push(token.text);
      }
    } else if (token.type === 'break') {
      flushItem();
      flushParagraph();
      labels = [];
    }
    afterBlank = token.type === 'blank';
    if (afterBlank && paragraph.length > 0) flushParagraph();
  }
  flushItem();
  flushParagraph();
  return changes;
}

/** `remove:`, `Breaking Changes:`: a few words and a colon, nothing else. */
function isLabel(text: string): boolean {
  return /^[A-Za-z][\w &/-]{0,30}:$/.test(text.replace(/[*_]/g, '').trim());
}

function normalizeContext(kinds: ChangeKind[]): ChangeKind[] {
  return kinds.length === 0 ? [] : normalizeKinds(kinds);
}
