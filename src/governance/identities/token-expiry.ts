import type { TokensPolicy } from '../../config/sections/tokens.js';
import { durationFormat, formatDuration, parseDuration } from '../../core/duration.js';
import { UfError } from '../../core/errors.js';

/**
 * When a new token expires, from what was asked (`30d`, `never`, or nothing: the default) and the
 * `tokens:` policy. Null means it never expires, which the policy must allow.
 */
export function tokenExpiry(policy: TokensPolicy, requested: string | undefined, now: Date, field = '--expires-in'): Date | null {
  if (requested === 'never') {
    if (!policy.allowNonExpiring) throw new UfError('usage', `${field} never: tokens that never expire are off (tokens.allowNonExpiring in factory.yaml); the longest allowed is ${policy.maxExpiry}`, { path: field });
    return null;
  }
  const ms = parseDuration(requested ?? policy.defaultExpiry);
  if (ms === undefined || ms <= 0) throw new UfError('usage', `${field} '${requested}' is not ${durationFormat} (or never)`, { path: field });
  const max = parseDuration(policy.maxExpiry)!;
  if (ms > max) throw new UfError('usage', `${field} ${formatDuration(ms)} is longer than tokens.maxExpiry (${policy.maxExpiry})`, { path: field });
  return new Date(now.getTime() + ms);
}

/** The grace a rotated token keeps, from `--grace` or the policy. */
export function rotationGrace(policy: TokensPolicy, requested: string | undefined, field = '--grace'): number {
  const ms = parseDuration(requested ?? policy.rotationGrace);
  if (ms === undefined) throw new UfError('usage', `${field} '${requested}' is not ${durationFormat}`, { path: field });
  const max = parseDuration(policy.maxExpiry)!;
  if (ms > max) throw new UfError('usage', `${field} ${formatDuration(ms)} is longer than tokens.maxExpiry (${policy.maxExpiry})`, { path: field });
  return ms;
}
