import type { ChangeKind } from './types.js';

/**
 * Most severe first. Breaking leads because it decides whether an upgrade can go through
 * unattended; security follows because it decides how soon it must.
 */
export const changeKinds = ['breaking', 'security', 'migration', 'deprecation', 'feature', 'fix', 'other'] as const satisfies readonly ChangeKind[];

const rank = new Map<ChangeKind, number>(changeKinds.map((kind, index) => [kind, index]));

/** Distinct kinds, most severe first; `other` only when nothing else applies. */
export function normalizeKinds(kinds: Iterable<ChangeKind>): ChangeKind[] {
  const set = new Set(kinds);
  if (set.size > 1) set.delete('other');
  if (set.size === 0) return ['other'];
  return [...set].sort((a, b) => (rank.get(a) ?? 0) - (rank.get(b) ?? 0));
}

/** Kinds whose presence changes how an upgrade is handled, not only what it brings. */
export const attentionKinds: ReadonlySet<ChangeKind> = new Set(['breaking', 'security', 'migration', 'deprecation']);
