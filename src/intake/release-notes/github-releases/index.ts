import { UfError } from '../../../core/errors.js';
import { formatKeyPath } from '../../../core/key-path.js';
import { changesOf } from '../changelog/body.js';
import { tokenize } from '../changelog/lines.js';
import { utcDate } from '../dates.js';
import { parseJsonText, stripBom } from '../../../core/json-text.js';
import { jsonLines } from '../json.js';
import type { Release, ReleaseNotes } from '../types.js';
import { githubReleaseSchema } from './schema.js';

/**
 * Release notes from GitHub's "list releases" JSON. Each body is Markdown read by the changelog
 * parser's bullet classifier; the version comes from the tag (`v1.2.3`, `@scope/pkg@1.2.3`,
 * `pkg-v1.2.3`). Drafts are not releases and are left out. The date is `published_at` (UTC),
 * else `created_at`. An element that is not a release, or whose tag holds no version, becomes a
 * warning naming its line; the others are still read.
 */
export function parseGithubReleases(text: string, file: string): ReleaseNotes {
  const source = stripBom(text);
  const value = parseJsonText(source, { file });
  if (!Array.isArray(value)) {
    throw new UfError('import_invalid', 'not a GitHub release list: expected a JSON array of releases', { file, line: 1 });
  }
  const lines = jsonLines(source).elements;
  const releases: Release[] = [];
  const warnings: UfError[] = [];
  value.forEach((element: unknown, index) => {
    const line = lines[index] ?? 1;
    const parsed = githubReleaseSchema.safeParse(element);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const path = formatKeyPath([index, ...(issue?.path ?? [])]);
      warnings.push(new UfError('import_invalid', `not a GitHub release: ${issue?.message ?? 'unexpected shape'}`, { file, line, path }));
      return;
    }
    const release = parsed.data;
    if (release.draft === true) return;
    const version = versionFromTag(release.tag_name);
    if (version === undefined) {
      const path = formatKeyPath([index, 'tag_name']);
      warnings.push(new UfError('parse_error', `tag "${release.tag_name}" holds no version; release skipped`, { file, line, path }));
      return;
    }
    const date = utcDate(release.published_at ?? release.created_at ?? '');
    releases.push({
      version,
      ...(date ? { date } : {}),
      yanked: false,
      changes: changesOf(tokenize(release.body ?? '')),
      source: { file, line },
    });
  });
  return { format: 'github-releases', releases, warnings };
}

/** `v1.2.3` → `1.2.3`; `@scope/pkg@1.2.3` → `1.2.3`; `pkg-v1.2.3`, `release/1.2.3` → `1.2.3`. */
export function versionFromTag(tag: string): string | undefined {
  if (tag.length > 256) return undefined;
  const afterPackage = tag.trim().slice(tag.trim().lastIndexOf('@') + 1);
  const match = /(?:^|[-_/])v?(\d+(?:\.\d+)*(?:[-+][0-9A-Za-z.+-]*)?)$/i.exec(afterPackage);
  const version = match?.[1];
  if (version === undefined) return undefined;
  // A bare number is only a version when it is the whole tag (`v2`), not a suffix (`pkg-2`).
  if (!version.includes('.') && !/^v?\d+$/i.test(afterPackage)) return undefined;
  return version;
}
