import { UfError } from '../../../core/errors.js';
import { formatKeyPath } from '../../../core/key-path.js';
import { classifyChange } from '../changelog/classify.js';
import { utcDate } from '../dates.js';
import { parseJsonText, stripBom } from '../../../core/json-text.js';
import { jsonLines, lineOfPath } from '../json.js';
import type { Release, ReleaseNotes } from '../types.js';
import { packumentSchema, packumentVersionSchema } from './schema.js';

const timeKeys = new Set(['created', 'modified', 'unpublished']);

/**
 * Release facts from an npm packument: each version with its publish date, and its deprecation
 * message as a `deprecation` change (raised to `security` when the message says so; `kinds` still
 * holds `deprecation`). A version listed in `time` but gone from `versions` was unpublished: it is
 * kept, marked yanked. Releases are newest first by publish time, undated ones last.
 */
export function parseNpmPackument(text: string, file: string): ReleaseNotes {
  const source = stripBom(text);
  const value = parseJsonText(source, { file });
  const parsed = packumentSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path ?? [];
    throw new UfError('import_invalid', `not an npm packument: ${issue?.message ?? 'unexpected shape'}`, {
      file,
      line: lineOfPath(source, path),
      path: formatKeyPath(path),
    });
  }
  const { versions = {}, time = {} } = parsed.data;
  const lines = jsonLines(source, 'versions').members;
  const timeLines = jsonLines(source, 'time').members;
  const releases: Release[] = [];
  const warnings: UfError[] = [];
  for (const [version, manifest] of Object.entries(versions)) {
    const line = lines.get(version) ?? 1;
    const entry = packumentVersionSchema.safeParse(manifest);
    if (!entry.success) {
      const issue = entry.error.issues[0];
      const path = formatKeyPath(['versions', version, ...(issue?.path ?? [])]);
      warnings.push(new UfError('import_invalid', `not a published version: ${issue?.message ?? 'unexpected shape'}`, { file, line, path }));
      continue;
    }
    const deprecated = entry.data.deprecated?.trim();
    const changes = deprecated ? [classifyChange(deprecated, ['deprecation'])] : [];
    const published = Object.hasOwn(time, version) ? time[version] : undefined;
    releases.push({ version, ...dateOf(published), yanked: false, changes, source: { file, line } });
  }
  for (const [version, published] of Object.entries(time)) {
    if (timeKeys.has(version) || Object.hasOwn(versions, version) || typeof published !== 'string') continue;
    releases.push({ version, ...dateOf(published), yanked: true, changes: [], source: { file, line: timeLines.get(version) ?? 1 } });
  }
  const publishedAt = (release: Release): number => {
    const stamp = Object.hasOwn(time, release.version) ? time[release.version] : undefined;
    return typeof stamp === 'string' ? Date.parse(stamp) || 0 : 0;
  };
  releases.sort((a, b) => publishedAt(b) - publishedAt(a));
  return { format: 'npm-packument', releases, warnings };
}

function dateOf(timestamp: unknown): { date?: string } {
  const date = typeof timestamp === 'string' ? utcDate(timestamp) : undefined;
  return date ? { date } : {};
}
