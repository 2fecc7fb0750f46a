import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import Mustache from 'mustache';
import { UfError } from '../../core/errors.js';

/** The two formats a maintenance note is written in; the Atom feed carries the HTML one. */
export const noteFormats = ['markdown', 'html'] as const;
export type NoteFormat = (typeof noteFormats)[number];

/**
 * The built-in wording, as Mustache templates. `{{name}}` is escaped for the format (Markdown
 * punctuation, or HTML); `{{{name}}}` is not, and is for values the template trusts.
 */
export const builtinTemplates: Record<NoteFormat, string> = {
  markdown: `# {{title}}

**When:** {{start}} to {{end}} (UTC, {{window}})

We are upgrading a component of the services below. The change is rolled out gradually and watched; no downtime is planned.
If it misbehaves, it is rolled back automatically within {{worstCase}}.

## Affected services

{{#services}}
- **{{name}}**{{#sla}}: {{sla}}{{/sla}}
{{/services}}

Reference: {{reference}}
`,
  html: `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{{title}}</title></head>
<body>
<h1>{{title}}</h1>
<p><strong>When:</strong> <time datetime="{{start}}">{{start}}</time> to <time datetime="{{end}}">{{end}}</time> (UTC, {{window}})</p>
<p>We are upgrading a component of the services below. The change is rolled out gradually and watched; no downtime is planned.
If it misbehaves, it is rolled back automatically within {{worstCase}}.</p>
<h2>Affected services</h2>
<ul>
{{#services}}
<li><strong>{{name}}</strong>{{#sla}}: {{sla}}{{/sla}}</li>
{{/services}}
</ul>
<p>Reference: {{reference}}</p>
</body>
</html>
`,
};

/** The templates a factory writes its notes with: its own files where configured, the built-in ones elsewhere. */
export interface NoteTemplates {
  markdown: string;
  html: string;
  /** Where each came from: a file's path, or `built-in`. */
  sources: Record<NoteFormat, string>;
}

export const builtinNoteTemplates: NoteTemplates = { ...builtinTemplates, sources: { markdown: 'built-in', html: 'built-in' } };

/**
 * Reads and checks the configured template files (`maintenance.templates.markdown|html`, relative
 * to the config file). A file that cannot be read, or is not a valid Mustache template (an unclosed
 * section, a stray tag), is refused with its key path, file and Mustache's reason.
 */
export function loadNoteTemplates(configured: Partial<Record<NoteFormat, string>>, baseDir: string): NoteTemplates {
  const templates: NoteTemplates = { ...builtinTemplates, sources: { markdown: 'built-in', html: 'built-in' } };
  for (const format of noteFormats) {
    const entry = configured[format];
    if (entry === undefined) continue;
    const file = isAbsolute(entry) ? entry : resolve(baseDir, entry);
    const where = { path: `maintenance.templates.${format}`, file };
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new UfError('config_invalid', `cannot read the ${format} template (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, where);
    }
    try {
      Mustache.parse(text);
    } catch (error) {
      throw new UfError('config_invalid', `not a valid Mustache template: ${(error as Error).message}`, where);
    }
    templates[format] = text;
    templates.sources[format] = file;
  }
  return templates;
}

/** Fills a template; every `{{value}}` goes through `escape`. Sections and lists are Mustache's. */
export function fillTemplate(template: string, view: object, escape: (text: string) => string): string {
  return Mustache.render(template, view, {}, { escape: (value: unknown) => escape(String(value)) });
}
