import { formatDuration } from '../../core/duration.js';
import type { UfError } from '../../core/errors.js';
import type { StoredDrill } from '../drills/types.js';
import { guardRefusal } from './refusal.js';

/**
 * A production canary needs a passing rollback drill of its service newer than `maxAgeMs`.
 * Returns the refusal, or undefined when `latest` (the service's newest passing drill) will do.
 */
export function checkRollbackDrill(upgradeId: string, service: string, latest: StoredDrill | undefined, maxAgeMs: number, now: Date): UfError | undefined {
  const how = `run one: uf drill run ${service} (or POST /api/v1/drills)`;
  if (!latest) return guardRefusal('rollbackDrill', upgradeId, `a canary of ${upgradeId} on ${service} needs a passing rollback drill of ${service} newer than ${formatDuration(maxAgeMs)}, and ${service} has none; ${how}`);
  const ageMs = now.getTime() - Date.parse(latest.finishedAt);
  if (ageMs > maxAgeMs) {
    return guardRefusal(
      'rollbackDrill',
      upgradeId,
      `a canary of ${upgradeId} on ${service} needs a passing rollback drill of ${service} newer than ${formatDuration(maxAgeMs)}, and the newest (${latest.id}, ${latest.finishedAt}) is ${formatDuration(Math.floor(ageMs / 60_000) * 60_000)} old; ${how}`,
    );
  }
  return undefined;
}
