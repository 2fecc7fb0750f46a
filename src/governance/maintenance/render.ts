import type { MaintenanceNote } from './note.js';
import { builtinNoteTemplates, fillTemplate, type NoteTemplates } from './templates.js';

/** HTML text and attribute escaping (the five characters that matter in both). */
export function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
}

/** XML 1.0 escaping; characters XML cannot carry at all are dropped. */
export function escapeXml(text: string): string {
  // eslint-disable-next-line no-control-regex
  return escapeHtml(text).replaceAll("&#39;", '&apos;').replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');
}

/** Markdown punctuation that could turn a service name into a link or emphasis. */
function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_{}[\]()#+!|<>])/g, '\\$1');
}

/**
 * What a template sees: the note's values, raw (each `{{value}}` is escaped for the format by the
 * renderer, so a service called `<script>` stays text). The wording is the template's.
 */
export function templateView(note: MaintenanceNote) {
  return {
    title: note.title,
    start: note.plannedStart,
    end: note.plannedEnd,
    window: note.window,
    worstCase: note.worstCase,
    reference: note.changeId,
    upgrade: note.upgradeId,
    updated: note.updated,
    services: note.services.map((s) => ({ name: s.displayName, service: s.service, sla: s.slaImpact })),
  };
}

export function renderMarkdown(note: MaintenanceNote, templates: NoteTemplates = builtinNoteTemplates): string {
  return fillTemplate(templates.markdown, templateView(note), escapeMarkdown);
}

export function renderHtml(note: MaintenanceNote, templates: NoteTemplates = builtinNoteTemplates): string {
  return fillTemplate(templates.html, templateView(note), escapeHtml);
}

/**
 * An Atom 1.0 feed (RFC 4287) of maintenance notes: the feed id names the factory, each entry's id
 * names its change (stable across renders and restarts), `updated` is the change's last edit, and
 * the content is the HTML note's body (the whole note when its template has no `<body>`), escaped
 * as Atom's `type="html"` requires.
 */
export function renderAtom(
  notes: readonly MaintenanceNote[],
  feed: { factory: string; title: string; link?: string; selfUrl?: string; emptyUpdated: string },
  templates: NoteTemplates = builtinNoteTemplates,
): string {
  const updated = notes.reduce((latest, n) => (n.updated > latest ? n.updated : latest), notes.length > 0 ? '' : feed.emptyUpdated);
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>urn:upgrade-factory:${escapeXml(encodeURIComponent(feed.factory))}:maintenance</id>`,
    `  <title>${escapeXml(feed.title)}</title>`,
    `  <updated>${escapeXml(updated)}</updated>`,
    `  <author><name>${escapeXml(feed.factory)}</name></author>`,
    ...(feed.link ? [`  <link rel="alternate" href="${escapeXml(feed.link)}"/>`] : []),
    ...(feed.selfUrl ? [`  <link rel="self" type="application/atom+xml" href="${escapeXml(feed.selfUrl)}"/>`] : []),
  ];
  for (const note of notes) {
    const html = renderHtml(note, templates);
    const body = /<body[^>]*>([\s\S]*)<\/body>/i.exec(html)?.[1]?.replace(/^\n/, '') ?? html;
    lines.push(
      '  <entry>',
      `    <id>urn:upgrade-factory:${escapeXml(encodeURIComponent(feed.factory))}:maintenance:${escapeXml(note.changeId)}</id>`,
      `    <title>${escapeXml(note.title)}</title>`,
      `    <updated>${escapeXml(note.updated)}</updated>`,
      `    <summary>${escapeXml(`${note.plannedStart} to ${note.plannedEnd} (UTC): ${note.services.map((s) => s.displayName).join(', ')}`)}</summary>`,
      `    <content type="html">${escapeXml(body)}</content>`,
      '  </entry>',
    );
  }
  lines.push('</feed>', '');
  return lines.join('\n');
}
