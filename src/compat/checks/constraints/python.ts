import { UfError } from '../../../core/errors.js';
import type { DeclaredConstraint, ManifestDeclarations } from './types.js';

/** PEP 508: `name [extras] specifiers ; marker`, specifiers optionally in parentheses (the METADATA 1.x spelling). */
const requirement = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[[^\]]*\])?\s*(.*)$/;

/**
 * The part of a PEP 508 marker that decides whether a requirement applies here. `extra == "x"`
 * joined by `and` (or alone) means the requirement applies only when the extra is asked for, which
 * a consumer's declared range does not do: inactive. Any other marker (`python_version`,
 * `sys_platform`) depends on an environment this check does not know: the constraint is kept and
 * the marker shown with it.
 */
function markerEffect(marker: string): { inactiveBecause?: string; marker?: string } {
  if (marker === '') return {};
  if (/\bextra\s*==/.test(marker) && !/\bor\b/.test(marker)) return { inactiveBecause: marker };
  return { marker };
}

interface ParsedRequirement {
  on: string;
  range: string;
  marker: string;
}

/** One requirement string; undefined for a direct URL reference (`name @ https://…`), which names no range. */
function parseRequirement(text: string, file: string, line: number): ParsedRequirement | undefined {
  const semicolon = text.indexOf(';');
  const spec = (semicolon < 0 ? text : text.slice(0, semicolon)).trim();
  const marker = semicolon < 0 ? '' : text.slice(semicolon + 1).trim();
  const match = requirement.exec(spec);
  if (!match) throw new UfError('parse_error', `cannot read the requirement ${JSON.stringify(text)}: expected PEP 508 "name (>=1.0,<2) ; marker"`, { file, line });
  let range = (match[2] ?? '').trim();
  if (range.startsWith('@')) return undefined;
  if (range.startsWith('(') && range.endsWith(')')) range = range.slice(1, -1).trim();
  return { on: match[1] ?? '', range, marker };
}

function toConstraint(parsed: ParsedRequirement, family: 'requires-dist' | 'requirement', declaredBy: string, file: string, line: number): DeclaredConstraint | undefined {
  if (parsed.range === '') return undefined; // any version
  return { family, on: parsed.on, range: parsed.range, syntax: 'PyPI', platform: false, declaredBy, file, line, ...markerEffect(parsed.marker) };
}

/**
 * Core metadata (a wheel's METADATA, an sdist's PKG-INFO): `Name`, `Version`, each `Requires-Dist`,
 * and `Requires-Python` (a constraint on the `python` runtime). Only the header block is read; the
 * description after the first blank line is not.
 */
export function readCoreMetadata(text: string, file: string): ManifestDeclarations {
  const fields: { key: string; value: string; line: number }[] = [];
  const lines = text.split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    if (raw.trim() === '') break;
    const last = fields.at(-1);
    if (/^\s/.test(raw) && last) {
      last.value += ` ${raw.trim()}`;
      continue;
    }
    const colon = raw.indexOf(':');
    if (colon <= 0) throw new UfError('parse_error', `line ${JSON.stringify(raw)} is not a "Field: value" header: expected core metadata (METADATA or PKG-INFO)`, { file, line: index + 1 });
    fields.push({ key: raw.slice(0, colon).trim().toLowerCase(), value: raw.slice(colon + 1).trim(), line: index + 1 });
  }
  if (!fields.some((field) => field.key === 'metadata-version' || field.key === 'name')) {
    throw new UfError('parse_error', 'no Metadata-Version or Name field: expected core metadata (METADATA or PKG-INFO)', { file });
  }
  const name = fields.find((field) => field.key === 'name')?.value;
  const version = fields.find((field) => field.key === 'version')?.value;
  const declaredBy = name ?? 'METADATA';
  const root: DeclaredConstraint[] = [];
  for (const field of fields) {
    if (field.key === 'requires-dist') {
      const parsed = parseRequirement(field.value, file, field.line);
      const found = parsed && toConstraint(parsed, 'requires-dist', declaredBy, file, field.line);
      if (found) root.push(found);
    } else if (field.key === 'requires-python' && field.value !== '') {
      root.push({ family: 'requires-python', on: 'python', range: field.value, syntax: 'PyPI', platform: true, declaredBy, file, line: field.line });
    }
  }
  return { format: 'METADATA', file, ...(name === undefined ? {} : { name }), ...(version === undefined ? {} : { version }), root, packages: [] };
}

/**
 * A pip requirements file: one requirement a line, `#` comments, `\` continuations. Options
 * (`-r`, `-e`, `--hash`…) and URL or path requirements are skipped: they name no range.
 */
export function readRequirementsTxt(text: string, file: string): ManifestDeclarations {
  const root: DeclaredConstraint[] = [];
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index += 1) {
    const first = index + 1;
    let logical = lines[index] ?? '';
    while (logical.endsWith('\\') && index + 1 < lines.length) {
      index += 1;
      logical = `${logical.slice(0, -1)} ${lines[index] ?? ''}`;
    }
    const content = logical.replace(/(^|\s)#.*$/, '').replace(/\s--hash=\S+/g, '').trim();
    if (content === '' || content.startsWith('-') || /^[./]|:\/\//.test(content)) continue;
    const parsed = parseRequirement(content, file, first);
    const found = parsed && toConstraint(parsed, 'requirement', 'requirements.txt', file, first);
    if (found) root.push(found);
  }
  return { format: 'requirements.txt', file, root, packages: [] };
}
