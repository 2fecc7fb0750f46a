import type { MaintenanceNote } from './note.js';

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
 * The note's template, filled per format: every value goes through the format's escaping, so a
 * service called `<script>` stays text. The wording is the customer's, not the factory's.
 */
function fill(note: MaintenanceNote, esc: (text: string) => string) {
  return {
    title: esc(note.title),
    start: esc(note.plannedStart),
    end: esc(note.plannedEnd),
    window: esc(note.window),
    worstCase: esc(note.worstCase),
    ref: esc(note.changeId),
    services: note.services.map((s) => ({ name: esc(s.displayName), sla: s.slaImpact === null ? null : esc(s.slaImpact) })),
  };
}

export function renderMarkdown(note: MaintenanceNote): string {
  const v = fill(note, escapeMarkdown);
  return [
    `# ${v.title}`,
    '',
    `**When:** ${v.start} to ${v.end} (UTC, ${v.window})`,
    '',
    'We are upgrading a component of the services below. The change is rolled out gradually and watched; no downtime is planned.',
    `If it misbehaves, it is rolled back automatically within ${v.worstCase}.`,
    '',
    '## Affected services',
    '',
    ...v.services.map((s) => `- **${s.name}**${s.sla ? `: ${s.sla}` : ''}`),
    '',
    `Reference: ${v.ref}`,
    '',
  ].join('\n');
}

export function renderHtml(note: MaintenanceNote): string {
  const v = fill(note, escapeHtml);
  return [
    '<!doctype html>',
    '<html lang="en">',
    `<head><meta charset="utf-8"><title>${v.title}</title></head>`,
    '<body>',
    `<h1>${v.title}</h1>`,
    `<p><strong>When:</strong> <time datetime="${v.start}">${v.start}</time> to <time datetime="${v.end}">${v.end}</time> (UTC, ${v.window})</p>`,
    '<p>We are upgrading a component of the services below. The change is rolled out gradually and watched; no downtime is planned.',
    `If it misbehaves, it is rolled back automatically within ${v.worstCase}.</p>`,
    '<h2>Affected services</h2>',
    '<ul>',
    ...v.services.map((s) => `<li><strong>${s.name}</strong>${s.sla ? `: ${s.sla}` : ''}</li>`),
    '</ul>',
    `<p>Reference: ${v.ref}</p>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/**
 * An Atom 1.0 feed (RFC 4287) of maintenance notes: the feed id names the factory, each entry's id
 * names its change (stable across renders and restarts), `updated` is the change's last edit, and
 * the content is the HTML note's body, escaped as Atom's `type="html"` requires.
 */
export function renderAtom(notes: readonly MaintenanceNote[], feed: { factory: string; title: string; link?: string; selfUrl?: string; emptyUpdated: string }): string {
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
    const body = renderHtml(note).replace(/^[\s\S]*<body>\n/, '').replace(/<\/body>[\s\S]*$/, '');
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
