import { formatDuration } from '../../core/duration.js';
import type { UfError } from '../../core/errors.js';
import { guardRefusal } from './refusal.js';

/** A rollout start as the bundling guard sees it. */
export interface BundlingStart {
  upgradeId: string;
  /** Shown in messages, e.g. `lodash 4.17.21`. */
  label: string;
  /** What makes two upgrades related: the component's purl and the release groups of its packages. */
  relatedKeys: readonly string[];
  service: string;
  /** The owning team of the service (catalog owner ref), if known. */
  team?: string;
  startedAt: string;
}

export interface BundlingLimits {
  max: number;
  perMs: number;
}

/**
 * Refuses a start that would put more than `max` unrelated upgrades on one service, or on the
 * services of one team, within any rolling period `perMs` ending now. Upgrades sharing a related
 * key (the same upgrade on another service or a retry, the same component, one release group)
 * count once. Returns the refusal, or undefined when the start may go ahead.
 */
export function checkBundling(candidate: Omit<BundlingStart, 'startedAt'>, recent: readonly BundlingStart[], limits: BundlingLimits, now: Date): UfError | undefined {
  const since = now.getTime() - limits.perMs;
  const inWindow = recent.filter((start) => Date.parse(start.startedAt) > since && Date.parse(start.startedAt) <= now.getTime());
  const scopes: { what: string; starts: BundlingStart[] }[] = [
    { what: `service ${candidate.service}`, starts: inWindow.filter((s) => s.service.toLowerCase() === candidate.service.toLowerCase()) },
    ...(candidate.team ? [{ what: `team ${candidate.team}`, starts: inWindow.filter((s) => s.team === candidate.team) }] : []),
  ];
  for (const scope of scopes) {
    const groups = unrelatedGroups(scope.starts.filter((s) => !related(s, candidate)));
    if (groups.length + 1 <= limits.max) continue;
    const oldest = groups.map((g) => Date.parse(g.startedAt)).sort((a, b) => a - b)[0]!;
    const listed = groups.map((g) => `${g.upgradeId} (${g.label}, started ${g.startedAt})`).join(', ');
    return guardRefusal(
      'bundling',
      candidate.upgradeId,
      `starting ${candidate.upgradeId} (${candidate.label}) on ${candidate.service} would make ${groups.length + 1} unrelated upgrades rolling out on ${scope.what} within ${formatDuration(limits.perMs)}, and the limit is ${limits.max}: already ${listed}. ` +
        `Wait until ${new Date(oldest + limits.perMs).toISOString()} when the oldest leaves the ${formatDuration(limits.perMs)} window, ship the related packages as one release group (intake.releaseGroups), or raise guards.bundling.max`,
    );
  }
  return undefined;
}

function related(a: Pick<BundlingStart, 'upgradeId' | 'relatedKeys'>, b: Pick<BundlingStart, 'upgradeId' | 'relatedKeys'>): boolean {
  return a.upgradeId === b.upgradeId || a.relatedKeys.some((key) => b.relatedKeys.includes(key));
}

/** One start per group of related starts (the earliest). */
function unrelatedGroups(starts: readonly BundlingStart[]): BundlingStart[] {
  const groups: BundlingStart[] = [];
  for (const start of [...starts].sort((a, b) => a.startedAt.localeCompare(b.startedAt))) {
    if (!groups.some((g) => related(g, start))) groups.push(start);
  }
  return groups;
}
