import { classifyChange } from '../changelog/classify.js';
import { extractRefs } from '../changelog/refs.js';
import type { ChangeKind, Release, ReleaseChange, ReleaseNotes } from '../types.js';
import { parseCommitMessage } from './message.js';
import { splitCommits, type CommitRecord } from './records.js';

export { parseCommitMessage, type CommitMessage } from './message.js';
export { splitCommits, type CommitRecord } from './records.js';

const typeKinds: Record<string, ChangeKind> = {
  feat: 'feature',
  feature: 'feature',
  fix: 'fix',
  bugfix: 'fix',
  hotfix: 'fix',
  security: 'security',
  sec: 'security',
  deprecate: 'deprecation',
  deprecation: 'deprecation',
};

// Trailers that say who, not what; their values must not classify the commit.
const trailerTokens = /^(?:signed-off-by|co-authored-by|reviewed-by|acked-by|tested-by|reported-by|change-id|cc)$/i;

/**
 * Release notes from a git log (layouts in `records.ts`), newest commit first. Release commits
 * split it into releases: `chore(release): 1.2.0` (standard-version), `chore(main): release 1.2.0`
 * and `chore: release pkg 1.2.0` (release-please), `release: 1.2.0`, `Release 1.2.0`, a bare
 * `1.2.0` or `v1.2.0` subject (`npm version`), or a `tag: v1.2.0` decoration. A release holds the
 * commits below its release commit down to the next one; commits above the newest release commit
 * are unreleased. Release commits themselves are not changes; a tagged ordinary commit is one.
 * Merge commits are skipped: the merged commits are in the log themselves.
 */
export function parseConventionalCommits(text: string, file: string): ReleaseNotes {
  const releases: Release[] = [];
  let unreleased: Release | undefined;
  let current: Release | undefined;
  for (const record of splitCommits(text)) {
    const subject = record.message.split(/\r\n|\r|\n/, 1)[0]?.trim() ?? '';
    const version = releaseVersion(subject) ?? record.tags.map(versionOfTag).find((tag) => tag !== undefined);
    if (version !== undefined) {
      current = { version, ...(record.date ? { date: record.date } : {}), yanked: false, changes: [], source: { file, line: record.line } };
      releases.push(current);
      if (releaseVersion(subject) !== undefined) continue;
    }
    if (/^Merge (?:pull request|branch|remote-tracking branch|tag)\b/.test(subject)) continue;
    if (subject === '') continue;
    const change = changeOf(record);
    if (current) {
      current.changes.push(change);
    } else {
      unreleased ??= { version: 'Unreleased', yanked: false, changes: [], source: { file, line: record.line } };
      unreleased.changes.push(change);
    }
  }
  return { format: 'conventional-commits', releases, ...(unreleased ? { unreleased } : {}), warnings: [] };
}

function changeOf(record: CommitRecord): ReleaseChange {
  const commit = parseCommitMessage(record.message);
  const context: ChangeKind[] = [];
  const typeKind = commit.type === undefined ? undefined : typeKinds[commit.type];
  if (typeKind) context.push(typeKind);
  else if (commit.type !== undefined) context.push('other');
  if (commit.breaking) context.push('breaking');
  const notes = commit.breakingNotes.length > 0 ? ` — BREAKING CHANGE: ${commit.breakingNotes.join(' ')}` : '';
  const text = `${commit.scope ? `${commit.scope}: ` : ''}${commit.description}${notes}`;
  const footerText = commit.footers
    .filter((footer) => !trailerTokens.test(footer.token) && !/^BREAKING[ -]CHANGE$/.test(footer.token))
    .map((footer) => `${footer.token}: ${footer.value}`);
  // Classify on everything the author wrote; show the subject and breaking notes.
  const classified = classifyChange([commit.description, commit.body, ...commit.breakingNotes, ...footerText].join('\n'), context);
  const refs = new Set([...(record.hash ? [record.hash] : []), ...classified.refs, ...extractRefs(text)]);
  return { ...classified, text: text.replace(/\s+/g, ' ').trim(), refs: [...refs] };
}

const strictVersion = /^v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)$/;

/** The version a release commit's subject names, or undefined for an ordinary commit. */
export function releaseVersion(subject: string): string | undefined {
  let rest = subject.trim().replace(/\s*\[(?:skip ci|ci skip)\]$/i, '');
  const conventional = /^(\w+)(?:\(([^)]*)\))?!?:\s*(.*)$/.exec(rest);
  if (conventional) {
    const type = (conventional[1] ?? '').toLowerCase();
    const scope = (conventional[2] ?? '').toLowerCase();
    const description = conventional[3] ?? '';
    const releaseScope = scope === 'release' || scope === 'main' || scope === 'master';
    const saysRelease = /^release\s/i.test(description);
    if (!(type === 'release' || ((type === 'chore' || type === 'build') && (releaseScope || saysRelease)))) return undefined;
    // `release my-pkg 1.2.0`, `release my-pkg@1.2.0`, `1.2.0`, `v1.2.0`.
    const words = description.replace(/^release\s+/i, '').trim().split(/\s+/);
    if (words.length > 2) return undefined;
    rest = words[words.length - 1] ?? '';
  } else {
    rest = rest.replace(/^(?:release|version|bump version to)\s+/i, '');
  }
  return strictVersion.exec(rest.slice(rest.lastIndexOf('@') + 1))?.[1];
}

function versionOfTag(tag: string): string | undefined {
  return strictVersion.exec(tag.slice(tag.lastIndexOf('@') + 1))?.[1];
}
